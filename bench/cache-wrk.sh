#!/usr/bin/env bash
# Cached vs uncached GET /v1/projects/{id} with an API key, against the bare minimal-API JSON endpoint, in one run:
# wrk -t2 -c64 on this machine, API in Production, PostgreSQL and Redis from scripts/services.sh on the same box.
# Also the database's transactions per second under each load (pg_stat_database.xact_commit, one per query here).
# Usage: bench/cache-wrk.sh [seconds]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-15}"
. bench/lib.sh
dotnet build RenderOwl.sln -c Release -v q -nologo >/dev/null
export RateLimiting__Enabled=false Serilog__MinimumLevel__Default=Warning

start_api() { # $1 = Cache:Enabled
  local port; port="$(free_port)"
  (cd src/Api/bin/Release/net10.0 && ASPNETCORE_ENVIRONMENT=Production Cache__Enabled="$1" \
     exec dotnet RenderOwl.Api.dll --role api --urls "http://127.0.0.1:$port" >/tmp/renderowl-bench-api.log 2>&1) &
  PIDS+=($!)
  API="http://127.0.0.1:$port"
  wait_for "$API/live"
}
xacts() { sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }
run() { # $1 label, $2 url, extra header args
  local label="$1" url="$2"; shift 2
  local before after out
  before="$(xacts)"
  out="$(wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --latency "$@" "$url")"
  after="$(xacts)"
  local rps p50 p99
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"; p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  local non2xx; non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  printf '%-34s %10s req/s  p50 %8s  p99 %8s  db %6d tx/s  non-2xx %s\n' "$label" "$rps" "$p50" "$p99" \
    $(( (after - before) / SECONDS_PER_RUN )) "${non2xx:-0}"
  eval "RPS_${label//[^A-Za-z]/_}=$rps"
}

BARE_PORT="$(free_port)"
(exec dotnet bench/RenderOwl.BareJson/bin/Release/net10.0/RenderOwl.BareJson.dll --urls "http://127.0.0.1:$BARE_PORT" >/dev/null 2>&1) &
PIDS+=($!)
start_api true
wait_for "http://127.0.0.1:$BARE_PORT/json"

# An account, an API key and a project, through the API itself.
EMAIL="bench-$(date +%s%N)@example.com"
TOKEN="$(curl -sf -X POST "$API/v1/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"correct horse battery staple\",\"name\":\"Bench\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
APIKEY="$(curl -sf -X POST "$API/v1/api-keys" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
PROJECT="$(curl -sf -X POST "$API/v1/projects" -H "X-API-Key: $APIKEY" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"

echo "wrk -t2 -c64 -d${SECONDS_PER_RUN}s, $(nproc) cores, $(date -u +%FT%TZ)"
run bare "http://127.0.0.1:$BARE_PORT/json"
run cached "$API/v1/projects/$PROJECT" -H "X-API-Key: $APIKEY"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
start_api false
run uncached "$API/v1/projects/$PROJECT" -H "X-API-Key: $APIKEY"
python3 -c "print(f'cached / bare = {float(\"$RPS_cached\")/float(\"$RPS_bare\"):.3f}; uncached / bare = {float(\"$RPS_uncached\")/float(\"$RPS_bare\"):.3f}; cached / uncached = {float(\"$RPS_cached\")/float(\"$RPS_uncached\"):.2f}')"
