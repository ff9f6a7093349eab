#!/usr/bin/env bash
# Proves the cluster of scripts/cluster.sh behaves as one service (make cluster-test; CI runs it after the tests):
#   1. register → upload → render → download → webhook, through nginx;
#   2. the output downloads identically from either API instance (shared object storage);
#   3. a change made through one API instance is seen at once through the other (cache invalidation);
#   4. rate limits are shared: one key's budget holds (±1) across both instances;
#   5. a worker SIGKILLed mid-render: the render finishes on the other worker, once;
#   6. an API instance SIGTERMed under load: no request fails (the drain, nginx's next upstream);
#   7. queries went through PgBouncer, the workers' LISTEN sessions straight to the primary;
#   8. the API sees each client's own address through nginx (X-Forwarded-For from a trusted proxy), and a client
#      cannot pick another's address by sending the header itself.
# Starts the cluster when it is not running and stops it at the end if it started it. Exit 0 only when all pass.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${RENDEROWL_DATA:-$repo/.data}
dir=$data/cluster
work=$(mktemp -d)
failures=0
started=""

say() { printf 'cluster-test: %s\n' "$*"; }
pass() { say "PASS $*"; }
fail() { say "FAIL $*"; failures=$((failures + 1)); }
json() { python3 -c "import sys,json; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

cleanup() {
  [ -n "${receiver_pid:-}" ] && kill "$receiver_pid" 2>/dev/null
  [ -n "$started" ] && "$repo/scripts/cluster.sh" down >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -f "$dir/cluster.env" ] || ! curl -fsS -o /dev/null "$(. "$dir/cluster.env"; echo "$CLUSTER_URL")/ready" 2>/dev/null; then
  "$repo/scripts/cluster.sh" up >/dev/null || { say "the cluster did not start"; exit 1; }
  started=1
fi
. "$dir/cluster.env"

# A webhook receiver on loopback: every POST body appended to a file.
receiver_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/receiver.py" <<'EOF'
import http.server, sys
out = open(sys.argv[2], "ab", buffering=0)
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        out.write(body + b"\n")
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
python3 "$work/receiver.py" "$receiver_port" "$work/webhooks.log" &
receiver_pid=$!

register() { # email → access token
  curl -fsS -X POST "$CLUSTER_URL/v1/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"correct horse battery staple\",\"name\":\"Cluster test\"}" | json '["access_token"]'
}

. "$data/ports"
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d renderowl -qAt "$@"; }
login() { curl -fsS -X POST "$CLUSTER_URL/v1/auth/login" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"password\":\"correct horse battery staple\"}" | json '["access_token"]'; }

# 1. The acceptance flow through nginx. The account is enterprise so that polling a render never meets a rate
#    limit (test 4 checks the limits with a free account).
stamp=$(date +%s%N)
register "flow-$stamp@example.com" >/dev/null
psql_ -c "UPDATE identity.users SET tier = 'Enterprise' WHERE email = 'flow-$stamp@example.com'"
token=$(login "flow-$stamp@example.com")
auth=(-H "Authorization: Bearer $token")
project=$(curl -fsS -X POST "$CLUSTER_URL/v1/projects" "${auth[@]}" -H 'content-type: application/json' -d '{"name":"cluster"}' | json '["id"]')
curl -fsS -X POST "$CLUSTER_URL/v1/projects/$project/webhooks" "${auth[@]}" -H 'content-type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$receiver_port/hook\",\"events\":[\"render.succeeded\"]}" >/dev/null
ffmpeg -v error -f lavfi -i color=c=red:s=160x90 -frames:v 1 "$work/red.png"
asset=$(curl -fsS -X POST "$CLUSTER_URL/v1/projects/$project/assets" "${auth[@]}" -F "file=@$work/red.png;type=image/png" | json '["id"]')
render=$(curl -fsS -X POST "$CLUSTER_URL/v1/projects/$project/renders" "${auth[@]}" -H 'content-type: application/json' -d "{
  \"composition\": {\"duration\": 2, \"background\": \"#000000\", \"layers\": [{\"type\": \"image\", \"asset_id\": \"$asset\", \"start\": 0, \"fit\": \"fill\"}]},
  \"output_settings\": {\"format\": \"mp4\", \"width\": 320, \"height\": 180, \"fps\": 10}, \"cache\": false}" | json '["id"]')
status=""
for _ in $(seq 1 120); do
  body=$(curl -fsS "$CLUSTER_URL/v1/renders/$render" "${auth[@]}")
  status=$(json '["status"]' <<<"$body")
  [ "$status" = succeeded ] || [ "$status" = failed ] && break
  sleep 0.5
done
sha=$(json '["output"]["sha256"]' <<<"$body" 2>/dev/null)
curl -fsS -o "$work/out.mp4" "$CLUSTER_URL/v1/renders/$render/output" "${auth[@]}"
got=$(sha256sum "$work/out.mp4" | cut -d' ' -f1)
pixel=$(ffmpeg -v error -ss 1 -i "$work/out.mp4" -frames:v 1 -vf "crop=2:2:160:90" -f rawvideo -pix_fmt rgb24 - | od -An -tu1 -N3 | tr -s ' ')
red=$(awk '{ print ($1 > 200 && $2 < 60 && $3 < 60) ? "yes" : "no" }' <<<"$pixel")
hooked=""
for _ in $(seq 1 60); do grep -q "\"render.succeeded\"" "$work/webhooks.log" 2>/dev/null && grep -q "$render" "$work/webhooks.log" && { hooked=1; break; }; sleep 0.5; done
if [ "$status" = succeeded ] && [ "$got" = "$sha" ] && [ "$red" = yes ] && [ -n "$hooked" ]; then
  pass "1 register → upload → render → download → webhook through nginx (sha256 $got, centre pixel$pixel, render.succeeded delivered)"
else
  fail "1 flow: status=$status sha(api)=$sha sha(file)=$got pixel=$pixel webhook=${hooked:-none}"
fi

# 2. Either API instance serves the output (objects in the bucket; each instance has its own cache).
one=$(curl -fsS "$API_1_URL/v1/renders/$render/output" "${auth[@]}" | sha256sum | cut -d' ' -f1)
two=$(curl -fsS "$API_2_URL/v1/renders/$render/output" "${auth[@]}" | sha256sum | cut -d' ' -f1)
if [ "$one" = "$sha" ] && [ "$two" = "$sha" ]; then pass "2 the output downloads identically from api-1 and api-2"; else fail "2 api-1 $one, api-2 $two, want $sha"; fi

# 3. Cache invalidation across instances: api-1 caches the project, api-2 renames it, api-1 answers the new name.
curl -fsS -o /dev/null "$API_1_URL/v1/projects/$project" "${auth[@]}"
curl -fsS -o /dev/null "$API_1_URL/v1/projects/$project" "${auth[@]}"
curl -fsS -o /dev/null -X PATCH "$API_2_URL/v1/projects/$project" "${auth[@]}" -H 'content-type: application/json' -d '{"name":"renamed on api-2"}'
name=$(curl -fsS "$API_1_URL/v1/projects/$project" "${auth[@]}" | json '["name"]')
if [ "$name" = "renamed on api-2" ]; then pass "3 a rename through api-2 is read at once through api-1"; else fail "3 api-1 still says '$name'"; fi

# 4. One budget across instances: a fresh key, requests alternating between the two instances.
ktoken=$(register "limits-$stamp@example.com")
key=$(curl -fsS -X POST "$CLUSTER_URL/v1/api-keys" -H "Authorization: Bearer $ktoken" -H 'content-type: application/json' -d '{"name":"budget"}' | json '["key"]')
first=$(curl -fsS -D - -o /dev/null "$API_1_URL/v1/me" -H "X-API-Key: $key" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-ratelimit-remaining" {print $2}')
budget=$((first + 1))
allowed=1
for i in $(seq 1 $((budget + 10))); do
  url=$API_2_URL; [ $((i % 2)) = 0 ] && url=$API_1_URL
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url/v1/me" -H "X-API-Key: $key")
  [ "$code" = 200 ] && allowed=$((allowed + 1))
done
if [ "$allowed" -ge $((budget - 1)) ] && [ "$allowed" -le $((budget + 1)) ]; then
  pass "4 one key's budget of $budget held across both instances: $allowed allowed of $((budget + 11))"
else
  fail "4 $allowed allowed across both instances for a budget of $budget"
fi

# 8. Clients on 127.0.0.2 and 127.0.0.3 (curl binds the source address; nginx sees each one). The anonymous limit is
#    per client address: 127.0.0.2 spends its burst and is refused; 127.0.0.3 still has its own — also when it claims
#    to be 127.0.0.2 in X-Forwarded-For (nginx appends the real address; the API trusts only what nginx says).
#    Were the API keying on nginx's address, all three would share one bucket.
anon() { curl -s -o /dev/null -w '%{http_code}' --interface "$1" "${@:2}" "$CLUSTER_URL/v1/me"; }
spent=0
for _ in $(seq 1 40); do [ "$(anon 127.0.0.2)" = 429 ] && { spent=1; break; }; done
other=$(anon 127.0.0.3)
spoofed=$(anon 127.0.0.3 -H 'X-Forwarded-For: 127.0.0.2')
again=$(anon 127.0.0.2)
if [ "$spent" = 1 ] && [ "$again" = 429 ] && [ "$other" = 401 ] && [ "$spoofed" = 401 ]; then
  pass "8 per-client limits through nginx: 127.0.0.2 refused (429) after its burst, 127.0.0.3 answered (401, no key) with and without a spoofed X-Forwarded-For"
else
  fail "8 127.0.0.2 spent=$spent then $again; 127.0.0.3: $other, spoofing 127.0.0.2: $spoofed"
fi

# 5. SIGKILL the worker rendering a render: the other finishes it, once.
long=$(curl -fsS -X POST "$CLUSTER_URL/v1/projects/$project/renders" "${auth[@]}" -H 'content-type: application/json' -d '{
  "composition": {"duration": 20, "background": "#203040", "layers": [{"type": "text", "text": "long", "start": 0}]},
  "output_settings": {"format": "mp4", "width": 640, "height": 360, "fps": 30}, "cache": false}' | json '["id"]')
owner=""
for _ in $(seq 1 60); do
  # The one render running now (20 s is under the segment threshold: it is not split).
  owner=$(psql_ -c \
    "SELECT lease_owner FROM rendering.renders WHERE status = 'Rendering' AND parent_id IS NULL AND lease_owner IS NOT NULL ORDER BY queued_at DESC LIMIT 1" 2>/dev/null || true)
  [ -n "$owner" ] && break
  sleep 0.25
done
victim=""
for w in worker-1 worker-2; do [ -n "$owner" ] && [ "$(cut -d: -f2 <<<"$owner")" = "$(cat "$dir/$w.pid")" ] && victim=$w; done
if [ -n "$victim" ]; then
  kill -KILL "$(cat "$dir/$victim.pid")"
  for _ in $(seq 1 240); do
    body=$(curl -fsS "$CLUSTER_URL/v1/renders/$long" "${auth[@]}")
    status=$(json '["status"]' <<<"$body")
    [ "$status" = succeeded ] || [ "$status" = failed ] && break
    sleep 0.5
  done
  attempts=$(json '["attempts"]' <<<"$body")
  succeeded=$(curl -fsS "$CLUSTER_URL/v1/renders/$long/events" "${auth[@]}" | python3 -c 'import sys,json; d=json.load(sys.stdin); d=d["items"] if isinstance(d, dict) else d; print(sum(1 for e in d if e["status"]=="succeeded"))')
  duration=$(curl -fsS "$CLUSTER_URL/v1/renders/$long/output" "${auth[@]}" -o "$work/long.mp4" && ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/long.mp4")
  if [ "$status" = succeeded ] && [ "$attempts" = 2 ] && [ "$succeeded" = 1 ]; then
    pass "5 $victim SIGKILLed mid-render: the other worker finished it (attempts $attempts, one success, ${duration} s)"
  else
    fail "5 after SIGKILL of $victim: status=$status attempts=$attempts successes=$succeeded"
  fi
  "$repo/scripts/cluster.sh" restart "$victim" >/dev/null
else
  fail "5 could not tell which worker held render $long (lease owner '$owner')"
fi

# 6. SIGTERM api-1 while four clients keep requesting through nginx: every request answered 200. An enterprise
#    account (its limits do not bind at this rate), so that a 429 cannot hide or fake a failure.
email6="load-$stamp@example.com"
register "$email6" >/dev/null
psql_ -c "UPDATE identity.users SET tier = 'Enterprise' WHERE email = '$email6'"
token6=$(login "$email6")
project6=$(curl -fsS -X POST "$CLUSTER_URL/v1/projects" -H "Authorization: Bearer $token6" -H 'content-type: application/json' -d '{"name":"load"}' | json '["id"]')
: > "$work/codes"
stop_at=$(( $(date +%s) + 10 ))
for c in 1 2 3 4; do
  ( while [ "$(date +%s)" -lt "$stop_at" ]; do curl -s -o /dev/null -w '%{http_code}\n' "$CLUSTER_URL/v1/projects/$project6" -H "Authorization: Bearer $token6" >> "$work/codes"; done ) &
done
sleep 3
kill -TERM "$(cat "$dir/api-1.pid")"
wait_pids=$(jobs -p | grep -v "^$receiver_pid$")
for p in $wait_pids; do wait "$p" 2>/dev/null; done
total=$(wc -l < "$work/codes")
bad=$(grep -vc '^200$' "$work/codes")
if [ "$total" -gt 50 ] && [ "$bad" = 0 ]; then
  pass "6 api-1 SIGTERMed under load: $total requests through nginx, none failed"
else
  fail "6 api-1 SIGTERMed under load: $bad of $total requests failed ($(sort "$work/codes" | uniq -c | tr '\n' ' '))"
fi
"$repo/scripts/cluster.sh" restart api-1 >/dev/null

# 7. The queries went through PgBouncer; the workers' LISTEN sessions did not (they hold a session).
xacts=$(psql -h 127.0.0.1 -p "$PGBOUNCER" -U postgres -d pgbouncer -At -c "SHOW STATS" 2>/dev/null | awk -F'|' '$1=="renderowl" {print $2}')
listeners=$(psql_ -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'")
if [ "${xacts:-0}" -gt 100 ] && [ "$listeners" -ge 2 ]; then
  pass "7 $xacts transactions pooled by PgBouncer; $listeners LISTEN sessions held directly on the primary"
else
  fail "7 PgBouncer transactions ${xacts:-none}, direct LISTEN sessions $listeners"
fi

if [ "$failures" = 0 ]; then say "all passed"; else say "$failures failed"; fi
[ "$failures" = 0 ]
