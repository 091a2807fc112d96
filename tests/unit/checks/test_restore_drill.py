"""plugins/fleet_checks/restore_drill.py"""

import pytest

from plugins.fleet_checks import restore_drill

GOOD = {
    "restore_drill_source": "e1-dashboard-production",
    "restore_drill_identifier": "",
    "restore_drill_minutes_ago": 5,
    "restore_drill_target_hours": 4,
    "restore_drill_wait_delay": 30,
    "restore_drill_instance_class": "",
    "restore_drill_report_root": "/srv/fleet/reports",
    "restore_drill_connect": True,
    "restore_drill_login_user": "drill",
    "restore_drill_login_password": "not-a-real-password",
}


def test_the_defaults_with_credentials_are_accepted():
    assert restore_drill.problems(GOOD) == []


@pytest.mark.parametrize("change", [
    {"restore_drill_identifier": "e1-dashboard-production-drill-manual"},
    {"restore_drill_target_hours": "0.5"},
    {"restore_drill_minutes_ago": 50400},
    {"restore_drill_instance_class": "db.r6g.2xlarge"},
    {"restore_drill_connect": "false", "restore_drill_login_user": "", "restore_drill_login_password": ""},
    {"restore_drill_source": "a" * 41},
])
def test_other_good_input_is_accepted(change):
    assert restore_drill.problems({**GOOD, **change}) == []


@pytest.mark.parametrize("change, problem", [
    ({"restore_drill_identifier": "e1-dashboard-production"},
     "restore_drill_identifier 'e1-dashboard-production' names the source itself"),
    ({"restore_drill_identifier": "E1-Dashboard-Production"}, "names the source itself"),
    ({"restore_drill_identifier": "drill-"}, "restore_drill_identifier 'drill-' is not a valid RDS DB instance identifier"),
    ({"restore_drill_source": ""}, "restore_drill_source is empty"),
    ({"restore_drill_source": "1db"}, "restore_drill_source '1db' is not a valid RDS DB instance identifier"),
    ({"restore_drill_source": "a" * 42}, "is too long for the copy's identifier"),
    ({"restore_drill_minutes_ago": 4}, "restore_drill_minutes_ago 4 must be whole minutes from 5"),
    ({"restore_drill_minutes_ago": 50401}, "restore_drill_minutes_ago 50401 must be"),
    ({"restore_drill_minutes_ago": "soon"}, "restore_drill_minutes_ago 'soon' must be"),
    ({"restore_drill_target_hours": 0}, "restore_drill_target_hours 0 must be more than 0 hours"),
    ({"restore_drill_target_hours": -4}, "restore_drill_target_hours -4 must be more than 0"),
    ({"restore_drill_wait_delay": 0}, "restore_drill_wait_delay 0 must be whole seconds, at least 1"),
    ({"restore_drill_instance_class": "m6g.large"}, "restore_drill_instance_class 'm6g.large' is not a DB instance class"),
    ({"restore_drill_report_root": " "}, "restore_drill_report_root is empty"),
    ({"restore_drill_login_user": ""}, "restore_drill_login_user is empty: the drill connects to the copy"),
    ({"restore_drill_login_password": None}, "restore_drill_login_password is empty"),
    ({"restore_drill_connect": "maybe"}, "restore_drill_connect: 'maybe' is not a boolean"),
])
def test_bad_input_is_named(change, problem):
    found = restore_drill.problems({**GOOD, **change})
    assert len(found) == 1 and problem in found[0], found


def test_a_missing_password_is_named_without_its_value_elsewhere():
    found = restore_drill.problems({**GOOD, "restore_drill_login_password": ""})
    assert found == ["restore_drill_login_password is empty: the drill connects to the copy to run a query, as"
                     " vault_restore_drill_login_password or the environment's PGPASSWORD gives it"]
