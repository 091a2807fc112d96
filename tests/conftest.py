"""Shared fixtures: a real moto_server (local AWS HTTP endpoint) on loopback."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def _free_loopback_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    """Start moto_server on 127.0.0.1 and yield its URL; stopped at the end of the session."""
    port = _free_loopback_port()
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
    with open(log, "wb") as log_handle:
        proc = subprocess.Popen(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log_handle,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"moto_server exited early, see {log}")
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(f"moto_server did not answer on {url}, see {log}")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture()
def aws_env(moto_endpoint, monkeypatch):
    """Environment that points boto3 (and Ansible's AWS plugins) at moto, never at AWS."""
    env = {
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-southeast-3",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    # Every test starts from an empty account.
    urllib.request.urlopen(
        urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"), timeout=5
    )
    return dict(os.environ)
