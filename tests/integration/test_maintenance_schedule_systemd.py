"""The controller's maintenance timers through real `ansible-playbook` runs of
playbooks/maintenance_schedule.yml into a temporary unit folder (no systemctl): the unit files,
idempotence, check mode, bad input refused before anything is written, `systemd-analyze verify`,
and both calendars compared by `systemd-analyze calendar` with the window logic for 24 months."""

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from plugins.filter import fleet_window as fw

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = ROOT / "playbooks" / "maintenance_schedule.yml"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
UNITS = ("fleet-maintenance.timer", "fleet-maintenance.service",
         "fleet-maintenance-notice.timer", "fleet-maintenance-notice.service")
SECRET = "AWS_SECRET_ACCESS_KEY=never-in-a-unit-file"

Run = namedtuple("Run", "rc tasks changed failed output")


def play(extra_vars, *options):
    out = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", "localhost,", str(PLAYBOOK), "-e", json.dumps(extra_vars), *options],
        cwd=ROOT,
        env=dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1",
                 ANSIBLE_CONFIG=str(ROOT / "ansible.cfg")),
        capture_output=True, text=True, timeout=300,
    )
    output = out.stdout + out.stderr
    assert "{" in out.stdout, "ansible-playbook gave no report:\n" + output
    report, _end = json.JSONDecoder().raw_decode(out.stdout[out.stdout.index("{"):])
    tasks = [dict(task["hosts"]["localhost"], name=task["task"]["name"].split(" : ", 1)[-1])
             for p in report["plays"] for task in p["tasks"] if "localhost" in task["hosts"]]
    stats = report["stats"]["localhost"]
    return Run(out.returncode, tasks, stats["changed"], stats["failures"], output)


def variables(tmp_path):
    """Variables for a run into TMP_PATH/units, with a secrets file of mode 0600."""
    env_file = tmp_path / "maintenance.env"
    env_file.write_text(SECRET + "\n")
    env_file.chmod(0o600)
    return {
        "maintenance_schedule_inventory": "inventories/production",
        "maintenance_schedule_user": "root",
        "maintenance_schedule_environment_file": str(env_file),
        "maintenance_schedule_unit_dir": str(tmp_path / "units"),
        "maintenance_schedule_systemctl": "false",
    }


@pytest.fixture()
def schedule(tmp_path):
    return variables(tmp_path)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The unit files of one run, shared by the tests that only read them."""
    extra = variables(tmp_path_factory.mktemp("schedule"))
    run = play(extra)
    assert run.rc == 0, run.output
    return Path(extra["maintenance_schedule_unit_dir"])


def units(directory):
    return {name: (Path(directory) / name).read_text() for name in UNITS if (Path(directory) / name).exists()}


def setting(text, key):
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(key + "=")]


def test_the_units_are_written_once_and_hold_no_secret(schedule):
    first = play(schedule)
    assert (first.rc, first.changed) == (0, 1), first.output
    written = units(schedule["maintenance_schedule_unit_dir"])
    assert set(written) == set(UNITS)
    runbook_timer, runbook, notice_timer, notice = (written[u] for u in UNITS)
    assert setting(runbook_timer, "OnCalendar") == [fw.runbook_oncalendar()]
    assert setting(notice_timer, "OnCalendar") == [fw.notice_oncalendar()]
    for timer, service in ((runbook_timer, "fleet-maintenance.service"), (notice_timer, "fleet-maintenance-notice.service")):
        assert setting(timer, "Persistent") == ["false"]
        assert setting(timer, "AccuracySec") == ["1s"]
        assert setting(timer, "Unit") == [service]
        assert setting(timer, "WantedBy") == ["timers.target"]
    assert setting(runbook, "ExecStart") == [
        f"{ROOT}/.venv/bin/ansible-playbook -i inventories/production {ROOT}/playbooks/maintenance.yml"]
    assert setting(notice, "ExecStart") == [
        f"{ROOT}/.venv/bin/ansible-playbook -i inventories/production {ROOT}/playbooks/maintenance_notice.yml"]
    for service in (runbook, notice):
        assert setting(service, "User") == ["root"]
        assert setting(service, "WorkingDirectory") == [str(ROOT)]
        assert setting(service, "EnvironmentFile") == [schedule["maintenance_schedule_environment_file"]]
        assert setting(service, "Type") == ["oneshot"]
        assert setting(service, "KillSignal") == ["SIGINT"]
    assert not any(SECRET.split("=")[1] in text for text in written.values())
    assert SECRET.split("=")[1] not in first.output

    second = play(schedule)
    assert (second.rc, second.changed) == (0, 0), second.output
    # a converged schedule in check mode: nothing to change
    check = play(schedule, "--check", "--diff")
    assert (check.rc, check.changed) == (0, 0), check.output


def test_check_mode_writes_nothing(schedule):
    run = play(schedule, "--check")
    assert (run.rc, run.changed) == (0, 1), run.output
    assert not Path(schedule["maintenance_schedule_unit_dir"]).exists()


def test_extra_arguments_and_no_environment_file(schedule):
    run = play(dict(schedule, maintenance_schedule_environment_file="",
                    maintenance_schedule_runbook_args=["-e", "maintenance_app_version=1.1"]))
    assert run.rc == 0, run.output
    written = units(schedule["maintenance_schedule_unit_dir"])
    assert setting(written["fleet-maintenance.service"], "ExecStart")[0].endswith(
        "playbooks/maintenance.yml -e maintenance_app_version=1.1")
    assert setting(written["fleet-maintenance.service"], "EnvironmentFile") == []


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed on this machine")
def test_systemd_accepts_the_units(rendered):
    directory = rendered
    done = subprocess.run([SYSTEMD_ANALYZE, "verify", *(str(directory / u) for u in UNITS)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr.strip()) == (0, ""), done.stderr


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"maintenance_schedule_user": "nobody-here"},
         "maintenance_schedule_user 'nobody-here' is not an account on the controller"),
        ({"maintenance_schedule_inventory": "inventories/nowhere"},
         f"maintenance_schedule_inventory 'inventories/nowhere' is not a file or folder in {ROOT}"),
        ({"maintenance_schedule_environment_file": "/nonexistent/maintenance.env"},
         "maintenance_schedule_environment_file '/nonexistent/maintenance.env' is not a file on the controller"),
        ({"maintenance_schedule_runbook_args": ["-e", "reason=two words"]},
         "maintenance_schedule_runbook_args[1] 'reason=two words' is not one word"),
        ({"maintenance_schedule_unit_dir": "units"}, "maintenance_schedule_unit_dir 'units' is not an absolute path"),
    ],
)
def test_bad_input_is_refused_before_anything_is_written(schedule, change, expected):
    run = play(dict(schedule, **change))
    assert (run.rc, run.failed) == (2, 1), run.output
    failed = next(t for t in run.tasks if t.get("failed"))
    assert failed["name"] == "Check the maintenance_schedule input"
    assert expected in failed["msg"], failed["msg"]
    assert not Path(schedule["maintenance_schedule_unit_dir"]).exists()


def test_a_secrets_file_readable_by_everyone_is_refused(schedule):
    Path(schedule["maintenance_schedule_environment_file"]).chmod(0o644)
    run = play(schedule)
    assert run.rc == 2
    assert "is readable or writable by every user (mode 0644): it holds secrets" in \
        next(t for t in run.tasks if t.get("failed"))["msg"]


# --- the calendars against systemd ----------------------------------------------------------


def systemd_elapses(expression, base, iterations=24):
    """The next ITERATIONS times systemd computes for EXPRESSION after BASE, as aware UTC datetimes."""
    done = subprocess.run(
        [SYSTEMD_ANALYZE, "calendar", f"--iterations={iterations}", f"--base-time={base:%Y-%m-%d %H:%M:%S} UTC",
         expression],
        capture_output=True, text=True, timeout=60, check=True, env=dict(os.environ, TZ="UTC"),
    )
    found = re.findall(r"^\s*(?:Next elapse|Iter\. #\d+): \w{3} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$", done.stdout, re.M)
    return [dt.datetime.strptime(t, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc) for t in found]


BASES = [
    dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),  # 2026-2027: four windows start on the previous month's last day
    dt.datetime(2027, 7, 31, 20, 0, tzinfo=dt.timezone.utc),  # inside such a window
    dt.datetime(2027, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc),  # 2028-2029
    dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
]


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed on this machine")
@pytest.mark.parametrize("base", BASES, ids=lambda b: f"{b:%Y-%m-%dT%H:%M:%SZ}")
def test_systemd_fires_the_timers_when_the_window_logic_says_for_24_months(rendered, base):
    written = units(rendered)
    [runbook] = setting(written["fleet-maintenance.timer"], "OnCalendar")
    [notice] = setting(written["fleet-maintenance-notice.timer"], "OnCalendar")
    # systemd names the next elapse strictly after the base time; windows_after also counts a
    # window in progress, which has started already.
    windows = [w.start for w in fw.windows_after(base, 26) if w.start > base][:24]
    notices = [n for n in (fw.notice_moment(w.start) for w in fw.windows_after(base, 26)) if n > base][:24]
    assert systemd_elapses(runbook, base) == windows
    assert systemd_elapses(notice, base) == notices
    assert len(windows) == len(notices) == 24


# --- against a running systemd ----------------------------------------------------------------

DOCKER = shutil.which("docker")
IMAGE = "fleet-systemd:debian12"


def docker_ready():
    if DOCKER is None:
        return False
    return subprocess.run([DOCKER, "image", "inspect", IMAGE], capture_output=True, check=False).returncode == 0


@pytest.fixture()
def systemd_host():
    """A systemd container (the project's test image, started as roles/local_fleet starts one) with a
    stand-in project in /srv/fleet, an account `ops` and a secrets file."""
    name = f"fleet-schedule-test-{os.getpid()}"
    subprocess.run(
        [DOCKER, "run", "-d", "--name", name, "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN",
         "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined", "--cgroupns", "host",
         "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/run/lock",
         "--stop-signal", "SIGRTMIN+3", IMAGE, "/lib/systemd/systemd"],
        check=True, capture_output=True,
    )
    try:
        script = (
            "for i in $(seq 50); do systemctl is-system-running 2>/dev/null | grep -qE 'running|degraded' && break;"
            " sleep 0.2; done; useradd -m ops; mkdir -p /srv/fleet/playbooks /srv/fleet/inventories/production"
            " /srv/fleet/.venv/bin /etc/fleet; touch /srv/fleet/playbooks/maintenance.yml"
            " /srv/fleet/playbooks/maintenance_notice.yml; printf '#!/bin/sh\\necho ran as $(id -un): \"$@\" $SECRET_SEEN\\n'"
            " > /srv/fleet/.venv/bin/ansible-playbook; chmod 755 /srv/fleet/.venv/bin/ansible-playbook;"
            " echo SECRET_SEEN=yes > /etc/fleet/maintenance.env; chmod 600 /etc/fleet/maintenance.env"
        )
        subprocess.run([DOCKER, "exec", name, "sh", "-c", script], check=True, capture_output=True, timeout=60)
        yield name
    finally:
        subprocess.run([DOCKER, "rm", "-f", name], capture_output=True, check=False)


def in_container(name, *argv):
    return subprocess.run([DOCKER, "exec", name, *argv], capture_output=True, text=True, check=False).stdout.strip()


def play_on(name, tmp_path, *options):
    playbook = tmp_path / "schedule.yml"
    playbook.write_text(
        "- name: The schedule against a running systemd\n  hosts: all\n  gather_facts: false\n  roles:\n"
        "    - role: maintenance_schedule\n      maintenance_schedule_project_dir: /srv/fleet\n"
        "      maintenance_schedule_inventory: inventories/production\n      maintenance_schedule_user: ops\n"
    )
    out = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", f"{name},", str(playbook), "-e", "ansible_connection=community.docker.docker",
         "-e", "ansible_python_interpreter=/usr/bin/python3", *options],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1",
                 ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_ROLES_PATH=str(ROOT / "roles")),
    )
    assert "{" in out.stdout, out.stdout + out.stderr
    report, _end = json.JSONDecoder().raw_decode(out.stdout[out.stdout.index("{"):])
    stats = report["stats"][name]
    changed_items = [r["item"]["name"] for p in report["plays"] for t in p["tasks"]
                     for r in t["hosts"].get(name, {}).get("results", []) if r.get("changed")]
    return out.returncode, stats["changed"], changed_items, out.stdout + out.stderr


@pytest.mark.skipif(not docker_ready(), reason=f"no Docker engine with the image {IMAGE} (./fleet test's set-up builds it)")
def test_the_timers_under_a_running_systemd(systemd_host, tmp_path):
    rc, changed, _items, output = play_on(systemd_host, tmp_path, "--check")
    assert (rc, changed) == (0, 1), output
    assert "fleet-maintenance" not in in_container(systemd_host, "ls", "/etc/systemd/system")

    rc, changed, items, output = play_on(systemd_host, tmp_path)
    assert (rc, changed, items) == (0, 2, ["fleet-maintenance", "fleet-maintenance-notice"]), output
    timers = ("fleet-maintenance.timer", "fleet-maintenance-notice.timer")
    assert in_container(systemd_host, "systemctl", "is-enabled", *timers).split() == ["enabled", "enabled"]
    assert in_container(systemd_host, "systemctl", "is-active", *timers).split() == ["active", "active"]
    # systemd's own next elapse is the window logic's
    now = dt.datetime.now(dt.timezone.utc)
    elapses = {}
    for timer in timers:
        shown = in_container(systemd_host, "env", "TZ=UTC", "systemctl", "show", "-P", "NextElapseUSecRealtime", timer)
        elapses[timer] = dt.datetime.strptime(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", shown).group(),
                                              "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc)
    assert elapses[timers[0]] == next(
        w.start for w in fw.windows_after(now, 2) if w.start > now)
    assert elapses[timers[1]] == next(
        n for n in (fw.notice_moment(w.start) for w in fw.windows_after(now, 3)) if n > now)

    assert play_on(systemd_host, tmp_path)[:2] == (0, 0)
    assert play_on(systemd_host, tmp_path, "--check", "--diff")[:2] == (0, 0)

    # the service runs the playbook as the account, with the secrets file's environment
    in_container(systemd_host, "systemctl", "start", "fleet-maintenance.service")
    assert in_container(systemd_host, "systemctl", "show", "-P", "Result", "fleet-maintenance.service") == "success"
    journal = in_container(systemd_host, "journalctl", "-u", "fleet-maintenance.service", "-o", "cat", "--no-pager")
    assert "ran as ops: -i inventories/production /srv/fleet/playbooks/maintenance.yml yes" in journal

    # drift: a stopped timer is started again, and only that one
    in_container(systemd_host, "systemctl", "stop", "fleet-maintenance-notice.timer")
    rc, changed, items, output = play_on(systemd_host, tmp_path)
    assert (rc, items) == (0, ["fleet-maintenance-notice"]), output
    assert in_container(systemd_host, "systemctl", "is-active", "fleet-maintenance-notice.timer") == "active"

    # off: both stopped and disabled, then nothing more to do
    rc, changed, items, output = play_on(systemd_host, tmp_path, "-e", "maintenance_schedule_enabled=false")
    assert (rc, items) == (0, ["fleet-maintenance", "fleet-maintenance-notice"]), output
    assert in_container(systemd_host, "systemctl", "is-enabled", *timers).split() == ["disabled", "disabled"]
    assert in_container(systemd_host, "systemctl", "is-active", *timers).split() == ["inactive", "inactive"]
    assert play_on(systemd_host, tmp_path, "-e", "maintenance_schedule_enabled=false")[:2] == (0, 0)
