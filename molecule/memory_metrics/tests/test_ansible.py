"""The role as Ansible applies it again: check mode changes nothing; what it enforces, broken, is
repaired by exactly its task (the shared drift steps, molecule/_shared/tasks/drift.yml); turned
off, it leaves nothing behind, and a second run has nothing to do."""

import pytest

from conftest import DISTRO, SCENARIO, SERVICE, SETTINGS, TIMER, changed_tasks, point_at_a_refusing_endpoint, unit_properties
from fleet_testinfra import ansible_playbook, assert_check_mode_changes_nothing, assert_drift_repaired

HOST = f"memory-metrics-app-{DISTRO}"
INSTALLED = ("/usr/local/libexec/fleet-memory-metrics", SETTINGS,
             "/etc/fleet/memory-metrics.env", f"/etc/systemd/system/{SERVICE}", f"/etc/systemd/system/{TIMER}")


def test_check_mode_on_the_converged_host_changes_nothing():
    assert_check_mode_changes_nothing(SCENARIO)


@pytest.mark.parametrize("case", ["timer", "settings"])
def test_drift_is_repaired_by_exactly_its_task(case):
    assert_drift_repaired(SCENARIO, "memory_metrics_drift_case", case)


def converge(*args):
    rc, report, output = ansible_playbook(SCENARIO, "converge.yml", *args)
    assert rc == 0, output[-4000:]
    return changed_tasks(report, HOST)


def test_turned_off_the_publisher_is_removed_and_stays_removed(app):
    """From a failed last run (an endpoint that refuses), so that the removal also has a failed
    state to clear; a run the timer starts meanwhile fails as well, or is in progress: the same task."""
    point_at_a_refusing_endpoint(app)
    assert app.run(f"systemctl start {SERVICE}").rc != 0
    try:
        assert converge("-e", "memory_metrics_enabled=false") == [
            "memory_metrics : Stop and disable the publishing timer",
            "memory_metrics : Stop a publication in progress and forget a failed one",
            "memory_metrics : Remove the publisher, its settings, its environment and its units",
        ]
        assert [path for path in INSTALLED if app.file(path).exists] == []
        for unit in (TIMER, SERVICE):
            assert unit_properties(app, unit, "LoadState", "ActiveState") == {"LoadState": "not-found", "ActiveState": "inactive"}
        assert app.check_output("systemctl list-units --failed --plain --no-legend") == ""
        assert app.package("python3-boto3").is_installed

        assert converge("-e", "memory_metrics_enabled=false") == []
    finally:
        converge()
    assert unit_properties(app, TIMER, "UnitFileState", "ActiveState") == {"UnitFileState": "enabled", "ActiveState": "active"}
