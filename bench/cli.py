#!/usr/bin/env python3
"""Benchmark: the operator CLI's own cost per run over plain ansible-playbook.

Both run the same no-op: playbooks/maintenance.yml against the local fleet's inventory outside
the window without an override, which validates the input and stops at the window guard,
changing nothing (the fleet need not be up: nothing reaches a host). Each is run BENCH_RUNS
times (default 7), alternating, and the medians and their difference are printed. Goal: under
1 second. Run from the project root after scripts/setup:

    .venv/bin/python bench/cli.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def timed(argv, env):
    started = time.monotonic()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    return time.monotonic() - started, done.returncode


def main():
    runs_dir = Path(tempfile.mkdtemp(prefix="bench-cli-runs-"))
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "PATH": f"{BIN}:{os.environ['PATH']}",
           "FLEET_RUNS_DIR": str(runs_dir)}
    plain = [str(BIN / "ansible-playbook"), "-i", str(ROOT / "inventories" / "local"), str(ROOT / "playbooks" / "maintenance.yml")]
    cli = [str(BIN / "fleet"), "maintenance", "--env", "local"]
    times = {"ansible-playbook": [], "fleet": []}
    codes = {"ansible-playbook": set(), "fleet": set()}
    try:
        for _ in range(RUNS):
            for name, argv in (("ansible-playbook", plain), ("fleet", cli)):
                seconds, code = timed(argv, env)
                times[name].append(seconds)
                codes[name].add(code)
    finally:
        shutil.rmtree(runs_dir, ignore_errors=True)
    for name, values in times.items():
        print(f"{name:>16}: median {statistics.median(values):.2f} s over {RUNS} runs"
              f" (min {min(values):.2f}, max {max(values):.2f}; exit codes {sorted(codes[name])})")
    extra = statistics.median(times["fleet"]) - statistics.median(times["ansible-playbook"])
    print(f"the CLI's own cost per run: {extra:+.2f} s (goal under 1 s); fleet exits 3 (refused by the window guard),"
          " ansible-playbook 2")


if __name__ == "__main__":
    main()
