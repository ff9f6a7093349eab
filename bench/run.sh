#!/usr/bin/env bash
# make bench: the performance table of docs/benchmarks.md, measured in one run on this machine.
#
# Starts the two baselines (bench/RenderOwl.BareJson: a minimal-API JSON endpoint; bench/RenderOwl.RawPg: one render
# read by primary key with plain Npgsql) and RenderOwl in Production (role api; logging, rate limiting, replica
# routing and the cache on; the account on the enterprise tier with limits that do not bind), seeds an account with
# BENCH_PROJECTS projects and a finished render, warms each URL up, runs the same wrk load on each and prints every
# row as a ratio. The rows replace the block between the bench markers in docs/benchmarks.md (BENCH_WRITE_DOC=0: not).
#
# Settings (environment): BENCH_SECONDS (15) per measured run, BENCH_WARMUP_SECONDS (5) before each, BENCH_WARMUP_ALL_SECONDS
# (45) of every route before the first, BENCH_PROJECTS (100000),
# BENCH_SOAK_MINUTES (10; 0 skips the soak), BENCH_CONNECTIONS (64). Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${BENCH_SECONDS:-15}"; WARM="${BENCH_WARMUP_SECONDS:-5}"; WARM_ALL="${BENCH_WARMUP_ALL_SECONDS:-45}"; PROJECTS="${BENCH_PROJECTS:-100000}"
SOAK_MINUTES="${BENCH_SOAK_MINUTES:-10}"; CONN="${BENCH_CONNECTIONS:-64}"
. bench/lib.sh
OUT="$BENCH_OUT"; rm -f "$OUT"/*.log "$OUT"/results.tsv "$OUT"/rss.tsv "$OUT"/soak-rss.tsv
RESULTS="$OUT/results.tsv"
echo "building (Release) and publishing the API as deploy/Dockerfile does (ReadyToRun)…"
dotnet build RenderOwl.sln -c Release -v q -nologo >/dev/null
rm -rf "$OUT/api"
dotnet publish src/Api -c Release -r linux-x64 --no-self-contained -p:PublishReadyToRun=true -o "$OUT/api" -v q -nologo >/dev/null

export Tiers__Limits__enterprise__RequestsPerMinute=100000000 Tiers__Limits__enterprise__Burst=100000000
export Shutdown__DrainSeconds=0

API_PID=""
start_api() { # role, log name; sets API, API_PID, STARTUP_MS (spawn to the first /ready 200)
  local port; port="$(free_port)"; API="http://127.0.0.1:$port"
  local t0; t0="$(date +%s%N)"
  (cd "$OUT/api" && ASPNETCORE_ENVIRONMENT=Production Cache__Bypass=render MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" \
     exec dotnet RenderOwl.Api.dll --role "$1" --urls "$API" >"$OUT/$2.log" 2>&1) &
  API_PID=$!; PIDS+=("$API_PID")
  wait_for "$API/ready"
  STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
stop_api() { kill "$API_PID" 2>/dev/null || true; wait "$API_PID" 2>/dev/null || true; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
hwm_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# wrk: label, url, headers… ; appends "label rps p50_ms p99_ms non2xx" to the results
run() {
  local label="$1" url="$2"; shift 2
  local conn="${WRK_CONN:-$CONN}"
  wrk -t2 -c"$conn" -d"${WARM}s" "$@" "$url" >/dev/null
  local from; from="$(date +%s)"
  local out; out="$(wrk -t2 -c"$conn" -d"${SECS}s" --latency "$@" "$url")"
  echo "$label $from $(date +%s)" >>"$OUT/windows" # the measured part of each run, for the RSS row
  python3 - "$label" "$conn" "$RESULTS" <<EOF
import re, sys
out = """$out"""
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)); p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out); errors = re.search(r"Socket errors: (.*)", out)
label, conn, path = sys.argv[1:]
with open(path, "a") as f:
    f.write(f"{label}\t{rps:.0f}\t{p50:.2f}\t{p99:.2f}\t{bad.group(1) if bad else 0}\t{conn}\n")
print(f"  {label:<28} c{conn:<3} {rps:>9,.0f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  non-2xx {bad.group(1) if bad else 0}"
      + (f"  socket errors: {errors.group(1)}" if errors else ""))
EOF
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), .NET $(dotnet --version)"
echo "date:    $(date -u +%FT%TZ)"

# The baselines.
BARE="http://127.0.0.1:$(free_port)"; RAWPG="http://127.0.0.1:$(free_port)"
(exec dotnet bench/RenderOwl.BareJson/bin/Release/net10.0/RenderOwl.BareJson.dll --urls "$BARE" >"$OUT/bare.log" 2>&1) & PIDS+=($!)
(exec dotnet bench/RenderOwl.RawPg/bin/Release/net10.0/RenderOwl.RawPg.dll --urls "$RAWPG" >"$OUT/rawpg.log" 2>&1) & PIDS+=($!)

# RenderOwl: the first start applies pending migrations; start-up is then timed over three starts with none pending.
start_api api api-first
stop_api
STARTS=()
for i in 1 2 3; do start_api api "api-start-$i"; STARTS+=("$STARTUP_MS"); stop_api; done
STARTUP_MEDIAN="$(printf '%s\n' "${STARTS[@]}" | sort -n | sed -n 2p)"
echo "start-up to /ready 200 (migrations applied): ${STARTS[*]} ms → median $STARTUP_MEDIAN ms"

# Seed: an account on the enterprise tier with an API key, PROJECTS projects, and one finished render (a worker renders it).
start_api worker seed-worker; WORKER_PID="$API_PID"
start_api api api
EMAIL="bench-$(date +%s%N)@example.com"
REGISTER="$(curl -sf -X POST "$API/v1/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"correct horse battery staple\",\"name\":\"Bench\"}")"
TOKEN="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["access_token"])' "$REGISTER")"
sql "UPDATE identity.users SET tier = 'enterprise' WHERE email = '$EMAIL'" # before anything reads (and caches) the account
APIKEY="$(curl -sf -X POST "$API/v1/api-keys" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
AUTH=(-H "X-API-Key: $APIKEY")
PROJECT="$(curl -sf -X POST "$API/v1/projects" "${AUTH[@]}" -H 'Content-Type: application/json' -d '{"name":"bench","description":"the one read by id"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
bench_render "$API"
USER_ID="$(sql "SELECT id FROM identity.users WHERE email = '$EMAIL'")"
sql "INSERT INTO projects.projects (id, owner_id, name, description, render_count, created_at, updated_at)
     SELECT gen_random_uuid(), '$USER_ID', 'seeded ' || g, NULL, 0, now() - g * interval '1 second', now() - g * interval '1 second'
     FROM generate_series(1, $PROJECTS - 1) g; ANALYZE projects.projects"
kill "$WORKER_PID"; wait "$WORKER_PID" 2>/dev/null || true
RENDER_UUID="$(sql "SELECT id FROM rendering.renders WHERE owner_id = '$USER_ID'")"
DEEP_CURSOR="$(python3 - "$API" "$APIKEY" "$PROJECTS" <<'EOF'
import json, sys, urllib.request
api, key, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
# walk the keyset pages to about 500 rows from the end: the cursor of a page 100k deep
url, seen, cursor = f"{api}/v1/projects?page_size=100", 0, None
while seen < total - 500:
    page = json.load(urllib.request.urlopen(urllib.request.Request(url + (f"&cursor={cursor}" if cursor else ""), headers={"X-API-Key": key})))
    seen += len(page["items"]); cursor = page["metadata"]["next_cursor"]
print(cursor)
EOF
)"
SECOND_CURSOR="$(curl -sf "$API/v1/projects?page_size=20" "${AUTH[@]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["next_cursor"])')"
echo "seeded: $PROJECTS projects, render $RENDER (succeeded), API pid $API_PID"

( while kill -0 "$API_PID" 2>/dev/null; do echo "$(date +%s) $(rss_mib "$API_PID")" >>"$OUT/rss.tsv"; sleep 1; done ) & PIDS+=($!)
# Tiered compilation needs ~30 s of load on 2 cores before the hot paths run optimized code: warm every route first.
echo "warm-up: ${WARM_ALL}s of the soak mix (bench/soak.lua) at $CONN connections"
APIKEY="$APIKEY" PROJECT="$PROJECT" RENDER="$RENDER" wrk -t2 -c"$CONN" -d"${WARM_ALL}s" -s bench/soak.lua "$API" >/dev/null
echo "wrk -t2 -c$CONN, ${WARM}s warm-up then ${SECS}s measured per URL:"
WARMUP_RSS="$(hwm_mib "$API_PID")"; LOAD_FROM="$(date +%s)"; : >"$OUT/windows"
run bare "$BARE/json"
run live "$API/live"
run p1_project "$API/v1/projects/$PROJECT" "${AUTH[@]}"
run rawpg "$RAWPG/renders/$RENDER_UUID"
run p2_render "$API/v1/renders/$RENDER" "${AUTH[@]}"
LOAD_TO="$(date +%s)"
# The API under its own 64-connection load (the measured part of live, P1 and P2) is what the RSS row is about; while
# a baseline runs, the API idles holding what the mixed warm-up left committed — reported beside it, not as it.
LOAD_RSS="$(awk 'NR == FNR {if ($1 ~ /^(live|p1_project|p2_render)$/) {n++; a[n] = $2; b[n] = $3}; next}
  {for (i = 1; i <= n; i++) if ($1 >= a[i] && $1 <= b[i] && $2 > m) m = $2} END {print m}' "$OUT/windows" "$OUT/rss.tsv")"
SPAN_RSS="$(awk -v a="$LOAD_FROM" -v b="$LOAD_TO" '$1 >= a && $1 <= b && $2 > m {m = $2} END {print m}' "$OUT/rss.tsv")"
echo "RSS: peak $LOAD_RSS MiB while the API ran its $CONN-connection loads ($SPAN_RSS MiB over the whole stretch, idle during the baselines' runs included; the mixed warm-up before them: $WARMUP_RSS MiB)"
WRK_CONN=4 run single_c4 "$API/v1/projects/$PROJECT" "${AUTH[@]}"
WRK_CONN=4 run first_page_c4 "$API/v1/projects" "${AUTH[@]}"
WRK_CONN=4 run keyset_deep_c4 "$API/v1/projects?cursor=$DEEP_CURSOR" "${AUTH[@]}"
WRK_CONN=4 run keyset_second_c4 "$API/v1/projects?cursor=$SECOND_CURSOR" "${AUTH[@]}"

SOAK=""
if (( SOAK_MINUTES > 0 )); then
  echo "soak: ${SOAK_MINUTES} min, 4 connections, mixed GET/POST (bench/soak.lua); RSS every 10 s"
  stop_api; start_api api api-soak
  : >"$OUT/soak-rss.tsv"
  ( t0="$(date +%s)"; while kill -0 "$API_PID" 2>/dev/null; do echo "$(( $(date +%s) - t0 )) $(rss_mib "$API_PID")" >>"$OUT/soak-rss.tsv"; sleep 10; done ) & PIDS+=($!)
  GCDUMP=""; command -v dotnet-gcdump >/dev/null && GCDUMP=dotnet-gcdump; [[ -x "$HOME/.dotnet/tools/dotnet-gcdump" ]] && GCDUMP="$HOME/.dotnet/tools/dotnet-gcdump"
  if [[ -n "$GCDUMP" ]]; then # heap snapshots after the warm-up and at the end: dotnet-gcdump report <file> compares them
    ( sleep 90; "$GCDUMP" collect -p "$API_PID" -o "$OUT/soak-1m30.gcdump" >/dev/null 2>&1 || true ) & PIDS+=($!)
  fi
  SOAK_OUT="$(APIKEY="$APIKEY" PROJECT="$PROJECT" RENDER="$RENDER" wrk -t2 -c4 -d"$((SOAK_MINUTES * 60))s" -s bench/soak.lua "$API")"
  # The figure ends with the load: the heap snapshot below makes the runtime walk its heap (RSS rises while it does),
  # so samples taken during or after it are the instrument's, not the soak's.
  SOAK_ROWS="$(wc -l <"$OUT/soak-rss.tsv")"
  if [[ -n "$GCDUMP" ]]; then
    "$GCDUMP" collect -p "$API_PID" -o "$OUT/soak-end.gcdump" >/dev/null 2>&1 || true
    echo "  heap snapshots: $OUT/soak-1m30.gcdump, $OUT/soak-end.gcdump (dotnet-gcdump report <file>)"
  fi
  SOAK="$(python3 - "$OUT/soak-rss.tsv" <<EOF
import re, sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]).readlines()[:$SOAK_ROWS] if len(l.split()) == 2]
# RSS is sampled every 10 s and moves ±5 MiB between samples: the growth compares the mean of the minute after the
# warm-up (60-120 s) with the mean of the soak's last minute, not two single samples.
end = rows[-1][0]
first_minute = [r[1] for r in rows if 60 <= r[0] < 120] or [rows[0][1]]
last_minute = [r[1] for r in rows if r[0] > end - 60]
first, last = round(sum(first_minute) / len(first_minute)), round(sum(last_minute) / len(last_minute))
half = [r for r in rows if r[0] >= rows[-1][0] / 2]  # least-squares slope over the second half, MiB per minute
mx = sum(r[0] for r in half) / len(half); my = sum(r[1] for r in half) / len(half)
slope = 60 * sum((r[0] - mx) * (r[1] - my) for r in half) / max(1e-9, sum((r[0] - mx) ** 2 for r in half))
out = """$SOAK_OUT"""
requests = re.search(r"(\d+) requests in", out).group(1)
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(f"{first}\t{last}\t{(last - first) / first * 100:.1f}\t{slope:.2f}\t{requests}\t{bad.group(1) if bad else 0}")
EOF
)"
  echo "  soak: $SOAK (RSS: mean of minute 2, mean of the last minute, growth %, MiB/min over the second half, requests, non-2xx)"
fi

python3 bench/report.py "$RESULTS" "$STARTUP_MEDIAN" "${STARTS[*]}" "$LOAD_RSS/$WARMUP_RSS/$SPAN_RSS" "$SOAK" "$SOAK_MINUTES" "$CONN" "$SECS" "$WARM" "$PROJECTS" \
  "${BENCH_WRITE_DOC:-1}" "$WARM_ALL"
