"""AWX / Automation Platform as code: the execution environment renders into a build context
(ansible-builder create, the pinned ansible-builder), its pins are the controller's, the AWX
playbook parses, and the schedules' RRULEs, rendered by Ansible from awx/vars.yml, fire exactly
at the window logic's moments for 24 months."""

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from dateutil import rrule as dateutil_rrule
from dateutil import tz

from plugins.filter import fleet_window

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
ENV = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
       "ANSIBLE_STDOUT_CALLBACK": "json"}


def pins(path):
    lines = [line.split("#")[0].strip() for line in Path(path).read_text().splitlines()]
    return dict(line.split("==") for line in lines if "==" in line)


def test_ansible_builder_renders_the_build_context(tmp_path):
    done = subprocess.run([str(BIN / "ansible-builder"), "create", "-f", "execution-environment.yml", "-c", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    containerfile = next(tmp_path.glob("[CD]*file")).read_text()
    assert "quay.io/centos/centos:stream9" in containerfile
    assert "ansible-core==2.19.14" in containerfile and "ansible-runner==2.4.3" in containerfile
    assert yaml.safe_load((tmp_path / "_build" / "requirements.yml").read_text()) == yaml.safe_load(
        (ROOT / "requirements.yml").read_text())
    assert "boto3==1.44.8" in (tmp_path / "_build" / "requirements.txt").read_text()
    assert "openssh-clients [platform:rpm]" in (tmp_path / "_build" / "bindep.txt").read_text()


def test_the_execution_environment_pins_are_the_controllers():
    controller = pins(ROOT / "requirements.txt")
    for name, version in pins(ROOT / "execution-environment" / "requirements.txt").items():
        assert controller.get(name) == version, name
    ee = yaml.safe_load((ROOT / "execution-environment.yml").read_text())["dependencies"]
    assert ee["ansible_core"]["package_pip"] == f"ansible-core=={controller['ansible-core']}"
    assert ee["ansible_runner"]["package_pip"] == f"ansible-runner=={controller['ansible-runner']}"


def test_the_awx_playbook_parses():
    done = subprocess.run([str(BIN / "ansible-playbook"), "--syntax-check", "awx/configure.yml"], cwd=ROOT,
                          env={**ENV, "ANSIBLE_STDOUT_CALLBACK": "default"}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def rendered_schedules():
    """awx_schedules as Ansible renders them (the rules come from the fleet_window_rrule filter)."""
    done = subprocess.run([str(BIN / "ansible"), "localhost", "-m", "ansible.builtin.debug", "-a", "var=awx_schedules",
                           "-e", "@awx/vars.yml"], cwd=ROOT, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    # The JSON document, then the timer callback's line.
    result = json.JSONDecoder().raw_decode(done.stdout)[0]["plays"][0]["tasks"][0]["hosts"]["localhost"]
    return {item["job_template"]: item["rrule"] for item in result["awx_schedules"]}


def occurrences(rule, count):
    # dateutil reads DTSTART;TZID=... and RRULE as AWX does; the zone from the tz database.
    parsed = dateutil_rrule.rrulestr(rule.replace(" RRULE:", "\nRRULE:"), tzids=tz.gettz)
    return [moment.astimezone(fleet_window.UTC) for moment in parsed[:count]]


def test_the_maintenance_schedule_fires_at_every_window_start_for_24_months():
    rule = rendered_schedules()["maintenance"]
    assert rule.startswith("DTSTART;TZID=Asia/Jakarta:")
    first = occurrences(rule, 1)[0]
    windows = list(fleet_window.windows_after(first, 24))
    assert occurrences(rule, 24) == [window.start for window in windows]
    # Among them the months whose window starts on the previous month's last day in UTC.
    assert any(window.start.day > 20 for window in windows)


def test_the_notice_schedule_fires_7_days_before_every_window_for_24_months():
    schedules = rendered_schedules()
    windows = list(fleet_window.windows_after(occurrences(schedules["maintenance"], 1)[0], 24))
    assert occurrences(schedules["notice"], 24) == [fleet_window.notice_moment(window.start) for window in windows]


@pytest.mark.parametrize("job, after", [("restore-drill", dt.timedelta(minutes=30)), ("audit", dt.timedelta(hours=2))])
def test_the_drill_and_the_audit_follow_every_window_for_24_months(job, after):
    schedules = rendered_schedules()
    windows = list(fleet_window.windows_after(occurrences(schedules["maintenance"], 1)[0], 24))
    assert occurrences(schedules[job], 24) == [window.end + after for window in windows]


def test_an_unknown_schedule_is_refused():
    with pytest.raises(ValueError, match="no schedule named 'weekly'"):
        fleet_window.rrule("weekly")
