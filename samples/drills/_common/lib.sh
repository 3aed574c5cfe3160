# Shared helpers of the drill scenarios: sourced by setup.sh, teardown.sh and the stand-ins in bin/.
# Everything a drill changes lives under $DRILL_STATE (a throw-away directory made by the drill runner):
#   state/<key>        small text files: unit states, flags, the service port
#   journal/<unit>.log what journalctl / docker-compose logs show for a unit or a compose service
#   pids/<name>.pid    background processes the drill started (killed by teardown)
#   actions.log        every state-changing command the operator ran, for the drill debrief
#   notifications.log  what was "sent" (Slack/PagerDuty webhooks, mail)
# shellcheck shell=bash

: "${DRILL_STATE:?DRILL_STATE is not set: this script runs inside a drill (runbook drill / Start drill)}"
DRILL_COMMON="${DRILL_COMMON:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
DRILL_HOST="${DRILL_HOST:-$(hostname 2>/dev/null || echo drill)}"

# ---- state -------------------------------------------------------------------------------------------
state_get() { # KEY [DEFAULT]
  if [ -f "$DRILL_STATE/state/$1" ]; then cat "$DRILL_STATE/state/$1"; else printf '%s' "${2-}"; fi
}
state_set() { # KEY VALUE
  mkdir -p "$DRILL_STATE/state"
  printf '%s' "$2" > "$DRILL_STATE/state/$1.tmp" && mv "$DRILL_STATE/state/$1.tmp" "$DRILL_STATE/state/$1"
}
state_has() { [ -f "$DRILL_STATE/state/$1" ]; }
# Values the drill runner reads back after setup (ports, paths), as KEY=VALUE lines.
drill_export() { printf '%s=%s\n' "$1" "$2" >> "$DRILL_STATE/drill.env"; }
# What the operator did, for the debrief.
drill_action() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >> "$DRILL_STATE/actions.log"; }
drill_notify() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >> "$DRILL_STATE/notifications.log"; }

# ---- time --------------------------------------------------------------------------------------------
now_s() { date +%s; }
# ts_ago SECONDS FORMAT: a date SECONDS ago (GNU date, BSD date as fallback).
ts_ago() {
  local t=$(( $(date +%s) - $1 ))
  date -d "@$t" "+$2" 2>/dev/null || date -r "$t" "+$2"
}
ts_at() { date -d "@$1" "+$2" 2>/dev/null || date -r "$1" "+$2"; }
# "4min 12s", "2h 3min", "35s": how systemd prints an age.
age_text() {
  local d=$(( $(date +%s) - $1 ))
  [ "$d" -lt 0 ] && d=0
  if [ "$d" -ge 3600 ]; then printf '%dh %dmin' $((d / 3600)) $((d % 3600 / 60))
  elif [ "$d" -ge 60 ]; then printf '%dmin %ds' $((d / 60)) $((d % 60))
  else printf '%ds' "$d"; fi
}

# ---- journal -----------------------------------------------------------------------------------------
# journal UNIT [SECONDS_AGO] MESSAGE...: a syslog-style line in the unit's journal.
journal() {
  local unit=$1; shift
  local ago=0
  if [[ "${1-}" =~ ^[0-9]+$ ]]; then ago=$1; shift; fi
  mkdir -p "$DRILL_STATE/journal"
  printf '%s %s %s\n' "$(ts_ago "$ago" '%b %d %H:%M:%S')" "$DRILL_HOST" "$*" >> "$DRILL_STATE/journal/$unit.log"
}
# container_log SERVICE MESSAGE...: a line of a compose service's container log.
container_log() {
  local svc=$1; shift
  mkdir -p "$DRILL_STATE/journal"
  printf '%s\n' "$*" >> "$DRILL_STATE/journal/$svc.log"
}

# ---- systemd-style units -----------------------------------------------------------------------------
# unit_init NAME STATE DESCRIPTION [RESULT]: declares a unit (STATE: active, failed, inactive, activating).
unit_init() {
  state_set "unit.$1" "$2"
  state_set "unit.$1.desc" "$3"
  state_set "unit.$1.since" "$(( $(date +%s) - ${5:-3600} ))"
  [ -n "${4-}" ] && state_set "unit.$1.result" "$4"
  return 0
}
unit_exists() { state_has "unit.$1"; }
unit_state() { state_get "unit.$1" inactive; }
unit_set() { # NAME STATE [RESULT]
  state_set "unit.$1" "$2"
  state_set "unit.$1.since" "$(date +%s)"
  if [ -n "${3-}" ]; then state_set "unit.$1.result" "$3"; else rm -f "$DRILL_STATE/state/unit.$1.result"; fi
}
# unit_action NAME ACTION: start, stop, restart, reload. A scenario hook hooks/<name>.<action> (or
# hooks/<name>.any) decides what happens; without one the unit simply changes state.
unit_action() {
  local unit=$1 action=$2 hook
  drill_action "systemctl $action $unit"
  for hook in "$DRILL_SCENARIO/hooks/$unit.$action" "$DRILL_SCENARIO/hooks/$unit.any"; do
    if [ -x "$hook" ]; then "$hook" "$action"; return $?; fi
  done
  unit_default_action "$unit" "$action"
}
unit_default_action() {
  local unit=$1 action=$2 desc
  desc=$(state_get "unit.$unit.desc" "$unit")
  case "$action" in
    start|restart|reload|try-restart|reload-or-restart)
      [ "$action" = restart ] && journal "$unit" "systemd[1]: Stopping $desc..."
      [ "$action" = restart ] && journal "$unit" "systemd[1]: $unit.service: Deactivated successfully."
      if [ "$unit" = "$(state_get service.unit)" ]; then service_restart || { unit_set "$unit" failed exit-code; return 1; }; fi
      unit_set "$unit" active
      journal "$unit" "systemd[1]: Started $desc." ;;
    stop)
      journal "$unit" "systemd[1]: Stopping $desc..."
      unit_set "$unit" inactive
      journal "$unit" "systemd[1]: $unit.service: Deactivated successfully."
      journal "$unit" "systemd[1]: Stopped $desc." ;;
  esac
  return 0
}

# ---- the scenario's HTTP service (a small Node server on a loopback port) -------------------------------
drill_node() {
  if [ -n "${DRILL_NODE_ELECTRON-}" ]; then ELECTRON_RUN_AS_NODE=1 "${DRILL_NODE:-node}" "$@"; else "${DRILL_NODE:-node}" "$@"; fi
}
service_pid() { cat "$DRILL_STATE/pids/service.pid" 2>/dev/null; }
service_running() { local p; p=$(service_pid) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
# service_start [PROCESS_TITLE]: starts service.js with the scenario's service.json; the first start picks a
# free port and writes it to state/port (later starts reuse it).
service_start() {
  local title=${1:-$(state_get service.title "drill-service")}
  mkdir -p "$DRILL_STATE/pids" "$DRILL_STATE/logs"
  state_set service.title "$title"
  local port_before
  port_before=$(state_get port)
  (
    cd "$DRILL_STATE" || exit 1
    export DRILL_SERVICE_TITLE="$title" DRILL_SERVICE_CONFIG="${DRILL_SERVICE_CONFIG:-$DRILL_SCENARIO/service.json}"
    if command -v setsid >/dev/null 2>&1; then
      setsid bash -c '. "$DRILL_COMMON/lib.sh"; exec_node_service' </dev/null >>"$DRILL_STATE/logs/service.out" 2>&1 &
    else
      nohup bash -c '. "$DRILL_COMMON/lib.sh"; exec_node_service' </dev/null >>"$DRILL_STATE/logs/service.out" 2>&1 &
    fi
  )
  local i
  for i in $(seq 1 100); do
    if [ -n "$(state_get port)" ] && [ "$(state_get service.ready)" = "$(state_get port)" ] && service_running; then
      return 0
    fi
    real_sleep 0.05
  done
  echo "drill: the scenario service did not start (see $DRILL_STATE/logs/service.out)" >&2
  [ -n "$port_before" ] || return 1
  return 1
}
exec_node_service() {
  rm -f "$DRILL_STATE/state/service.ready"
  if [ -n "${DRILL_NODE_ELECTRON-}" ]; then export ELECTRON_RUN_AS_NODE=1; fi
  exec -a "$DRILL_SERVICE_TITLE" "${DRILL_NODE:-node}" "$DRILL_COMMON/service.js"
}
service_stop() {
  local p
  p=$(service_pid) || return 0
  [ -n "$p" ] || return 0
  kill "$p" 2>/dev/null
  local i
  for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; real_sleep 0.05; done
  kill -9 "$p" 2>/dev/null
  rm -f "$DRILL_STATE/pids/service.pid" "$DRILL_STATE/state/service.ready"
  return 0
}
service_restart() { service_stop; service_start; }

# ---- helpers for stand-ins ---------------------------------------------------------------------------
# The real program behind a stand-in (PATH without the drill's bin directories).
real_cmd() { PATH="${DRILL_REAL_PATH:-/usr/local/bin:/usr/bin:/bin}" command -v "$1"; }
real_sleep() { "$(real_cmd sleep)" "$@"; }
# Processes started under this drill (their environment names this DRILL_STATE).
drill_pids() {
  local d pid
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [ "$pid" = "$$" ] && continue
    if { tr '\0' '\n' < "$d/environ"; } 2>/dev/null | grep -qxF "DRILL_STATE=$DRILL_STATE"; then echo "$pid"; fi
  done
}

# ---- docker compose services -------------------------------------------------------------------------
# compose_init SERVICE STATE CONTAINER IMAGE COMMAND [PORTS] (STATE: running, restarting, exited, stopped).
compose_init() {
  local svcs
  svcs=$(state_get compose.services)
  state_set compose.services "${svcs:+$svcs }$1"
  state_set "unit.$1" "$2"
  state_set "unit.$1.since" "$(( $(date +%s) - 3 * 3600 ))"
  state_set "compose.$1.container" "$3"
  state_set "compose.$1.image" "$4"
  state_set "compose.$1.command" "$5"
  state_set "compose.$1.ports" "${6-}"
}
compose_services() { state_get compose.services; }
compose_status() { # SERVICE → the STATUS column of `docker ps`
  local s=$1 st since
  st=$(unit_state "$s"); since=$(state_get "unit.$s.since" "$(now_s)")
  case "$st" in
    running) echo "Up $(human_age "$since")$(state_get "compose.$s.health" | sed 's/^./ (&/; s/$/)/; s/^ ()$//')" ;;
    restarting) echo "Restarting ($(state_get "compose.$s.exitcode" 1)) $(( $(now_s) - since < 60 ? $(now_s) - since : 12 )) seconds ago" ;;
    exited) echo "Exited ($(state_get "compose.$s.exitcode" 1)) $(human_age "$since") ago" ;;
    *) echo "Exited (0) $(human_age "$since") ago" ;;
  esac
}
human_age() {
  local d=$(( $(date +%s) - $1 ))
  if [ "$d" -ge 7200 ]; then echo "$((d / 3600)) hours"; elif [ "$d" -ge 3600 ]; then echo "About an hour"
  elif [ "$d" -ge 120 ]; then echo "$((d / 60)) minutes"; elif [ "$d" -ge 60 ]; then echo "About a minute"
  else echo "$d seconds"; fi
}
# compose_action SERVICE ACTION (start, stop, restart, up, build, kill): hooks/<service>.<action> or
# hooks/<service>.any decide, else the service simply changes state.
compose_action() {
  local svc=$1 action=$2 hook
  drill_action "docker-compose $action $svc"
  for hook in "$DRILL_SCENARIO/hooks/$svc.$action" "$DRILL_SCENARIO/hooks/$svc.any"; do
    if [ -x "$hook" ]; then "$hook" "$action"; return $?; fi
  done
  compose_default_action "$svc" "$action"
}
compose_default_action() {
  local svc=$1 action=$2
  case "$action" in
    start|restart|up) compose_set "$svc" running; container_log "$svc" "$(ts_ago 0 '%Y-%m-%d %H:%M:%S') INFO  $svc started" ;;
    stop|kill|down) compose_set "$svc" stopped ;;
    build) : ;;
  esac
  if [ "$svc" = "$(state_get service.unit)" ] && [ "$action" != build ]; then service_restart; fi
  return 0
}
compose_set() { state_set "unit.$1" "$2"; state_set "unit.$1.since" "$(date +%s)"; }
