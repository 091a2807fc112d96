"""Shared fixtures of the load balancer scenario's testinfra tests.

Every container is reached with testinfra's docker backend (docker exec as root): the names are
those of molecule.yml's platforms. Ansible runs (drift, check mode) use the scenario's own
inventory and settings, which Molecule passes to the verifier in the environment.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import testinfra

# The helpers every testinfra scenario shares (molecule/_shared/fleet_testinfra.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "_shared"))
from fleet_testinfra import HaproxyRuntime, wait_until  # noqa: E402

DISTRO = os.environ.get("MOLECULE_DISTRO", "debian12")
INDEX = os.environ.get("FLEET_DISTRO_INDEX", "0")
LB_ADDRESS = f"172.29.7{INDEX}.20"
PUBLIC_NAME = "lb.test"
SOCKET = "/run/haproxy/admin.sock"
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


@pytest.fixture(scope="session")
def haproxy(lb):
    return HaproxyRuntime(lb, SERVERS, socket=SOCKET)


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

