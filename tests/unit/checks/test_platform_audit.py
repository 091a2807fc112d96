"""plugins/fleet_checks/platform_audit.py"""

import pytest

from plugins.fleet_checks import platform_audit

GOOD = {"platform_audit_report_root": "/srv/fleet/reports", "platform_audit_maintenance_max_age_days": 35,
        "platform_audit_now": "", "platform_audit_aws_checks": {"backups": {}},
        "platform_audit_uptime_target_percent": 99.5}


def test_good_input_is_accepted():
    assert platform_audit.problems(GOOD) == []
    assert platform_audit.problems(dict(GOOD, platform_audit_now="2026-12-07T10:00:00Z")) == []


@pytest.mark.parametrize("change, expected", [
    ({"platform_audit_report_root": "reports"}, "platform_audit_report_root 'reports' is not an absolute path"),
    ({"platform_audit_maintenance_max_age_days": 0}, "platform_audit_maintenance_max_age_days 0 must be 1 or more"),
    ({"platform_audit_uptime_target_percent": 0}, "platform_audit_uptime_target_percent 0 is not a percentage"),
    ({"platform_audit_now": "yesterday"}, "platform_audit_now 'yesterday' is not an ISO 8601 moment"),
    ({"platform_audit_now": "2026-12-07T10:00:00"}, "with its time zone"),
    ({"platform_audit_aws_checks": {"coffee": {}}}, "names checks that do not exist: coffee"),
])
def test_each_problem_names_its_variable(change, expected):
    (problem,) = platform_audit.problems(dict(GOOD, **change))
    assert expected in problem
