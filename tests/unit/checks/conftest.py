"""Shared inputs for the checks' tests: role paths as the validate_input action gives them."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def role_path():
    """The path of a role, as the validate_input action gives it (role_path)."""
    return lambda name: str(ROOT / "roles" / name)


@pytest.fixture(scope="session")
def public_key(tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "operator"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "operator", "-f", str(path)], check=True)
    return Path(f"{path}.pub").read_text().strip()
