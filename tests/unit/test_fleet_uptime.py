"""plugins/filter/fleet_uptime.py: what the aws_uptime role makes, and the month's uptime the
audit computes from the health check's HealthCheckStatus datapoints."""

from datetime import datetime, timedelta, timezone

import pytest

from plugins.filter.fleet_uptime import (
    fleet_month_bounds,
    fleet_uptime,
    fleet_uptime_alarm,
    fleet_uptime_checks,
    fleet_uptime_statistics_request,
)

TOPIC = "arn:aws:sns:us-east-1:123456789012:e1-alerts"
JUNE = fleet_month_bounds(2026, 6)


def hourly(start, hours, average=1.0, count=60):
    return [{"Timestamp": start + timedelta(hours=h), "Average": average, "SampleCount": count} for h in range(hours)]


def test_one_https_check_of_the_health_path_with_the_sop_settings():
    assert fleet_uptime_checks("e1-prod", "dashboard.example.com", 443, "/healthz", 30, 3, True) == [{
        "name": "e1-prod-uptime", "type": "HTTPS", "fqdn": "dashboard.example.com", "port": 443,
        "resource_path": "/healthz", "request_interval": 30, "failure_threshold": 3, "measure_latency": True,
        "disabled": False}]


def test_the_alarm_lives_in_us_east_1_and_pages_after_the_unhealthy_minutes_and_on_recovery():
    check = fleet_uptime_checks("e1-prod", "dashboard.example.com", 443, "/healthz", 30, 3, True)[0]
    alarm = fleet_uptime_alarm(check, "hc-123", TOPIC, 2)
    assert alarm["name"] == "e1-prod-uptime-unhealthy" and alarm["region"] == "us-east-1"
    assert (alarm["namespace"], alarm["metric_name"], alarm["dimensions"]) == ("AWS/Route53", "HealthCheckStatus", {"HealthCheckId": "hc-123"})
    assert (alarm["statistic"], alarm["comparison"], alarm["threshold"], alarm["period"]) == ("Minimum", "LessThanThreshold", 1.0, 60)
    assert (alarm["evaluation_periods"], alarm["datapoints_to_alarm"]) == (2, 2)
    assert alarm["alarm_actions"] == alarm["ok_actions"] == [TOPIC]
    assert "https://dashboard.example.com:443/healthz" in alarm["description"] and "2 minutes" in alarm["description"]


def test_the_statistics_request_asks_for_hourly_average_and_sample_count():
    start, end = JUNE
    request = fleet_uptime_statistics_request("hc-123", start, end)
    assert request["Period"] == 3600 and request["Statistics"] == ["Average", "SampleCount"]
    assert request["Dimensions"] == [{"Name": "HealthCheckId", "Value": "hc-123"}]
    assert (request["StartTime"], request["EndTime"]) == (start, end)
    # A month fits one GetMetricStatistics call (at most 1,440 datapoints).
    assert (end - start) / timedelta(seconds=request["Period"]) <= 1440


@pytest.mark.parametrize("year, month, days", [(2026, 6, 30), (2028, 2, 29), (2026, 2, 28), (2026, 12, 31)])
def test_month_bounds(year, month, days):
    start, end = fleet_month_bounds(year, month)
    assert start == datetime(year, month, 1, tzinfo=timezone.utc) and (end - start).days == days and end.day == 1


def test_a_month_always_healthy_is_100_percent():
    start, end = JUNE
    result = fleet_uptime(hourly(start, 720), start, end)
    assert result == {"uptime_percent": 100.0, "target_percent": 99.5, "periods": 720, "periods_expected": 720,
                      "coverage_percent": 100.0, "met": True}


def test_four_hours_down_in_june_misses_99_5_and_three_meet_it():
    """99.5 % of June's 720 hours allows 3.6 hours down."""
    start, end = JUNE
    four_down = hourly(start, 716) + hourly(start + timedelta(hours=716), 4, average=0.0)
    three_down = hourly(start, 717) + hourly(start + timedelta(hours=717), 3, average=0.0)
    assert fleet_uptime(four_down, start, end)["uptime_percent"] == pytest.approx(99.444, abs=0.001)
    assert fleet_uptime(four_down, start, end)["met"] is False
    assert fleet_uptime(three_down, start, end)["uptime_percent"] == pytest.approx(99.583, abs=0.001)
    assert fleet_uptime(three_down, start, end)["met"] is True


def test_hours_are_weighted_by_their_samples():
    start = JUNE[0]
    end = start + timedelta(hours=2)
    # A full hour healthy and an hour with a quarter of the samples, all unhealthy: 60 of 75 samples healthy.
    points = [{"Average": 1.0, "SampleCount": 60}, {"Average": 0.0, "SampleCount": 15}]
    assert fleet_uptime(points, start, end, min_coverage_percent=0)["uptime_percent"] == 80.0


def test_hours_without_data_are_not_counted_up_and_too_few_fail_the_target():
    start, end = JUNE
    result = fleet_uptime(hourly(start, 600), start, end)
    assert result["uptime_percent"] == 100.0 and result["coverage_percent"] == pytest.approx(83.333, abs=0.001)
    assert result["met"] is False
    assert fleet_uptime(hourly(start, 700), start, end)["met"] is True  # 97.2 % covered


def test_no_data_is_no_uptime():
    start, end = JUNE
    assert fleet_uptime([], start, end) == {"uptime_percent": None, "target_percent": 99.5, "periods": 0,
                                                  "periods_expected": 720, "coverage_percent": 0.0, "met": False}


def test_datapoints_in_ansible_s_snake_case_are_read_too():
    start = JUNE[0]
    end = start + timedelta(hours=2)
    points = [{"average": 1.0, "sample_count": 60}, {"average": 0.5, "sample_count": 60}]
    assert fleet_uptime(points, start, end)["uptime_percent"] == 75.0


def test_the_alarms_of_the_checks_found_carry_their_ids():
    from plugins.filter.fleet_uptime import fleet_uptime_alarms, fleet_uptime_checks
    (check,) = fleet_uptime_checks("e1", "dashboard.example.com", 443, "/healthz", 30, 3, True)
    results = [{"item": check, "health_check": {"id": "abc"}}, {"item": check, "health_check": {}}]
    (alarm,) = fleet_uptime_alarms(results, "arn:aws:sns:us-east-1:123456789012:e1-alerts", 2)
    assert alarm["dimensions"] == {"HealthCheckId": "abc"} and alarm["region"] == "us-east-1"
