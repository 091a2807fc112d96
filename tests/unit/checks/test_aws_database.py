"""plugins/fleet_checks/aws_database.py"""

import pytest

from plugins.fleet_checks import aws_database

GOOD = {
    "aws_database_db_identifier": "e1-dashboard-production",
    "aws_database_multi_az": True,
    "aws_database_deletion_protection": True,
    "aws_database_backup_retention_days": 30,
    "aws_database_backup_window": "17:00-17:30",
    "aws_database_maintenance_window": "sat:19:00-sat:21:00",
    "aws_database_apply_immediately": False,
    "aws_database_read_replica": "auto",
    "aws_database_read_load_threshold": 70,
    "aws_database_read_load_minutes": 60,
}


def test_the_sop_defaults_are_accepted():
    assert aws_database.problems(GOOD) == []


@pytest.mark.parametrize("change", [
    {"aws_database_read_load_threshold": 100},
    {"aws_database_read_load_threshold": "0.5"},
    {"aws_database_read_load_minutes": 5},
    {"aws_database_read_load_minutes": "1440"},
    {"aws_database_read_replica": "present"},
    {"aws_database_multi_az": "false"},
    {"aws_database_db_identifier": "E1-Dashboard"},
    {"aws_database_db_identifier": "a" * 53},
])
def test_the_edges_of_the_ranges_are_accepted(change):
    assert aws_database.problems({**GOOD, **change}) == []


@pytest.mark.parametrize("change, problem", [
    ({"aws_database_read_load_threshold": 0}, "aws_database_read_load_threshold 0 must be a percentage more than 0"),
    ({"aws_database_read_load_threshold": 100.1}, "aws_database_read_load_threshold 100.1 must be a percentage"),
    ({"aws_database_read_load_threshold": "high"}, "aws_database_read_load_threshold 'high' must be a percentage"),
    ({"aws_database_read_load_minutes": 3}, "aws_database_read_load_minutes 3 must be whole minutes, a multiple of 5"),
    ({"aws_database_read_load_minutes": 62}, "aws_database_read_load_minutes 62 must be whole minutes"),
    ({"aws_database_read_load_minutes": 1445}, "aws_database_read_load_minutes 1445 must be"),
    ({"aws_database_read_load_minutes": 7.5}, "aws_database_read_load_minutes 7.5 must be whole minutes"),
    ({"aws_database_read_replica": "always"}, "aws_database_read_replica 'always' must be one of auto, present, absent"),
    ({"aws_database_db_identifier": ""}, "aws_database_db_identifier is empty"),
    ({"aws_database_db_identifier": "e1_db"}, "aws_database_db_identifier 'e1_db' is not a valid RDS DB instance identifier"),
    ({"aws_database_db_identifier": "a" * 54}, "is too long for its read replica's identifier"),
    ({"aws_database_backup_retention_days": 0}, "aws_database_backup_retention_days 0 must be 1 to 35 days"),
    ({"aws_database_backup_retention_days": 36}, "aws_database_backup_retention_days 36 must be 1 to 35 days"),
    ({"aws_database_backup_window": "17:00-17:10"}, "aws_database_backup_window: backup window '17:00-17:10' lasts 10 minutes"),
    ({"aws_database_maintenance_window": "sunday 2am"}, "aws_database_maintenance_window: maintenance window 'sunday 2am' is not"),
    ({"aws_database_maintenance_window": "sat:17:00-sat:19:00"},
     "aws_database_backup_window and aws_database_maintenance_window: backup window 17:00-17:30 overlaps"),
    ({"aws_database_apply_immediately": "sometimes"}, "aws_database_apply_immediately: 'sometimes' is not a boolean"),
])
def test_bad_input_is_named(change, problem):
    found = aws_database.problems({**GOOD, **change})
    assert len(found) == 1 and problem in found[0], found


def test_every_problem_is_reported_at_once():
    found = aws_database.problems({**GOOD, "aws_database_read_load_threshold": 0, "aws_database_read_load_minutes": 1})
    assert [p.split(" ")[0] for p in found] == ["aws_database_read_load_threshold", "aws_database_read_load_minutes"]
