"""Checks of the aws_uptime role's input: no health check or alarm is made while one fails."""

from __future__ import annotations

import re

from . import rules

# An SNS topic in us-east-1: Route 53's metrics, so the uptime alarms, exist only there, and an
# alarm notifies topics of its own region only.
_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:us-east-1:\d{12}:[A-Za-z0-9_-]{1,256}$")
# More minutes than this before paging would exceed the 5 minutes the SOP gives every other threshold.
MAX_EVALUATION_MINUTES = 5


def _topic_problems(topic, required):
    """HOST_STATE["topic_required"] is set by the role's main tasks: there the alerting role has run
    (in playbooks/aws_platform.yml its topic ARN is a fact of the run, unknown to the validation play)."""
    if not str(topic or "").strip():
        if required:
            return ["aws_uptime_topic_arn is empty: the uptime alarm would page nobody (it defaults to the"
                    " us-east-1 topic the aws_alerting role makes, aws_alerting_topic_arns['us-east-1']:"
                    " apply aws_alerting first, or set it)"]
        return []
    if not _TOPIC_ARN.match(str(topic)):
        return [f"aws_uptime_topic_arn {topic!r} is not the ARN of an SNS topic in us-east-1"
                " (Route 53's metrics and their alarms exist only there, and an alarm notifies its own region's topics)"]
    return []


def problems(inputs, host_state=None):
    found = []
    prefix = str(inputs["aws_uptime_name_prefix"])
    if not prefix.strip() or len(prefix) > 200 or not prefix.isprintable():
        found.append(f"aws_uptime_name_prefix {prefix!r} must be 1 to 200 printable characters (the health check's Name tag and the alarm's name start with it)")
    fqdn = inputs["aws_uptime_fqdn"]
    if not str(fqdn or "").strip():
        found.append("aws_uptime_fqdn is empty: name the public HTTPS endpoint (it defaults to the inventory's fleet_public_name)")
    elif problem := rules.hostname_problem(str(fqdn)):
        found.append(f"aws_uptime_fqdn {fqdn!r} {problem}")
    port = inputs["aws_uptime_port"]
    if not rules.is_port_spec(port) or "-" in str(port):
        found.append(f"aws_uptime_port {port!r} is not a port (1-65535)")
    path = inputs["aws_uptime_path"]
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 255 or re.search(r"\s", path):
        found.append(f"aws_uptime_path {path!r} must start with '/' and have at most 255 characters and no spaces (Route 53's resource path)")
    if str(inputs["aws_uptime_request_interval"]) not in ("10", "30"):
        found.append(f"aws_uptime_request_interval {inputs['aws_uptime_request_interval']!r} must be 10 or 30 (seconds; Route 53 offers no other)")
    threshold = inputs["aws_uptime_failure_threshold"]
    if str(threshold) not in {str(n) for n in range(1, 11)}:
        found.append(f"aws_uptime_failure_threshold {threshold!r} must be 1 to 10 (consecutive checks)")
    minutes = inputs["aws_uptime_alarm_evaluation_periods"]
    if str(minutes) not in {str(n) for n in range(1, MAX_EVALUATION_MINUTES + 1)}:
        found.append(f"aws_uptime_alarm_evaluation_periods {minutes!r} must be 1 to {MAX_EVALUATION_MINUTES}"
                     " (minutes unhealthy before the on-call engineer is paged; the SOP's thresholds are evaluated over 5)")
    target = rules.number(inputs["aws_uptime_target_percent"])
    if target is None or not 0 < target <= 100:
        found.append(f"aws_uptime_target_percent {inputs['aws_uptime_target_percent']!r} must be a percentage above 0, at most 100")
    try:
        rules.as_bool(inputs["aws_uptime_measure_latency"])
    except ValueError as err:
        found.append(f"aws_uptime_measure_latency {err}")
    found += _topic_problems(inputs["aws_uptime_topic_arn"], bool((host_state or {}).get("topic_required")))
    return found
