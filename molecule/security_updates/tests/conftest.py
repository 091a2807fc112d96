"""Shared fixtures of the security_updates scenario's testinfra tests.

Both containers are reached with testinfra's docker backend (docker exec as root): the names are
those of molecule.yml's platforms. Ansible runs (drift, check mode) use the scenario's own
inventory and settings, which Molecule passes to the verifier in the environment.
"""

import os
import sys
import time
from pathlib import Path

import pytest
import testinfra

# The helpers every testinfra scenario shares (molecule/_shared/fleet_testinfra.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "_shared"))

DISTRO = os.environ.get("MOLECULE_DISTRO", "debian12")
INDEX = os.environ.get("FLEET_DISTRO_INDEX", "0")
REPO_ADDRESS = f"172.29.9{INDEX}.10"
APP_ADDRESS = f"172.29.9{INDEX}.20"
REPO_URL = f"http://{REPO_ADDRESS}/"
SCENARIO = Path(__file__).resolve().parent.parent
UU_LOG = "/var/log/unattended-upgrades/unattended-upgrades.log"
# The security suite's packages on the app server, and the one only the other suite updates.
SECURITY_UPDATES = ("fleet-demo-kernel-flag", "fleet-demo-lib", "fleet-demo-tool")
OTHER_UPDATE = "fleet-demo-updates-only"


def container(role):
    return testinfra.get_host(f"docker://security-updates-{role}-{DISTRO}")


@pytest.fixture(scope="session")
def app():
    return container("app")


@pytest.fixture(scope="session")
def repo():
    return container("repo")


def versions(host):
    """Installed version of every fleet-* package."""
    out = host.check_output("dpkg-query --show --showformat '${Package} ${Version}\\n' 'fleet-*'")
    return dict(line.split(" ", 1) for line in out.splitlines() if line)


def boot_marker(host):
    """What a reboot changes. In a container /proc/sys/kernel/random/boot_id is the Docker host's,
    which no container reboot changes: PID 1's start time (clock ticks after the host's boot)
    changes with every container restart, which is what `systemctl reboot` does here."""
    return host.check_output("cat /proc/sys/kernel/random/boot_id; cut -d ' ' -f 22 /proc/1/stat")


def main_pid(host, unit):
    return host.check_output(f"systemctl show --property MainPID --value {unit}")


@pytest.fixture(scope="session")
def between_windows(app):
    """Start apt-daily-upgrade.service as its timer would, once, and wait until it finished
    (a oneshot unit: systemctl start returns when it is done). What the tests compare, before
    and after."""
    log_offset = int(app.run(f"stat -c %s {UU_LOG}").stdout.strip() or 0)
    before = {
        "versions": versions(app),
        "boot": boot_marker(app),
        "worker_pid": main_pid(app, "fleet-demo-worker.service"),
        "reboot_required": app.file("/run/reboot-required").exists,
    }
    started = time.monotonic()
    run = app.run("timeout 900 systemctl start apt-daily-upgrade.service")
    seconds = round(time.monotonic() - started, 1)
    after = {
        "versions": versions(app),
        "boot": boot_marker(app),
        "worker_pid": main_pid(app, "fleet-demo-worker.service"),
        "result": app.check_output("systemctl show --property Result --value apt-daily-upgrade.service"),
    }
    log = app.check_output(f"tail -c +{log_offset + 1} {UU_LOG}")
    needrestart = app.check_output("needrestart -b -r l")
    print(f"\napt-daily-upgrade.service: exit {run.rc} after {seconds} s, Result={after['result']}")
    print(f"versions before {before['versions']}\nversions after  {after['versions']}")
    print(f"unattended-upgrades log:\n{log}")
    print(f"needrestart -b -r l:\n{needrestart}")
    return {"run": run, "seconds": seconds, "before": before, "after": after, "log": log, "needrestart": needrestart}

