# Shared by the wrk benchmarks (bench/run.sh, cache-wrk.sh, ab.sh, profile.sh, rss.sh); source it from the repository root.
# Services up and their environment, processes to stop on exit, free ports, and the API's secrets — kept across runs
# in $BENCH_OUT/secrets.env, because a new data-protection key-encryption key each run leaves the keys of the last
# one unreadable (each start then tries, and logs, every one of them).
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
BENCH_OUT="${RENDEROWL_DATA:-$PWD/.data}/bench"; mkdir -p "$BENCH_OUT"
scripts/services.sh up >/dev/null
set -a; . "${RENDEROWL_DATA:-$PWD/.data}/services.env"; set +a

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

secret() { head -c 48 /dev/urandom | base64 -w0; }
[[ -f "$BENCH_OUT/secrets.env" ]] || ( umask 077; printf 'Jwt__SigningKey=%s\nPagination__CursorKey=%s\nDataProtection__KeyEncryptionKey=%s\n' \
  "$(secret)" "$(secret)" "$(secret)" >"$BENCH_OUT/secrets.env" )
grep -q '^Sharing__SigningKey=' "$BENCH_OUT/secrets.env" || ( umask 077; printf 'Sharing__SigningKey=%s\n' "$(secret)" >>"$BENCH_OUT/secrets.env" )
set -a; . "$BENCH_OUT/secrets.env"; set +a

wait_for() { # url [tries of 10 ms]: returns once it answers 200, fails when it never does
  for _ in $(seq 1 "${2:-3000}"); do curl -sf -o /dev/null "$1" && return 0; sleep 0.01; done
  echo "no answer from $1" >&2; return 1
}

# psql on the primary the API uses (ConnectionStrings__Primary in Npgsql syntax)
PSQL_URL="$(python3 - <<'EOF'
import os
parts = dict(p.split("=", 1) for p in os.environ["ConnectionStrings__Primary"].split(";") if p)
print(f"postgresql://{parts.get('Username','postgres')}@{parts['Host']}:{parts['Port']}/{parts['Database']}")
EOF
)"
sql() { psql "$PSQL_URL" -v ON_ERROR_STOP=1 -qtAc "$1"; }

# An account on the enterprise tier (the bench raises its limits so they do not bind) with an API key and a project:
# bench_account PREFIX REGISTER_URL [API_URL] sets EMAIL, TOKEN, APIKEY and PROJECT (API_URL: where the key and the
# project are made; the register URL's instance when absent).
bench_account() {
  local api="${3:-$2}"
  EMAIL="$1-$(date +%s%N)@example.com"
  TOKEN="$(curl -sf -X POST "$2/v1/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"correct horse battery staple\",\"name\":\"Bench\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
  sql "UPDATE identity.users SET tier = 'enterprise' WHERE email = '$EMAIL'" # before anything reads (and caches) the account
  APIKEY="$(curl -sf -X POST "$api/v1/api-keys" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
  PROJECT="$(curl -sf -X POST "$api/v1/projects" -H "X-API-Key: $APIKEY" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
}

# A finished render of PROJECT (set by bench_account) rendered by a running worker: bench_render API_URL sets RENDER.
bench_render() {
  local status
  RENDER="$(curl -sf -X POST "$1/v1/projects/$PROJECT/renders" -H "X-API-Key: $APIKEY" -H 'Content-Type: application/json' \
    -d '{"composition":{"duration":1,"background":"#101820","layers":[]},"output_settings":{"format":"mp4","width":64,"height":64,"fps":5,"quality":"draft"},"cache":false}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  for _ in $(seq 1 600); do
    status="$(curl -sf "$1/v1/renders/$RENDER" -H "X-API-Key: $APIKEY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
    [[ "$status" == succeeded ]] && return 0; sleep 0.1
  done
  echo "the render $RENDER did not finish: $status" >&2; return 1
}

# For the scripts that run a published build (bench/ab.sh publish NAME) side by side or alone (ab.sh, profile.sh,
# rss.sh): the API's settings as measured (Production, logging at Information, limits that do not bind), and a finished
# render made by a worker of that build: bench_published_render NAME API_URL sets RENDER, the worker stopped after it.
bench_published_env() {
  export Serilog__MinimumLevel__Default=Information Shutdown__DrainSeconds=0
  export Tiers__Limits__enterprise__RequestsPerMinute=100000000 Tiers__Limits__enterprise__Burst=100000000
}
bench_published_render() {
  local wport worker; wport="$(free_port)"
  (cd "$BENCH_OUT/ab/$1" && exec env ASPNETCORE_ENVIRONMENT=Production dotnet RenderOwl.Api.dll --role worker --urls "http://127.0.0.1:$wport" \
    >"$BENCH_OUT/ab/$1-worker.log" 2>&1) &
  worker=$!; PIDS+=("$worker")
  bench_render "$2"
  kill "$worker"
}
