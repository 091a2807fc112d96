"""The role as Ansible applies it again: check mode changes nothing; what it enforces, broken,
is repaired by exactly its task (the shared drift steps, molecule/_shared/tasks/drift.yml)."""

import pytest

from conftest import SCENARIO
from fleet_testinfra import assert_check_mode_changes_nothing, assert_drift_repaired


def test_check_mode_on_the_converged_host_changes_nothing():
    assert_check_mode_changes_nothing(SCENARIO)


@pytest.mark.parametrize("case", ["config", "stopped", "ca", "dropin"])
def test_drift_is_repaired_by_exactly_its_task(case):
    assert_drift_repaired(SCENARIO, "lb_drift_case", case)
