"""The SOP's uptime monitoring as data: the Route 53 health checks and their alarms the aws_uptime
role makes, and the month's uptime the audit computes from the health checks' metric.

The role and the audit read the same definitions here, so that what the audit compares AWS with
is what the role applied.

The uptime metric is AWS/Route53 HealthCheckStatus (dimension HealthCheckId), in us-east-1 only:
Route 53's verdict per minute, 1 healthy and 0 unhealthy, the same signal the alarm pages on.
HealthCheckPercentageHealthy is not used: it is the share of Route 53's checkers that saw the
endpoint healthy, so one checker region's network trouble lowers it while Route 53 (and the
pager) still call the endpoint up; it measures the checkers' agreement, not the endpoint.
The Average of HealthCheckStatus over a period is the fraction of that period's samples that
were healthy; weighted by SampleCount and summed over the month it is the month's uptime.
Hourly datapoints are asked for: CloudWatch keeps 1-hour data for 455 days (1-minute data only
15 days, 5-minute data 63), and a month is at most 744 of them, under GetMetricStatistics'
1,440 datapoints a call.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone

# Route 53 publishes its health-check metrics in us-east-1 only, whatever the main region.
METRICS_REGION = "us-east-1"
NAMESPACE = "AWS/Route53"
STATUS_METRIC = "HealthCheckStatus"
UPTIME_PERIOD = 3600


def fleet_uptime_checks(prefix, fqdn, port, path, request_interval, failure_threshold, measure_latency):
    """The health checks of the public endpoint: one HTTPS check of PATH on FQDN:PORT, named
    PREFIX-uptime (its Name tag, by which the role and the audit find it). A list, so that a
    second endpoint is one more entry, each with its own alarm."""
    return [{
        "name": f"{prefix}-uptime",
        "type": "HTTPS",
        "fqdn": fqdn,
        "port": int(port),
        "resource_path": path,
        "request_interval": int(request_interval),
        "failure_threshold": int(failure_threshold),
        "measure_latency": bool(measure_latency),
        "disabled": False,
    }]


def fleet_uptime_alarm(check, health_check_id, topic_arn, evaluation_periods):
    """The alarm of CHECK (an entry of fleet_uptime_checks) whose Route 53 id is HEALTH_CHECK_ID:
    Route 53 called the endpoint unhealthy (Minimum < 1) in each of EVALUATION_PERIODS minutes.
    Its options are amazon.aws.cloudwatch_metric_alarm's; it lives in us-east-1 and notifies
    TOPIC_ARN (a topic in us-east-1) on ALARM and on OK."""
    minutes = int(evaluation_periods)
    target = f"https://{check['fqdn']}:{check['port']}{check['resource_path']}"
    return {
        "name": f"{check['name']}-unhealthy",
        "region": METRICS_REGION,
        "description": (f"E1 uptime: Route 53 found {target} unhealthy for {minutes} minute{'s' if minutes > 1 else ''}"
                        f" (health check {check['name']})"),
        "namespace": NAMESPACE,
        "metric_name": STATUS_METRIC,
        "dimensions": {"HealthCheckId": health_check_id},
        "statistic": "Minimum",
        "comparison": "LessThanThreshold",
        "threshold": 1.0,
        "period": 60,
        "evaluation_periods": minutes,
        "datapoints_to_alarm": minutes,
        "treat_missing_data": "missing",
        "alarm_actions": [topic_arn],
        "ok_actions": [topic_arn],
    }


def fleet_uptime_alarms(results, topic_arn, evaluation_periods):
    """The alarms of the health checks route53_health_check found (its loop's results), each with
    its id; a check it did not find has none."""
    return [fleet_uptime_alarm(result["item"], result["health_check"]["id"], topic_arn, evaluation_periods)
            for result in results if (result.get("health_check") or {}).get("id")]


def fleet_uptime_statistics_request(health_check_id, start, end):
    """Keyword arguments of CloudWatch GetMetricStatistics (a client in us-east-1) for the
    uptime of the health check HEALTH_CHECK_ID between START and END (datetimes, UTC)."""
    return {
        "Namespace": NAMESPACE,
        "MetricName": STATUS_METRIC,
        "Dimensions": [{"Name": "HealthCheckId", "Value": health_check_id}],
        "StartTime": start,
        "EndTime": end,
        "Period": UPTIME_PERIOD,
        "Statistics": ["Average", "SampleCount"],
    }


def fleet_month_bounds(year, month):
    """(start, end) of a calendar month in UTC: the first instant of the month and of the next."""
    start = datetime(int(year), int(month), 1, tzinfo=timezone.utc)
    return start, start + timedelta(days=calendar.monthrange(start.year, start.month)[1])


def _field(datapoint, name):
    """A datapoint's field as boto3 (SampleCount) or Ansible's snake case (sample_count) spells it."""
    value = datapoint.get(name, datapoint.get(re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()))
    return None if value is None else float(value)


def fleet_uptime(datapoints, start, end, target_percent=99.5, min_coverage_percent=95.0, period=UPTIME_PERIOD):
    """The uptime of one health check between START and END from DATAPOINTS of HealthCheckStatus
    (each with Average and SampleCount, one per PERIOD seconds, as fleet_uptime_statistics_request
    asks for them).

    Returns uptime_percent (healthy samples over all samples, None without data), periods and
    periods_expected (how many PERIOD-long stretches had data, and how many the span holds),
    coverage_percent, target_percent, and met: True or False against TARGET_PERCENT, but False
    whenever coverage is under MIN_COVERAGE_PERCENT - periods without data are not counted as up:
    a health check that was missing or disabled watched nothing, and the month cannot be vouched for."""
    samples = healthy = 0.0
    periods = 0
    for point in datapoints:
        average, count = _field(point, "Average"), _field(point, "SampleCount")
        if average is None or not count:
            continue
        periods += 1
        samples += count
        healthy += average * count
    expected = max(1, int((end - start).total_seconds() // period))
    coverage = round(100.0 * min(periods, expected) / expected, 3)
    uptime = round(100.0 * healthy / samples, 3) if samples else None
    return {
        "uptime_percent": uptime,
        "target_percent": float(target_percent),
        "periods": periods,
        "periods_expected": expected,
        "coverage_percent": coverage,
        "met": uptime is not None and uptime >= float(target_percent) and coverage >= float(min_coverage_percent),
    }


class FilterModule:
    def filters(self):
        return {
            "fleet_uptime_checks": fleet_uptime_checks,
            "fleet_uptime_alarm": fleet_uptime_alarm,
            "fleet_uptime_alarms": fleet_uptime_alarms,
        }
