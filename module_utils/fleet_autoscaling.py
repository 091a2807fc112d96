# -*- coding: utf-8 -*-
"""Auto Scaling groups as the rolling maintenance sees them, shared by autoscaling_processes and
autoscaling_capacity (on module_utils/fleet_aws.py's connection, retries and errors).

- The group by its exact name (DescribeAutoScalingGroups matches names exactly; amazon.aws's
  autoscaling_group_info matches a prefix).
- Its instances and how each one fares: lifecycle state, the group's health status, and its
  state in every target group the group is attached to. "In service" means all three say so.
- A record kept in one of the group's tags, so that what a maintenance run changed (processes
  suspended, desired capacity raised) can be undone by a later run when this one was cut short.
"""

from __future__ import annotations

import time

# Every Auto Scaling process (SuspendProcesses' ScalingProcesses).
PROCESSES = (
    "AZRebalance",
    "AddToLoadBalancer",
    "AlarmNotification",
    "HealthCheck",
    "InstanceRefresh",
    "Launch",
    "ReplaceUnhealthy",
    "ScheduledActions",
    "Terminate",
)
GROUP_NAME_MAX = 255
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256

_sleep = time.sleep
_clock = time.monotonic


def group_name_problem(option, name):
    """Why NAME is not an Auto Scaling group name AWS accepts ('' when it is)."""
    if not name or not name.strip():
        return "{0} is empty".format(option)
    if len(name) > GROUP_NAME_MAX:
        return "{0} has {1} characters; an Auto Scaling group name has at most {2}".format(
            option, len(name), GROUP_NAME_MAX
        )
    return ""


def tag_key_problem(option, key):
    """Why KEY cannot be the key of a tag this project writes ('' when it can)."""
    if key is None:
        return ""
    if not key.strip():
        return "{0} is empty".format(option)
    if len(key) > TAG_KEY_MAX:
        return "{0} has {1} characters; a tag key has at most {2}".format(option, len(key), TAG_KEY_MAX)
    if key.lower().startswith("aws:"):
        return "{0} '{1}' starts with 'aws:', which AWS keeps for its own tags".format(option, key)
    return ""


def find_group(conn, name):
    """The group named NAME, or fail_json saying it was not found."""
    reply = conn.call(
        "reading Auto Scaling group {0!r}".format(name),
        "describe_auto_scaling_groups",
        AutoScalingGroupNames=[name],
    )
    for group in reply.get("AutoScalingGroups", []):
        if group.get("AutoScalingGroupName") == name:
            return group
    conn.module.fail_json(msg="Auto Scaling group {0!r} not found in region {1}".format(name, conn.region))
    return None


def tag_value(group, key):
    """The value of the group's tag KEY, or None."""
    for tag in group.get("Tags") or []:
        if tag.get("Key") == key:
            return tag.get("Value", "")
    return None


def write_tag(conn, group_name, key, value):
    """Create or update the group's tag KEY (not propagated to instances); nothing in check mode."""
    if len(value) > TAG_VALUE_MAX:
        conn.module.fail_json(
            msg="the record for tag {0!r} would have {1} characters; a tag value has at most {2}".format(
                key, len(value), TAG_VALUE_MAX
            )
        )
    conn.change(
        "recording {0}={1!r} in the tags of Auto Scaling group {2!r}".format(key, value, group_name),
        "create_or_update_tags",
        Tags=[
            dict(
                ResourceId=group_name,
                ResourceType="auto-scaling-group",
                Key=key,
                Value=value,
                PropagateAtLaunch=False,
            )
        ],
    )


def delete_tag(conn, group_name, key):
    conn.change(
        "removing tag {0!r} from Auto Scaling group {1!r}".format(key, group_name),
        "delete_tags",
        Tags=[dict(ResourceId=group_name, ResourceType="auto-scaling-group", Key=key)],
    )


def target_states(elbv2, group):
    """{target group ARN: {instance id: target state}} for the group's instances."""
    ids = [i["InstanceId"] for i in group.get("Instances", [])]
    states = {}
    for arn in group.get("TargetGroupARNs") or []:
        found = {}
        if ids:
            reply = elbv2.call(
                "reading the target health of target group {0}".format(arn),
                "describe_target_health",
                TargetGroupArn=arn,
                Targets=[{"Id": i} for i in ids],
            )
            for description in reply.get("TargetHealthDescriptions", []):
                found[description["Target"]["Id"]] = description.get("TargetHealth", {}).get("State", "")
        states[arn] = found
    return states


def instance_report(group, states):
    """{instance id: {lifecycle_state, health_status, availability_zone, targets, in_service}}."""
    report = {}
    for instance in group.get("Instances", []):
        iid = instance["InstanceId"]
        targets = {arn: found.get(iid, "unused") for arn, found in states.items()}
        report[iid] = dict(
            lifecycle_state=instance.get("LifecycleState", ""),
            health_status=instance.get("HealthStatus", ""),
            availability_zone=instance.get("AvailabilityZone", ""),
            protected_from_scale_in=bool(instance.get("ProtectedFromScaleIn", False)),
            targets=targets,
            in_service=(
                instance.get("LifecycleState") == "InService"
                and str(instance.get("HealthStatus", "")).lower() == "healthy"
                and all(state == "healthy" for state in targets.values())
            ),
        )
    return report


def in_service(report):
    return sorted(iid for iid, instance in report.items() if instance["in_service"])


def group_report(group):
    return dict(
        name=group["AutoScalingGroupName"],
        min_size=group.get("MinSize"),
        max_size=group.get("MaxSize"),
        desired_capacity=group.get("DesiredCapacity"),
        target_group_arns=list(group.get("TargetGroupARNs") or []),
        suspended_processes=sorted(p["ProcessName"] for p in group.get("SuspendedProcesses") or []),
    )


def poll(read, reached, timeout, interval):
    """read() until reached(what it read) holds or TIMEOUT seconds have passed, sleeping INTERVAL
    seconds between reads. Returns (the last reading, seconds waited, whether it was reached)."""
    started = _clock()
    while True:
        reading = read()
        waited = _clock() - started
        if reached(reading):
            return reading, round(waited, 1), True
        if waited >= timeout:
            return reading, round(waited, 1), False
        _sleep(min(interval, max(0.1, timeout - waited)))
