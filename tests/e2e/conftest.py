"""The local fleet that README command 1 builds, shared by the end-to-end tests: the command's
own (test_readme_command.py), then the monthly audit's faults on that fleet
(test_readme_command_audit.py). `pytest tests` skips them unless FLEET_E2E=1, because they build
and keep the local fleet (./fleet down removes it); scripts/test sets it."""

import os
import shlex
import subprocess
from pathlib import Path

import pytest
from fleet_e2e import ROOT, readme_commands


def pytest_collection_modifyitems(config, items):
    if os.environ.get("FLEET_E2E") == "1":
        return
    skip = pytest.mark.skip(reason="builds the local fleet: FLEET_E2E=1 (scripts/test sets it)")
    # The hook sees every test of the session, not only this folder's.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def runs_dir(tmp_path_factory):
    """The records of every fleet run of these tests, in a folder of their own."""
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="session")
def command_one(runs_dir):
    """The first command's run."""
    command = readme_commands()[0]
    assert command == "./fleet up"
    env = {**os.environ, "FLEET_RUNS_DIR": str(runs_dir), "FLEET_OPERATOR": "readme-test"}
    done = subprocess.run(shlex.split(command), cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600, check=False)
    return done, runs_dir
