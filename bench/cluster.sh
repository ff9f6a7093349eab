#!/usr/bin/env bash
# The cluster benchmarks (issue: beyond one machine), all on this machine, with the cluster of scripts/cluster.sh:
#   A. request rate through nginx with two API instances, then with one (api-2 stopped): wrk -t2 -c64, a cached
#      GET /v1/projects/{id} of an account whose limits do not bind (rate limiting stays on);
#   B. server connections held on the primary at 200 concurrent clients doing writes (POST a project), with
#      PgBouncer and without it (CLUSTER_PGBOUNCER=0), sampled every 0.2 s;
#   C. render throughput with two worker processes, then with one: 12 renders of 6 s at 640×360, 30 fps.
# Usage: bench/cluster.sh   (builds nothing: `dotnet build src/Api -c Release` first). Prints a Markdown table.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
data=${RENDEROWL_DATA:-$repo/.data}
dir=$data/cluster
work=$(mktemp -d)
export CLUSTER_NO_BUILD=1 Tiers__Limits__enterprise__RequestsPerMinute=100000000 Tiers__Limits__enterprise__Burst=10000000 \
  Tiers__Limits__enterprise__RendersPerHour=100000 Tiers__Limits__enterprise__ConcurrentRenders=100 Serilog__MinimumLevel__Default=Warning
trap '"$repo/scripts/cluster.sh" down >/dev/null 2>&1; rm -rf "$work"' EXIT
json() { python3 -c "import sys,json; print(eval('json.load(sys.stdin)' + sys.argv[1]))" "$1"; }

up() { "$repo/scripts/cluster.sh" up >/dev/null; . "$dir/cluster.env"; . "$data/ports"; }
account() {
  local email="bench-$(date +%s%N)@example.com"
  curl -fsS -X POST "$CLUSTER_URL/v1/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"correct horse battery staple\",\"name\":\"bench\"}" >/dev/null
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d renderowl -qc "UPDATE identity.users SET tier = 'Enterprise' WHERE email = '$email'"
  token=$(curl -fsS -X POST "$CLUSTER_URL/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"correct horse battery staple\"}" | json '["access_token"]')
  project=$(curl -fsS -X POST "$CLUSTER_URL/v1/projects" -H "Authorization: Bearer $token" -H 'content-type: application/json' -d '{"name":"bench"}' | json '["id"]')
}
rps() { wrk -t2 -c64 -d"$1" -H "Authorization: Bearer $token" "$CLUSTER_URL/v1/projects/$project" | awk '/Requests\/sec/ {print $2}'; }
stop() { local pid; pid=$(cat "$dir/$1.pid"); kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; }

connections() { # label → max client backends on the primary during 15 s of 200 clients creating projects
  cat > "$work/patch.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"name":"bench"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
  local max=0 n
  wrk -t2 -c200 -d15s -s "$work/patch.lua" "$CLUSTER_URL/v1/projects" > "$work/wrk-$1.txt" &
  local w=$!
  while kill -0 "$w" 2>/dev/null; do
    n=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d renderowl -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = 'renderowl' AND backend_type = 'client backend'")
    [ "$n" -gt "$max" ] && max=$n
    sleep 0.2
  done
  echo "$max $(awk '/Requests\/sec/ {print $2}' "$work/wrk-$1.txt") $(awk '/Non-2xx/ {print $NF}' "$work/wrk-$1.txt")"
}

renders() { # → seconds for 12 renders to finish
  local ids=() start end id
  start=$(date +%s.%N)
  for i in $(seq 1 12); do
    id=$(curl -fsS -X POST "$CLUSTER_URL/v1/projects/$project/renders" -H "Authorization: Bearer $token" -H 'content-type: application/json' -d "{
      \"composition\": {\"duration\": 6, \"background\": \"#203040\", \"layers\": [{\"type\": \"text\", \"text\": \"render $i $RANDOM\", \"start\": 0}]},
      \"output_settings\": {\"format\": \"mp4\", \"width\": 640, \"height\": 360, \"fps\": 30}, \"cache\": false}" | json '["id"]')
    ids+=("$id")
  done
  for id in "${ids[@]}"; do
    until [ "$(curl -fsS "$CLUSTER_URL/v1/renders/$id" -H "Authorization: Bearer $token" | json '["status"]')" = succeeded ]; do sleep 0.3; done
  done
  end=$(date +%s.%N)
  python3 -c "print(round($end - $start, 1))"
}

up; account
rps 30s >/dev/null # warm-up: tiered JIT in both instances
two=$(rps 15s)
stop api-2; rps 5s >/dev/null
one=$(rps 15s)
"$repo/scripts/cluster.sh" restart api-2 >/dev/null
rps 30s >/dev/null # the restarted instance warms up
two_again=$(rps 15s)
read -r conn_pgb rps_pgb non2xx_pgb < <(connections pgbouncer)
renders >/dev/null # warm-up of both workers
t2=$(renders)
stop worker-2
t1=$(renders)
"$repo/scripts/cluster.sh" restart worker-2 >/dev/null
renders >/dev/null
t2_again=$(renders)
"$repo/scripts/cluster.sh" down >/dev/null
CLUSTER_PGBOUNCER=0 up; account
read -r conn_direct rps_direct non2xx_direct < <(connections direct)

cat <<EOF2
Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, command \`bench/cluster.sh\` (client, nginx, 4 instances, PgBouncer, PostgreSQL, Redis and s3rver share the machine).

| measure | two | one | two / one |
| --- | --- | --- | --- |
| A. cached \`GET /v1/projects/{id}\` through nginx, wrk -c64 (req/s) | $two, then $two_again after a restart | $one (api-2 stopped) | $(python3 -c "print(round($two/$one, 2), round($two_again/$one, 2))") |
| C. 12 renders of 6 s 640×360@30 (s to all done) | $t2 s, then $t2_again s | $t1 s (worker-2 stopped) | $(python3 -c "print(round($t1/$t2, 2), round($t1/$t2_again, 2))") (throughput ratio) |

| B. 200 clients creating projects for 15 s | client backends on the primary (max) | req/s | non-2xx |
| --- | --- | --- | --- |
| through PgBouncer (transaction pooling, pool 20 + 5) | $conn_pgb | $rps_pgb | ${non2xx_pgb:-0} |
| straight to the primary (4 instances × pool 40) | $conn_direct | $rps_direct | ${non2xx_direct:-0} |
EOF2
