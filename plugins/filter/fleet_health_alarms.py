"""The SOP's 5-minute health thresholds as CloudWatch alarm definitions: computed once, here, so
that the aws_health_alarms role applies exactly what the audit later compares AWS's alarms with.

Pure Python (no AWS call): the role reads the facts (instances, load balancer, max_connections)
and hands them in.
"""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

# SOP "System Health Checks (Every 5 min)": each threshold is held against one 5-minute reading.
# One evaluation period, as the SOP's check is one reading every 5 minutes: a second period would
# page 5 minutes later than the SOP asks, and the figures are already 5-minute aggregates.
PERIOD_SECONDS = 300
EVALUATION_PERIODS = 1
# Where the role reads what it writes; the audit may list them by this start.
HEALTH_INFIX = "-health-"
PLAIN_MODULE = "amazon.aws.cloudwatch_metric_alarm"
MATH_MODULE = "cloudwatch_metric_math_alarm"
THRESHOLDS = ("cpu_percent", "memory_percent", "db_connections_percent", "response_time_p95_seconds", "error_rate_percent")
# The memory publisher's contract (the memory_metrics role): CWAgent/mem_used_percent per
# InstanceId, and the same metric with the AutoScalingGroupName dimension alone.
MEMORY_NAMESPACE, MEMORY_METRIC = "CWAgent", "mem_used_percent"
_LB_ARN = re.compile(r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/(?P<dimension>app/[^/]+/[0-9a-f]{16})$")
_LB_DIMENSION = re.compile(r"^app/[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]{16}$")
_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$")


def fleet_load_balancer_dimension(arn):
    """CloudWatch's LoadBalancer dimension (app/NAME/ID) of an application load balancer's ARN."""
    match = _LB_ARN.match(str(arn or "").strip())
    if not match:
        raise AnsibleFilterError(f"{arn!r} is not the ARN of an application load balancer (...:loadbalancer/app/NAME/ID)")
    return match.group("dimension")


def _number(thresholds, name):
    try:
        return float(thresholds[name])
    except KeyError as err:
        raise AnsibleFilterError(f"fleet_health_alarms: thresholds has no {name!r}") from err
    except (TypeError, ValueError) as err:
        raise AnsibleFilterError(f"fleet_health_alarms: thresholds[{name!r}] {thresholds[name]!r} is not a number") from err


def _shown(number):
    """70.0 -> '70', 2.5 -> '2.5': as the SOP writes it."""
    return f"{number:g}"


def _plain(name, description, metric, statistic, threshold, treat_missing_data="missing"):
    """A single-metric alarm; METRIC is (namespace, metric name, {dimension: value}); STATISTIC
    a plain statistic (Average, Maximum ...) or a percentile (p95)."""
    namespace, metric_name, dimensions = metric
    percentile = statistic.startswith("p")
    return {
        "name": name, "module": PLAIN_MODULE, "description": description,
        "namespace": namespace, "metric_name": metric_name, "dimensions": dict(dimensions),
        "statistic": None if percentile else statistic, "extended_statistic": statistic if percentile else None,
        # Stated for percentiles so that AWS describes the alarm exactly as it was put (the
        # bundled module compares every field AWS returns).
        "evaluate_low_sample_count_percentile": "evaluate" if percentile else None,
        "period": PERIOD_SECONDS, "metrics": None,
        "threshold": threshold, "treat_missing_data": treat_missing_data,
    }


def _load_balancer_metric(query_id, metric_name, load_balancer):
    return {"id": query_id, "return_data": False, "metric_stat": {
        "metric": {"namespace": "AWS/ApplicationELB", "metric_name": metric_name,
                   "dimensions": [{"name": "LoadBalancer", "value": load_balancer}]},
        "period": PERIOD_SECONDS, "stat": "Sum"}}


def _error_rate(name, description, load_balancer, threshold):
    """5xx answers (the targets' and the load balancer's own) in percent of requests. RequestCount
    leaves out requests the load balancer refused before choosing a target (503 with no healthy
    target), so a period with 5xx answers and no counted request is 100 %, not "no data": a
    total outage must page. A period with neither is no data, which counts as not breaching."""
    metrics = [
        {"id": "rate", "return_data": True, "label": "5xx answers, % of requests",
         "expression": "IF(FILL(requests, 0) > 0, 100 * errors / FILL(requests, 0), IF(errors > 0, 100, 0))"},
        {"id": "errors", "return_data": False, "label": "5xx answers",
         "expression": "FILL(target5xx, 0) + FILL(elb5xx, 0)"},
        _load_balancer_metric("target5xx", "HTTPCode_Target_5XX_Count", load_balancer),
        _load_balancer_metric("elb5xx", "HTTPCode_ELB_5XX_Count", load_balancer),
        _load_balancer_metric("requests", "RequestCount", load_balancer),
    ]
    return {
        "name": name, "module": MATH_MODULE, "description": description,
        "namespace": None, "metric_name": None, "dimensions": None, "statistic": None, "extended_statistic": None,
        "evaluate_low_sample_count_percentile": None, "period": None, "metrics": metrics,
        "threshold": threshold, "treat_missing_data": "notBreaching",
    }


def fleet_health_alarms(prefix, thresholds, topic_arn, instance_ids, group_name, db_identifier, max_connections,
                        load_balancer, tags=None):
    """The SOP's health alarms: a list of alarm definitions, in a stable order.

    fleet_health_alarms(prefix, thresholds, topic_arn, instance_ids, group_name, db_identifier,
                        max_connections, load_balancer, tags=None)

    - prefix: the start of every name (fleet_platform_prefix); every alarm is PREFIX-health-<what>.
    - thresholds: {cpu_percent, memory_percent, db_connections_percent, response_time_p95_seconds,
      error_rate_percent} (the SOP's 70, 80, 80, 3, 1); numbers or numeric strings.
    - topic_arn: the SNS topic both ALARM and OK transitions notify (same region as the alarms).
    - instance_ids: the Auto Scaling group's InService instances (one CPU and one memory alarm each).
    - group_name: the Auto Scaling group (group-wide CPU and memory alarms).
    - db_identifier, max_connections: the RDS DB instance and its max_connections (an int > 0);
      the connections threshold is max_connections * db_connections_percent / 100.
    - load_balancer: the ALB's LoadBalancer dimension, app/NAME/ID (fleet_load_balancer_dimension).
    - tags: the tags every alarm should carry ({} when None).

    Each definition is a dict:
      name, module ("amazon.aws.cloudwatch_metric_alarm" for a single metric, or
      "cloudwatch_metric_math_alarm" for metric math), description,
      namespace, metric_name, dimensions ({name: value}), statistic, extended_statistic (p95),
      evaluate_low_sample_count_percentile, period (seconds)            -- single metric, else None
      metrics (cloudwatch_metric_math_alarm's option, ids, expressions and metric_stat) -- math, else None
      evaluation_periods, datapoints_to_alarm, comparison ("GreaterThanThreshold"), threshold (float),
      treat_missing_data, alarm_actions and ok_actions ([topic_arn]), tags.
    amazon.aws.cloudwatch_metric_alarm has no tags option: AWS's single-metric alarms carry none of
    them; the metric-math alarm does.
    """
    numbers = {name: _number(thresholds, name) for name in THRESHOLDS}
    if not _TOPIC_ARN.match(str(topic_arn or "")):
        raise AnsibleFilterError(f"fleet_health_alarms: topic_arn {topic_arn!r} is not an SNS topic ARN")
    if not _LB_DIMENSION.match(str(load_balancer or "")):
        raise AnsibleFilterError(f"fleet_health_alarms: load_balancer {load_balancer!r} is not an ALB dimension (app/NAME/ID)")
    try:
        limit = int(max_connections)
    except (TypeError, ValueError) as err:
        raise AnsibleFilterError(f"fleet_health_alarms: max_connections {max_connections!r} is not a number") from err
    if limit <= 0:
        raise AnsibleFilterError(f"fleet_health_alarms: max_connections {limit} must be above 0")
    for what, value in (("group_name", group_name), ("db_identifier", db_identifier)):
        if not str(value or "").strip():
            raise AnsibleFilterError(f"fleet_health_alarms: {what} is empty")

    base = f"{prefix}{HEALTH_INFIX}"
    cpu, memory = _shown(numbers["cpu_percent"]), _shown(numbers["memory_percent"])
    db_percent = numbers["db_connections_percent"]
    db_threshold = round(limit * db_percent / 100, 2)
    p95, errors = _shown(numbers["response_time_p95_seconds"]), _shown(numbers["error_rate_percent"])
    alarms = []
    for instance in sorted(instance_ids or []):
        alarms.append(_plain(f"{base}cpu-{instance}", f"SOP health: CPU above {cpu} % on app server {instance} for 5 minutes",
                             ("AWS/EC2", "CPUUtilization", {"InstanceId": instance}), "Average", numbers["cpu_percent"]))
        alarms.append(_plain(f"{base}memory-{instance}", f"SOP health: memory use above {memory} % on app server {instance} for 5 minutes",
                             (MEMORY_NAMESPACE, MEMORY_METRIC, {"InstanceId": instance}), "Average", numbers["memory_percent"]))
    alarms += [
        _plain(f"{base}cpu-group", f"SOP health: average CPU above {cpu} % across Auto Scaling group {group_name} for 5 minutes",
               ("AWS/EC2", "CPUUtilization", {"AutoScalingGroupName": group_name}), "Average", numbers["cpu_percent"]),
        _plain(f"{base}memory-group", f"SOP health: average memory use above {memory} % across Auto Scaling group {group_name} for 5 minutes",
               (MEMORY_NAMESPACE, MEMORY_METRIC, {"AutoScalingGroupName": group_name}), "Average", numbers["memory_percent"]),
        _plain(f"{base}db-connections",
               f"SOP health: database connections of {db_identifier} above {_shown(db_percent)} % of its max_connections"
               f" {limit} (more than {_shown(db_threshold)}) in 5 minutes",
               ("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db_identifier}), "Maximum", db_threshold),
        # No requests in a period is no slow answer: not breaching, so a quiet night reads OK.
        _plain(f"{base}response-time-p95", f"SOP health: p95 target response time of {load_balancer} above {p95} s over 5 minutes",
               ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": load_balancer}), "p95",
               numbers["response_time_p95_seconds"], treat_missing_data="notBreaching"),
        _error_rate(f"{base}5xx-rate", f"SOP health: 5xx answers of {load_balancer} above {errors} % of requests over 5 minutes",
                    load_balancer, numbers["error_rate_percent"]),
    ]
    common = {"evaluation_periods": EVALUATION_PERIODS, "datapoints_to_alarm": EVALUATION_PERIODS,
              "comparison": "GreaterThanThreshold", "alarm_actions": [topic_arn], "ok_actions": [topic_arn],
              "tags": {str(k): str(v) for k, v in (tags or {}).items()}}
    return [dict(alarm, **common) for alarm in alarms]


def fleet_health_alarm_prefix(prefix):
    """The start of every health alarm's name: what the role lists to find alarms it no longer wants."""
    return f"{prefix}{HEALTH_INFIX}"


class FilterModule:
    def filters(self):
        return {"fleet_health_alarms": fleet_health_alarms, "fleet_load_balancer_dimension": fleet_load_balancer_dimension,
                "fleet_health_alarm_prefix": fleet_health_alarm_prefix}
