"""plugins/fleet_checks/aws_cache.py"""

import pytest

from plugins.fleet_checks import aws_cache
from plugins.filter import fleet_window

GOOD = {
    "aws_cache_group_id": "e1-dashboard-production-redis",
    "aws_cache_snapshot_retention_days": 7,
    "aws_cache_snapshot_window": "17:45-18:45",
    "aws_cache_maintenance_window": "sat:19:00-sat:21:00",
    "aws_cache_database_backup_window": "17:00-17:30",
    "aws_cache_maintenance_window_available": True,
    "aws_cache_wait_timeout": 1800,
    "aws_cache_create": False,
    "aws_cache_node_type": "cache.t4g.small",
    "aws_cache_engine_version": "7.1",
    "aws_cache_num_cache_clusters": 2,
    "aws_cache_subnet_group": "",
    "aws_cache_security_group_name": "e1-dashboard-production-cache",
}
NOW = {"now": "2026-12-01T00:00:00Z"}


def test_the_defaults_are_accepted():
    assert aws_cache.problems(GOOD, NOW) == []


def test_the_weekly_slot_is_the_one_the_monthly_window_falls_in():
    start, length, upcoming = aws_cache.monthly_window_slot(fleet_window.as_utc(NOW["now"]))
    assert aws_cache.elasticache.weekly_text(start, length) == "sat:19:00-sat:21:00"
    assert upcoming["wib_text"] == "Sunday 6 December 2026, 02:00-04:00 WIB"


@pytest.mark.parametrize("window", ["sat:19:00-sat:20:00", "sat:20:00-sat:21:00", "SAT:19:30-SAT:20:45"])
def test_a_shorter_window_inside_the_slot_is_accepted(window):
    assert aws_cache.problems({**GOOD, "aws_cache_maintenance_window": window}, NOW) == []


@pytest.mark.parametrize("window", ["sun:02:00-sun:04:00", "sat:18:50-sat:20:00", "sat:20:30-sat:21:30", "fri:19:00-fri:21:00"])
def test_a_window_outside_the_monthly_window_is_refused_naming_the_slot(window):
    found = aws_cache.problems({**GOOD, "aws_cache_maintenance_window": window}, NOW)
    assert len(found) == 1 and found[0].startswith(f"aws_cache_maintenance_window '{window.lower()}' is not inside the monthly")
    assert "must lie within sat:19:00-sat:21:00 (UTC)" in found[0] and "Sunday 6 December 2026, 02:00-04:00 WIB" in found[0]


def test_a_window_that_cannot_follow_the_monthly_one_is_refused(monkeypatch):
    # A window in a zone with daylight saving would shift against UTC between months.
    shifted = [fleet_window.Window(w.start.replace(hour=18), w.end.replace(hour=20)) if i % 2 else w
               for i, w in enumerate(fleet_window.windows_after(NOW["now"], 12))]
    monkeypatch.setattr(aws_cache.fleet_window, "windows_after", lambda _now, _count: shifted)
    found = aws_cache.problems(GOOD, NOW)
    assert found == ["aws_cache_maintenance_window cannot be checked: the monthly maintenance windows of the coming year"
                     " do not fall in one weekly UTC slot"]


@pytest.mark.parametrize("change, problem", [
    ({"aws_cache_group_id": " "}, "aws_cache_group_id is empty"),
    ({"aws_cache_group_id": "e1_redis"}, "aws_cache_group_id 'e1_redis' is no replication group id"),
    ({"aws_cache_snapshot_retention_days": 0}, "aws_cache_snapshot_retention_days is 0, which turns the daily snapshots off"),
    ({"aws_cache_snapshot_retention_days": 36}, "aws_cache_snapshot_retention_days is 36; ElastiCache keeps automatic snapshots 0 to 35 days"),
    ({"aws_cache_snapshot_retention_days": "a week"}, "aws_cache_snapshot_retention_days 'a week' is not a whole number"),
    ({"aws_cache_snapshot_window": "17:45-18:15"}, "aws_cache_snapshot_window: snapshot window '17:45-18:15' lasts 30 minutes"),
    ({"aws_cache_snapshot_window": "1745-1845"}, "aws_cache_snapshot_window: snapshot window '1745-1845' is not of the form"),
    ({"aws_cache_maintenance_window": "sat:19:00-sat:19:45"}, "aws_cache_maintenance_window: maintenance window 'sat:19:00-sat:19:45' lasts 45"),
    ({"aws_cache_maintenance_window": "saturday"}, "aws_cache_maintenance_window: maintenance window 'saturday' is not of the form"),
    ({"aws_cache_snapshot_window": "19:30-20:30", "aws_cache_maintenance_window": "sat:20:00-sat:21:00"},
     "aws_cache_snapshot_window 19:30-20:30 overlaps aws_cache_maintenance_window sat:20:00-sat:21:00"),
    ({"aws_cache_snapshot_window": "16:30-17:30"}, "overlaps the database's backup window 17:00-17:30"),
    ({"aws_cache_database_backup_window": "17:00"}, "aws_cache_database_backup_window: database backup window '17:00' is not of the form"),
    ({"aws_cache_wait_timeout": -1}, "aws_cache_wait_timeout -1 is negative"),
    ({"aws_cache_maintenance_window_available": "maybe"}, "aws_cache_maintenance_window_available: 'maybe' is not a boolean"),
])
def test_bad_input_is_named(change, problem):
    found = aws_cache.problems({**GOOD, **change}, NOW)
    assert len(found) == 1 and problem in found[0], found


def test_no_database_backup_window_is_no_problem():
    assert aws_cache.problems({**GOOD, "aws_cache_database_backup_window": ""}, NOW) == []


CREATE = {**GOOD, "aws_cache_create": True, "aws_cache_subnet_group": "e1-dashboard-production-cache"}


def test_creation_input_is_checked_only_when_creating():
    assert aws_cache.problems(CREATE, NOW) == []
    assert aws_cache.problems({**GOOD, "aws_cache_node_type": "big"}, NOW) == []


@pytest.mark.parametrize("change, problem", [
    ({"aws_cache_subnet_group": ""}, "aws_cache_subnet_group is empty"),
    ({"aws_cache_security_group_name": ""}, "aws_cache_security_group_name is empty"),
    ({"aws_cache_num_cache_clusters": 1}, "aws_cache_num_cache_clusters is 1; automatic failover needs a primary and at least one replica"),
    ({"aws_cache_num_cache_clusters": 7}, "aws_cache_num_cache_clusters is 7; a group has 1 to 6 cache clusters"),
    ({"aws_cache_node_type": "t4g.small"}, "aws_cache_node_type 't4g.small' is no ElastiCache node type"),
    ({"aws_cache_engine_version": "seven"}, "aws_cache_engine_version 'seven' is no engine version"),
    ({"aws_cache_create": "perhaps"}, "aws_cache_create: 'perhaps' is not a boolean"),
])
def test_bad_creation_input_is_named(change, problem):
    found = aws_cache.problems({**CREATE, **change}, NOW)
    assert len(found) == 1 and problem in found[0], found
