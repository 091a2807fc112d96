#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatch_composite_alarm
short_description: Create, update or delete a CloudWatch composite alarm
description:
  - Makes a CloudWatch composite alarm - an alarm whose state is a rule over other alarms' states,
    such as 'ALARM("cpu-low") AND ALARM("connections-low")' - match the given rule, description,
    actions and tags, or removes it. Neither amazon.aws nor community.aws has a module for
    composite alarms.
  - Compares what AWS has with what is asked and writes only when they differ, so that a re-run
    reports no change.
  - Its actions may be SNS topics, Lambda functions and Systems Manager OpsItems or incidents; an
    Auto Scaling policy is refused - CloudWatch does not let a composite alarm act on an Auto Scaling
    group; scale on a metric math alarm instead (cloudwatch_metric_math_alarm).
  - Refuses bad input before any call - an empty or over-long name or rule, a rule that names no
    alarm, an action that is no ARN or is an Auto Scaling policy (which a composite alarm cannot
    run), more actions for a state than AWS allows, a tag AWS would refuse - and, outside check mode, a rule naming alarms that do not exist (AWS's own refusal
    says less). In check mode missing alarms are only warned about, as a play in check mode
    creates none of them.
version_added: "1.0.0"
author: Hosting team
options:
  name:
    description: The composite alarm's name, exactly (1 to 255 characters).
    type: str
    required: true
  state:
    description: V(present) creates or updates the alarm; V(absent) deletes it when it exists.
    type: str
    choices: [present, absent]
    default: present
  alarm_rule:
    description:
      - The rule, in CloudWatch's alarm rule syntax - the functions C(ALARM), C(OK) and
        C(INSUFFICIENT_DATA) over an alarm's name (in double quotes when it has spaces), C(TRUE),
        C(FALSE), combined with C(AND), C(OR), C(NOT) and parentheses. At most 10240 characters.
      - Required with O(state=present).
    type: str
  description:
    description: The alarm's description (at most 1024 characters).
    type: str
    default: ""
notes:
  - Check mode is supported, with diff; it reports what would change and makes no write call.
  - Needs C(cloudwatch:DescribeAlarms), C(cloudwatch:PutCompositeAlarm), C(cloudwatch:DeleteAlarms),
    C(cloudwatch:ListTagsForResource), C(cloudwatch:TagResource) and C(cloudwatch:UntagResource).
extends_documentation_fragment:
  - fleet_aws
  - fleet_alarm
"""

EXAMPLES = r"""
- name: The scale-in condition as CloudWatch shows it - the CPU is low AND the connections are few
  cloudwatch_composite_alarm:
    name: e1-app-scale-in-condition
    alarm_rule: ALARM("e1-app-cpu-low") AND ALARM("e1-app-connections-low")
    description: CPU below 30 % for 15 minutes and fewer than 200 active connections
    tags:
      project: e1-web-dashboard
    region: ap-southeast-3

- name: Page the on-call engineer when the database and the app servers are both in trouble
  cloudwatch_composite_alarm:
    name: e1-app-and-database-down
    alarm_rule: ALARM("e1-app-5xx-rate") AND ALARM("e1-db-connections-high")
    alarm_actions: [arn:aws:sns:ap-southeast-3:123456789012:e1-alerts]
    ok_actions: [arn:aws:sns:ap-southeast-3:123456789012:e1-alerts]

- name: Remove it
  cloudwatch_composite_alarm:
    name: e1-app-scale-in-condition
    state: absent
"""

RETURN = r"""
alarm:
  description: The composite alarm after the call (what it would be, in check mode); empty once deleted.
  returned: always
  type: dict
  sample:
    alarm_name: e1-app-scale-in-condition
    alarm_rule: ALARM("e1-app-cpu-low") AND ALARM("e1-app-connections-low")
    alarm_actions: []
    ok_actions: []
    insufficient_data_actions: []
    actions_enabled: true
    description: CPU below 30 % for 15 minutes and fewer than 200 active connections
    tags: {}
changed_fields:
  description: The alarm's settings this call set or would set (all of them for a new alarm).
  returned: always
  type: list
  elements: str
  sample: [alarm_rule]
children:
  description: The alarms the rule names.
  returned: when O(state=present)
  type: list
  elements: str
  sample: [e1-app-cpu-low, e1-app-connections-low]
"""

import re

from ansible.module_utils.fleet_alarms import (ACTION_LISTS, action_options, action_problems, as_tag_list, ensure_tags_of, read_tags,
                                               run_alarm_module, tag_options, tag_problems)
from ansible.module_utils.fleet_aws import aws_argument_spec

# AWS's limits for PutCompositeAlarm.
NAME_MAX = 255
RULE_MAX = 10240
DESCRIPTION_MAX = 1024
# CloudWatch runs no Auto Scaling action for a composite alarm.
REFUSED_ACTIONS = (("autoscaling", "a composite alarm cannot run an Auto Scaling action (CloudWatch refuses it);"
                    " scale on a metric math alarm (cloudwatch_metric_math_alarm)"),)
# What the module compares, as (its option, the field AWS describes it with).
FIELDS = (("alarm_rule", "AlarmRule"), ("description", "AlarmDescription"), ("actions_enabled", "ActionsEnabled"),
          ("alarm_actions", "AlarmActions"), ("ok_actions", "OKActions"),
          ("insufficient_data_actions", "InsufficientDataActions"))
_CHILD = re.compile(r"\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(\"[^\"]+\"|[^()\s\"]+)\s*\)")


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        alarm_rule=dict(type="str"),
        description=dict(type="str", default=""),
        **action_options(),
        **tag_options(),
    )
    return spec


def children_of(rule):
    """The alarm names a rule refers to, in order, once each."""
    names = [found.strip('"') for found in _CHILD.findall(rule or "")]
    return list(dict.fromkeys(names))


def input_problems(params):
    found = []
    if not 1 <= len(params["name"]) <= NAME_MAX:
        found.append("name must be 1 to {0} characters".format(NAME_MAX))
    if params["state"] == "absent":
        return found
    rule = params["alarm_rule"] or ""
    if not rule.strip():
        found.append("alarm_rule is required with state=present")
    elif len(rule) > RULE_MAX:
        found.append("alarm_rule is {0} characters; AWS takes at most {1}".format(len(rule), RULE_MAX))
    elif not children_of(rule):
        found.append("alarm_rule {0!r} names no alarm (ALARM(\"name\"), OK(...) or INSUFFICIENT_DATA(...))".format(rule))
    if len(params["description"]) > DESCRIPTION_MAX:
        found.append("description is over {0} characters".format(DESCRIPTION_MAX))
    return found + action_problems(params, REFUSED_ACTIONS) + tag_problems(params["tags"])


def find_alarm(conn, name):
    reply = conn.call("reading composite alarm {0!r}".format(name), "describe_alarms",
                      AlarmNames=[name], AlarmTypes=["CompositeAlarm"])
    return next(iter(reply.get("CompositeAlarms") or []), None)


def missing_alarms(conn, names):
    """Those of NAMES no alarm (metric or composite) has; DescribeAlarms takes 100 names a call."""
    present = set()
    for start in range(0, len(names), 100):
        reply = conn.call("reading the alarms the rule names", "describe_alarms",
                          AlarmNames=names[start:start + 100], AlarmTypes=["MetricAlarm", "CompositeAlarm"])
        present |= {alarm["AlarmName"] for kind in ("MetricAlarms", "CompositeAlarms") for alarm in reply.get(kind) or []}
    return [name for name in names if name not in present]


def as_options(alarm, tags):
    """An alarm as AWS describes it, in the module's option names."""
    found = {option: alarm.get(field) for option, field in FIELDS}
    found["description"] = found["description"] or ""
    for option in ACTION_LISTS:
        found[option] = list(found[option] or [])
    return dict(found, alarm_name=alarm["AlarmName"], tags=tags)


def differs(option, have, want):
    # AWS keeps an action list in the order given; the order means nothing.
    if option in ACTION_LISTS:
        return sorted(have) != sorted(want)
    return have != want


def ensure_settings(conn, params, current):
    """Puts the alarm when it is new or a setting differs; returns the options it changed."""
    wanted = {option: params[option] for option, _field in FIELDS}
    have = as_options(current, {}) if current else {}
    changed = [option for option in wanted if current is None or differs(option, have[option], wanted[option])]
    if not changed:
        return []
    request = {field: wanted[option] for option, field in FIELDS}
    if current is None and params["tags"]:
        request["Tags"] = as_tag_list(params["tags"])
    conn.change("writing composite alarm {0!r}".format(params["name"]), "put_composite_alarm",
                AlarmName=params["name"], **request)
    return changed


def present(module, conn):
    params = module.params
    children = children_of(params["alarm_rule"])
    missing = missing_alarms(conn, children)
    if missing and not module.check_mode:
        module.fail_json(msg="alarm_rule of {0!r} names alarms that do not exist: {1}; create them first".format(
            params["name"], ", ".join(missing)), children=children)
    if missing:
        module.warn("alarm_rule names alarms that do not exist yet: {0}".format(", ".join(missing)))
    current = find_alarm(conn, params["name"])
    have_tags = read_tags(conn, current)
    changed = ensure_settings(conn, params, current)
    tags = ensure_tags_of(conn, current, have_tags, params, changed)
    after = dict({option: params[option] for option, _field in FIELDS}, alarm_name=params["name"], tags=tags)
    before = as_options(current, have_tags) if current else {}
    module.exit_json(changed=bool(changed), alarm=after, changed_fields=changed, children=children,
                     diff={"before": before, "after": after})


def main():
    run_alarm_module(argument_spec(), input_problems, present, find_alarm, as_options)


if __name__ == "__main__":
    main()
