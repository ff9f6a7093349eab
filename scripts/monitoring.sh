#!/usr/bin/env bash
# A local Prometheus (Debian's package) on loopback, with deploy/prometheus/prometheus.yml and alerts.yml,
# scraping a running RenderOwl so an operator can watch the alerts evaluate.
#
#   scripts/monitoring.sh up       start it (API=127.0.0.1:8080 names what to scrape); prints its URL
#   scripts/monitoring.sh check    wait until its targets page reports every RenderOwl target up (exit 1 if not in 60 s)
#   scripts/monitoring.sh down     stop it (by its pid file, never by name)
#
# Its files live in $RENDEROWL_DATA/monitoring (default <repo>/.data/monitoring): the rewritten configuration,
# the TSDB, prometheus.log, the pid and the port.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${RENDEROWL_DATA:-$repo/.data}
dir=$data/monitoring
api=${API:-127.0.0.1:8080}

log() { printf 'monitoring: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib.sh
. "$repo/scripts/lib.sh"

running() { [ -f "$dir/prometheus.pid" ] && kill -0 "$(cat "$dir/prometheus.pid")" 2>/dev/null; }

url() { echo "http://127.0.0.1:$(cat "$dir/port")"; }


up() {
  if running; then log "already running at $(url)"; url; return; fi
  command -v prometheus >/dev/null 2>&1 || apt_install prometheus
  mkdir -p "$dir/data"
  # The scrape target is the running API; everything else is the deployable configuration as it is.
  sed "s|\"127.0.0.1:8080\"|\"$api\"|" "$repo/deploy/prometheus/prometheus.yml" > "$dir/prometheus.yml"
  cp "$repo/deploy/prometheus/alerts.yml" "$dir/alerts.yml"
  promtool check config "$dir/prometheus.yml" >/dev/null
  local port; port=$(free_port "${MONITORING_PORT:-19090}")
  echo "$port" > "$dir/port"
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" --storage.tsdb.retention.time=7d \
    --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
  echo $! > "$dir/prometheus.pid"
  for _ in $(seq 1 60); do
    if curl -fsS "$(url)/-/ready" >/dev/null 2>&1; then
      log "Prometheus at $(url) scraping $api (targets: $(url)/targets, alerts: $(url)/alerts)"
      url; return
    fi
    running || { log "prometheus exited; see $dir/prometheus.log"; tail -5 "$dir/prometheus.log" >&2; exit 1; }
    sleep 0.5
  done
  log "prometheus did not become ready; see $dir/prometheus.log"; exit 1
}

check() {
  running || { log "not running (scripts/monitoring.sh up)"; exit 1; }
  local targets=""
  for _ in $(seq 1 60); do
    targets=$(curl -fsS "$(url)/api/v1/targets?state=active" 2>/dev/null || true)
    if grep -q '"job":"renderowl"' <<<"$targets" && ! grep -Eq '"health":"(down|unknown)"' <<<"$targets"; then
      log "every renderowl target is up"
      # The alert rules are loaded and none fails to evaluate.
      local rules; rules=$(curl -fsS "$(url)/api/v1/rules?type=alert")
      local count; count=$(grep -o '"type":"alerting"' <<<"$rules" | wc -l)
      if [ "$count" -eq 0 ] || grep -q '"health":"err"' <<<"$rules"; then log "alert rules missing or failing: $rules"; exit 1; fi
      log "$count alert rules loaded"
      return
    fi
    sleep 1
  done
  log "a renderowl target is not up: $targets"; exit 1
}

down() {
  if running; then
    kill "$(cat "$dir/prometheus.pid")"
    for _ in $(seq 1 20); do running || break; sleep 0.25; done
    log "stopped"
  fi
  rm -f "$dir/prometheus.pid"
}

case "${1:-}" in
  up) up ;;
  check) check ;;
  down) down ;;
  *) echo "usage: $0 up|check|down" >&2; exit 2 ;;
esac
