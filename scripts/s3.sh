#!/usr/bin/env bash
# A local S3-compatible server (s3rver, from npm) for the S3 storage provider: loopback only, data under
# $RENDEROWL_DATA/s3, the bucket `renderowl` created at start. Started by `scripts/services.sh up` when
# RENDEROWL_S3=1 (as `make test` and `make cluster` ask); installs node and npm (apt-get) and s3rver (npm, into
# $RENDEROWL_DATA/tools) when missing.
#
#   scripts/s3.sh up       start it if not running; prints the endpoint
#   scripts/s3.sh down     stop it (by its pid file)
#   scripts/s3.sh status
#
# Credentials are s3rver's fixed local ones (S3RVER / S3RVER); it is a test server, never an object store to keep.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${RENDEROWL_DATA:-$repo/.data}
dir=$data/s3
tools=$data/tools
version=3.7.1

log() { printf 's3: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"
alive() { [ -f "$dir/s3rver.pid" ] && kill -0 "$(cat "$dir/s3rver.pid")" 2>/dev/null; }
endpoint() { echo "http://127.0.0.1:$(cat "$dir/port")"; }

ensure_s3rver() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  if [ ! -x "$tools/node_modules/.bin/s3rver" ]; then
    log "installing s3rver $version with npm into $tools"
    mkdir -p "$tools"
    (cd "$tools" && npm install --no-audit --no-fund --loglevel=error --prefix "$tools" "s3rver@$version" >/dev/null)
  fi
  # s3rver reads x-amz-copy-source with decodeURI, which leaves %2F encoded; the AWS SDK for .NET 4 sends the whole
  # "bucket/key" percent-encoded (as S3 accepts), so every server-side copy would miss its source. Decode it fully.
  sed -i "s/decodeURI(ctx.headers\['x-amz-copy-source'\])/decodeURIComponent(ctx.headers['x-amz-copy-source'])/" \
    "$tools/node_modules/s3rver/lib/controllers/object.js"
}


up() {
  if alive; then endpoint; return; fi
  ensure_s3rver
  mkdir -p "$dir/data"
  local port; port=$(free_port "${S3_PORT:-14568}")
  echo "$port" > "$dir/port"
  "$tools/node_modules/.bin/s3rver" -d "$dir/data" -a 127.0.0.1 -p "$port" --silent --no-vhost-buckets \
    --configure-bucket renderowl >"$dir/s3rver.log" 2>&1 &
  echo $! > "$dir/s3rver.pid"
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "$(endpoint)/renderowl" 2>/dev/null || curl -sS -o /dev/null -w '%{http_code}' "$(endpoint)/" 2>/dev/null | grep -q '^[1-4]'; then
      log "s3rver on $(endpoint) (bucket renderowl)"; endpoint; return
    fi
    alive || { log "s3rver exited; see $dir/s3rver.log"; exit 1; }
    sleep 0.1
  done
  log "s3rver did not answer; see $dir/s3rver.log"; exit 1
}

down() {
  if alive; then
    local pid; pid=$(cat "$dir/s3rver.pid")
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "stopped s3rver"
  fi
  rm -f "$dir/s3rver.pid"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) if alive; then echo "s3       running $(endpoint)"; else echo "s3       stopped"; fi ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
