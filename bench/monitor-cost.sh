#!/usr/bin/env bash
# What the per-route monitor and the query profiler cost: P1 (cached GET /v1/projects/{id} with an API key; auth,
# rate limit, cache hit) with Performance:Enabled on vs off. Two API processes (Production, role api, rate limiting,
# replica routing and the cache on, the account on an enterprise tier whose limits do not bind), both warmed up, then
# measured alternately (on then off, off then on, …) with wrk -t2 -c64 so drift of this VM hits both alike.
# Usage: bench/monitor-cost.sh [seconds per run] [rounds]     (needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-15}"; ROUNDS="${2:-3}"; WARM="${BENCH_WARMUP_ALL_SECONDS:-40}"
. bench/lib.sh
dotnet build src/Api -c Release -v q -nologo >/dev/null
export Serilog__MinimumLevel__Default=Information
export Tiers__Limits__enterprise__RequestsPerMinute=100000000 Tiers__Limits__enterprise__Burst=100000000

start_api() { # $1 = Performance:Enabled; sets API_<on|off>
  local port; port="$(free_port)"
  (cd src/Api/bin/Release/net10.0 && ASPNETCORE_ENVIRONMENT=Production Performance__Enabled="$1" \
     exec dotnet RenderOwl.Api.dll --role api --urls "http://127.0.0.1:$port" >"$BENCH_OUT/monitor-cost-$1.log" 2>&1) &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/live"
  echo "http://127.0.0.1:$port"
}
# Which process starts first (and registers the account) alternates with BENCH_OFF_FIRST=1, to rule out its place.
if [[ "${BENCH_OFF_FIRST:-0}" == 1 ]]; then OFF="$(start_api false)"; ON="$(start_api true)"; else ON="$(start_api true)"; OFF="$(start_api false)"; fi

bench_account bench-monitor "$OFF" "$ON"

rps() { wrk -t2 -c64 -d"$2s" -H "X-API-Key: $APIKEY" "$1/v1/projects/$PROJECT" | awk '/Requests\/sec/ {print $2}'; }
echo "warm-up: ${WARM}s each"
rps "$ON" "$WARM" >/dev/null; rps "$OFF" "$WARM" >/dev/null
echo "P1 wrk -t2 -c64 -d${SECS}s, $(nproc) cores, $(date -u +%FT%TZ), $ROUNDS rounds (on, off):"
ONS=(); OFFS=()
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then a="$(rps "$ON" "$SECS")"; b="$(rps "$OFF" "$SECS")"; else b="$(rps "$OFF" "$SECS")"; a="$(rps "$ON" "$SECS")"; fi
  ONS+=("$a"); OFFS+=("$b")
  printf 'round %d: monitor+profiler on %10s req/s   off %10s req/s\n' "$r" "$a" "$b"
done
python3 - "${ONS[*]}" "${OFFS[*]}" <<'PY'
import sys, statistics
on = [float(x) for x in sys.argv[1].split()]; off = [float(x) for x in sys.argv[2].split()]
print(f"mean on {statistics.mean(on):,.0f} req/s, off {statistics.mean(off):,.0f} req/s: on / off = {statistics.mean(on)/statistics.mean(off):.3f} (target >= 0.95)")
print("per round: " + ", ".join(f"{a/b:.3f}" for a, b in zip(on, off)))
PY
