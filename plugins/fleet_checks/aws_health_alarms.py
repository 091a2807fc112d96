"""Checks of the aws_health_alarms role's input: no alarm is touched while one fails."""

from __future__ import annotations

import re

from . import rules

# The filter's names are PREFIX-health-memory-i-<17 hex>; CloudWatch takes 255 characters.
_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
# ELBv2: 1 to 32 letters, digits and hyphens, no hyphen at either end, not 'internal-' first.
_LOAD_BALANCER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")
PERCENTAGES = ("aws_health_alarms_cpu_percent", "aws_health_alarms_memory_percent",
               "aws_health_alarms_db_connections_percent", "aws_health_alarms_error_rate_percent")
SECONDS = ("aws_health_alarms_response_time_p95_seconds",)
# Names the alarms need, and where the inventory sets each.
NAMES = {"aws_health_alarms_asg_name": "fleet_aws_asg_name",
         "aws_health_alarms_load_balancer_name": "fleet_aws_load_balancer_name",
         "aws_health_alarms_db_identifier": "rds_db_identifier"}


def _threshold_problems(inputs):
    found = []
    for name in PERCENTAGES:
        number = rules.number(inputs[name])
        if number is None or not 0 < number < 100:
            found.append(f"{name} {inputs[name]!r} is not a percentage above 0 and below 100")
    for name in SECONDS:
        number = rules.number(inputs[name])
        if number is None or not number > 0:
            found.append(f"{name} {inputs[name]!r} is not a number of seconds above 0")
    return found


def _name_problems(inputs):
    found = []
    for name, inventory in NAMES.items():
        if not str(inputs[name] or "").strip():
            found.append(f"{name} is empty: set {inventory} in the inventory (inventories/<env>/group_vars/all)")
    balancer = str(inputs["aws_health_alarms_load_balancer_name"] or "")
    if balancer and (not _LOAD_BALANCER.match(balancer) or balancer.startswith("internal-")):
        found.append(f"aws_health_alarms_load_balancer_name {balancer!r} is no load balancer name"
                     " (1 to 32 letters, digits and inner hyphens, not 'internal-' first)")
    prefix = str(inputs["aws_health_alarms_name_prefix"])
    if not _PREFIX.match(prefix):
        found.append(f"aws_health_alarms_name_prefix {prefix!r} is no start of an alarm name"
                     " (up to 200 letters, digits, dots, hyphens and underscores, a letter or digit first)")
    return found


def _topic_problems(inputs):
    """The topic is set by aws_alerting during the run, so the validation play, before any AWS
    call, may find it empty: the role refuses that itself. A given one must be usable."""
    topic = str(inputs["aws_health_alarms_topic_arn"] or "")
    if not topic:
        return []
    match = rules.SNS_TOPIC_ARN.match(topic)
    if not match:
        return [f"aws_health_alarms_topic_arn {topic!r} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"]
    region = str(inputs.get("fleet_aws_region") or "")
    if region and match.group("region") != region:
        return [f"aws_health_alarms_topic_arn {topic!r} is in {match.group('region')}, the alarms in {region}:"
                " an alarm notifies only a topic in its own region"]
    return []


def problems(inputs, host_state=None):
    return _threshold_problems(inputs) + _name_problems(inputs) + _topic_problems(inputs)
