#!/usr/bin/env bash
# The controller-side stand-ins the local fleet's runbook talks to, on the loopback only:
#   moto_server   the AWS endpoint (scripts/moto_server.py)    127.0.0.1:${FLEET_MOTO_PORT:-5055}
#   mail sink     SMTP that keeps what it receives             127.0.0.1:${FLEET_SMTP_PORT:-2525}, mail in .fleet/mail/
#
#   scripts/local_services.sh start    start what is not running, wait until it answers, then
#                                      create the local AWS resources (scripts/local_aws.py)
#   scripts/local_services.sh stop     stop what this script started (by its pid file)
#   scripts/local_services.sh status   one line per service
#
# Pid files and logs are in .fleet/services/ ($FLEET_STATE/services); FLEET_AWS_SETTINGS names
# another settings file for scripts/local_aws.py (a Molecule scenario's own names).
# Idempotent: a running service is left alone; a port already taken by another program is a failure that names it. `./fleet up` runs start before the
# playbooks, `./fleet down` runs stop.
source "$(dirname "$0")/lib.sh"
enable_error_reporting

services_dir="$FLEET_STATE/services"
moto_port="${FLEET_MOTO_PORT:-5055}"
smtp_port="${FLEET_SMTP_PORT:-2525}"
mail_dir="$FLEET_STATE/mail"
python="$FLEET_VENV/bin/python"

# pid_of NAME: the pid in NAME's pid file when that process still runs the command it was started with.
pid_of() {
  local pidfile="$services_dir/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(cat "$services_dir/$1.cmd")" || return 1
  echo "$pid"
}

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

moto_answers() { curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$moto_port/moto-api/" 2>/dev/null; }

# start_service NAME PORT ANSWERS_FUNCTION COMMAND...: start COMMAND in the background unless it runs.
start_service() {
  local name="$1" port="$2" answers="$3"; shift 3
  local log="$services_dir/$name.log" pid
  if pid=$(pid_of "$name"); then
    log "    $name: running (pid $pid)"
  else
    if port_open "$port"; then
      die "$name: 127.0.0.1:$port is taken by another program (not started by this script); free it or set another port"
    fi
    printf '%s\n' "$*" >"$services_dir/$name.cmd"
    setsid nohup "$@" >>"$log" 2>&1 </dev/null &
    echo $! >"$services_dir/$name.pid"
    log "    $name: started (pid $!, log $log)"
  fi
  local deadline=$(( $(date +%s) + 30 ))
  until "$answers"; do
    if ! pid_of "$name" >/dev/null; then
      tail -n 20 "$log" >&2
      die "$name exited at start, see $log"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || die "$name does not answer on 127.0.0.1:$port after 30 s, see $log"
    sleep 0.2
  done
}

stop_service() {
  local name="$1" pid
  if pid=$(pid_of "$name"); then
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
    log "    $name: stopped (pid $pid)"
  else
    log "    $name: not running"
  fi
  rm -f "$services_dir/$name.pid" "$services_dir/$name.cmd"
}

status_service() {
  local name="$1" port="$2" pid
  if pid=$(pid_of "$name"); then
    echo "$name: running, pid $pid, 127.0.0.1:$port"
  else
    echo "$name: stopped"
  fi
}

mail_sink_present() { [ -f "$FLEET_ROOT/scripts/mail_sink.py" ]; }
smtp_answers() { port_open "$smtp_port"; }

case "${1:-}" in
  start)
    mkdir -p "$services_dir" "$mail_dir"
    step "local services: moto_server on 127.0.0.1:$moto_port, SMTP sink on 127.0.0.1:$smtp_port"
    start_service moto_server "$moto_port" moto_answers \
      "$FLEET_VENV/bin/python" "$FLEET_ROOT/scripts/moto_server.py" -H 127.0.0.1 -p "$moto_port"
    if mail_sink_present; then
      start_service mail_sink "$smtp_port" smtp_answers \
        "$python" "$FLEET_ROOT/scripts/mail_sink.py" --host 127.0.0.1 --port "$smtp_port" --dir "$mail_dir"
    else
      log "    mail_sink: scripts/mail_sink.py is not there; not started"
    fi
    "$python" "$FLEET_ROOT/scripts/local_aws.py" --endpoint-url "http://127.0.0.1:$moto_port" \
      ${FLEET_AWS_SETTINGS:+--settings "$FLEET_AWS_SETTINGS"} | sed 's/^/    /' >&2
    step_done
    ;;
  stop)
    step "local services: stop"
    stop_service mail_sink
    stop_service moto_server
    step_done
    ;;
  status)
    status_service moto_server "$moto_port"
    status_service mail_sink "$smtp_port"
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
