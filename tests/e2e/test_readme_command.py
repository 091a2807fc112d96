"""README command 1 end to end: the first command of the README, run as an operator would, from
whatever this machine has (on CI: a clean machine, so the set-up and the fleet are built from
nothing). scripts/test runs this file next to the Molecule scenarios; `pytest tests` skips it
unless FLEET_E2E=1, because it builds and keeps the local fleet (./fleet down removes it)."""

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEPS = ("local-fleet", "bootstrap", "https", "load-balancer", "database", "maintenance")

pytestmark = pytest.mark.skipif(os.environ.get("FLEET_E2E") != "1", reason="builds the local fleet: FLEET_E2E=1 (scripts/test sets it)")


def readme_commands():
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def command_one(tmp_path_factory):
    """The first command's run, with its records in a folder of the test's own."""
    command = readme_commands()[0]
    assert command == "./fleet up"
    runs = tmp_path_factory.mktemp("runs")
    env = {**os.environ, "FLEET_RUNS_DIR": str(runs), "FLEET_OPERATOR": "readme-test"}
    done = subprocess.run(shlex.split(command), cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600, check=False)
    return done, runs


def summary(done):
    lines = done.stdout.splitlines()
    return lines[max(i for i, line in enumerate(lines) if line.startswith("fleet up: ")):]


def test_the_readme_opens_with_the_two_commands():
    assert readme_commands() == ["./fleet up", "./fleet test"]


def test_command_one_succeeds_and_ends_with_its_summary(command_one):
    done, _runs = command_one
    # The reason first (the CLI names the failed host, task and message on stderr), then the end of the story.
    assert done.returncode == 0, done.stderr[-3000:] + "\n--- stdout, last lines:\n" + "\n".join(done.stdout.splitlines()[-40:])
    lines = summary(done)
    assert re.fullmatch(r"fleet up: success in \d+:\d\d \(env local\)", lines[0])
    for step in STEPS:
        assert any(re.match(rf"\s+\d+:\d\d\s+exit 0\s+\S*/local/\d{{8}}T\d{{6}}Z-{step}\s+fleet {step}\b", line)
                   for line in lines), step
    assert any("--override-reason" in line for line in lines)
    assert lines[-1].startswith("Next:") and "./fleet down" in lines[-1]
    # The summary fits on one screen with room for the steps' lines above it.
    assert len(lines) <= 30


def test_each_step_kept_its_record(command_one):
    _done, runs = command_one
    names = [path.name for path in sorted((runs / "local").iterdir())]
    for step in (*STEPS, "up"):
        assert any(re.fullmatch(rf"\d{{8}}T\d{{6}}Z-{step}", name) for name in names), (step, names)
    (up,) = [runs / "local" / name for name in names if name.endswith("-up")]
    meta = json.loads((up / "run.json").read_text())
    assert [step["command_line"][1] for step in meta["steps"]] == list(STEPS)
    assert meta["operator"] == "readme-test" and meta["exit_code"] == 0


def test_the_summary_names_the_runbooks_report_with_its_recorded_override(command_one):
    done, _runs = command_one
    (line,) = [line for line in summary(done) if line.startswith("Report:")]
    report = ROOT / line.split()[1]
    assert report.name == "report.md" and report.is_file()
    kept = json.loads((report.parent / "report.json").read_text())
    assert kept["status"] == "succeeded"
    assert kept["override"] == "fleet up: the local fleet runs the runbook outside the window"


@pytest.mark.parametrize("label", ["HTTPS:", "Via LB:"])
def test_the_printed_way_to_reach_the_app_answers(command_one, label):
    done, _runs = command_one
    (line,) = [line for line in summary(done) if line.startswith(label)]
    command = shlex.split(line.split(":", 1)[1])
    reached = subprocess.run([*command, "--fail", "--silent", "--show-error", "--max-time", "10"], cwd=ROOT,
                             capture_output=True, text=True, check=False)
    assert reached.returncode == 0, reached.stderr
