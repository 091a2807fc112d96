"""README command 1 end to end: the first command of the README, run as an operator would, from
whatever this machine has (on CI: a clean machine, so the set-up and the fleet are built from
nothing). scripts/test runs this file next to the Molecule scenarios; `pytest tests` skips it
unless FLEET_E2E=1, because it builds and keeps the local fleet (./fleet down removes it)."""

import json
import re
import shlex
import subprocess

import pytest
from fleet_e2e import ROOT, readme_commands, why_it_failed

STEPS = ("local-fleet", "bootstrap", "https", "load-balancer", "database", "maintenance", "platform", "restore-drill", "audit")


def summary(done):
    lines = done.stdout.splitlines()
    return lines[max(i for i, line in enumerate(lines) if line.startswith("fleet up: ")):]


def test_the_readme_opens_with_the_two_commands():
    assert readme_commands() == ["./fleet up", "./fleet test"]


def test_command_one_succeeds_and_ends_with_its_summary(command_one):
    done, _runs = command_one
    # The reason first (the CLI names the failed host, task and message on stderr), then the end of the story.
    assert done.returncode == 0, why_it_failed(done)
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


def report_of(done, step):
    """STEP's report.md: in the record its summary line names, which the Reports line says has one."""
    lines = summary(done)
    (reports,) = [line for line in lines if line.startswith("Reports:")]
    assert step in re.split(r", |; ", reports.split(" of ", 1)[1]), reports
    (line,) = [line for line in lines if re.match(rf"\s+\d+:\d\d\s+exit 0\s+\S+-{step}\s+fleet {step}\b", line)]
    return ROOT / line.split()[3] / "report" / "report.md"


def test_the_summary_names_the_runbooks_report_with_its_recorded_override(command_one):
    done, _runs = command_one
    report = report_of(done, "maintenance")
    assert report.name == "report.md" and report.is_file()
    kept = json.loads((report.parent / "report.json").read_text())
    assert kept["status"] == "succeeded"
    assert kept["override"] == "fleet up: the local fleet runs the runbook outside the window"


def test_the_audit_passed_and_says_which_checks_the_local_endpoint_cannot_answer(command_one):
    done, _runs = command_one
    report = json.loads((report_of(done, "audit").parent / "report.json").read_text())
    status = {check["check"]: check["status"] for check in report["checks"]}
    assert report["verdict"]["status"] == "passed" and report["verdict"]["failed"] == []
    # moto keeps no Route 53 metrics and has no composite alarms: reported as such, never as passed.
    assert status["uptime"] == "not_available" and status["autoscaling"] == "not_available"
    for check in ("backups", "security_updates", "certificates", "alarms", "security_groups", "maintenance", "restore_drill"):
        assert status[check] == "passed", (check, report["checks"])


def test_the_restore_drill_restored_and_deleted_its_copy(command_one):
    done, _runs = command_one
    drill = json.loads((report_of(done, "restore-drill").parent / "report.json").read_text())
    assert drill["status"] == "succeeded" and drill["deleted"] is True and drill["within_target"] is True


@pytest.mark.parametrize("label", ["HTTPS:", "Via LB:"])
def test_the_printed_way_to_reach_the_app_answers(command_one, label):
    done, _runs = command_one
    (line,) = [line for line in summary(done) if line.startswith(label)]
    command = shlex.split(line.split(":", 1)[1])
    reached = subprocess.run([*command, "--fail", "--silent", "--show-error", "--max-time", "10"], cwd=ROOT,
                             capture_output=True, text=True, check=False)
    assert reached.returncode == 0, reached.stderr
