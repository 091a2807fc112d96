"""The role as Ansible applies it again: check mode changes nothing; what it enforces, broken,
is repaired by exactly its task (the shared drift steps, molecule/_shared/tasks/drift.yml)."""

import pytest

from conftest import ansible_playbook


def test_check_mode_on_the_converged_host_changes_nothing():
    rc, report, output = ansible_playbook("converge.yml", "--check", "--diff")
    assert rc == 0, output[-3000:]
    assert {host: stats["changed"] for host, stats in report["stats"].items()} == {
        host: 0 for host in report["stats"]
    }, output[-3000:]


@pytest.mark.parametrize("case", ["config", "stopped", "ca", "dropin"])
def test_drift_is_repaired_by_exactly_its_task(case):
    rc, _report, output = ansible_playbook("drift.yml", "-e", f"lb_drift_case={case}")
    assert rc == 0, output[-4000:]
