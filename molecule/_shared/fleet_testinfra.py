"""What the testinfra (plain pytest) scenarios share: polling with a bound, Ansible runs with the
scenario's own inventory (which Molecule passes to the verifier in the environment), and
HAProxy's runtime API driven with socat, as the runbook drives it. Each scenario's conftest puts
this folder on sys.path and imports from here."""

import csv
import io
import json
import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest


def wait_until(predicate, timeout, what, interval=0.2):
    """Poll PREDICATE until it returns something true, and return that; fail naming WHAT after TIMEOUT seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(interval)


def ansible_playbook(scenario, *args, timeout=900):
    """ansible-playbook in SCENARIO's folder with its inventory and the ansible.posix.json report: (rc, report, output)."""
    inventory = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "inventory"
    done = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), *args],
        env={**os.environ, "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.json"},
        capture_output=True, text=True, timeout=timeout, cwd=scenario, check=False,
    )
    start = done.stdout.find("{\n")
    report = json.JSONDecoder().raw_decode(done.stdout[start:])[0] if start >= 0 else {}
    return done.returncode, report, done.stdout + done.stderr


def assert_check_mode_changes_nothing(scenario, playbook="converge.yml"):
    rc, report, output = ansible_playbook(scenario, playbook, "--check", "--diff")
    assert rc == 0, output[-3000:]
    changed = {host: stats["changed"] for host, stats in report["stats"].items()}
    assert changed == dict.fromkeys(changed, 0), output[-3000:]


def assert_drift_repaired(scenario, variable, case):
    """drift.yml of SCENARIO for one CASE (the shared drift steps, molecule/_shared/tasks/drift.yml)."""
    rc, _report, output = ansible_playbook(scenario, "drift.yml", "-e", f"{variable}={case}")
    assert rc == 0, output[-4000:]


class HaproxyRuntime:
    """HAProxy's runtime API on HOST, for the servers SERVERS of BACKEND."""

    def __init__(self, host, servers, backend="app", socket="/run/haproxy/admin.sock"):
        self.host, self.servers, self.backend, self.socket = host, tuple(servers), backend, socket

    def api(self, command):
        return self.host.check_output(f"echo {shlex.quote(command)} | socat -t 5 stdio unix-connect:{self.socket}")

    def stat(self):
        """show stat of the backend's servers: server name -> its row (qcur, scur, status, hrsp_5xx, ...)."""
        rows = csv.DictReader(io.StringIO(self.api("show stat").lstrip("# ")))
        return {row["svname"]: row for row in rows if row["pxname"] == self.backend and row["svname"] in self.servers}

    def statuses(self):
        return {name: row["status"] for name, row in self.stat().items()}

    def status(self, server):
        return self.stat()[server]["status"]

    def servers_state(self):
        """show servers state of the backend: server name -> its fields (srv_op_state, srv_admin_state, ...)."""
        lines = self.api(f"show servers state {self.backend}").splitlines()
        header = next(line for line in lines if line.startswith("# ")).lstrip("# ").split()
        rows = [dict(zip(header, line.split())) for line in lines if line and line[0].isdigit() and " " in line]
        return {row["srv_name"]: row for row in rows}

    def set_state(self, server, state):
        out = self.api(f"set server {self.backend}/{server} state {state}")
        assert out.strip() == "", out
