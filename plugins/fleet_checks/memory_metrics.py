"""Checks of the memory_metrics role's input, before anything on the host changes.

Only what publishing uses is checked, and only when publishing is on: turning the role off
must work on a host whose AWS facts were never known. The environment's values are secrets
(test credentials): no message shows them.
"""

from __future__ import annotations

import re
import urllib.parse

from . import rules
from .rules import ASG_NAME_MAX, INSTANCE_ID, REGION

# CloudWatch's standard resolution is one datum a minute; the SOP's memory alarm looks at
# 5-minute periods, each of which must hold at least one datum.
INTERVAL_MIN, INTERVAL_MAX = 60, 300
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _text(value):
    return "" if value is None else str(value).strip()


def _endpoint_problem(url):
    if not url:
        return ""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (f"memory_metrics_endpoint_url '{url}' is not an http(s):// URL with a host:"
                " leave it empty on AWS (the region's own endpoint), set it only for a local endpoint")
    if parts.query or parts.fragment:
        return f"memory_metrics_endpoint_url '{url}' must not carry a query or a fragment"
    return ""


def _environment_problems(environment):
    if not isinstance(environment, dict):
        return ["memory_metrics_environment must be a mapping of variable names to values"]
    found = []
    for name, value in environment.items():
        if not _ENV_NAME.match(str(name)):
            found.append(f"memory_metrics_environment: '{name}' is not an environment variable name"
                         " (letters, digits and _, not starting with a digit)")
        elif not isinstance(value, (str, int)) or isinstance(value, bool):
            found.append(f"memory_metrics_environment.{name} must be a string (the value is not shown)")
        elif any(c in str(value) for c in "\n\r\0"):
            found.append(f"memory_metrics_environment.{name} holds a line break or NUL, which an"
                         " environment file cannot carry (the value is not shown)")
    return found


def problems(inputs, host_state=None):
    if not rules.as_bool(inputs["memory_metrics_enabled"]):
        return []
    found = []
    instance_id = _text(inputs["memory_metrics_instance_id"])
    if not INSTANCE_ID.match(instance_id):
        found.append(
            f"memory_metrics_instance_id '{instance_id}' is not an EC2 instance id (i- and 8 or 17 hexadecimal"
            " digits): the aws_ec2 inventory gives it as instance_id; set memory_metrics_enabled: false on"
            " hosts that are not EC2 instances"
        )
    group = _text(inputs["memory_metrics_auto_scaling_group"])
    if len(group) > ASG_NAME_MAX:
        found.append(f"memory_metrics_auto_scaling_group is {len(group)} characters long: an Auto Scaling group"
                     f" name has at most {ASG_NAME_MAX}")
    elif any(ord(c) < 32 for c in group):
        found.append(f"memory_metrics_auto_scaling_group {group!r} holds a control character:"
                     " no Auto Scaling group name does")
    region = _text(inputs["memory_metrics_region"])
    if not REGION.match(region):
        found.append(f"memory_metrics_region '{region}' is not an AWS region (such as ap-southeast-3)")
    found += [p for p in [_endpoint_problem(_text(inputs["memory_metrics_endpoint_url"]))] if p]
    interval = int(inputs["memory_metrics_interval"])
    if not INTERVAL_MIN <= interval <= INTERVAL_MAX:
        found.append(
            f"memory_metrics_interval {interval} must be {INTERVAL_MIN} to {INTERVAL_MAX} seconds: CloudWatch's"
            " standard resolution is one datum a minute, and each 5-minute alarm period needs one"
        )
    found += _environment_problems(inputs["memory_metrics_environment"])
    return found
