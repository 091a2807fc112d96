"""Checks of the lb_member role's input: the load balancer a member is drained from.

Types and choices (lb_member_kind, the process names) are the argument spec's; what is checked
here depends on the kind.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .rules import ASG_NAME_MAX, INSTANCE_ID, REGION


def problems(inputs, host_state=None):
    kind = inputs["lb_member_kind"]
    found = []
    if kind == "haproxy":
        found += haproxy_problems(inputs)
    if kind == "elbv2":
        found += elbv2_problems(inputs)
    return found


# --- haproxy -----------------------------------------------------------------------------


def haproxy_problems(inputs):
    # The argument spec has made it an integer.
    if int(inputs["lb_member_capacity_settle"]) < 0:
        return [f"lb_member_capacity_settle {inputs['lb_member_capacity_settle']} must be 0 or more seconds"]
    return []


# --- elbv2 -------------------------------------------------------------------------------
# An AWS target group and Auto Scaling group, every call made from the controller. The members
# (drain, enable, maint) need their instance id; the controller itself (localhost: prepare,
# finish, capacity, restore) needs the group and the target group only.

CONTROLLER = "localhost"
TARGET_GROUP_ARN = re.compile(
    r"^arn:aws(-cn|-us-gov|-iso|-iso-b)?:elasticloadbalancing:(?P<region>[a-z]{2}(-[a-z]+)+-\d+):\d{12}:"
    r"targetgroup/[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]{16}$"
)
MIN_IN_SERVICE = 2


def _text(value):
    return "" if value is None else str(value).strip()


def elbv2_problems(inputs):
    found = []
    instance_id = _text(inputs["lb_member_instance_id"])
    if instance_id and not INSTANCE_ID.match(instance_id):
        found.append(
            f"lb_member_instance_id '{instance_id}' is not an EC2 instance id (i- and 8 or 17 hexadecimal digits)"
        )
    elif not instance_id and inputs.get("inventory_hostname") != CONTROLLER:
        found.append(
            "lb_member_instance_id is empty: with lb_member_kind elbv2 every app server needs its EC2 instance id"
            " (the aws_ec2 inventory's instance_id)"
        )

    arn = _text(inputs["lb_member_target_group_arn"])
    region = _text(inputs["lb_member_aws_region"])
    match = TARGET_GROUP_ARN.match(arn)
    if not arn:
        found.append("lb_member_target_group_arn is empty: with lb_member_kind elbv2 it names the app servers' target group")
    elif not match:
        found.append(
            f"lb_member_target_group_arn '{arn}' is not an ELBv2 target group ARN"
            " (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)"
        )
    elif region and REGION.match(region) and match.group("region") != region:
        found.append(
            f"lb_member_target_group_arn is in region {match.group('region')}, but lb_member_aws_region is {region}"
        )
    if region and not REGION.match(region):
        found.append(f"lb_member_aws_region '{region}' is not an AWS region name (such as ap-southeast-3)")

    name = _text(inputs["lb_member_asg_name"])
    if not name:
        found.append("lb_member_asg_name is empty: with lb_member_kind elbv2 it names the app servers' Auto Scaling group")
    elif len(name) > ASG_NAME_MAX:
        found.append(f"lb_member_asg_name has {len(name)} characters; an Auto Scaling group name has at most {ASG_NAME_MAX}")

    endpoint = _text(inputs["lb_member_aws_endpoint_url"])
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            found.append(f"lb_member_aws_endpoint_url '{endpoint}' is not an http:// or https:// URL")

    keep = inputs["lb_member_elbv2_keep_in_service"]
    if int(keep) < MIN_IN_SERVICE:
        found.append(
            f"lb_member_elbv2_keep_in_service {keep} is under {MIN_IN_SERVICE}: the SOP keeps at least"
            f" {MIN_IN_SERVICE} app instances in service at all times"
        )
    for variable in ("lb_member_enable_timeout", "lb_member_elbv2_capacity_timeout"):
        if int(inputs[variable]) <= 0:
            found.append(f"{variable} {inputs[variable]} is not a positive number of seconds")
    return found
