"""What the end-to-end tests share besides their fixtures (tests/e2e/conftest.py)."""

import json
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_commands():
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def why_it_failed(done):
    """A failed command's reason for an assertion message: the CLI's own lines first (they name
    the failed host, task and message; CI shows only the start of a failure), then the ends of
    stderr and stdout."""
    reasons = [line for line in done.stderr.splitlines() if line.startswith("fleet")]
    return "\n".join([f"exit {done.returncode}", *reasons, "--- stderr, last lines:", *done.stderr.splitlines()[-25:],
                      "--- stdout, last lines:", *done.stdout.splitlines()[-40:]])


def fleet(runs_dir, *args, **env):
    """`fleet ARGS` as an operator runs it, its records in RUNS_DIR, with ENV added to the
    environment (moto takes any credentials: fake ones, so that none of the caller's is sent)."""
    environment = {**os.environ, "FLEET_RUNS_DIR": str(runs_dir), "AWS_ACCESS_KEY_ID": "testing",
                   "AWS_SECRET_ACCESS_KEY": "testing", **env}
    return subprocess.run([str(ROOT / ".venv" / "bin" / "fleet"), *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=900, check=False)


def last_report(runs_dir, subcommand):
    """The report.json kept in the newest record of SUBCOMMAND."""
    record = sorted((runs_dir / "local").glob(f"*-{subcommand}"))[-1]
    return json.loads((record / "report" / "report.json").read_text())
