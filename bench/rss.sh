#!/usr/bin/env bash
# Where the API's resident memory is under load: one published build (bench/ab.sh publish NAME), make bench's 45-second
# mixed warm-up at 64 connections (bench/soak.lua), then /live and P1 at 64 connections for 20 s each; RSS each second,
# smaps grouped by mapping (GC heap and native memory in [anon], ReadyToRun images, JIT code) after the warm-up and
# 12 s into each run, and the peak. Extra NAME=value arguments go to the API's environment, e.g. DOTNET_gcServer=0.
#   bench/rss.sh NAME [NAME=value ...]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
AB="$BENCH_OUT/ab"
bench_published_env
port="$(free_port)"; URL="http://127.0.0.1:$port"
B="$1"; shift
(cd "$AB/$B" && exec env ASPNETCORE_ENVIRONMENT=Production MALLOC_ARENA_MAX=2 "$@" dotnet RenderOwl.Api.dll --role api --urls "$URL" >"$BENCH_OUT/rss-api.log" 2>&1) &
PID=$!; PIDS+=("$PID")
wait_for "$URL/ready"
bench_account bench-rss "$URL"
( while kill -0 "$PID" 2>/dev/null; do echo "$(date +%s) $(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$PID/status)" >>"$BENCH_OUT/rss-$B.tsv"; sleep 1; done ) & PIDS+=($!)
APIKEY="$APIKEY" PROJECT="$PROJECT" RENDER="rnd_x" wrk -t2 -c64 -d45s -s bench/soak.lua "$URL" >/dev/null
W="$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$PID/status)"
T0=$(date +%s)
smaps() { python3 - $PID <<'PY'
import sys, re, collections
pid=sys.argv[1]; c=collections.Counter(); name=None
for line in open(f'/proc/{pid}/smaps'):
    m=re.match(r'^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$', line)
    if m: name=m.group(1) or '[anon]'; name=re.sub(r'.*/','',name); name = name if name in ('[anon]','memfd:doublemapper (deleted)','[heap]') else ('*.dll' if name.endswith('.dll') else ('*.so' if '.so' in name else name)); continue
    if line.startswith('Rss:'): c[name]+=int(line.split()[1])
print('  smaps:', ', '.join(f"{k} {v/1024:.0f}" for k,v in c.most_common(6)), f"total {sum(c.values())/1024:.0f}")
PY
}
echo "after warm-up:"; smaps
wrk -t2 -c64 -d20s "$URL/live" > "$BENCH_OUT/rss-l.txt" & sleep 12; echo "during live:"; smaps; wait $!
L="$(awk '/Requests\/sec/ {print $2}' "$BENCH_OUT/rss-l.txt")"
wrk -t2 -c64 -d20s -H "X-API-Key: $APIKEY" "$URL/v1/projects/$PROJECT" > "$BENCH_OUT/rss-p.txt" & sleep 12; echo "during P1:"; smaps; wait $!
P="$(awk '/Requests\/sec/ {print $2}' "$BENCH_OUT/rss-p.txt")"
PEAK="$(awk -v t="$T0" '$1>=t && $2>m {m=$2} END {print m}' "$BENCH_OUT/rss-$B.tsv")"
GC="$(curl -s "$URL/metrics" | grep -E "^dotnet_gc_(committed|heap_size|last_collection_heap_size)" | tr '\n' ' ' | cut -c1-300)"
echo "at the end:"; smaps
echo "$B $*: warm-up HWM $W MiB, peak in live+P1 $PEAK MiB, live $L req/s, P1 $P req/s"
echo "  $GC"
rm -f "$BENCH_OUT/rss-$B.tsv"
