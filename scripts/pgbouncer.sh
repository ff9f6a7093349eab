#!/usr/bin/env bash
# PgBouncer (Debian's package) in transaction pooling mode in front of the local primary, with
# deploy/pgbouncer/pgbouncer.ini (only its addresses, ports and paths rewritten). Used by `make cluster`.
#
#   scripts/pgbouncer.sh up       start it if not running (after scripts/services.sh up); prints host:port
#   scripts/pgbouncer.sh down     stop it (by its pid file)
#
# PgBouncer refuses to run as root: as root it runs as the postgres user, from a folder that user can reach
# (beside the PostgreSQL clusters, which scripts/services.sh placed where postgres can reach them).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${RENDEROWL_DATA:-$repo/.data}
log() { printf 'pgbouncer: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"

pgroot=$(cat "$data/pg-location" 2>/dev/null || echo "$data/pg")
dir=$(dirname "$pgroot")/pgbouncer

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
alive() { [ -f "$dir/pgbouncer.pid" ] && kill -0 "$(cat "$dir/pgbouncer.pid")" 2>/dev/null; }


up() {
  if alive; then echo "127.0.0.1:$(cat "$dir/port")"; return; fi
  command -v pgbouncer >/dev/null 2>&1 || apt_install pgbouncer
  [ -f "$data/ports" ] || { log "run scripts/services.sh up first"; exit 1; }
  # shellcheck disable=SC1091
  . "$data/ports"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  local port; port=$(free_port "${PGBOUNCER_PORT:-16432}")
  echo "$port" > "$dir/port"
  sed -e "s|^renderowl = host=127.0.0.1 port=5432 dbname=renderowl|renderowl = host=127.0.0.1 port=$PG_PORT dbname=${RENDEROWL_DB_NAME:-renderowl}|" \
      -e "s|^listen_port = 6432|listen_port = $port|" \
      -e "s|^logfile = pgbouncer.log|logfile = $dir/pgbouncer.log|" \
      -e "s|^pidfile = pgbouncer.pid|pidfile = $dir/pgbouncer.pid|" \
      -e "s|^auth_file = userlist.txt|auth_file = $dir/userlist.txt|" \
      "$repo/deploy/pgbouncer/pgbouncer.ini" > "$dir/pgbouncer.ini"
  printf '"postgres" ""\n' > "$dir/userlist.txt"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir/pgbouncer.ini" "$dir/userlist.txt"; fi
  rm -f "$dir/pgbouncer.pid"
  as_pg pgbouncer -d "$dir/pgbouncer.ini"
  for _ in $(seq 1 50); do
    if alive && ss -Hltn "sport = :$port" | grep -q .; then
      log "pgbouncer on 127.0.0.1:$port (transaction pooling) in front of 127.0.0.1:$PG_PORT"
      echo "127.0.0.1:$port"; return
    fi
    sleep 0.1
  done
  log "pgbouncer did not start; see $dir/pgbouncer.log"; exit 1
}

down() {
  if alive; then
    local pid; pid=$(cat "$dir/pgbouncer.pid")
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "stopped pgbouncer"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
