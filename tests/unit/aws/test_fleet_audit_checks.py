"""module_utils/fleet_audit_checks.py: the audit's judgements, on answers shaped as AWS gives
them (what moto cannot produce: thirty days of daily backups, a failed snapshot)."""

import datetime as dt

from ansible.module_utils.fleet_audit_checks import alarm_problems, backup_days_missing, uptime_percent

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
WINDOW = "17:00-17:30"


def daily(first, last, skip=(), status="available"):
    found, day = [], first
    while day <= last:
        if day not in skip:
            found.append({"DBSnapshotIdentifier": f"rds:e1-{day}", "Status": status,
                          "SnapshotCreateTime": dt.datetime.combine(day, dt.time(17, 10), UTC)})
        day += dt.timedelta(days=1)
    return found


def test_thirty_days_each_with_its_backup_pass():
    created = dt.datetime(2026, 1, 1, tzinfo=UTC)
    snapshots = daily(dt.date(2026, 11, 1), dt.date(2026, 12, 6))
    due, missing, failed = backup_days_missing(snapshots, created, NOW, 30, WINDOW)
    # Today's window (17:00-17:30 UTC) has not ended at 10:00: the 29 days before it are due.
    assert due[0] == "2026-11-08" and due[-1] == "2026-12-06" and len(due) == 29
    assert missing == [] and failed == []


def test_one_missing_day_is_named():
    snapshots = daily(dt.date(2026, 11, 1), dt.date(2026, 12, 6), skip={dt.date(2026, 11, 20)})
    _due, missing, _failed = backup_days_missing(snapshots, dt.datetime(2026, 1, 1, tzinfo=UTC), NOW, 30, WINDOW)
    assert missing == ["2026-11-20"]


def test_today_is_due_once_its_window_has_ended():
    evening = NOW.replace(hour=18)
    snapshots = daily(dt.date(2026, 11, 1), dt.date(2026, 12, 6))
    due, missing, _failed = backup_days_missing(snapshots, dt.datetime(2026, 1, 1, tzinfo=UTC), evening, 30, WINDOW)
    assert due[-1] == "2026-12-07" and missing == ["2026-12-07"]


def test_a_failed_snapshot_is_no_backup_and_is_named():
    snapshots = daily(dt.date(2026, 12, 6), dt.date(2026, 12, 6), status="failed")
    _due, missing, failed = backup_days_missing(snapshots, dt.datetime(2026, 12, 6, 12, tzinfo=UTC), NOW, 30, WINDOW)
    assert missing == ["2026-12-06"] and failed == ["rds:e1-2026-12-06"]


def test_a_young_instance_is_held_to_the_days_it_has_lived():
    created = dt.datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    due, _missing, _failed = backup_days_missing(daily(dt.date(2026, 12, 5), dt.date(2026, 12, 6)), created, NOW, 30, WINDOW)
    assert due == ["2026-12-05", "2026-12-06"]


def test_a_window_across_midnight_ends_the_next_day():
    created = dt.datetime(2026, 1, 1, tzinfo=UTC)
    # 6 December's window ends at 00:30 on the 7th: not due at 00:10, due at 00:40.
    assert backup_days_missing([], created, dt.datetime(2026, 12, 7, 0, 10, tzinfo=UTC), 2, "23:30-00:30")[0] == []
    assert backup_days_missing([], created, dt.datetime(2026, 12, 7, 0, 40, tzinfo=UTC), 2, "23:30-00:30")[0] == ["2026-12-06"]


def test_a_plain_alarm_differing_in_statistic_and_period_names_both():
    wanted = {"name": "p95", "namespace": "AWS/ApplicationELB", "metric_name": "TargetResponseTime", "extended_statistic": "p95",
              "dimensions": {"LoadBalancer": "app/e1/1"}, "period": 300, "comparison": "GreaterThanThreshold", "threshold": 3}
    actual = {"AlarmName": "p95", "Namespace": "AWS/ApplicationELB", "MetricName": "TargetResponseTime", "Statistic": "Average",
              "Dimensions": [{"Name": "LoadBalancer", "Value": "app/e1/1"}], "Period": 60, "EvaluationPeriods": 1,
              "ComparisonOperator": "GreaterThanThreshold", "Threshold": 3.0}
    assert alarm_problems(wanted, actual) == ["p95: statistic is Average, the SOP's is p95", "p95: period is 60, the SOP's is 300"]


def test_uptime_is_the_share_of_healthy_datapoints():
    assert uptime_percent([60, 59], [60, 60]) == 100.0 * 119 / 120
    assert uptime_percent([], []) is None
