"""Every run's record: runs/<env>/<UTC timestamp>-<subcommand>/ (FLEET_RUNS_DIR moves runs/).

A record holds ansible-runner's artifacts (job events, stdout, status, rc) under artifacts/,
and run.json: the command line, the project's git commit, the operator, start and end, the
outcome and exit code, and the runbook's report folder when the run wrote one (copied in).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import subprocess
from pathlib import Path

from fleet_cli.outcome import BadInput

ROOT = Path(__file__).resolve().parent.parent


def runs_dir():
    return Path(os.environ.get("FLEET_RUNS_DIR") or ROOT / "runs")


def state_dir():
    """The controller's working state (the set-up's FLEET_STATE): .fleet/ unless set."""
    return Path(os.environ.get("FLEET_STATE") or ROOT / ".fleet")


def operator():
    """Who ran it: FLEET_OPERATOR, else the login (SUDO_USER first, so that sudo keeps the person)."""
    for name in ("FLEET_OPERATOR", "SUDO_USER", "USER", "LOGNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def git_commit():
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=False)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return "unknown (not a git checkout)"
    return done.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def new_record(env, subcommand, now=None):
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    path = runs_dir() / env / f"{stamp}-{subcommand}"
    suffix = 1
    while path.exists():
        suffix += 1
        path = runs_dir() / env / f"{stamp}-{subcommand}-{suffix}"
    path.mkdir(parents=True)
    return path


def write(record, meta):
    (record / "run.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")


def read(record):
    return json.loads((record / "run.json").read_text())


def all_records(env):
    """The env's records, oldest first (their names sort by time)."""
    folder = runs_dir() / env
    return sorted(p for p in folder.iterdir() if (p / "run.json").is_file()) if folder.is_dir() else []


def find(env, name=None):
    """The newest record, or the one whose folder name is or starts with NAME."""
    found = all_records(env)
    if name:
        found = [p for p in found if p.name == name or p.name.startswith(name)]
    if not found:
        raise LookupError(f"no run record{' ' + repr(name) if name else ''} in {runs_dir() / env}")
    return found[-1]


def kept_count():
    """How many records an environment keeps: FLEET_RUNS_KEEP, 50 by default."""
    value = os.environ.get("FLEET_RUNS_KEEP", "50")
    if not value.isdigit() or int(value) < 1:
        raise BadInput(f"FLEET_RUNS_KEEP={value!r} is not a whole number of records, at least 1")
    return int(value)


def prune(env, keep):
    """Removes records past the newest KEEP, never the newest failed one. Returns what went."""
    found = all_records(env)
    failed = [p for p in found if read(p).get("exit_code") not in (0, None)]
    spared = {failed[-1]} if failed else set()
    gone = [p for p in found[:-keep] if p not in spared] if keep > 0 else []
    for path in gone:
        shutil.rmtree(path)
    return gone


def keep_report(record, report_dir):
    """The runbook's report (report.json, report.md) copied into the record."""
    if report_dir and Path(report_dir).is_dir():
        shutil.copytree(report_dir, record / "report", dirs_exist_ok=True)
        return str(record / "report")
    return None
