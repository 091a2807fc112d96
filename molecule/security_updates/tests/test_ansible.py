"""The roles as Ansible applies them again: check mode changes nothing; what they enforce, broken,
is repaired by exactly its task (the shared drift steps, molecule/_shared/tasks/drift.yml)."""

import pytest

from conftest import SCENARIO
from fleet_testinfra import assert_check_mode_changes_nothing, assert_drift_repaired


def test_check_mode_on_the_converged_hosts_changes_nothing():
    assert_check_mode_changes_nothing(SCENARIO)


@pytest.mark.parametrize("case", ["source", "package", "served-file", "stray-file", "server", "timer"])
def test_drift_is_repaired_by_exactly_its_task(case):
    assert_drift_repaired(SCENARIO, "security_updates_drift_case", case)
