"""Shared fixtures of the maintenance scenario's tests.

Containers are reached with testinfra's docker backend (docker exec as root), the local AWS
endpoint with boto3, and further runbook runs (faults, the plan, a deploy) with ansible-playbook
and this scenario's inventory, which Molecule passes to the verifier in the environment.
"""

import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import boto3
import pytest
import testinfra

# The helpers every testinfra scenario shares (molecule/_shared/fleet_testinfra.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "_shared"))
from fleet_testinfra import HaproxyRuntime, wait_until  # noqa: E402,F401 - wait_until is the tests' too

SCENARIO = Path(__file__).resolve().parent.parent
PROJECT = SCENARIO.parent.parent
EPHEMERAL = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"])
REPORTS = EPHEMERAL / "reports" / "molecule"
APPS = ("mnt-app1", "mnt-app2", "mnt-app3")
LB_ADDRESS = "172.29.80.20"
PUBLIC_NAME = "mnt.test"
ENDPOINT = f"http://127.0.0.1:{os.environ.get('MNT_MOTO_PORT', '5075')}"
REGION = "ap-southeast-3"
QUEUE = "mnt-maintenance-events"
RUNBOOK = PROJECT / "playbooks" / "maintenance.yml"


def host(name):
    return testinfra.get_host(f"docker://{name}")


@pytest.fixture(scope="session")
def lb():
    return host("mnt-lb")


@pytest.fixture(scope="session")
def apps():
    return {name: host(name) for name in APPS}


@pytest.fixture(scope="session")
def db():
    return host("mnt-db")


@pytest.fixture(scope="session")
def haproxy(lb):
    return HaproxyRuntime(lb, APPS)


def reports():
    """Every run's report.json, oldest first."""
    return [json.loads(path.read_text()) for path in sorted(REPORTS.glob("*/report.json"))]


def report_dirs():
    return sorted(path.parent for path in REPORTS.glob("*/report.json"))


@pytest.fixture(scope="session")
def converge_report():
    """The report of the converge run (the last run with its override reason)."""
    found = [r for r in reports() if r["override"] == "molecule maintenance scenario"]
    assert found, f"no report of the converge run under {REPORTS}"
    return found[-1]


@pytest.fixture(scope="session")
def converge_load():
    return json.loads((EPHEMERAL / "loadgen-converge.json").read_text())


@pytest.fixture(scope="session")
def converge_capacity():
    """HAProxy's members twice a second during the converge run: [[seconds, {server: status}], ...]."""
    lines = (EPHEMERAL / "capacity-converge.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line]


class Load:
    """The load generator on the client, from start() until stop(): its report."""

    def __init__(self):
        subprocess.run(["docker", "exec", "mnt-client", "rm", "-f", "/tmp/load-test.stop", "/tmp/load-test.json"], check=True)
        self.process = subprocess.Popen(
            ["docker", "exec", "mnt-client", "fleet-loadgen", "--url", f"http://{LB_ADDRESS}/", "--host", PUBLIC_NAME,
             "--rate", "20", "--seconds", "1800", "--stop-file", "/tmp/load-test.stop", "--out", "/tmp/load-test.json"])

    def stop(self):
        subprocess.run(["docker", "exec", "mnt-client", "touch", "/tmp/load-test.stop"], check=True)
        self.process.wait(timeout=60)
        report = json.loads(subprocess.run(["docker", "exec", "mnt-client", "cat", "/tmp/load-test.json"],
                                           check=True, capture_output=True, text=True).stdout)
        print(f"load: {report['sent']} requests, {report['failed']} failed, per backend {report['by_backend']}")
        return report


def runbook_command(*args, reason):
    inventory = EPHEMERAL / "inventory"
    return ["ansible-playbook", "-i", str(inventory), str(RUNBOOK), "-e", f"maintenance_window_override_reason={shlex.quote(reason)}", *args]


def run_runbook(*args, reason, timeout=900):
    """One runbook run with its own override reason (so its own run id): (rc, output, its report or None)."""
    before = set(report_dirs())
    done = subprocess.run(runbook_command(*args, reason=reason), capture_output=True, text=True, timeout=timeout, cwd=SCENARIO)
    output = done.stdout + done.stderr
    new = [d for d in report_dirs() if d not in before]
    report = json.loads((new[-1] / "report.json").read_text()) if new else None
    print(f"runbook ({reason}): exit {done.returncode}; report {new[-1] if new else 'none'}")
    return done.returncode, output, report


def run_cleanup():
    """What an operator runs after stopping a run: playbooks/maintenance_cleanup.yml."""
    done = subprocess.run(["ansible-playbook", "-i", str(EPHEMERAL / "inventory"), str(PROJECT / "playbooks" / "maintenance_cleanup.yml")],
                          capture_output=True, text=True, timeout=300, cwd=SCENARIO)
    return done.returncode, done.stdout + done.stderr


class Running:
    """A runbook run in the background, its output in a file (a pipe would fill and stall it)."""

    def __init__(self, *args, reason):
        self.log = tempfile.NamedTemporaryFile(mode="w+", prefix="runbook-", suffix=".log", delete=False)
        self.process = subprocess.Popen(runbook_command(*args, reason=reason), stdout=self.log, stderr=subprocess.STDOUT,
                                        text=True, cwd=SCENARIO, start_new_session=True)

    def running(self):
        return self.process.poll() is None

    def output(self):
        return Path(self.log.name).read_text()

    def wait(self, timeout=900):
        self.process.wait(timeout=timeout)
        return self.process.returncode

    def interrupt(self):
        """What an operator's Ctrl-C does: SIGINT to the foreground process group; and, as an
        operator does when ansible-playbook waits on a worker that the first one stopped (a
        known behaviour of Ansible's), a second Ctrl-C 20 s later."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGINT)
            return self.wait(timeout=120)


def start_runbook(*args, reason):
    return Running(*args, reason=reason)


def aws(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=REGION,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def queue_messages():
    """Every message in the topic's queue so far (received and deleted), as the SNS envelopes' Message."""
    sqs = aws("sqs")
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    found = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not batch:
            return found
        for message in batch:
            found.append(json.loads(json.loads(message["Body"])["Message"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def installed_version(server, package):
    return server.check_output(f"dpkg-query -W -f='${{Version}}' {package}")


def downgrade(server, package):
    """Put version 1.0 of a test package back (from the repository's initial/ folder), so that a run has work."""
    server.check_output(f"curl -fsS -o /tmp/{package}.deb http://172.29.80.40/initial/{package}.deb"
                        f" && dpkg -i --force-downgrade /tmp/{package}.deb")
    assert installed_version(server, package) == "1.0"


@pytest.fixture(autouse=True)
def every_server_in_service_afterwards(haproxy, apps):
    yield
    for name, app in apps.items():
        app.run("systemctl enable --now nginx.service")
        haproxy.set_state(name, "ready")
    wait_until(lambda: all(s == "UP" for s in haproxy.statuses().values()), 60, "every app server back UP")
