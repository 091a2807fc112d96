"""Shared fixtures of the load balancer scenario's testinfra tests.

Every container is reached with testinfra's docker backend (docker exec as root): the names are
those of molecule.yml's platforms. Ansible runs (drift, check mode) use the scenario's own
inventory and settings, which Molecule passes to the verifier in the environment.
"""

import csv
import io
import json
import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest
import testinfra

DISTRO = os.environ.get("MOLECULE_DISTRO", "debian12")
INDEX = os.environ.get("FLEET_DISTRO_INDEX", "0")
LB_ADDRESS = f"172.29.7{INDEX}.20"
PUBLIC_NAME = "lb.test"
SOCKET = "/run/haproxy/admin.sock"
BACKEND = "app"
SERVERS = ("app1", "app2")
SCENARIO = Path(__file__).resolve().parent.parent


def container(role):
    return testinfra.get_host(f"docker://lb-{role}-{DISTRO}")


@pytest.fixture(scope="session")
def lb():
    return container("lb")


@pytest.fixture(scope="session")
def client():
    return container("client")


@pytest.fixture(scope="session")
def apps():
    return {name: container(name) for name in SERVERS}


def wait_until(predicate, timeout, what, interval=0.2):
    """Poll PREDICATE until it returns something true; fail naming WHAT after TIMEOUT seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(interval)


class Haproxy:
    """The runtime API of the load balancer, driven with socat as the runbook drives it."""

    def __init__(self, host):
        self.host = host

    def api(self, command):
        return self.host.check_output(f"echo {shlex.quote(command)} | socat -t 5 stdio unix-connect:{SOCKET}")

    def stat(self):
        """show stat of the app backend's servers: server name -> its row (pxname, svname, qcur, scur, status, ...)."""
        text = self.api("show stat").lstrip("# ")
        rows = csv.DictReader(io.StringIO(text))
        return {row["svname"]: row for row in rows if row["pxname"] == BACKEND and row["svname"] in SERVERS}

    def status(self, server):
        return self.stat()[server]["status"]

    def servers_state(self):
        """show servers state of the app backend: server name -> its fields (srv_op_state, srv_admin_state, ...)."""
        lines = self.api(f"show servers state {BACKEND}").splitlines()
        header = next(line for line in lines if line.startswith("# ")).lstrip("# ").split()
        rows = [dict(zip(header, line.split())) for line in lines if line and line[0].isdigit() and " " in line]
        return {row["srv_name"]: row for row in rows}

    def set_state(self, server, state):
        out = self.api(f"set server {BACKEND}/{server} state {state}")
        assert out.strip() == "", out


@pytest.fixture(scope="session")
def haproxy(lb):
    return Haproxy(lb)


@pytest.fixture(autouse=True)
def every_server_in_service(haproxy, apps):
    """Each test starts and ends with nginx running on both app servers and both servers UP and ready."""
    yield
    for app in apps.values():
        app.run("systemctl start nginx.service")
    for server in SERVERS:
        haproxy.set_state(server, "ready")
    wait_until(lambda: all(haproxy.status(s) == "UP" for s in SERVERS), 15, "both servers back UP")


class LoadGenerator:
    """fleet-loadgen on the client, started in the background; result() waits for its report."""

    def __init__(self, client, rate, seconds):
        name = client.backend.name
        self.process = subprocess.Popen(
            ["docker", "exec", name, "fleet-loadgen", "--url", f"http://{LB_ADDRESS}/", "--host", PUBLIC_NAME,
             "--rate", str(rate), "--seconds", str(seconds)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.started = time.monotonic()

    def elapsed(self):
        return time.monotonic() - self.started

    def result(self, timeout=120):
        out, err = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0, err
        report = json.loads(out)
        print(f"load: {report['sent']} requests in {report['seconds']} s ({report['rate']}/s), "
              f"{report['failed']} failed, per backend {report['by_backend']}")
        return report


@pytest.fixture()
def load(client):
    return lambda rate=25, seconds=20: LoadGenerator(client, rate, seconds)


def ansible_playbook(*args):
    """ansible-playbook with the scenario's inventory and the ansible.posix.json report: (rc, report)."""
    inventory = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "inventory"
    done = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), *args],
        env={**os.environ, "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.json"},
        capture_output=True, text=True, timeout=600, cwd=SCENARIO,
    )
    start = done.stdout.find("{\n")
    report = json.JSONDecoder().raw_decode(done.stdout[start:])[0] if start >= 0 else {}
    return done.returncode, report, done.stdout + done.stderr
