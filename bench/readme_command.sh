#!/usr/bin/env bash
# Benchmark: README command 1 (./fleet up) cold and warm, with the time of each of its steps.
#   bench/readme_command.sh            cold = the local fleet removed first (the set-up is kept)
#   bench/readme_command.sh --nothing  cold = also the virtual environment and the fleet images
#                                      removed first, as on a machine where nothing is built
# Then the same command again (warm: the fleet up, nothing to do). Prints the wall times and
# fleet up's own summary table of each run; the outputs are kept in $BENCH_DIR (default: a new
# folder under /tmp). It removes the local fleet: not while a test suite uses it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="${BENCH_DIR:-$(mktemp -d /tmp/bench-readme.XXXXXX)}"
mkdir -p "$work"

./fleet down >"$work/down.log" 2>&1
if [ "${1:-}" = --nothing ]; then
  rm -rf .venv
  docker image rm -f fleet-systemd:debian12 fleet-systemd:debian13 fleet-base:debian12 fleet-base:debian13 >/dev/null 2>&1 || true
fi

measure() {
  local label="$1" started rc=0
  started=$(date +%s.%N)
  ./fleet up >"$work/$label.log" 2>&1 || rc=$?
  printf '%-6s %7.1f s  exit %s  (output: %s)\n' "$label" "$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$rc" "$work/$label.log"
  sed -n '/^fleet up: /,/^Reports:/p' "$work/$label.log" | sed 's/^/    /'
  [ "$rc" -eq 0 ]
}

measure cold
measure warm
