# Shared helpers for the project's shell entry points: visible steps, timing, failure reporting.
# Sourced, never executed.

FLEET_ROOT="${FLEET_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
FLEET_VENV="${FLEET_VENV:-$FLEET_ROOT/.venv}"
FLEET_STATE="${FLEET_STATE:-$FLEET_ROOT/.fleet}"
export FLEET_ROOT FLEET_VENV FLEET_STATE

_step_name=""
_step_started=0

log() { printf '%s\n' "$*" >&2; }

# step NAME: announce a step; the ERR trap reports which step failed and why.
step() {
  _step_name="$1"
  _step_started=$(date +%s)
  printf '==> %s\n' "$_step_name" >&2
}

step_done() {
  local detail="${1:-}"
  printf '    done in %ss%s\n' "$(( $(date +%s) - _step_started ))" "${detail:+ ($detail)}" >&2
}

die() {
  printf 'FAILED: %s: %s\n' "${_step_name:-set-up}" "$*" >&2
  exit 1
}

_on_error() {
  local rc=$? line=$1 cmd=$2
  printf 'FAILED: step "%s": command `%s` exited %s (line %s of %s)\n' \
    "${_step_name:-?}" "$cmd" "$rc" "$line" "${BASH_SOURCE[1]:-?}" >&2
  exit "$rc"
}

enable_error_reporting() {
  set -Eeuo pipefail
  trap '_on_error "$LINENO" "$BASH_COMMAND"' ERR
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# run_logged LOGFILE CMD...: keep noisy output out of the console but show its tail on failure.
run_logged() {
  local logfile="$1"; shift
  if ! "$@" >"$logfile" 2>&1; then
    log "---- last lines of $logfile ----"
    tail -n 25 "$logfile" >&2
    die "'$*' failed, full log in $logfile"
  fi
}

activate_venv() {
  # shellcheck disable=SC1091
  . "$FLEET_VENV/bin/activate"
  export ANSIBLE_CONFIG="$FLEET_ROOT/ansible.cfg"
}
