#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatch_metric_math_alarm
short_description: Create, update or delete a CloudWatch alarm on a metric math expression
description:
  - Makes a CloudWatch metric alarm whose value is a metric math expression over other metrics -
    such as a 5xx error rate, C(100 * errors / requests), or a condition over two metrics,
    C(IF(cpu < 30 AND connections < 200, 1, 0)) - match the given metrics, threshold, evaluation,
    actions and tags, or removes it.
  - amazon.aws.cloudwatch_metric_alarm takes such alarms too, but leaves the metrics out of its
    comparison and so reports every run as a change and never notices a changed expression. This
    module compares every setting, the metrics included, and writes only when something differs.
  - Refuses bad input before any call - no metric or several returning data, a metric that is
    neither an expression nor a metric statistic, an id CloudWatch would refuse or used twice, a
    period that is not 10, 30 or a multiple of 60 seconds, more datapoints than evaluation periods,
    an action that is no ARN, more actions for a state than AWS allows, a tag AWS would refuse.
version_added: "1.0.0"
author: Hosting team
options:
  name:
    description: The alarm's name, exactly (1 to 255 characters).
    type: str
    required: true
  state:
    description: V(present) creates or updates the alarm; V(absent) deletes it when it exists.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: The alarm's description (at most 1024 characters).
    type: str
    default: ""
  metrics:
    description:
      - The metrics and expressions the alarm evaluates. Exactly one has O(metrics[].return_data=true)
        - the value held against the threshold. Required with O(state=present).
    type: list
    elements: dict
    suboptions:
      id:
        description: The id an expression refers to the metric by - a lower-case letter first, then letters, digits and underscores.
        type: str
        required: true
      expression:
        description: A metric math expression over the other ids. Give this or O(metrics[].metric_stat).
        type: str
      metric_stat:
        description: A metric and the statistic taken of it. Give this or O(metrics[].expression).
        type: dict
        suboptions:
          metric:
            description: The metric.
            type: dict
            required: true
            suboptions:
              namespace:
                description: Its namespace (AWS/EC2, AWS/ApplicationELB, CWAgent ...).
                type: str
                required: true
              metric_name:
                description: Its name.
                type: str
                required: true
              dimensions:
                description: Its dimensions.
                type: list
                elements: dict
                default: []
                suboptions:
                  name:
                    description: The dimension's name.
                    type: str
                    required: true
                  value:
                    description: Its value.
                    type: str
                    required: true
          period:
            description: Seconds per datapoint - 10, 30 or a multiple of 60.
            type: int
            required: true
          stat:
            description: The statistic - Average, Sum, Minimum, Maximum, SampleCount, or a percentile such as p95.
            type: str
            required: true
          unit:
            description: The unit the metric was published with, when it must be matched.
            type: str
      return_data:
        description: Whether this is the value the alarm holds against the threshold.
        type: bool
        default: false
      label:
        description: A label for the metric or expression.
        type: str
      period:
        description: Seconds per datapoint of an expression that names no metric of its own (a Metrics Insights query).
        type: int
  comparison_operator:
    description: How the value is held against O(threshold).
    type: str
    choices: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold]
    default: GreaterThanThreshold
  threshold:
    description: The threshold. Required with O(state=present).
    type: float
  evaluation_periods:
    description: How many of the latest periods are evaluated.
    type: int
    default: 1
  datapoints_to_alarm:
    description: How many of those must breach for the alarm (the M of "M out of N"); O(evaluation_periods) when not given.
    type: int
  treat_missing_data:
    description: What a period without data counts as.
    type: str
    choices: [missing, notBreaching, breaching, ignore]
    default: missing
notes:
  - Check mode is supported, with diff; it reports what would change and makes no write call.
  - Needs C(cloudwatch:DescribeAlarms), C(cloudwatch:PutMetricAlarm), C(cloudwatch:DeleteAlarms),
    C(cloudwatch:ListTagsForResource), C(cloudwatch:TagResource) and C(cloudwatch:UntagResource).
extends_documentation_fragment:
  - fleet_aws
  - fleet_alarm
"""

EXAMPLES = r"""
- name: Page the on-call engineer when more than 1 % of requests fail with a 5xx for 5 minutes
  cloudwatch_metric_math_alarm:
    name: e1-dashboard-production-5xx-rate
    description: 5xx responses above 1 % of requests over 5 minutes
    metrics:
      - id: rate
        expression: 100 * (FILL(target, 0) + FILL(elb, 0)) / requests
        label: 5xx responses, % of requests
        return_data: true
      - id: target
        metric_stat:
          metric: {namespace: AWS/ApplicationELB, metric_name: HTTPCode_Target_5XX_Count,
                   dimensions: [{name: LoadBalancer, value: app/e1-dashboard/50dc6c495c0c9188}]}
          period: 300
          stat: Sum
      - id: elb
        metric_stat:
          metric: {namespace: AWS/ApplicationELB, metric_name: HTTPCode_ELB_5XX_Count,
                   dimensions: [{name: LoadBalancer, value: app/e1-dashboard/50dc6c495c0c9188}]}
          period: 300
          stat: Sum
      - id: requests
        metric_stat:
          metric: {namespace: AWS/ApplicationELB, metric_name: RequestCount,
                   dimensions: [{name: LoadBalancer, value: app/e1-dashboard/50dc6c495c0c9188}]}
          period: 300
          stat: Sum
    comparison_operator: GreaterThanThreshold
    threshold: 1
    treat_missing_data: notBreaching
    alarm_actions: [arn:aws:sns:ap-southeast-3:123456789012:e1-alerts]
    ok_actions: [arn:aws:sns:ap-southeast-3:123456789012:e1-alerts]

- name: Remove it
  cloudwatch_metric_math_alarm:
    name: e1-dashboard-production-5xx-rate
    state: absent
"""

RETURN = r"""
alarm:
  description: The alarm after the call (what it would be, in check mode), in the module's option names; empty once deleted.
  returned: always
  type: dict
  sample:
    alarm_name: e1-dashboard-production-5xx-rate
    comparison_operator: GreaterThanThreshold
    threshold: 1.0
    evaluation_periods: 1
    datapoints_to_alarm: 1
    treat_missing_data: notBreaching
    metrics: [{id: rate, expression: "100 * errors / requests", return_data: true}]
    alarm_actions: [arn:aws:sns:ap-southeast-3:123456789012:e1-alerts]
    tags: {}
changed_fields:
  description: The alarm's settings this call set or would set (all of them for a new alarm).
  returned: always
  type: list
  elements: str
  sample: [threshold, metrics]
"""

import re

from ansible.module_utils.fleet_alarms import (ACTION_LISTS, action_options, action_problems, as_tag_list, ensure_tags_of, read_tags,
                                               run_alarm_module, tag_options, tag_problems)
from ansible.module_utils.fleet_aws import aws_argument_spec

NAME_MAX = 255
DESCRIPTION_MAX = 1024
METRICS_MAX = 10
_METRIC_ID = re.compile(r"^[a-z][a-zA-Z0-9_]{0,254}$")
# The settings the module compares, as (its option, the field AWS describes it with); metrics and
# the action lists are compared by their own rules below.
FIELDS = (("description", "AlarmDescription"), ("comparison_operator", "ComparisonOperator"),
          ("threshold", "Threshold"), ("evaluation_periods", "EvaluationPeriods"),
          ("datapoints_to_alarm", "DatapointsToAlarm"), ("treat_missing_data", "TreatMissingData"),
          ("actions_enabled", "ActionsEnabled"), ("alarm_actions", "AlarmActions"), ("ok_actions", "OKActions"),
          ("insufficient_data_actions", "InsufficientDataActions"), ("metrics", "Metrics"))


def argument_spec():
    dimension = dict(name=dict(type="str", required=True), value=dict(type="str", required=True))
    metric = dict(namespace=dict(type="str", required=True), metric_name=dict(type="str", required=True),
                  dimensions=dict(type="list", elements="dict", default=[], options=dimension))
    metric_stat = dict(metric=dict(type="dict", required=True, options=metric), period=dict(type="int", required=True),
                       stat=dict(type="str", required=True), unit=dict(type="str"))
    query = dict(id=dict(type="str", required=True), expression=dict(type="str"),
                 metric_stat=dict(type="dict", options=metric_stat), return_data=dict(type="bool", default=False),
                 label=dict(type="str"), period=dict(type="int"))
    spec = aws_argument_spec()
    spec.update(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str", default=""),
        metrics=dict(type="list", elements="dict", options=query),
        comparison_operator=dict(type="str", default="GreaterThanThreshold",
                                 choices=["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
                                          "LessThanOrEqualToThreshold"]),
        threshold=dict(type="float"),
        evaluation_periods=dict(type="int", default=1),
        datapoints_to_alarm=dict(type="int"),
        treat_missing_data=dict(type="str", choices=["missing", "notBreaching", "breaching", "ignore"], default="missing"),
        **action_options(),
        **tag_options(),
    )
    return spec


def period_problem(where, period):
    if period is not None and not (period in (10, 30) or (period >= 60 and period % 60 == 0)):
        return ["{0}: period {1} is not 10, 30 or a multiple of 60 seconds".format(where, period)]
    return []


def metric_problems(metrics):
    if not metrics:
        return ["metrics is required with state=present: the expression and the metrics it uses"]
    found = []
    if len(metrics) > METRICS_MAX:
        found.append("metrics has {0} entries; an alarm takes at most {1}".format(len(metrics), METRICS_MAX))
    ids = [query["id"] for query in metrics]
    found += ["metrics: id {0!r} is used more than once".format(i) for i in sorted({i for i in ids if ids.count(i) > 1})]
    for query in metrics:
        where = "metrics[{0}]".format(query["id"])
        if not _METRIC_ID.match(query["id"]):
            found.append("{0}: the id must start with a lower-case letter, then letters, digits or underscores".format(where))
        if bool(query["expression"]) == bool(query["metric_stat"]):
            found.append("{0}: give an expression or a metric_stat, one of the two".format(where))
        if query["metric_stat"]:
            found += period_problem(where, query["metric_stat"]["period"])
        found += period_problem(where, query["period"])
    returning = [query["id"] for query in metrics if query["return_data"]]
    if len(returning) != 1:
        found.append("metrics: exactly one entry has return_data true (the value held against the threshold);"
                     " {0} have it{1}".format(len(returning), ": " + ", ".join(returning) if returning else ""))
    return found


def input_problems(params):
    found = []
    if not 1 <= len(params["name"]) <= NAME_MAX:
        found.append("name must be 1 to {0} characters".format(NAME_MAX))
    if params["state"] == "absent":
        return found
    found += metric_problems(params["metrics"])
    if params["threshold"] is None:
        found.append("threshold is required with state=present")
    if len(params["description"]) > DESCRIPTION_MAX:
        found.append("description is over {0} characters".format(DESCRIPTION_MAX))
    if params["evaluation_periods"] < 1:
        found.append("evaluation_periods must be 1 or more")
    datapoints = params["datapoints_to_alarm"]
    if datapoints is not None and not 1 <= datapoints <= params["evaluation_periods"]:
        found.append("datapoints_to_alarm {0} must be 1 to evaluation_periods ({1})".format(datapoints, params["evaluation_periods"]))
    return found + action_problems(params) + tag_problems(params["tags"])


# --- one form for what is asked and what AWS describes ------------------------------------


def canonical_query(query):
    """A metric query in the module's option names, with only the keys that mean something."""
    found = {"id": query["id"], "return_data": bool(query.get("return_data"))}
    for key in ("expression", "label", "period"):
        if query.get(key) not in (None, ""):
            found[key] = query[key]
    stat = query.get("metric_stat")
    if stat:
        metric = stat["metric"]
        found["metric_stat"] = {
            "metric": {"namespace": metric["namespace"], "metric_name": metric["metric_name"],
                       "dimensions": sorted(({"name": d["name"], "value": str(d["value"])} for d in metric.get("dimensions") or []),
                                            key=lambda d: (d["name"], d["value"]))},
            "period": int(stat["period"]), "stat": stat["stat"]}
        if stat.get("unit"):
            found["metric_stat"]["unit"] = stat["unit"]
    return found


def query_from_aws(query):
    stat = query.get("MetricStat")
    return canonical_query({
        "id": query["Id"], "expression": query.get("Expression"), "label": query.get("Label"), "period": query.get("Period"),
        "return_data": query.get("ReturnData", True),
        "metric_stat": {"metric": {"namespace": stat["Metric"]["Namespace"], "metric_name": stat["Metric"]["MetricName"],
                                   "dimensions": [{"name": d["Name"], "value": d["Value"]} for d in stat["Metric"].get("Dimensions") or []]},
                        "period": stat["Period"], "stat": stat["Stat"], "unit": stat.get("Unit")} if stat else None})


def query_to_aws(query):
    found = {"Id": query["id"], "ReturnData": query["return_data"]}
    for option, field in (("expression", "Expression"), ("label", "Label"), ("period", "Period")):
        if option in query:
            found[field] = query[option]
    if "metric_stat" in query:
        stat, metric = query["metric_stat"], query["metric_stat"]["metric"]
        found["MetricStat"] = {
            "Metric": {"Namespace": metric["namespace"], "MetricName": metric["metric_name"],
                       "Dimensions": [{"Name": d["name"], "Value": d["value"]} for d in metric["dimensions"]]},
            "Period": stat["period"], "Stat": stat["stat"]}
        if "unit" in stat:
            found["MetricStat"]["Unit"] = stat["unit"]
    return found


def wanted_settings(params):
    found = {option: params[option] for option, _field in FIELDS if option != "metrics"}
    found["threshold"] = float(params["threshold"])
    found["datapoints_to_alarm"] = params["datapoints_to_alarm"] or params["evaluation_periods"]
    found["metrics"] = [canonical_query(query) for query in params["metrics"]]
    return found


def as_options(alarm, tags):
    """An alarm as AWS describes it, in the module's option names (a plain metric alarm under the
    same name has no metrics: every run would find that different)."""
    found = {option: alarm.get(field) for option, field in FIELDS if option != "metrics"}
    found["description"] = found["description"] or ""
    found["threshold"] = float(found["threshold"]) if found["threshold"] is not None else None
    found["datapoints_to_alarm"] = found["datapoints_to_alarm"] or found["evaluation_periods"]
    found["treat_missing_data"] = found["treat_missing_data"] or "missing"
    for option in ACTION_LISTS:
        found[option] = list(found[option] or [])
    found["metrics"] = [query_from_aws(query) for query in alarm.get("Metrics") or []]
    return dict(found, alarm_name=alarm["AlarmName"], tags=tags)


def differs(option, have, want):
    if option in ACTION_LISTS:
        return sorted(have) != sorted(want)
    return have != want


# --- AWS ------------------------------------------------------------------------------


def find_alarm(conn, name):
    reply = conn.call("reading alarm {0!r}".format(name), "describe_alarms", AlarmNames=[name], AlarmTypes=["MetricAlarm"])
    return next(iter(reply.get("MetricAlarms") or []), None)


def ensure_settings(conn, params, wanted, current):
    """Puts the alarm when it is new or a setting differs; returns the options it changed."""
    have = as_options(current, {}) if current else {}
    changed = [option for option in wanted if current is None or differs(option, have[option], wanted[option])]
    if not changed:
        return []
    request = {field: wanted[option] for option, field in FIELDS if option != "metrics"}
    request["Metrics"] = [query_to_aws(query) for query in wanted["metrics"]]
    if current is None and params["tags"]:
        request["Tags"] = as_tag_list(params["tags"])
    conn.change("writing alarm {0!r}".format(params["name"]), "put_metric_alarm", AlarmName=params["name"], **request)
    return changed


def present(module, conn):
    params = module.params
    wanted = wanted_settings(params)
    current = find_alarm(conn, params["name"])
    have_tags = read_tags(conn, current)
    changed = ensure_settings(conn, params, wanted, current)
    tags = ensure_tags_of(conn, current, have_tags, params, changed)
    after = dict(wanted, alarm_name=params["name"], tags=tags)
    before = as_options(current, have_tags) if current else {}
    module.exit_json(changed=bool(changed), alarm=after, changed_fields=changed, diff={"before": before, "after": after})


def main():
    run_alarm_module(argument_spec(), input_problems, present, find_alarm, as_options)


if __name__ == "__main__":
    main()
