#!/usr/bin/env bash
# Bytes the API allocates per request, by route: `bench/alloc.sh NAME` for a build published with `bench/ab.sh publish NAME`.
# Production, role api, logging at Information, rate limiting and the cache on, an enterprise account whose limits do
# not bind. Each route: wrk -t1 -c8, 4 s warm-up, 5 s measured; the figure is the growth of
# dotnet_gc_heap_total_allocated_bytes_total (GC.GetTotalAllocatedBytes, from /metrics) over the measured run divided
# by the requests wrk completed. Steadier than req/s on a shared machine: it does not depend on the CPU left over.
# ALLOC_TRACE=/route (with ALLOC_TRACE_KEY=1 to send the API key) also records 8 s of allocation samples with
# dotnet-trace (--profile gc-verbose) into .data/bench/alloc.nettrace while that route is under load.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BUILD="$BENCH_OUT/ab/${1:?usage: bench/alloc.sh NAME (a build published by bench/ab.sh publish NAME)}"
export Serilog__MinimumLevel__Default=Information Shutdown__DrainSeconds=0 MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export Tiers__Limits__enterprise__RequestsPerMinute=100000000 Tiers__Limits__enterprise__Burst=100000000
URL="http://127.0.0.1:$(free_port)"
(cd "$BUILD" && ASPNETCORE_ENVIRONMENT=Production exec dotnet RenderOwl.Api.dll --role api --urls "$URL" >"$BENCH_OUT/alloc-api.log" 2>&1) &
API_PID=$!; PIDS+=("$API_PID")
wait_for "$URL/ready"
bench_account bench-alloc "$URL"
allocated() { curl -sf "$URL/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ {print $2}'; }
per_request() { # label, wrk arguments…
  local label="$1"; shift
  wrk -t1 -c8 -d4s "$@" >/dev/null
  local before after n
  before="$(allocated)"; n="$(wrk -t1 -c8 -d5s "$@" | awk '/requests in/ {print $1}')"; after="$(allocated)"
  printf "  %-32s %9s requests  %8.0f B/request\n" "$label" "$n" "$(python3 -c "print(($after - $before) / $n)")"
}
echo "bytes allocated per request, $(basename "$BUILD"), $(date -u +%FT%TZ)"
per_request "GET /live" "$URL/live"
per_request "GET /live with an API key" -H "X-API-Key: $APIKEY" "$URL/live"
per_request "P1 GET /v1/projects/{id} (cached)" -H "X-API-Key: $APIKEY" "$URL/v1/projects/$PROJECT"
per_request "GET /v1/projects (first page)" -H "X-API-Key: $APIKEY" "$URL/v1/projects?page_size=20"
per_request "GET /v1/me" -H "X-API-Key: $APIKEY" "$URL/v1/me"
if [[ -n "${ALLOC_TRACE:-}" ]]; then
  TRACE_TOOL="${DOTNET_TRACE:-$HOME/.dotnet/tools/dotnet-trace}"
  [[ -x "$TRACE_TOOL" ]] || dotnet tool install -g dotnet-trace >/dev/null
  route="${ALLOC_TRACE//\{id\}/$PROJECT}"
  wrk -t1 -c8 -d25s ${ALLOC_TRACE_KEY:+-H "X-API-Key: $APIKEY"} "$URL$route" >/dev/null & W=$!
  sleep 3
  "$TRACE_TOOL" collect -p "$API_PID" --profile gc-verbose --duration 00:00:08 -o "$BENCH_OUT/alloc.nettrace" >/dev/null
  wait "$W"; echo "allocation samples: $BENCH_OUT/alloc.nettrace"
fi
