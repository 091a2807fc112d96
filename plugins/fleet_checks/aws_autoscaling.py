"""Checks of the aws_autoscaling role's input: the group, its policies and alarms are not touched
while one fails. The argument spec has checked the types; the values and how they fit together
are checked here."""

from __future__ import annotations

import re

from . import rules

# The SOP's redundancy: never fewer than two app servers.
MIN_INSTANCES = 2
# CloudWatch: evaluation periods x period at most one day; a name at most 255 characters.
MAX_MINUTES = 1440
NAME_MAX = 255
# The longest name the role makes after the prefix (plugins/filter/fleet_scaling.py).
LONGEST_SUFFIX = len("-scale-out-connections-high")
# EC2 reports a group's CPU every 5 minutes (basic monitoring), and the scale-in rule is judged on
# those periods.
CPU_PERIOD_MINUTES = 5
# An application load balancer's name: 32 letters, digits and inner hyphens, not internal-...
_LOAD_BALANCER = re.compile(r"^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")
TAG_KEY_MAX, TAG_VALUE_MAX = 128, 256


def _int(value):
    """VALUE as an int (whole numbers only, as -e gives them: strings), or None."""
    if isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _whole_numbers(inputs, names):
    found, numbers = [], {}
    for name in names:
        value = inputs[f"aws_autoscaling_{name}"]
        numbers[name] = _int(value)
        if numbers[name] is None:
            found.append(f"aws_autoscaling_{name} {value!r} is not a whole number")
    return found, numbers


def _name_problems(inputs):
    found = []
    group = str(inputs["aws_autoscaling_group_name"] or "")
    if not group.strip():
        found.append("aws_autoscaling_group_name is empty: name the app servers' Auto Scaling group (fleet_aws_asg_name)")
    elif len(group) > NAME_MAX:
        found.append(f"aws_autoscaling_group_name has {len(group)} characters; AWS takes at most {NAME_MAX}")
    balancer = str(inputs["aws_autoscaling_load_balancer_name"] or "")
    if not balancer.strip():
        found.append("aws_autoscaling_load_balancer_name is empty: name the application load balancer whose active"
                     " connections scale the group (fleet_aws_load_balancer_name)")
    elif not _LOAD_BALANCER.match(balancer):
        found.append(f"aws_autoscaling_load_balancer_name {balancer!r} is no load balancer name (up to 32 letters, digits"
                     " and inner hyphens, not starting with 'internal-')")
    prefix = str(inputs["aws_autoscaling_name_prefix"] or "")
    if not prefix.strip():
        found.append("aws_autoscaling_name_prefix is empty: the policies' and alarms' names start with it")
    elif len(prefix) + LONGEST_SUFFIX > NAME_MAX:
        found.append(f"aws_autoscaling_name_prefix has {len(prefix)} characters: with '-scale-out-connections-high'"
                     f" an alarm's name would exceed the {NAME_MAX} CloudWatch takes")
    return found


def _size_problems(numbers, desired):
    low, high = numbers["min_size"], numbers["max_size"]
    found = []
    if low is not None and low < MIN_INSTANCES:
        found.append(f"aws_autoscaling_min_size {low} is below {MIN_INSTANCES}: the SOP keeps at least two app servers")
    if low is not None and high is not None and high < low:
        found.append(f"aws_autoscaling_max_size {high} is below aws_autoscaling_min_size {low}")
    if desired is not None and str(desired).strip() != "":
        value = _int(desired)
        if value is None:
            found.append(f"aws_autoscaling_desired_capacity {desired!r} is not a whole number")
        elif low is not None and high is not None and not low <= value <= high:
            found.append(f"aws_autoscaling_desired_capacity {value} is outside aws_autoscaling_min_size {low}"
                         f" .. aws_autoscaling_max_size {high} (AWS refuses it; the local endpoint would take it)")
    return found


def _minutes_problems(numbers):
    found = []
    for name in ("scale_out_cpu_minutes", "scale_in_minutes"):
        value = numbers[name]
        if value is not None and (value % CPU_PERIOD_MINUTES or not CPU_PERIOD_MINUTES <= value <= MAX_MINUTES):
            found.append(f"aws_autoscaling_{name} {value} must be a multiple of {CPU_PERIOD_MINUTES} from"
                         f" {CPU_PERIOD_MINUTES} to {MAX_MINUTES}: EC2 reports the group's CPU every 5 minutes")
    value = numbers["scale_out_connections_minutes"]
    if value is not None and not 1 <= value <= MAX_MINUTES:
        found.append(f"aws_autoscaling_scale_out_connections_minutes {value} must be 1 to {MAX_MINUTES}")
    return found


def _threshold_problems(numbers):
    found = []
    for name in ("scale_out_cpu_percent", "scale_in_cpu_percent"):
        value = numbers[name]
        if value is not None and not 1 <= value <= 99:
            found.append(f"aws_autoscaling_{name} {value} must be a percentage from 1 to 99")
    for name in ("scale_out_connections", "scale_in_connections"):
        value = numbers[name]
        if value is not None and value < 1:
            found.append(f"aws_autoscaling_{name} {value} must be 1 or more")
    # A scale-in threshold at or above the scale-out one would remove what was just added.
    for what in ("cpu_percent", "connections"):
        low, high = numbers[f"scale_in_{what}"], numbers[f"scale_out_{what}"]
        if None not in (low, high) and low >= high:
            found.append(f"aws_autoscaling_scale_in_{what} {low} must be below aws_autoscaling_scale_out_{what} {high}:"
                         " the group would scale in and out on the same load")
    return found


def _step_problems(numbers):
    found = []
    for name in ("scale_out_step", "scale_in_step"):
        value = numbers[name]
        if value is not None and value < 1:
            found.append(f"aws_autoscaling_{name} {value} must be 1 or more (instances per scaling)")
    for name in ("scale_out_cooldown", "scale_in_cooldown"):
        value = numbers[name]
        if value is not None and not 0 <= value <= 86400:
            found.append(f"aws_autoscaling_{name} {value} must be 0 to 86400 seconds")
    return found


def _tag_problems(tags):
    if not isinstance(tags, dict):
        return ["aws_autoscaling_tags must be a dictionary of tag keys and values"]
    found = []
    for key, value in tags.items():
        if not 1 <= len(str(key)) <= TAG_KEY_MAX or str(key).lower().startswith("aws:"):
            found.append(f"aws_autoscaling_tags: key {key!r} must be 1 to {TAG_KEY_MAX} characters, not starting with 'aws:'")
        if len(str(value)) > TAG_VALUE_MAX:
            found.append(f"aws_autoscaling_tags: the value of {key!r} is over {TAG_VALUE_MAX} characters")
    return found


def problems(inputs, host_state=None):
    found = _name_problems(inputs)
    bad, numbers = _whole_numbers(inputs, (
        "min_size", "max_size", "scale_out_cpu_percent", "scale_out_cpu_minutes", "scale_out_connections",
        "scale_out_connections_minutes", "scale_in_cpu_percent", "scale_in_connections", "scale_in_minutes",
        "scale_out_step", "scale_in_step", "scale_out_cooldown", "scale_in_cooldown"))
    found += bad
    found += _size_problems(numbers, inputs["aws_autoscaling_desired_capacity"])
    found += _minutes_problems(numbers) + _threshold_problems(numbers) + _step_problems(numbers)
    found += _tag_problems(inputs["aws_autoscaling_tags"])
    try:
        rules.as_bool(inputs["aws_autoscaling_composite_alarms"])
    except ValueError as err:
        found.append(f"aws_autoscaling_composite_alarms {err}")
    return found
