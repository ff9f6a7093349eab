#!/usr/bin/env bash
# Where one route's CPU goes: a published build (bench/ab.sh publish NAME) started as the A/B starts it (Production,
# role api, logging at Information, rate limiting, replica routing and the cache on, limits that do not bind) with
# DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 (perf cannot name JIT frames in W^X's double-mapped
# code: they come out [unknown] in memfd:doublemapper), the route warmed up 40 s at 64 connections, then
# `perf record -F 999 -g` of the API for 12 s under the same load; prints bench/perf-attribution.py's shares and the
# top leaf frames.
#   bench/profile.sh NAME live|p1|p2 [NAME=value ...]      (p2 bypasses the render cache, as make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
AB="$BENCH_OUT/ab"; B="$1"; ROUTE="$2"; shift 2
bench_published_env
[ "$ROUTE" = p2 ] && export Cache__Bypass=render
port="$(free_port)"; URL="http://127.0.0.1:$port"
(cd "$AB/$B" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 "$@" dotnet RenderOwl.Api.dll --role api --urls "$URL" >"$BENCH_OUT/profile-api.log" 2>&1) &
PID=$!; PIDS+=("$PID")
wait_for "$URL/ready"
bench_account bench-profile "$URL"
[ "$ROUTE" = p2 ] && bench_published_render "$B" "$URL"
H=(-H "X-API-Key: $APIKEY")
case "$ROUTE" in live) P=/live; H=() ;; p1) P="/v1/projects/$PROJECT" ;; p2) P="/v1/renders/$RENDER" ;; *) echo "route: live, p1 or p2" >&2; exit 2 ;; esac
wrk -t2 -c64 -d40s "${H[@]}" "$URL$P" >/dev/null
wrk -t2 -c64 -d16s "${H[@]}" "$URL$P" >"$BENCH_OUT/profile-wrk.txt" &
WRK=$!; sleep 2
perf record -q -F 999 -g -p "$PID" -o "$BENCH_OUT/profile.data" -- sleep 12 2>/dev/null
wait "$WRK"
grep "Requests/sec" "$BENCH_OUT/profile-wrk.txt"
perf script -i "$BENCH_OUT/profile.data" 2>/dev/null >"$BENCH_OUT/profile.txt"
python3 bench/perf-attribution.py "$BENCH_OUT/profile.txt"
echo "top leaf frames:"
awk 'BEGIN{RS=""} {split($0,l,"\n"); f=l[2]; sub(/^[ \t]*[0-9a-f]+ /,"",f); c[f]++; n++} END {for (k in c) printf "%6.2f%%  %s\n", 100*c[k]/n, k}' "$BENCH_OUT/profile.txt" | sort -rn | head -25
