#!/usr/bin/env bash
# Segment-parallel speed-up: the same 120 s 1280×720 render (RenderOwl.Benchmarks `segments`) with one worker process and
# with two, each with one render slot, splitting at Rendering:Segments (60 s minimum, 30 s segments), and once unsplit.
# Usage: [THREADS=n] bench/segments.sh [runs]   (from the repository root; builds nothing: `dotnet build RenderOwl.sln -c Release` first)
set -euo pipefail
RUNS="${1:-2}"
scripts/services.sh up >/dev/null
set -a; . "${RENDEROWL_DATA:-$PWD/.data}/services.env"; set +a
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
secret() { head -c 48 /dev/urandom | base64 -w0; }
export Jwt__SigningKey="$(secret)" Pagination__CursorKey="$(secret)" DataProtection__KeyEncryptionKey="$(secret)" Sharing__SigningKey="$(secret)"
export ASPNETCORE_ENVIRONMENT=Production RateLimiting__Enabled=false Tiers__Limits__free__MaxRenderSeconds=600 Tiers__Limits__free__ConcurrentRenders=8 \
  Tiers__Limits__free__RendersPerHour=100000 Rendering__Dispatcher__Slots=1 Rendering__Segments__Seconds=30 Serilog__MinimumLevel__Default=Warning
# THREADS=n: ffmpeg and encoder threads per render (a render per core, as a render farm would run them).
if [[ -n "${THREADS:-}" ]]; then export Rendering__Threads="$THREADS" Rendering__EncoderThreads="$THREADS"; fi
API_DIR=src/Api/bin/Release/net10.0 # run from there: its appsettings.json is the content root's
BENCH=bench/RenderOwl.Benchmarks/bin/Release/net10.0/RenderOwl.Benchmarks.dll

run_with() { # workers min-seconds label
  local port; port="$(free_port)"
  local started=()
  (cd "$API_DIR" && Rendering__Segments__MinSeconds="$2" exec dotnet RenderOwl.Api.dll --urls "http://127.0.0.1:$port" --role api >/dev/null 2>&1) & started+=($!)
  for _ in $(seq 1 "$1"); do
    (cd "$API_DIR" && Rendering__Segments__MinSeconds="$2" exec dotnet RenderOwl.Api.dll --urls "http://127.0.0.1:$(free_port)" --role worker >/dev/null 2>&1) & started+=($!)
  done
  PIDS+=("${started[@]}")
  for _ in $(seq 1 3000); do curl -sf -o /dev/null "http://127.0.0.1:$port/ready" && break; sleep 0.01; done
  sleep 3 # the workers' dispatchers listening
  echo "== $3"
  dotnet "$BENCH" segments "http://127.0.0.1:$port" "$RUNS"
  for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${started[@]}"; do wait "$p" 2>/dev/null || true; done
}

run_with 1 0 "1 worker process, not split"
run_with 1 60 "1 worker process, split (4 × 30 s segments, one at a time)"
run_with 2 60 "2 worker processes, split (4 × 30 s segments, two at a time)"
