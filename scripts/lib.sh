# Shared by the helper scripts (s3.sh, pgbouncer.sh, monitoring.sh, cluster.sh); source it after defining log().

# A free loopback port at or after $1 (not one this script already took: $taken).
free_port() {
  local p
  for p in $(seq "$1" $(($1 + 400))); do
    if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q . && ! grep -qx "$p" <<<"${taken:-}"; then
      taken="${taken:-}"$'\n'"$p"; echo "$p"; return
    fi
  done
  log "no free port near $1"; exit 1
}

# Installs Debian packages with apt-get when run as root; otherwise says what to install and exits.
apt_install() {
  if [ "$(id -u)" != 0 ]; then log "missing $*; install them (apt-get install $*) or run as root"; exit 1; fi
  log "installing $* with apt-get"
  if [ -z "${RENDEROWL_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    export RENDEROWL_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
