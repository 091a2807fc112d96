#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: autoscaling_processes
short_description: Suspend or resume exactly the listed processes of an Auto Scaling group
description:
  - Suspends the listed Auto Scaling processes of a group that are not suspended yet, or resumes the
    listed ones that are, and leaves every other process and every other setting of the group alone.
    (M(amazon.aws.autoscaling_group) cannot be used for this - called with only a name it rewrites the
    health check type, the cooldown and the termination policies with its own defaults.)
  - Reports which processes were suspended before the call, so that a caller resumes only those it
    suspended itself.
  - With O(record_tag), the processes a suspension suspended are also recorded in that tag of the
    group, and a resumption resumes them too and removes the tag. A later run then undoes what an
    interrupted one did (an operator's Ctrl-C, a lost controller), and still leaves alone the
    processes someone else suspended.
  - Refuses bad input before any call - an empty group name, a resumption with nothing listed and no
    tag (AWS's ResumeProcesses without a list would resume every process), an unusable tag key.
version_added: "1.0.0"
author: Hosting team
options:
  name:
    description: The Auto Scaling group's name, exactly.
    type: str
    required: true
    aliases: [group_name]
  state:
    description:
      - V(suspended) suspends the processes of O(processes) that are running.
      - V(resumed) resumes the processes of O(processes) that are suspended, plus, with O(record_tag),
        those the tag records.
    type: str
    choices: [resumed, suspended]
    required: true
  processes:
    description:
      - The processes to suspend or resume. At least one with O(state=suspended).
      - V(Launch), V(AZRebalance), V(ReplaceUnhealthy), V(HealthCheck), V(AlarmNotification) and
        V(ScheduledActions) are those that would replace, rebalance or resize a group while one of its
        instances is in standby.
    type: list
    elements: str
    choices: [AZRebalance, AddToLoadBalancer, AlarmNotification, HealthCheck, InstanceRefresh, Launch, ReplaceUnhealthy, ScheduledActions, Terminate]
    default: []
  record_tag:
    description:
      - The key of a tag of the group that records the processes suspended through this module (their
        names, comma-separated; not propagated to instances).
      - With O(state=suspended), the processes this call suspends are added to it (written before the
        suspension, so that a suspension is never left unrecorded).
      - With O(state=resumed), the processes it records are resumed as well, then the tag is removed.
    type: str
notes:
  - Check mode is supported; it reports what would change and makes no write call.
  - Writes need C(autoscaling:SuspendProcesses), C(autoscaling:ResumeProcesses) and, with O(record_tag),
    C(autoscaling:CreateOrUpdateTags) and C(autoscaling:DeleteTags).
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: Keep the group from replacing or rebalancing instances during the maintenance
  autoscaling_processes:
    name: e1-app-prod
    state: suspended
    processes: [Launch, AZRebalance, ReplaceUnhealthy, HealthCheck, AlarmNotification, ScheduledActions]
    record_tag: "fleet-maintenance:suspended-processes"
  register: suspension

- name: Resume what the maintenance suspended, and nothing else
  autoscaling_processes:
    name: e1-app-prod
    state: resumed
    processes: "{{ suspension.suspended }}"
    record_tag: "fleet-maintenance:suspended-processes"
"""

RETURN = r"""
suspended_before:
  description: The group's suspended processes before the call.
  returned: always
  type: list
  elements: str
  sample: [AddToLoadBalancer]
suspended_after:
  description: The group's suspended processes after the call (what they would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: [AZRebalance, AddToLoadBalancer, AlarmNotification, HealthCheck, Launch, ReplaceUnhealthy, ScheduledActions]
suspended:
  description: The processes this call suspended (empty when resuming).
  returned: always
  type: list
  elements: str
  sample: [AZRebalance, AlarmNotification, HealthCheck, Launch, ReplaceUnhealthy, ScheduledActions]
resumed:
  description: The processes this call resumed (empty when suspending).
  returned: always
  type: list
  elements: str
  sample: []
recorded:
  description: The processes O(record_tag) records after the call; empty without O(record_tag) or once resumed.
  returned: always
  type: list
  elements: str
  sample: [AZRebalance, AlarmNotification, HealthCheck, Launch, ReplaceUnhealthy, ScheduledActions]
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_autoscaling import (
    PROCESSES,
    delete_tag,
    find_group,
    group_name_problem,
    tag_key_problem,
    tag_value,
    write_tag,
)
from ansible.module_utils.fleet_aws import AwsConnection, aws_argument_spec


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        name=dict(type="str", required=True, aliases=["group_name"]),
        state=dict(type="str", choices=["resumed", "suspended"], required=True),
        processes=dict(type="list", elements="str", choices=list(PROCESSES), default=[]),
        record_tag=dict(type="str"),
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
    if params["state"] == "suspended" and not params["processes"]:
        problems.append("processes is empty: name the processes to suspend")
    if params["state"] == "resumed" and not params["processes"] and params["record_tag"] is None:
        problems.append(
            "processes is empty and there is no record_tag: name the processes to resume"
            " (AWS would resume every process)"
        )
    if problems:
        module.fail_json(msg="; ".join(problems))


def suspended_now(group):
    return {process["ProcessName"] for process in group.get("SuspendedProcesses") or []}


def recorded_processes(conn, group, key):
    """The processes the record tag lists (empty without a tag); fail_json on a name that is no process."""
    if key is None:
        return set()
    value = tag_value(group, key)
    names = {name.strip() for name in (value or "").split(",") if name.strip()}
    unknown = sorted(names - set(PROCESSES))
    if unknown:
        conn.module.fail_json(
            msg="tag {0!r} of Auto Scaling group {1!r} records {2}, which {3} no Auto Scaling process: "
            "correct or remove the tag".format(
                key, group["AutoScalingGroupName"], ", ".join(unknown), "is" if len(unknown) == 1 else "are"
            )
        )
    return names


def ensure_suspended(conn, group, wanted, key):
    """Suspend what is wanted and running, recording it first; returns (changed, suspended, recorded)."""
    name = group["AutoScalingGroupName"]
    recorded = recorded_processes(conn, group, key)
    new = sorted(set(wanted) - suspended_now(group))
    if not new:
        return False, [], recorded
    if key is not None:
        recorded = recorded | set(new)
        write_tag(conn, name, key, ",".join(sorted(recorded)))
    conn.change(
        "suspending {0} of Auto Scaling group {1!r}".format(", ".join(new), name),
        "suspend_processes",
        AutoScalingGroupName=name,
        ScalingProcesses=new,
    )
    return True, new, recorded


def ensure_resumed(conn, group, listed, key):
    """Resume what is listed or recorded and suspended, then drop the record; returns (changed, resumed)."""
    name = group["AutoScalingGroupName"]
    recorded = recorded_processes(conn, group, key)
    resume = sorted((set(listed) | recorded) & suspended_now(group))
    if resume:
        conn.change(
            "resuming {0} of Auto Scaling group {1!r}".format(", ".join(resume), name),
            "resume_processes",
            AutoScalingGroupName=name,
            ScalingProcesses=resume,
        )
    has_record = key is not None and tag_value(group, key) is not None
    if has_record:
        delete_tag(conn, name, key)
    return bool(resume) or has_record, resume


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    validate(module)
    params = module.params
    conn = AwsConnection(module, "autoscaling")
    group = find_group(conn, params["name"])
    before = suspended_now(group)
    if params["state"] == "suspended":
        changed, suspended, recorded = ensure_suspended(conn, group, params["processes"], params["record_tag"])
        after, resumed = before | set(suspended), []
    else:
        changed, resumed = ensure_resumed(conn, group, params["processes"], params["record_tag"])
        after, suspended, recorded = before - set(resumed), [], set()
    module.exit_json(
        changed=changed,
        suspended_before=sorted(before),
        suspended_after=sorted(after),
        suspended=suspended,
        resumed=resumed,
        recorded=sorted(recorded),
    )


if __name__ == "__main__":
    main()
