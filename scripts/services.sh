#!/usr/bin/env bash
# Local services for RenderOwl: a PostgreSQL 15 primary, a streaming read replica of it, and Redis,
# all on free 127.0.0.1 ports, with their data under one folder (default: <repo>/.data, git-ignored).
#
#   scripts/services.sh up       start what is not running (idempotent; survives stale pid files)
#   scripts/services.sh down     stop what this folder started (by pid file, never by name)
#   scripts/services.sh status   show what runs and where
#   scripts/services.sh env      print the environment file path (after `up`)
#
# RENDEROWL_S3=1 also starts a local S3-compatible server (scripts/s3.sh) and adds RENDEROWL_TEST_S3 to the env file.
#
# RENDEROWL_DATA overrides the data folder. The connection settings are written to
# $RENDEROWL_DATA/services.env, which `make run`, `make test` and the test fixture read.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${RENDEROWL_DATA:-$repo/.data}
redisdir=$data/redis
maildir=$data/mail
# Debian's python3 (where python3-aiosmtpd installs), even when another python3 comes first on PATH.
if [ -x /usr/bin/python3 ]; then py=/usr/bin/python3; else py=python3; fi
pgpointer=$data/pg-location

# PostgreSQL runs as the postgres user when we are root. If that user cannot reach the data folder (a clone
# in a 0700 folder, or under /root), the clusters live under /var/lib/renderowl/<hash of the data folder>
# instead; the choice is recorded in $data/pg-location so that down and status find them again.
choose_pgroot() {
  if [ -f "$pgpointer" ]; then pgroot=$(cat "$pgpointer"); return; fi
  pgroot=$data/pg
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$data" 2>/dev/null; then
    local hash; hash=$(printf '%s' "$(cd "$data" && pwd -P)" | sha256sum | cut -c1-16)
    pgroot=/var/lib/renderowl/$hash/pg
    log "the postgres user cannot reach $data; keeping the PostgreSQL clusters in $pgroot"
  fi
}
set_pg_paths() {
  primary=$pgroot/primary
  replica=$pgroot/replica
  sockdir=$pgroot/run
}
envfile=$data/services.env
portsfile=$data/ports
db=${RENDEROWL_DB_NAME:-renderowl}

log() { printf 'services: %s\n' "$*" >&2; }

as_pg() {
  # initdb and postgres refuse to run as root; as root, run them as the postgres user.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
  elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    echo /usr/lib/postgresql/15/bin
  fi
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    log "missing $*; install them (apt-get install $*) or run as root"; exit 1
  fi
  log "installing $* with apt-get"
  if [ -z "${RENDEROWL_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    export RENDEROWL_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_binaries() {
  local missing=()
  [ -n "$(pg_bindir)" ] || missing+=(postgresql-15 postgresql-client-15)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus) # promtool, for the metrics lint test
  # The text engine's built-in families (DejaVu Sans/Serif/Mono, Noto Sans/Serif and Noto's scripts as the fallback),
  # found by SkiaSharp through fontconfig.
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing+=(fonts-dejavu-core)
  [ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || missing+=(fonts-noto-core)
  command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
  "$py" -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd) # the local SMTP server (scripts/mailsink.py)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

port_free() {
  # True when nothing listens on 127.0.0.1:$1 (any address family on that port counts as taken).
  ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

pick_port() {
  local start=$1 p
  for p in $(seq "$start" $((start + 400))); do
    if port_free "$p" && ! grep -qx "$p" <<<"${taken:-}"; then taken="${taken:-}"$'\n'"$p"; echo "$p"; return; fi
  done
  log "no free port near $start"; exit 1
}

load_ports() {
  PG_PORT=; PG_REPLICA_PORT=; REDIS_PORT=; SMTP_PORT=
  # shellcheck disable=SC1090
  [ -f "$portsfile" ] && . "$portsfile"
  return 0
}

# A killed server can linger as a zombie until reaped: kill -0 still succeeds, but nothing serves.
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != "Z" ]; }

pg_running() {
  [ -f "$1/postmaster.pid" ] && alive "$(head -n 1 "$1/postmaster.pid")" && as_pg "$bindir/pg_ctl" -D "$1" status >/dev/null 2>&1
}

redis_running() {
  [ -f "$redisdir/redis.pid" ] && alive "$(cat "$redisdir/redis.pid")"
}

mail_running() {
  [ -f "$maildir/mailsink.pid" ] && alive "$(cat "$maildir/mailsink.pid")"
}

pg_start() { # dir port log
  # Children of a killed postmaster need a moment to notice and release shared memory: retry briefly.
  local attempt
  for attempt in 1 2 3 4 5; do
    rm -f "$1/postmaster.pid"
    if as_pg "$bindir/pg_ctl" -D "$1" -o "-p $2" -l "$3" -w -t 60 start >/dev/null; then return 0; fi
    log "start of $(basename "$1") failed (attempt $attempt); see $3"
    sleep 1
  done
  return 1
}

choose_ports() {
  load_ports
  taken=""
  # Keep the recorded port while our own server holds it, or while it is still free; else take another.
  if [ -z "$PG_PORT" ] || { ! pg_running "$primary" && ! port_free "$PG_PORT"; }; then PG_PORT=$(pick_port 15432); fi
  taken="$taken"$'\n'"$PG_PORT"
  if [ -z "$PG_REPLICA_PORT" ] || { ! pg_running "$replica" && ! port_free "$PG_REPLICA_PORT"; }; then PG_REPLICA_PORT=$(pick_port 15532); fi
  taken="$taken"$'\n'"$PG_REPLICA_PORT"
  if [ -z "$REDIS_PORT" ] || { ! redis_running && ! port_free "$REDIS_PORT"; }; then REDIS_PORT=$(pick_port 16379); fi
  taken="$taken"$'\n'"$REDIS_PORT"
  if [ -z "$SMTP_PORT" ] || { ! mail_running && ! port_free "$SMTP_PORT"; }; then SMTP_PORT=$(pick_port 11025); fi
  printf 'PG_PORT=%s\nPG_REPLICA_PORT=%s\nREDIS_PORT=%s\nSMTP_PORT=%s\n' "$PG_PORT" "$PG_REPLICA_PORT" "$REDIS_PORT" "$SMTP_PORT" >"$portsfile"
}

start_primary() {
  if [ ! -f "$primary/PG_VERSION" ]; then
    log "initialising primary in $primary"
    rm -rf "$primary"
    as_pg "$bindir/initdb" -D "$primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
wal_level = replica
max_wal_senders = 5
hot_standby = on
max_connections = 200
shared_buffers = 128MB
fsync = ${RENDEROWL_PG_FSYNC:-on}
synchronous_commit = ${RENDEROWL_PG_SYNC_COMMIT:-on}
EOF
  fi
  # pg_stat_statements for GET /internal/db/stats (a cluster made before it gets the line and one restart).
  local restart=""
  if ! grep -q "^shared_preload_libraries = 'pg_stat_statements'" "$primary/postgresql.conf"; then
    echo "shared_preload_libraries = 'pg_stat_statements'" >>"$primary/postgresql.conf"
    restart=1
  fi
  if pg_running "$primary"; then
    if [ -n "$restart" ]; then
      as_pg "$bindir/pg_ctl" -D "$primary" -m fast -w restart >/dev/null
      log "primary restarted to load pg_stat_statements"
    fi
    return
  fi
  pg_start "$primary" "$PG_PORT" "$pgroot/primary.log"
  log "primary on 127.0.0.1:$PG_PORT"
}

# The extension in template1 (every database made later has it, the tests' too) and in the product's database.
ensure_pg_stat_statements() {
  local d
  for d in template1 "$db"; do
    PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$d" -Atqc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  done
}

ensure_database() {
  if ! "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
    log "created database $db"
  fi
}

start_replica() {
  if [ ! -f "$replica/standby.signal" ]; then
    log "cloning replica from primary (pg_basebackup -R)"
    rm -rf "$replica"
    as_pg "$bindir/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$replica" -R -X stream -c fast
  fi
  # The port and primary address may change between runs: keep them current.
  sed -i "/^primary_conninfo/d" "$replica/postgresql.auto.conf"
  echo "primary_conninfo = 'host=127.0.0.1 port=$PG_PORT user=postgres application_name=renderowl_replica'" >>"$replica/postgresql.auto.conf"
  if pg_running "$replica"; then
    as_pg "$bindir/pg_ctl" -D "$replica" reload >/dev/null
    return
  fi
  pg_start "$replica" "$PG_REPLICA_PORT" "$pgroot/replica.log"
  log "replica on 127.0.0.1:$PG_REPLICA_PORT"
}

start_redis() {
  mkdir -p "$redisdir"
  if redis_running; then return; fi
  rm -f "$redisdir/redis.pid"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$redisdir/redis.pid" \
    --dir "$redisdir" --logfile "$redisdir/redis.log" --save "" --appendonly no --protected-mode yes >/dev/null
  for _ in $(seq 50); do redis_running && break; sleep 0.1; done
  redis_running || { log "redis did not start; see $redisdir/redis.log"; exit 1; }
  log "redis on 127.0.0.1:$REDIS_PORT"
}

start_mail() {
  mkdir -p "$maildir"
  if mail_running; then return; fi
  rm -f "$maildir/mailsink.pid"
  nohup "$py" "$repo/scripts/mailsink.py" --port "$SMTP_PORT" --dir "$maildir" --pidfile "$maildir/mailsink.pid" \
    >"$maildir/mailsink.log" 2>&1 </dev/null &
  for _ in $(seq 50); do mail_running && ! port_free "$SMTP_PORT" && break; sleep 0.1; done
  mail_running || { log "the mail sink did not start; see $maildir/mailsink.log"; exit 1; }
  log "smtp on 127.0.0.1:$SMTP_PORT (messages kept in $maildir)"
}

wait_replica_streaming() {
  for _ in $(seq 100); do
    if "$bindir/psql" -h 127.0.0.1 -p "$PG_REPLICA_PORT" -U postgres -d postgres -Atqc "select pg_is_in_recovery()" 2>/dev/null | grep -q t; then return; fi
    sleep 0.1
  done
  log "replica is not in recovery; see $pgroot/replica.log"; exit 1
}

write_env() {
  # Pool settings and their reasons: README "Connection pools".
  local pool="Maximum Pool Size=40;Minimum Pool Size=0;Timeout=15;Connection Idle Lifetime=300;Command Timeout=30"
  local pg="Host=127.0.0.1;Port=$PG_PORT;Database=$db;Username=postgres;$pool"
  local rep="Host=127.0.0.1;Port=$PG_REPLICA_PORT;Database=$db;Username=postgres;$pool"
  local redis="127.0.0.1:$REDIS_PORT"
  cat >"$envfile" <<EOF
# Written by scripts/services.sh; read by make run / make test. Local, trust-authenticated, loopback only.
ConnectionStrings__Primary="$pg"
ConnectionStrings__Replica="$rep"
ConnectionStrings__Redis="$redis"
RENDEROWL_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
RENDEROWL_TEST_PG_REPLICA="Host=127.0.0.1;Port=$PG_REPLICA_PORT;Username=postgres"
RENDEROWL_TEST_REDIS="$redis"
Email__Smtp__Host="127.0.0.1"
Email__Smtp__Port="$SMTP_PORT"
Email__Smtp__UseTls="false"
RENDEROWL_MAIL_DIR="$maildir"
RENDEROWL_DATA="$data"
EOF
  if [ -n "${S3_ENDPOINT:-}" ]; then
    printf 'RENDEROWL_TEST_S3="%s"\n' "$S3_ENDPOINT" >>"$envfile"
  fi
}

up() {
  ensure_binaries
  bindir=$(pg_bindir)
  mkdir -p "$data" "$redisdir"
  choose_pgroot; set_pg_paths
  mkdir -p "$pgroot"
  printf '%s\n' "$pgroot" >"$pgpointer"
  if [ "$(id -u)" = 0 ]; then chown postgres "$pgroot"; fi
  as_pg mkdir -p "$sockdir"
  choose_ports
  start_primary
  ensure_database
  ensure_pg_stat_statements
  start_replica
  wait_replica_streaming
  start_redis
  start_mail
  # The S3-compatible server only when asked (make test, make cluster): make run keeps the local disk.
  if [ "${RENDEROWL_S3:-}" = 1 ]; then S3_ENDPOINT=$("$repo/scripts/s3.sh" up); fi
  write_env
  status
}

down() {
  bindir=$(pg_bindir)
  choose_pgroot; set_pg_paths
  if [ -n "$bindir" ]; then
    for d in "$replica" "$primary"; do
      if pg_running "$d"; then as_pg "$bindir/pg_ctl" -D "$d" -m fast -w stop >/dev/null && log "stopped $(basename "$d")"; fi
    done
  fi
  if redis_running; then
    local pid; pid=$(cat "$redisdir/redis.pid")
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "stopped redis"
  fi
  rm -f "$redisdir/redis.pid"
  if mail_running; then
    local mpid; mpid=$(cat "$maildir/mailsink.pid")
    kill "$mpid"
    for _ in $(seq 50); do kill -0 "$mpid" 2>/dev/null || break; sleep 0.1; done
    log "stopped the mail sink"
  fi
  rm -f "$maildir/mailsink.pid"
  "$repo/scripts/s3.sh" down
}

status() {
  bindir=${bindir:-$(pg_bindir)}
  [ -n "${pgroot:-}" ] || { choose_pgroot; set_pg_paths; }
  load_ports
  local s
  s=stopped; [ -n "$bindir" ] && pg_running "$primary" && s=running; echo "primary  $s 127.0.0.1:${PG_PORT:-?}"
  s=stopped; [ -n "$bindir" ] && pg_running "$replica" && s=running; echo "replica  $s 127.0.0.1:${PG_REPLICA_PORT:-?}"
  s=stopped; redis_running && s=running; echo "redis    $s 127.0.0.1:${REDIS_PORT:-?}"
  s=stopped; mail_running && s=running; echo "smtp     $s 127.0.0.1:${SMTP_PORT:-?} (mail in $maildir)"
  "$repo/scripts/s3.sh" status
  echo "pgdata   ${pgroot}"
  [ -f "$envfile" ] && echo "env      $envfile"
  return 0
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) echo "$envfile" ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
