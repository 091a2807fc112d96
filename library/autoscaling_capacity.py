#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: autoscaling_capacity
short_description: Read or set the desired capacity of an Auto Scaling group, and wait for instances in service
description:
  - Reports an Auto Scaling group's limits and desired capacity and, for each of its instances, the
    lifecycle state, the group's health status and the state in every target group the group is
    attached to. An instance is in service when it is C(InService), C(Healthy) and C(healthy) in all
    of them.
  - With O(desired_capacity), sets the desired capacity (SetDesiredCapacity, no other setting of the
    group is touched). A value outside the group's minimum and maximum size is refused before any
    write - AWS refuses it too, but not every endpoint does.
  - With O(wait_in_service), waits until at least that many instances are in service, bounded by
    O(wait_timeout).
  - With O(record_tag), a raise records the desired capacity it started from in that tag of the group
    (the first raise only; a record already there is kept), and O(restore=true) lowers the desired
    capacity back to the recorded value and removes the tag. A later run then undoes the raise of an
    interrupted one.
  - Refuses bad input before any call - an empty group name, a negative capacity, a timeout or poll
    interval under 1 second, an unusable tag key.
version_added: "1.0.0"
author: Hosting team
options:
  name:
    description: The Auto Scaling group's name, exactly.
    type: str
    required: true
    aliases: [group_name]
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
notes:
  - Check mode is supported; it reports what would change, makes no write call and does not wait.
  - Reads need C(autoscaling:DescribeAutoScalingGroups) and C(elasticloadbalancing:DescribeTargetHealth);
    writes C(autoscaling:SetDesiredCapacity) and, with O(record_tag), C(autoscaling:CreateOrUpdateTags)
    and C(autoscaling:DeleteTags).
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
"""

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


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        name=dict(type="str", required=True, aliases=["group_name"]),
        desired_capacity=dict(type="int"),
        restore=dict(type="bool", default=False),
        record_tag=dict(type="str"),
        wait_in_service=dict(type="int"),
        wait_timeout=dict(type="int", default=600),
        poll_interval=dict(type="int", default=15),
    )
    return spec


def validate(module):
    """Refuse bad input before anything is sent."""
    params = module.params
    problems = [
        problem
        for problem in (group_name_problem("name", params["name"]), tag_key_problem("record_tag", params["record_tag"]))
        if problem
    ]
    if params["desired_capacity"] is not None and params["desired_capacity"] < 0:
        problems.append("desired_capacity {0} is negative".format(params["desired_capacity"]))
    if params["restore"] and params["record_tag"] is None:
        problems.append("restore needs record_tag, the tag that holds the capacity to restore")
    if params["wait_in_service"] is not None and params["wait_in_service"] < 0:
        problems.append("wait_in_service {0} is negative".format(params["wait_in_service"]))
    for option in ("wait_timeout", "poll_interval"):
        if params[option] < 1:
            problems.append("{0} {1} is under 1 second".format(option, params[option]))
    if problems:
        module.fail_json(msg="; ".join(problems))


def outside_limits(value, group):
    """Why VALUE cannot be the group's desired capacity ('' when it can)."""
    low, high = group.get("MinSize"), group.get("MaxSize")
    if low <= value <= high:
        return ""
    return "{0} is outside the limits of Auto Scaling group {1!r}: minimum size {2}, maximum size {3}".format(
        value, group["AutoScalingGroupName"], low, high
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


def plan(conn, group):
    """What the call is to do, decided before any write (fail_json on a value AWS would refuse):
    (desired capacity wanted, record to write or None, whether the record tag goes away, record after)."""
    params = conn.module.params
    key, current = params["record_tag"], group["DesiredCapacity"]
    record = recorded_capacity(conn, group, key)
    wanted = current if params["desired_capacity"] is None else params["desired_capacity"]
    # The capacity asked for is the first thing wrong when both it and the wait exceed the maximum.
    problem = "" if params["restore"] else outside_limits(wanted, group)
    if problem:
        conn.module.fail_json(msg="desired_capacity {0}; nothing was changed".format(problem))
    count = params["wait_in_service"]
    if count is not None and count > group["MaxSize"]:
        conn.module.fail_json(
            msg="wait_in_service {0} can never be reached: Auto Scaling group {1!r} has a maximum size of {2}".format(
                count, group["AutoScalingGroupName"], group["MaxSize"]
            )
        )
    if params["restore"]:
        if record is None or current <= record:
            return current, None, record is not None, None
        problem = outside_limits(record, group)
        if problem:
            conn.module.fail_json(
                msg="tag {0!r} records desired capacity {1}: correct or remove the tag".format(key, problem)
            )
        return record, None, True, None
    if key is not None and record is None and wanted > current:
        return wanted, current, False, current
    return wanted, None, False, record


def ensure_capacity(conn, group, wanted, new_record, drop_record):
    """Record the level before a raise, set the desired capacity, drop a restored record; returns changed."""
    name, current, key = group["AutoScalingGroupName"], group["DesiredCapacity"], conn.module.params["record_tag"]
    if new_record is not None:
        write_tag(conn, name, key, str(new_record))
    if wanted != current:
        conn.change(
            "setting the desired capacity of Auto Scaling group {0!r} from {1} to {2}".format(name, current, wanted),
            "set_desired_capacity",
            AutoScalingGroupName=name,
            DesiredCapacity=wanted,
            HonorCooldown=False,
        )
    if drop_record:
        delete_tag(conn, name, key)
    return new_record is not None or wanted != current or drop_record


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
    wanted, new_record, drop_record, record = plan(conn, group)
    elbv2 = AwsConnection(module, "elbv2")
    report = instance_report(group, target_states(elbv2, group))
    before, known = group["DesiredCapacity"], set(report)
    changed = ensure_capacity(conn, group, wanted, new_record, drop_record)
    waited = 0.0
    if module.check_mode:
        group = dict(group, DesiredCapacity=wanted)
    elif count:
        group, report, waited = wait_for_instances(conn, elbv2, name, count)
    elif changed:
        group, report = read(conn, elbv2, name)
    module.exit_json(
        changed=changed,
        group=group_report(group),
        desired_before=before,
        desired_after=wanted,
        instances=report,
        in_service=in_service(report),
        added=sorted(set(in_service(report)) - known),
        recorded=record,
        waited=waited,
    )


if __name__ == "__main__":
    main()
