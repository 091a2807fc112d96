#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: autoscaling_capacity
short_description: Read or set an Auto Scaling group's size limits, desired capacity and simple scaling policies
description:
  - Reports an Auto Scaling group's limits and desired capacity and, for each of its instances, the
    lifecycle state, the group's health status and the state in every target group the group is
    attached to. An instance is in service when it is C(InService), C(Healthy) and C(healthy) in all
    of them.
  - With O(min_size) and O(max_size), sets the group's size limits (UpdateAutoScalingGroup with
    those two fields only). When the desired capacity lies outside the new limits, AWS moves it to
    the nearest limit - launching or terminating instances - and the module says so in a warning
    and in RV(capacity_effect). A maximum below the minimum is refused.
  - With O(desired_capacity), sets the desired capacity (SetDesiredCapacity, no other setting of the
    group is touched; in the same UpdateAutoScalingGroup call when the limits change too). A value
    outside the group's minimum and maximum size (the new ones, when given) is refused before any
    write - AWS refuses it too, but not every endpoint does. The desired capacity is never set below
    the minimum.
  - With O(scaling_policies), makes the group's simple scaling policies (add or remove a number of
    instances, then wait a cooldown) match, and reports every policy of the group with its ARN - the
    action a CloudWatch alarm runs - in check mode too, where a policy still to be created has none.
    Policies the list does not name are left as they are.
  - amazon.aws.autoscaling_group also sets the limits, but resumes every suspended process not
    listed in its own options (undoing a maintenance run's suspension) and reports every check mode
    run on an existing group as a change. community.aws.autoscaling_policy makes policies but has no
    check mode - its tasks are skipped under C(--check), so a check run would neither report a
    changed policy nor know the policies' ARNs. Hence these options here.
  - With O(wait_in_service), waits until at least that many instances are in service, bounded by
    O(wait_timeout).
  - With O(record_tag), a raise records the desired capacity it started from in that tag of the group
    (the first raise only; a record already there is kept), and O(restore=true) lowers the desired
    capacity back to the recorded value and removes the tag. A later run then undoes the raise of an
    interrupted one.
  - Refuses bad input before any call - an empty group name, a negative size or capacity, a maximum
    below the minimum, a desired capacity outside the limits given, a policy that adds nothing or is
    named twice, a timeout or poll interval under 1 second, an unusable tag key.
version_added: "1.0.0"
author: Hosting team
options:
  name:
    description: The Auto Scaling group's name, exactly.
    type: str
    required: true
    aliases: [group_name]
  min_size:
    description:
      - The group's minimum size. Left as it is when omitted.
      - A desired capacity below it is raised to it by AWS (instances are launched).
    type: int
  max_size:
    description:
      - The group's maximum size. Left as it is when omitted; never below the minimum.
      - A desired capacity above it is lowered to it by AWS (instances are terminated).
    type: int
  desired_capacity:
    description:
      - The desired capacity to set. Only reported when omitted.
      - Must lie within the group's minimum and maximum size.
    type: int
  restore:
    description:
      - Lower the desired capacity to the value recorded in O(record_tag) and remove the tag. Nothing
        changes when there is no such tag; a desired capacity already at or below the record is left
        as it is (the tag is still removed).
      - Lowering the desired capacity lets the group's termination policy choose which instance ends.
    type: bool
    default: false
  record_tag:
    description:
      - The key of a tag of the group that records the desired capacity before a raise (not propagated
        to instances). Required with O(restore=true).
    type: str
  wait_in_service:
    description:
      - Wait until at least this many instances are in service. Not waited for in check mode.
      - More than the group's maximum size is refused, since it could never be reached.
    type: int
  wait_timeout:
    description: Seconds O(wait_in_service) waits before the module fails.
    type: int
    default: 600
  poll_interval:
    description: Seconds between two readings while waiting.
    type: int
    default: 15
  scaling_policies:
    description:
      - Simple scaling policies of the group (policy type C(SimpleScaling), adjustment type
        C(ChangeInCapacity)), each created or updated when it differs. An empty list changes
        nothing and reports the group's policies.
      - Auto Scaling never takes the group outside its limits when a policy runs.
    type: list
    elements: dict
    suboptions:
      name:
        description: The policy's name (1 to 255 characters), unique in the group.
        type: str
        required: true
      adjustment:
        description: Instances to add (positive) or remove (negative) each time the policy runs.
        type: int
        required: true
      cooldown:
        description: Seconds after a scaling activity before the policy acts again.
        type: int
        required: true
notes:
  - Check mode is supported, with diff; it reports what would change, makes no write call and does not wait.
  - Reads need C(autoscaling:DescribeAutoScalingGroups) and C(elasticloadbalancing:DescribeTargetHealth)
    and, with O(scaling_policies), C(autoscaling:DescribePolicies); writes C(autoscaling:SetDesiredCapacity),
    with O(min_size) or O(max_size) C(autoscaling:UpdateAutoScalingGroup), with O(scaling_policies)
    C(autoscaling:PutScalingPolicy), and with O(record_tag) C(autoscaling:CreateOrUpdateTags) and
    C(autoscaling:DeleteTags).
  - The desired capacity is set without honouring the group's cooldown.
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: Read the group and which instances are in service
  autoscaling_capacity:
    name: e1-app-prod
  register: capacity

- name: One more instance before the first is taken out, and wait until it is in service
  autoscaling_capacity:
    name: e1-app-prod
    desired_capacity: "{{ capacity.group.desired_capacity + 1 }}"
    wait_in_service: "{{ capacity.in_service | length + 1 }}"
    wait_timeout: 600
    record_tag: "fleet-maintenance:desired-before-raise"

- name: Back to the capacity before the raise
  autoscaling_capacity:
    name: e1-app-prod
    restore: true
    record_tag: "fleet-maintenance:desired-before-raise"

- name: The SOP's limits and one instance more or less at a time
  autoscaling_capacity:
    name: e1-app-prod
    min_size: 2
    max_size: 10
    scaling_policies:
      - {name: e1-app-prod-scale-out, adjustment: 1, cooldown: 300}
      - {name: e1-app-prod-scale-in, adjustment: -1, cooldown: 900}
  register: scaling
"""

RETURN = r"""
group:
  description: The group after the call (what it would be, in check mode).
  returned: always
  type: dict
  contains:
    name:
      description: The group's name.
      type: str
    min_size:
      description: Its minimum size.
      type: int
    max_size:
      description: Its maximum size.
      type: int
    desired_capacity:
      description: Its desired capacity.
      type: int
    target_group_arns:
      description: The target groups it is attached to.
      type: list
      elements: str
    suspended_processes:
      description: Its suspended processes.
      type: list
      elements: str
  sample:
    name: e1-app-prod
    min_size: 2
    max_size: 10
    desired_capacity: 3
    target_group_arns: ["arn:aws:elasticloadbalancing:ap-southeast-3:123456789012:targetgroup/e1-app/0123456789abcdef"]
    suspended_processes: []
desired_before:
  description: The desired capacity before the call.
  returned: always
  type: int
  sample: 2
desired_after:
  description: The desired capacity after the call (what it would be, in check mode).
  returned: always
  type: int
  sample: 3
instances:
  description: Each instance of the group, by id, as last read.
  returned: always
  type: dict
  sample:
    i-0123456789abcdef0:
      lifecycle_state: InService
      health_status: Healthy
      availability_zone: ap-southeast-3a
      protected_from_scale_in: false
      targets: {"arn:aws:elasticloadbalancing:ap-southeast-3:123456789012:targetgroup/e1-app/0123456789abcdef": healthy}
      in_service: true
in_service:
  description: The ids of the instances in service (InService, Healthy, healthy in every target group), as last read.
  returned: always
  type: list
  elements: str
  sample: [i-0123456789abcdef0, i-0fedcba9876543210, i-00112233445566778]
added:
  description: Instances in service that were not in the group before the call.
  returned: always
  type: list
  elements: str
  sample: [i-00112233445566778]
recorded:
  description: The desired capacity O(record_tag) records after the call; null without a record.
  returned: always
  type: int
  sample: 2
waited:
  description: Seconds spent waiting for O(wait_in_service).
  returned: always
  type: float
  sample: 42.5
capacity_effect:
  description: What AWS does to the desired capacity because of new size limits; empty when nothing.
  returned: always
  type: str
  sample: "the desired capacity 12 of Auto Scaling group 'e1-app-prod' is above the new maximum size 10: AWS lowers it to 10, terminating 2 instances"
policies:
  description:
    - Every scaling policy of the group after the call (what it would be, in check mode), by name.
    - The ARN of a policy check mode would create is null.
  returned: when O(scaling_policies) is given
  type: dict
  sample:
    e1-app-prod-scale-out:
      arn: "arn:aws:autoscaling:ap-southeast-3:123456789012:scalingPolicy:0f1e2d3c:autoScalingGroupName/e1-app-prod:policyName/e1-app-prod-scale-out"
      policy_type: SimpleScaling
      adjustment_type: ChangeInCapacity
      adjustment: 1
      cooldown: 300
policies_changed:
  description: The names of the policies this call created or updated (or would, in check mode).
  returned: when O(scaling_policies) is given
  type: list
  elements: str
  sample: [e1-app-prod-scale-in]
"""

from collections import namedtuple

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_autoscaling import (
    delete_tag,
    find_group,
    group_name_problem,
    group_report,
    in_service,
    instance_report,
    poll,
    tag_key_problem,
    tag_value,
    target_states,
    write_tag,
)
from ansible.module_utils.fleet_aws import AwsConnection, aws_argument_spec

POLICY_NAME_MAX = 255

# What the call is to do, decided before any write: the size limits wanted, the desired capacity
# after the call and whether it is asked for (sent) or left to AWS, the record to write (None),
# whether the record tag goes away, the record after the call, and what AWS does to the desired
# capacity because of new limits.
Plan = namedtuple("Plan", "min_size max_size desired send_desired new_record drop_record record effect")


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        name=dict(type="str", required=True, aliases=["group_name"]),
        min_size=dict(type="int"),
        max_size=dict(type="int"),
        desired_capacity=dict(type="int"),
        restore=dict(type="bool", default=False),
        record_tag=dict(type="str"),
        wait_in_service=dict(type="int"),
        wait_timeout=dict(type="int", default=600),
        poll_interval=dict(type="int", default=15),
        scaling_policies=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                adjustment=dict(type="int", required=True),
                cooldown=dict(type="int", required=True),
            ),
        ),
    )
    return spec


def size_problems(params):
    """The limits and capacity given, held against each other (the group's own are read later)."""
    found = [
        "{0} {1} is negative".format(option, params[option])
        for option in ("min_size", "max_size", "desired_capacity", "wait_in_service")
        if params[option] is not None and params[option] < 0
    ]
    if found:
        return found
    low, high, desired = params["min_size"], params["max_size"], params["desired_capacity"]
    if low is not None and high is not None and high < low:
        found.append("max_size {0} is below min_size {1}".format(high, low))
    elif desired is not None and ((low is not None and desired < low) or (high is not None and desired > high)):
        found.append(
            "desired_capacity {0} is outside the limits given: min_size {1}, max_size {2}".format(
                desired, "(the group's)" if low is None else low, "(the group's)" if high is None else high
            )
        )
    if high is not None and params["wait_in_service"] is not None and params["wait_in_service"] > high:
        found.append("wait_in_service {0} can never be reached with max_size {1}".format(params["wait_in_service"], high))
    return found


def policy_problems(policies):
    found = []
    names = [policy["name"] for policy in policies or []]
    for index, policy in enumerate(policies or []):
        where = "scaling_policies[{0}]".format(index)
        if not policy["name"].strip() or len(policy["name"]) > POLICY_NAME_MAX:
            found.append("{0}.name must be 1 to {1} characters".format(where, POLICY_NAME_MAX))
        elif names.count(policy["name"]) > 1:
            found.append("{0}.name {1!r} names more than one policy".format(where, policy["name"]))
        if policy["adjustment"] == 0:
            found.append("{0}.adjustment is 0: the policy would change nothing".format(where))
        if policy["cooldown"] < 0:
            found.append("{0}.cooldown {1} is negative".format(where, policy["cooldown"]))
    return found


def validate(module):
    """Refuse bad input before anything is sent."""
    params = module.params
    problems = [
        problem
        for problem in (group_name_problem("name", params["name"]), tag_key_problem("record_tag", params["record_tag"]))
        if problem
    ]
    problems += size_problems(params)
    if params["restore"] and params["record_tag"] is None:
        problems.append("restore needs record_tag, the tag that holds the capacity to restore")
    for option in ("wait_timeout", "poll_interval"):
        if params[option] < 1:
            problems.append("{0} {1} is under 1 second".format(option, params[option]))
    problems += policy_problems(params["scaling_policies"])
    if problems:
        module.fail_json(msg="; ".join(problems))


def outside_limits(value, name, low, high):
    """Why VALUE cannot be the desired capacity of group NAME with limits LOW..HIGH ('' when it can)."""
    if low <= value <= high:
        return ""
    return "{0} is outside the limits of Auto Scaling group {1!r}: minimum size {2}, maximum size {3}".format(
        value, name, low, high
    )


def recorded_capacity(conn, group, key):
    """The capacity the record tag holds, or None; fail_json when it holds no number."""
    value = tag_value(group, key) if key is not None else None
    if value is None:
        return None
    if not value.strip().isdigit():
        conn.module.fail_json(
            msg="tag {0!r} of Auto Scaling group {1!r} holds {2!r}, not a desired capacity: "
            "correct or remove the tag".format(key, group["AutoScalingGroupName"], value)
        )
    return int(value)


def wanted_limits(conn, group):
    """(minimum, maximum) after the call; fail_json when one given crosses the group's other."""
    params, name = conn.module.params, group["AutoScalingGroupName"]
    low = group["MinSize"] if params["min_size"] is None else params["min_size"]
    high = group["MaxSize"] if params["max_size"] is None else params["max_size"]
    if high < low:
        given, option, other = (
            ("min_size", low, "above the maximum size {0}".format(high))
            if params["max_size"] is None
            else ("max_size", high, "below the minimum size {0}".format(low))
        )
        conn.module.fail_json(
            msg="{0} {1} is {2} of Auto Scaling group {3!r}; nothing was changed".format(given, option, other, name)
        )
    return low, high


def limits_effect(group, low, high):
    """(desired capacity after new limits LOW..HIGH, what AWS does to it: '' when nothing)."""
    name, current = group["AutoScalingGroupName"], group["DesiredCapacity"]
    if (low, high) == (group["MinSize"], group["MaxSize"]):
        return current, ""
    if current < low:
        return low, (
            "the desired capacity {0} of Auto Scaling group {1!r} is below the new minimum size {2}:"
            " AWS raises it to {2}, launching {3} instance(s)".format(current, name, low, low - current)
        )
    if current > high:
        return high, (
            "the desired capacity {0} of Auto Scaling group {1!r} is above the new maximum size {2}:"
            " AWS lowers it to {2}, terminating {3} instance(s)".format(current, name, high, current - high)
        )
    return current, ""


def plan(conn, group):
    """What the call is to do (a Plan), decided before any write; fail_json on a value AWS would refuse."""
    params = conn.module.params
    name, key, current = group["AutoScalingGroupName"], params["record_tag"], group["DesiredCapacity"]
    low, high = wanted_limits(conn, group)
    record = recorded_capacity(conn, group, key)
    asked = params["desired_capacity"]
    # The capacity asked for is the first thing wrong when both it and the wait exceed the maximum.
    problem = "" if asked is None else outside_limits(asked, name, low, high)
    if problem:
        conn.module.fail_json(msg="desired_capacity {0}; nothing was changed".format(problem))
    count = params["wait_in_service"]
    if count is not None and count > high:
        conn.module.fail_json(
            msg="wait_in_service {0} can never be reached: Auto Scaling group {1!r} has a maximum size of {2}".format(
                count, name, high
            )
        )
    left, effect = limits_effect(group, low, high)
    if params["restore"]:
        if record is None or left <= record:
            return Plan(low, high, left, False, None, record is not None, None, effect)
        problem = outside_limits(record, name, low, high)
        if problem:
            conn.module.fail_json(
                msg="tag {0!r} records desired capacity {1}: correct or remove the tag".format(key, problem)
            )
        return Plan(low, high, record, True, None, True, None, "")
    if asked is None:
        return Plan(low, high, left, False, None, False, record, effect)
    if key is not None and record is None and asked > current:
        return Plan(low, high, asked, True, current, False, current, "")
    return Plan(low, high, asked, True, None, False, record, "")


def ensure_capacity(conn, group, wanted):
    """Record the level before a raise, set the limits and the desired capacity, drop a restored
    record; returns changed."""
    name, current, key = group["AutoScalingGroupName"], group["DesiredCapacity"], conn.module.params["record_tag"]
    limits = (wanted.min_size, wanted.max_size) != (group["MinSize"], group["MaxSize"])
    desired = wanted.send_desired and wanted.desired != current
    if wanted.new_record is not None:
        write_tag(conn, name, key, str(wanted.new_record))
    if limits:
        # Only the limits (and a desired capacity asked for): any other field given to
        # UpdateAutoScalingGroup would be a setting of the group this module does not own.
        request = dict(AutoScalingGroupName=name, MinSize=wanted.min_size, MaxSize=wanted.max_size)
        if desired:
            request["DesiredCapacity"] = wanted.desired
        conn.change(
            "setting the size limits of Auto Scaling group {0!r} to {1}..{2}".format(name, wanted.min_size, wanted.max_size),
            "update_auto_scaling_group",
            **request
        )
    elif desired:
        conn.change(
            "setting the desired capacity of Auto Scaling group {0!r} from {1} to {2}".format(name, current, wanted.desired),
            "set_desired_capacity",
            AutoScalingGroupName=name,
            DesiredCapacity=wanted.desired,
            HonorCooldown=False,
        )
    if wanted.drop_record:
        delete_tag(conn, name, key)
    return wanted.new_record is not None or limits or desired or wanted.drop_record


# --- simple scaling policies ------------------------------------------------------------------


def read_policies(conn, name):
    """{policy name: policy as AWS describes it} of group NAME (DescribePolicies pages by 50)."""
    found, token = {}, None
    while True:
        extra = {"NextToken": token} if token else {}
        reply = conn.call(
            "reading the scaling policies of Auto Scaling group {0!r}".format(name),
            "describe_policies",
            AutoScalingGroupName=name,
            **extra
        )
        found.update((policy["PolicyName"], policy) for policy in reply.get("ScalingPolicies") or [])
        token = reply.get("NextToken")
        if not token:
            return found


def policy_report(policy):
    return dict(
        arn=policy.get("PolicyARN"),
        policy_type=policy.get("PolicyType"),
        adjustment_type=policy.get("AdjustmentType"),
        adjustment=policy.get("ScalingAdjustment"),
        cooldown=policy.get("Cooldown"),
    )


def policy_differs(have, want):
    return (
        have is None
        or have.get("PolicyType") != "SimpleScaling"
        or have.get("AdjustmentType") != "ChangeInCapacity"
        or have.get("ScalingAdjustment") != want["adjustment"]
        or have.get("Cooldown") != want["cooldown"]
    )


def ensure_policies(conn, name, wanted):
    """Put each policy of WANTED that differs; returns (names changed, report before, report after)."""
    have = read_policies(conn, name)
    before = {policy_name: policy_report(policy) for policy_name, policy in have.items()}
    changed = []
    for want in wanted:
        if not policy_differs(have.get(want["name"]), want):
            continue
        conn.change(
            "writing scaling policy {0!r} of Auto Scaling group {1!r}".format(want["name"], name),
            "put_scaling_policy",
            AutoScalingGroupName=name,
            PolicyName=want["name"],
            PolicyType="SimpleScaling",
            AdjustmentType="ChangeInCapacity",
            ScalingAdjustment=want["adjustment"],
            Cooldown=want["cooldown"],
        )
        changed.append(want["name"])
    if not changed:
        return changed, before, before
    if not conn.module.check_mode:
        # Read back rather than trust PutScalingPolicy's answer: not every endpoint returns the ARN.
        return changed, before, {n: policy_report(p) for n, p in read_policies(conn, name).items()}
    after = dict(before)
    for want in wanted:
        if want["name"] in changed:
            after[want["name"]] = dict(
                (before.get(want["name"]) or {"arn": None}),
                policy_type="SimpleScaling",
                adjustment_type="ChangeInCapacity",
                adjustment=want["adjustment"],
                cooldown=want["cooldown"],
            )
    return changed, before, after


def read(autoscaling, elbv2, name):
    group = find_group(autoscaling, name)
    return group, instance_report(group, target_states(elbv2, group))


def wait_for_instances(conn, elbv2, name, count):
    """Read until COUNT instances are in service; returns (group, report, seconds) or fail_json."""
    params = conn.module.params
    (group, report), waited, reached = poll(
        lambda: read(conn, elbv2, name),
        lambda reading: len(in_service(reading[1])) >= count,
        params["wait_timeout"],
        params["poll_interval"],
    )
    if not reached:
        conn.module.fail_json(
            msg="Auto Scaling group {0!r} has {1} of the {2} instances wanted in service after {3} seconds".format(
                name, len(in_service(report)), count, params["wait_timeout"]
            ),
            group=group_report(group),
            instances=report,
            in_service=in_service(report),
        )
    return group, report, waited


def sizes(group):
    return dict(min_size=group["MinSize"], max_size=group["MaxSize"], desired_capacity=group["DesiredCapacity"])


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        supports_check_mode=True,
        mutually_exclusive=[["desired_capacity", "restore"]],
    )
    validate(module)
    params = module.params
    name, count = params["name"], params["wait_in_service"]
    conn = AwsConnection(module, "autoscaling")
    group = find_group(conn, name)
    wanted = plan(conn, group)
    elbv2 = AwsConnection(module, "elbv2")
    report = instance_report(group, target_states(elbv2, group))
    before, known = group["DesiredCapacity"], set(report)
    diff = {"before": sizes(group), "after": dict(min_size=wanted.min_size, max_size=wanted.max_size, desired_capacity=wanted.desired)}
    changed = ensure_capacity(conn, group, wanted)
    if wanted.effect:
        module.warn(wanted.effect)
    result = {}
    if params["scaling_policies"] is not None:
        policies_changed, policies_before, policies_after = ensure_policies(conn, name, params["scaling_policies"])
        changed = changed or bool(policies_changed)
        result.update(policies=policies_after, policies_changed=policies_changed)
        diff["before"]["policies"], diff["after"]["policies"] = policies_before, policies_after
    waited = 0.0
    if module.check_mode:
        group = dict(group, DesiredCapacity=wanted.desired, MinSize=wanted.min_size, MaxSize=wanted.max_size)
    elif count:
        group, report, waited = wait_for_instances(conn, elbv2, name, count)
    elif changed:
        group, report = read(conn, elbv2, name)
    module.exit_json(
        changed=changed,
        group=group_report(group),
        desired_before=before,
        desired_after=wanted.desired,
        instances=report,
        in_service=in_service(report),
        added=sorted(set(in_service(report)) - known),
        recorded=wanted.record,
        waited=waited,
        capacity_effect=wanted.effect,
        diff=diff,
        **result
    )


if __name__ == "__main__":
    main()
