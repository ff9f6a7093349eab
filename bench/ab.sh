#!/usr/bin/env bash
# A/B of two builds of the API on the request path: `GET /live` and P1 (cached GET /v1/projects/{id} with an API key:
# auth, rate limit, cache hit), each build in its own process (Production, role api, logging at Information, rate
# limiting, replica routing and the cache on, an enterprise account whose limits do not bind), both warmed up, then
# measured alternately (A then B, B then A, …) with wrk -t2 -c64 so this VM's drift hits both alike; each round also
# gives the API process's CPU (user + system, /proc/<pid>/stat) per request, steadier than req/s on a shared box.
#   bench/ab.sh publish NAME            publish the working tree (ReadyToRun, as deploy/Dockerfile) to .data/bench/ab/NAME
#   bench/ab.sh compare A B [secs] [rounds]   (AB_ENV_A / AB_ENV_B: extra "NAME=value …" for that build's process)
#   AB_P2=1 also measures P2 (GET /v1/renders/{id} of a finished render from the database, as make bench: the render
#   cache bypassed on both builds; a worker of build A renders it first).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
AB="$BENCH_OUT/ab"
case "${1:-}" in
  publish)
    rm -rf "${AB:?}/$2"
    dotnet publish src/Api -c Release -r linux-x64 --no-self-contained -p:PublishReadyToRun=true -o "$AB/$2" -v q -nologo >/dev/null
    echo "published $AB/$2"; exit 0 ;;
  compare) ;;
  *) echo "usage: bench/ab.sh publish NAME | compare A B [secs] [rounds]" >&2; exit 2 ;;
esac
A="$2"; B="$3"; SECS="${4:-10}"; ROUNDS="${5:-3}"; WARM="${BENCH_WARMUP_ALL_SECONDS:-40}"
bench_published_env
[ "${AB_P2:-0}" = 1 ] && export Cache__Bypass=render

start_api() { # build name, extra environment → sets URL and PID (stopped on exit with the rest)
  local port; port="$(free_port)"; URL="http://127.0.0.1:$port"
  # shellcheck disable=SC2086
  (cd "$AB/$1" && exec env ASPNETCORE_ENVIRONMENT=Production $2 dotnet RenderOwl.Api.dll --role api --urls "$URL" >"$AB/$1-$(date +%s%N).log" 2>&1) &
  PID=$!; PIDS+=("$PID")
  wait_for "$URL/ready"
}
start_api "$A" "${AB_ENV_A:-}"; URL_A="$URL"; PID_A="$PID"
start_api "$B" "${AB_ENV_B:-}"; URL_B="$URL"; PID_B="$PID"

bench_account bench-ab "$URL_A"
ROUTES="live p1"
if [ "${AB_P2:-0}" = 1 ]; then
  bench_published_render "$A" "$URL_A"; ROUTES="live p1 p2"
fi
route_path() { case "$1" in live) echo /live ;; p1) echo "/v1/projects/$PROJECT" ;; p2) echo "/v1/renders/$RENDER" ;; esac; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# req/s of one wrk run; with a pid, also the API's CPU (user + system) per request, in µs, as "rps:µs". /live goes
# without credentials, as make bench sends it (A/Bs before 2026-12-07 20:30 sent the API key there too).
rps() {
  local before out key=(-H "X-API-Key: $APIKEY"); [ -n "${3:-}" ] && before="$(cpu_ticks "$3")"
  [[ "$1" == */live ]] && key=()
  out="$(wrk -t2 -c64 -d"$2s" "${key[@]}" "$1")"
  if [ -n "${3:-}" ]; then
    awk -v b="$before" -v a="$(cpu_ticks "$3")" -v hz="$(getconf CLK_TCK)" '/requests in/ {n=$1} /Requests\/sec/ {r=$2} END {printf "%s:%.1f", r, (a-b)/hz*1e6/n}' <<<"$out"
  else awk '/Requests\/sec/ {print $2}' <<<"$out"; fi
}
echo "warm-up: ${WARM}s of each route on each build"
for u in "$URL_A" "$URL_B"; do for route in $ROUTES; do rps "$u$(route_path "$route")" "$((WARM / 2))" >/dev/null; done; done
echo "wrk -t2 -c64 -d${SECS}s, $(nproc) cores, $(date -u +%FT%TZ), $ROUNDS rounds; A = $A, B = $B"
for route in $ROUTES; do
  path="$(route_path "$route")"
  AS=(); BS=()
  for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 )); then a="$(rps "$URL_A$path" "$SECS" "$PID_A")"; b="$(rps "$URL_B$path" "$SECS" "$PID_B")"
    else b="$(rps "$URL_B$path" "$SECS" "$PID_B")"; a="$(rps "$URL_A$path" "$SECS" "$PID_A")"; fi
    AS+=("$a"); BS+=("$b")
  done
  python3 - "$route" "${AS[*]}" "${BS[*]}" <<'PY'
import sys, statistics
route = sys.argv[1]
a, ac = zip(*[map(float, x.split(":")) for x in sys.argv[2].split()]); b, bc = zip(*[map(float, x.split(":")) for x in sys.argv[3].split()])
m = statistics.mean
print(f"{route:5} A {m(a):8,.0f} req/s  B {m(b):8,.0f} req/s  B/A {m(b)/m(a):.3f}  (rounds A: {', '.join(f'{x:,.0f}' for x in a)}; B: {', '.join(f'{x:,.0f}' for x in b)})")
print(f"      API CPU per request: A {m(ac):.1f} µs  B {m(bc):.1f} µs  B/A {m(bc)/m(ac):.3f}  (rounds A: {', '.join(f'{x:.1f}' for x in ac)}; B: {', '.join(f'{x:.1f}' for x in bc)})")
PY
done
