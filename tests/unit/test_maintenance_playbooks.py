"""The runbook's controller plays delegate to the load balancer: a play-level `connection: local`
would run those tasks on the controller instead (the delegated host's own connection is used
only when the play sets none)."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("playbook", ["maintenance.yml", "maintenance_cleanup.yml"])
def test_no_play_forces_the_local_connection(playbook):
    plays = yaml.safe_load((ROOT / "playbooks" / playbook).read_text())
    forced = [play["name"] for play in plays if "connection" in play]
    assert not forced, f"{playbook}: plays with a play-level connection: {forced}"
