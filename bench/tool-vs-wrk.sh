#!/usr/bin/env bash
# The load-test tool against wrk on the same endpoints, alternating, in one run (make bench-tool; docs/benchmarks.md
# "The load-test tool against wrk"). Usage: bench/tool-vs-wrk.sh [rounds] [seconds]
# Targets: the bare minimal-API JSON endpoint (64 connections) and the API's GET /live in Production (32 connections,
# what make load-test-health sends). Each round runs wrk, then the tool, with the same connections and duration;
# the ratio of the two in the same round is the figure (the box's speed drifts between rounds).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS="${1:-3}"; SECS="${2:-10}"
OUT="$BENCH_OUT/tool-vs-wrk"; mkdir -p "$OUT"

echo "building (Release)…"
dotnet build RenderOwl.sln -c Release -v q -nologo >/dev/null
TOOL=(dotnet tools/RenderOwl.LoadTest/bin/Release/net10.0/RenderOwl.LoadTest.dll)

compare() { # name url connections
  local name="$1" url="$2" c="$3"
  wrk -t2 -c"$c" -d"${SECS}s" "$url" >/dev/null                                  # warm the server
  "${TOOL[@]}" --endpoint "$url" --duration "${SECS}s" --concurrency "$c" --quiet >/dev/null
  for r in $(seq 1 "$ROUNDS"); do
    local w t
    w=$(wrk -t2 -c"$c" -d"${SECS}s" "$url" | awk '/Requests\/sec/ {printf "%.0f", $2}')
    t=$("${TOOL[@]}" --endpoint "$url" --duration "${SECS}s" --concurrency "$c" --json 2>/dev/null \
        | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["requests_per_second"]))')
    printf '%-28s round %d: wrk %7s req/s  tool %7s req/s  tool/wrk %s\n' "$name" "$r" "$w" "$t" \
      "$(python3 -c "print(f'{$t/$w:.3f}')")"
  done
}

port="$(free_port)"
(exec dotnet bench/RenderOwl.BareJson/bin/Release/net10.0/RenderOwl.BareJson.dll --urls "http://127.0.0.1:$port" \
  >"$OUT/bare.log" 2>&1) & PIDS+=($!)
wait_for "http://127.0.0.1:$port/json"
compare "bare JSON, 64 connections" "http://127.0.0.1:$port/json" 64
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

port="$(free_port)"
(cd src/Api/bin/Release/net10.0 && ASPNETCORE_ENVIRONMENT=Production Shutdown__DrainSeconds=0 \
  exec dotnet RenderOwl.Api.dll --role api --urls "http://127.0.0.1:$port" >"$OUT/api.log" 2>&1) & PIDS+=($!)
wait_for "http://127.0.0.1:$port/ready"
compare "API /live, 32 connections" "http://127.0.0.1:$port/live" 32
