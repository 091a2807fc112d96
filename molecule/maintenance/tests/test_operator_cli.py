"""The operator CLI (`fleet`, on ansible-runner) against this scenario's fleet: the exit codes
that need hosts - a failing host (1) and an interrupt (130, the cleanup run, nobody drained)."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import EPHEMERAL, SCENARIO, downgrade, installed_version, wait_until

FLEET = Path(sys.executable).parent / "fleet"


def fleet(*args, runs):
    command = [str(FLEET), "maintenance", "--env", "mnt", "--inventory", str(EPHEMERAL / "inventory"), *args]
    env = {**os.environ, "FLEET_RUNS_DIR": str(runs), "PATH": f"{FLEET.parent}:{os.environ['PATH']}"}
    return subprocess.Popen(command, cwd=SCENARIO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_host_that_fails_exits_1_naming_it(apps, haproxy, tmp_path):
    # nginx answers 404 on a path it does not serve: the canary's health check fails after its drain.
    run = fleet("--override-reason", "cli: a failing host", "-e", "maintenance_app_server_health_path=/no-such-page",
                "-e", "maintenance_app_server_health_timeout=6", runs=tmp_path)
    output, _ = run.communicate(timeout=900)
    assert run.returncode == 1, output[-3000:]
    assert re.search(r"fleet: mnt-app1: failed host at '.*health check again'", output), output[-3000:]
    assert haproxy.statuses()["mnt-app1"] == "MAINT"
    assert haproxy.statuses()["mnt-app2"] == haproxy.statuses()["mnt-app3"] == "UP"


def test_ctrl_c_exits_130_after_the_cleanup_put_the_host_back(apps, haproxy, tmp_path):
    downgrade(apps["mnt-app1"], "fleet-demo-tool")
    run = fleet("--override-reason", "cli: interrupted", runs=tmp_path)
    wait_until(lambda: run.poll() is not None or haproxy.statuses().get("mnt-app1", "").startswith("DRAIN"), 600, "mnt-app1 drained")
    assert run.poll() is None
    time.sleep(2)
    run.send_signal(signal.SIGINT)
    output, _ = run.communicate(timeout=300)
    assert run.returncode == 130, output[-3000:]
    assert "running playbooks/maintenance_cleanup.yml" in output and "run the same command again" in output
    assert haproxy.statuses()["mnt-app1"] == "UP"
    (record,) = (tmp_path / "mnt").iterdir()
    assert (record / "artifacts" / "maintenance_cleanup" / "status").read_text() == "successful"
    # The interrupted host resumes in a second run of the same command.
    again = fleet("--override-reason", "cli: interrupted", runs=tmp_path)
    output, _ = again.communicate(timeout=900)
    assert again.returncode == 0, output[-3000:]
    assert installed_version(apps["mnt-app1"], "fleet-demo-tool") == "1.1"
