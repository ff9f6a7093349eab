#!/usr/bin/env bash
# RenderOwl as it runs on many machines, on this one: the services (PostgreSQL primary + replica, Redis, SMTP sink)
# and an S3-compatible server, PgBouncer in front of the primary, two API instances (--role api) and two worker
# instances (--role worker) on their own ports, each with its own local storage cache, and nginx on loopback in
# front of the two APIs. Everything binds 127.0.0.1; logs go to $RENDEROWL_DATA/cluster/*.log.
#
#   scripts/cluster.sh up       build, start what is not running, print the addresses (make cluster)
#   scripts/cluster.sh down     stop the instances, nginx and PgBouncer (the services keep running; make services-down)
#   scripts/cluster.sh status
#   scripts/cluster.sh restart NAME   start one instance again (api-1, api-2, worker-1, worker-2)
#
# The instances run in Production with keys generated once into $RENDEROWL_DATA/cluster/keys.env, objects in the
# bucket (Storage:Provider=s3), ConnectionStrings:Primary through PgBouncer and ConnectionStrings:PrimaryDirect to
# the primary itself (LISTEN, migrations, Hangfire). $RENDEROWL_DATA/cluster/cluster.env has every address.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${RENDEROWL_DATA:-$repo/.data}
export RENDEROWL_DATA=$data
dir=$data/cluster
bin=$repo/src/Api/bin/Release/net10.0
instances=(api-1 api-2 worker-1 worker-2)

log() { printf 'cluster: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }


ensure_nginx() { command -v nginx >/dev/null 2>&1 || apt_install nginx-light; }

keys() {
  if [ ! -f "$dir/keys.env" ]; then
    umask 077
    {
      for k in Jwt__SigningKey Pagination__CursorKey Sharing__SigningKey DataProtection__KeyEncryptionKey; do
        printf '%s=%s\n' "$k" "$(head -c 48 /dev/urandom | base64 -w0)"
      done
    } > "$dir/keys.env"
  fi
}

ports() {
  if [ -f "$dir/ports" ]; then . "$dir/ports"; return; fi
  API_1_PORT=$(free_port 18181); API_2_PORT=$(free_port 18182); WORKER_1_PORT=$(free_port 18191); WORKER_2_PORT=$(free_port 18192)
  NGINX_PORT=$(free_port 18180)
  printf 'API_1_PORT=%s\nAPI_2_PORT=%s\nWORKER_1_PORT=%s\nWORKER_2_PORT=%s\nNGINX_PORT=%s\n' \
    "$API_1_PORT" "$API_2_PORT" "$WORKER_1_PORT" "$WORKER_2_PORT" "$NGINX_PORT" > "$dir/ports"
}

port_of() {
  case "$1" in api-1) echo "$API_1_PORT" ;; api-2) echo "$API_2_PORT" ;; worker-1) echo "$WORKER_1_PORT" ;; worker-2) echo "$WORKER_2_PORT" ;; esac
}

# The environment of every instance: the services, PgBouncer, the bucket, the keys, the proxy.
instance_env() {
  local name=$1
  set -a
  . "$data/services.env"
  . "$dir/keys.env"
  set +a
  local pool="Maximum Pool Size=40;Minimum Pool Size=0;Timeout=15;Connection Idle Lifetime=300;Command Timeout=30"
  export ConnectionStrings__PrimaryDirect="$ConnectionStrings__Primary"
  # Through PgBouncer (transaction pooling): no session state, so no reset query on close either.
  # CLUSTER_PGBOUNCER=0 connects straight to the primary (to measure what PgBouncer changes).
  if [ "${CLUSTER_PGBOUNCER:-1}" != 0 ]; then
    export ConnectionStrings__Primary="Host=127.0.0.1;Port=$(cat "$pgbouncer_dir/port");Database=renderowl;Username=postgres;No Reset On Close=true;$pool"
  fi
  export Storage__Provider=s3 Storage__S3__ServiceUrl="$RENDEROWL_TEST_S3" Storage__S3__Bucket=renderowl \
    Storage__S3__AccessKey=S3RVER Storage__S3__SecretKey=S3RVER
  export Rendering__StoragePath="$dir/$name/storage" RenderOwl__DataPath="$dir/$name"
  export Proxy__Trusted__0=127.0.0.1 Database__MigrateOnStartup=false
  export Rendering__Dispatcher__LeaseSeconds="${CLUSTER_LEASE_SECONDS:-10}" Shutdown__DrainSeconds="${CLUSTER_DRAIN_SECONDS:-3}"
  export Rendering__Sources__AllowHttp=true Webhooks__AllowPrivateTargets=true Serilog__MinimumLevel__Default=Information
  export ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0
}

start_instance() {
  local name=$1 role=${1%%-*} port
  port=$(port_of "$name")
  if alive "$dir/$name.pid"; then return; fi
  mkdir -p "$dir/$name/storage"
  (
    instance_env "$name"
    cd "$bin"
    exec dotnet RenderOwl.Api.dll --urls "http://127.0.0.1:$port" --role "$role" >>"$dir/$name.log" 2>&1
  ) &
  echo $! > "$dir/$name.pid"
}

wait_ready() {
  local name=$1 port
  port=$(port_of "$name")
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/ready" 2>/dev/null; then return; fi
    alive "$dir/$name.pid" || { log "$name exited; see $dir/$name.log"; tail -5 "$dir/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  log "$name not ready in 60 s; see $dir/$name.log"; exit 1
}

nginx_conf() {
  mkdir -p "$dir/nginx/temp"
  cat > "$dir/nginx.conf" <<EOF
# Written by scripts/cluster.sh from deploy/nginx/renderowl.conf (the server block) with this cluster's ports.
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log $dir/nginx-access.log;
  client_body_temp_path $dir/nginx/temp/body;
  proxy_temp_path $dir/nginx/temp/proxy;
  fastcgi_temp_path $dir/nginx/temp/fastcgi;
  uwsgi_temp_path $dir/nginx/temp/uwsgi;
  scgi_temp_path $dir/nginx/temp/scgi;
  upstream renderowl_api {
    server 127.0.0.1:$API_1_PORT max_fails=1 fail_timeout=10s;
    server 127.0.0.1:$API_2_PORT max_fails=1 fail_timeout=10s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
$(sed -n '/# server-body-begin/,/# server-body-end/p' "$repo/deploy/nginx/renderowl.conf" | sed '1d;$d')
  }
}
EOF
}

up() {
  mkdir -p "$dir"
  RENDEROWL_S3=1 "$repo/scripts/services.sh" up >/dev/null
  pgbouncer_dir=$(dirname "$(cat "$data/pg-location" 2>/dev/null || echo "$data/pg")")/pgbouncer
  "$repo/scripts/pgbouncer.sh" up >/dev/null
  ensure_nginx
  keys
  ports
  if [ -z "${CLUSTER_NO_BUILD:-}" ]; then
    log "building"
    (cd "$repo" && dotnet build src/Api -c Release -nologo -v q >/dev/null)
  fi
  # Migrations once, on the primary itself, before any instance serves.
  (
    instance_env migrate
    cd "$bin"
    Database__MigrateOnStartup=true dotnet RenderOwl.Api.dll db migrate >"$dir/migrate.log" 2>&1
  ) || { log "migrations failed; see $dir/migrate.log"; exit 1; }
  for name in "${instances[@]}"; do start_instance "$name"; done
  for name in "${instances[@]}"; do wait_ready "$name"; done
  if ! alive "$dir/nginx.pid"; then
    nginx_conf
    nginx -t -q -c "$dir/nginx.conf" -p "$dir/nginx"
    nginx -c "$dir/nginx.conf" -p "$dir/nginx"
  fi
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/ready" 2>/dev/null && break; sleep 0.1; done
  cat > "$dir/cluster.env" <<EOF
CLUSTER_URL=http://127.0.0.1:$NGINX_PORT
API_1_URL=http://127.0.0.1:$API_1_PORT
API_2_URL=http://127.0.0.1:$API_2_PORT
WORKER_1_URL=http://127.0.0.1:$WORKER_1_PORT
WORKER_2_URL=http://127.0.0.1:$WORKER_2_PORT
PGBOUNCER=$(cat "$pgbouncer_dir/port")
EOF
  status
}

down() {
  [ -f "$dir/nginx.pid" ] && alive "$dir/nginx.pid" && nginx -s quit -c "$dir/nginx.conf" -p "$dir/nginx" 2>/dev/null || true
  for name in "${instances[@]}"; do
    if alive "$dir/$name.pid"; then
      local pid; pid=$(cat "$dir/$name.pid")
      kill -TERM "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      log "stopped $name"
    fi
    rm -f "$dir/$name.pid"
  done
  "$repo/scripts/pgbouncer.sh" down
  rm -f "$dir/ports"
}

status() {
  [ -f "$dir/ports" ] && . "$dir/ports"
  local s
  for name in "${instances[@]}"; do
    s=stopped; alive "$dir/$name.pid" && s=running; printf '%-9s %s http://127.0.0.1:%s (log %s)\n' "$name" "$s" "$(port_of "$name")" "$dir/$name.log"
  done
  s=stopped; alive "$dir/nginx.pid" && s=running; printf '%-9s %s http://127.0.0.1:%s\n' nginx "$s" "${NGINX_PORT:-?}"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  restart)
    [ -n "${2:-}" ] || { echo "usage: $0 restart NAME" >&2; exit 2; }
    . "$dir/ports"
    pgbouncer_dir=$(dirname "$(cat "$data/pg-location" 2>/dev/null || echo "$data/pg")")/pgbouncer
    start_instance "$2"; wait_ready "$2" ;;
  *) echo "usage: $0 up|down|status|restart NAME" >&2; exit 2 ;;
esac
