"""The fleet CLI through real ansible-runner runs of the runbook that stop before any host is
reached: the window guard's refusal (exit 3) and bad input (exit 2), on a pseudo-terminal and
without one, with the record they leave and `fleet report` reading it back. A failing host and
an interrupt need the fleet: molecule/maintenance's verifier runs those."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[2]
FLEET = Path(sys.executable).parent / "fleet"
# A redraw in place: rich moves the cursor up over the lines it drew before.
CURSOR_UP = "\x1b[1A"


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "FLEET_RUNS_DIR": str(tmp_path / "runs"), "FLEET_OPERATOR": "night-shift",
            "PATH": f"{FLEET.parent}:{os.environ['PATH']}"}


# A Wednesday, outside any window, whatever day the suite runs; and a probe URL on the loopback,
# so that the pre-flight would send nothing off this machine even if the guard failed to stop it.
PINNED = ["--env", "local", "-e", "maintenance_window_now=2026-12-02T12:00:00Z",
          "-e", "maintenance_preflight_probe_url=http://127.0.0.1:9/"]


def fleet(env, *args, timeout=300):
    return subprocess.run([str(FLEET), *args], env=env, capture_output=True, text=True, timeout=timeout)


def records(env):
    return sorted((Path(env["FLEET_RUNS_DIR"]) / "local").iterdir())


def test_outside_the_window_the_run_is_refused_with_exit_3_and_a_plain_line_per_result(env):
    done = fleet(env, "maintenance", *PINNED)
    assert done.returncode == 3, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(re.fullmatch(r"\[\d+:\d\d\] localhost failed: Refuse to start outside the maintenance window.*", line) for line in lines)
    assert CURSOR_UP not in done.stdout
    assert "refused by a guard" in done.stdout and "Outside the maintenance window" in done.stderr


def test_bad_input_exits_2_naming_the_variable(env):
    done = fleet(env, "maintenance", *PINNED, "--override-reason", "cli test", "-e", "maintenance_preflight_cpu_percent=150")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "maintenance_preflight_cpu_percent 150 is not a percentage (0-100)" in done.stderr


def test_on_a_terminal_the_progress_is_redrawn_in_place(env):
    child = pexpect.spawn(str(FLEET), ["maintenance", *PINNED], env={**env, "TERM": "xterm-256color"}, encoding="utf-8", timeout=300,
                          dimensions=(40, 160))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    assert CURSOR_UP in child.before
    assert re.search(r"fleet maintenance: maintenance\.yml \(local\)\s+1/1 hosts done\s+\d+:\d\d\s+changed 0\s+failed 1", child.before)
    assert re.search(r"localhost\s+failed", child.before)


def test_the_record_keeps_the_run_and_report_reads_it_back(env):
    fleet(env, "maintenance", *PINNED)
    (record,) = records(env)
    assert re.fullmatch(r"\d{8}T\d{6}Z-maintenance", record.name)
    meta = json.loads((record / "run.json").read_text())
    assert meta["command_line"] == ["fleet", "maintenance", *PINNED]
    assert meta["operator"] == "night-shift" and meta["exit_code"] == 3
    assert re.match(r"[0-9a-f]{40}", meta["git_commit"])
    artifacts = record / "artifacts" / "maintenance"
    for name in ("stdout", "status", "rc", "command"):
        assert (artifacts / name).is_file(), name
    assert (artifacts / "status").read_text() == "failed" and list((artifacts / "job_events").glob("*.json"))
    # The environment's names are kept, never their values.
    command = json.loads((artifacts / "command").read_text())
    assert "PATH" in command["env"]["names"] and env["FLEET_RUNS_DIR"] not in json.dumps(command["env"])
    shown = fleet(env, "report", "--env", "local", timeout=60)
    assert shown.returncode == 0
    assert f"run {record.name}: fleet maintenance {' '.join(PINNED)}" in shown.stdout
    assert "operator night-shift" in shown.stdout and "(exit 3)" in shown.stdout
