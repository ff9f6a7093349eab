#!/usr/bin/env bash
# What `make test` needs beyond the services (scripts/services.sh): Debian's Chromium for the browser tests
# (Playwright drives it by path; no browser is downloaded) and promtool for the monitoring files' checks.
# Installs what is missing with apt-get when run as root; otherwise says what to install.
set -euo pipefail

missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "test-tools: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root" >&2
  exit 1
fi
echo "test-tools: installing ${missing[*]} with apt-get" >&2
if [ -z "${RENDEROWL_APT_UPDATED:-}" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
