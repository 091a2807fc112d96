#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: aws_audit
short_description: The AWS side of the SOP's monthly quality checks, each as passed, failed or not available
description:
  - Reads, never writes, and answers each check it is given with a result - C(passed), C(failed)
    (saying what is wrong, named) or C(not_available) (the endpoint cannot answer it, such as a
    local stand-in without composite alarms or without the month's metrics; never counted as
    passed).
  - C(security_groups) - every group of the VPC has exactly the inbound rules asked for (a rule
    added by hand, such as 22 from 0.0.0.0/0, fails it), and no group but the load balancer's
    admits the whole internet, on 443 only.
  - C(backups) - an available automated snapshot of the DB instance for every day of the last
    O(checks.backups.days) days since it was created (today counts once its backup window has
    ended; the day it was created counts by its first backup). Failed snapshots count as missing.
  - C(autoscaling) - the group's limits as asked, its desired capacity within them, at least its
    minimum of instances in service, the scaling policies and alarms named present, each alarm
    acting on a scaling policy of the group.
  - C(alarms) - every alarm asked for present with its metric (or metric math), statistic,
    period, evaluation periods, comparison and threshold, and its actions including those asked
    for (the on-call topic for ALARM and OK).
  - C(uptime) - the health checks named (Route 53, by their Name tag) and, from CloudWatch in
    us-east-1 (where Route 53 publishes), the share of the month's minutes each was healthy
    (HealthCheckStatus, the Sum of its 1s over the count of its datapoints) against the target.
version_added: "1.0.0"
author: Hosting team
options:
  checks:
    description: The checks to run, each with what it needs; a check not given is not run.
    type: dict
    required: true
    suboptions:
      security_groups:
        description: The VPC (its Name tag) and the groups as the fleet_security_groups filter makes them.
        type: dict
        suboptions:
          vpc_name:
            description: The VPC's Name tag.
            type: str
            required: true
          groups:
            description: The groups - name, rules ([{proto, ports, cidr_ip | cidr_ipv6 | group_name}]).
            type: list
            elements: dict
            required: true
          world_allowed:
            description: The one group that may admit the whole internet, on 443 only.
            type: str
            required: true
      backups:
        description: The DB instance whose automated backups are read.
        type: dict
        suboptions:
          db_identifier:
            description: The DB instance's identifier (compared as RDS does, in lower case).
            type: str
            required: true
          days:
            description: How many days back every day must have its backup.
            type: int
            default: 30
          backup_window:
            description: The daily backup window, hh24:mi-hh24:mi UTC; today is due once it has ended.
            type: str
            required: true
      autoscaling:
        description: The Auto Scaling group, its limits, and the names of its policies and alarms.
        type: dict
        suboptions:
          group_name:
            description: The group's name.
            type: str
            required: true
          min_size:
            description: The minimum size asked for.
            type: int
            required: true
          max_size:
            description: The maximum size asked for.
            type: int
            required: true
          policies:
            description: The names of the scaling policies that must exist on the group.
            type: list
            elements: str
            default: []
          alarms:
            description:
              - The group's alarms as the fleet_scaling filter makes them - each compared as in the
                C(alarms) check (its actions aside), and one with a C(policy) must act on that
                scaling policy of the group.
            type: list
            elements: dict
            default: []
          composite_alarms:
            description: The names of composite alarms that must exist (the scale-in condition).
            type: list
            elements: str
            default: []
          composite_available:
            description: False where the endpoint has no composite alarms; they are then reported as not asked.
            type: bool
            default: true
      alarms:
        description: The alarms asked for, as the platform's filters make them.
        type: dict
        suboptions:
          alarms:
            description:
              - Each - name, and either metric_name, namespace, statistic or extended_statistic, dimensions
                and period, or metrics (metric math, as cloudwatch_metric_math_alarm takes them); comparison,
                threshold, evaluation_periods, alarm_actions and ok_actions; region when the alarm lives in
                another region than the module's (the uptime alarms, in us-east-1).
            type: list
            elements: dict
            required: true
      uptime:
        description: The Route 53 health checks and the month's target.
        type: dict
        suboptions:
          health_checks:
            description: The health checks' Name tags.
            type: list
            elements: str
            required: true
          target_percent:
            description: The lowest share of the month's minutes each must have been healthy.
            type: float
            default: 99.5
          metrics_region:
            description: Where Route 53 publishes its metrics.
            type: str
            default: us-east-1
          timezone:
            description: The time zone whose calendar month is measured.
            type: str
            default: Asia/Jakarta
  now:
    description: The moment the audit counts as running, ISO 8601 (empty - now); for tests.
    type: str
    default: ""
notes:
  - Check mode is supported (the module only reads).
  - Needs read permissions only - ec2:DescribeVpcs, ec2:DescribeSecurityGroups,
    rds:DescribeDBInstances, rds:DescribeDBSnapshots, autoscaling:DescribeAutoScalingGroups,
    autoscaling:DescribePolicies, elasticloadbalancing:DescribeTargetHealth,
    cloudwatch:DescribeAlarms, cloudwatch:GetMetricData, route53:ListHealthChecks,
    route53:ListTagsForResources.
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: The AWS side of the monthly audit
  aws_audit:
    checks:
      backups:
        db_identifier: e1-dashboard-production
        backup_window: "17:00-17:30"
      security_groups:
        vpc_name: e1-dashboard-production
        groups: "{{ 'e1-dashboard-production' | fleet_security_groups(firewall_vpn_cidrs, 443, 5432, 6379) }}"
        world_allowed: e1-dashboard-production-lb
      uptime:
        health_checks: [e1-dashboard-production-https]
  register: audit
"""

RETURN = r"""
results:
  description: One result per check run, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    check:
      description: The check's name (security_groups, backups, autoscaling, alarms, uptime).
      type: str
    status:
      description: passed, failed or not_available.
      type: str
    detail:
      description: What was found; for a failure, each thing wrong, named.
      type: str
  sample:
    - {check: backups, status: failed, detail: "no available automated backup on 2026-12-05"}
"""

import datetime as dt
import re

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_audit_checks import (alarm_problems, backup_days_missing, group_rule_problems,
                                                     uptime_percent)
from ansible.module_utils.fleet_aws import AWS_ERRORS, AwsConnection, aws_argument_spec, error_code
from ansible.module_utils.fleet_autoscaling import instance_report, in_service, target_states
from ansible.module_utils.fleet_cloudwatch import metric_data

PASSED = "passed"
FAILED = "failed"
# The endpoint cannot answer the check: never counted as passed.
NOT_AVAILABLE = "not_available"
CHECK_ORDER = ("security_groups", "backups", "autoscaling", "alarms", "uptime")


def argument_spec():
    checks = dict(
        security_groups=dict(type="dict", options=dict(vpc_name=dict(type="str", required=True),
                                                       groups=dict(type="list", elements="dict", required=True),
                                                       world_allowed=dict(type="str", required=True))),
        backups=dict(type="dict", options=dict(db_identifier=dict(type="str", required=True),
                                               days=dict(type="int", default=30),
                                               backup_window=dict(type="str", required=True))),
        autoscaling=dict(type="dict", options=dict(group_name=dict(type="str", required=True),
                                                   min_size=dict(type="int", required=True),
                                                   max_size=dict(type="int", required=True),
                                                   policies=dict(type="list", elements="str", default=[]),
                                                   alarms=dict(type="list", elements="dict", default=[]),
                                                   composite_alarms=dict(type="list", elements="str", default=[]),
                                                   composite_available=dict(type="bool", default=True))),
        alarms=dict(type="dict", options=dict(alarms=dict(type="list", elements="dict", required=True))),
        uptime=dict(type="dict", options=dict(health_checks=dict(type="list", elements="str", required=True),
                                              target_percent=dict(type="float", default=99.5),
                                              metrics_region=dict(type="str", default="us-east-1"),
                                              timezone=dict(type="str", default="Asia/Jakarta"))),
    )
    spec = aws_argument_spec()
    spec.update(checks=dict(type="dict", required=True, options=checks), now=dict(type="str", default=""))
    return spec


def result(check, status, detail):
    return {"check": check, "status": status, "detail": detail}


def input_problems(checks):
    found = []
    backups = checks.get("backups")
    if backups:
        if backups["days"] < 1:
            found.append("checks.backups.days {0} must be 1 or more".format(backups["days"]))
        if not re.match(r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", backups["backup_window"]):
            found.append("checks.backups.backup_window {0!r} is not hh24:mi-hh24:mi".format(backups["backup_window"]))
    scaling = checks.get("autoscaling")
    if scaling and not 1 <= scaling["min_size"] <= scaling["max_size"]:
        found.append("checks.autoscaling: min_size {0} and max_size {1} are no limits".format(scaling["min_size"], scaling["max_size"]))
    uptime = checks.get("uptime")
    if uptime:
        if not uptime["health_checks"]:
            found.append("checks.uptime.health_checks is empty")
        if not 0 < uptime["target_percent"] <= 100:
            found.append("checks.uptime.target_percent {0} is not a percentage".format(uptime["target_percent"]))
    if checks.get("alarms"):
        found += ["checks.alarms.alarms[{0}] has no name".format(i) for i, a in enumerate(checks["alarms"]["alarms"]) if not a.get("name")]
    return found


# --- the checks: each reads, then judges with the pure functions of fleet_audit_checks -----------


def check_security_groups(module, wanted):
    ec2 = AwsConnection(module, "ec2")
    vpcs = ec2.call("reading the VPC", "describe_vpcs", Filters=[{"Name": "tag:Name", "Values": [wanted["vpc_name"]]}])["Vpcs"]
    if len(vpcs) != 1:
        return result("security_groups", FAILED, "{0} VPCs are named {1!r}; one was expected".format(len(vpcs), wanted["vpc_name"]))
    groups = ec2.paginate("reading the security groups", "describe_security_groups", "SecurityGroups",
                          Filters=[{"Name": "vpc-id", "Values": [vpcs[0]["VpcId"]]}])
    problems = group_rule_problems(wanted["groups"], groups, wanted["world_allowed"])
    if problems:
        return result("security_groups", FAILED, "; ".join(problems))
    return result("security_groups", PASSED, "{0} groups, each with exactly its rules; only {1} open to the internet, on 443".format(
        len(wanted["groups"]), wanted["world_allowed"]))


def check_backups(module, wanted, now):
    rds = AwsConnection(module, "rds")
    identifier = wanted["db_identifier"].lower()
    instance = rds.find("reading DB instance {0!r}".format(identifier), "describe_db_instances", "DBInstances",
                        ("DBInstanceNotFound", "DBInstanceNotFoundFault"), DBInstanceIdentifier=identifier)
    if instance is None:
        return result("backups", FAILED, "DB instance {0!r} not found".format(identifier))
    snapshots = rds.paginate("reading the automated backups of {0!r}".format(identifier), "describe_db_snapshots",
                             "DBSnapshots", DBInstanceIdentifier=identifier, SnapshotType="automated")
    due, missing, failed = backup_days_missing(snapshots, instance["InstanceCreateTime"], now, wanted["days"],
                                               wanted["backup_window"])
    if missing:
        detail = "no available automated backup on {0} ({1} of {2} days)".format(", ".join(missing), len(due) - len(missing), len(due))
        return result("backups", FAILED, detail + ("; failed: {0}".format(", ".join(failed)) if failed else ""))
    return result("backups", PASSED, "{0} of {0} days since {1} have an available automated backup".format(
        len(due), due[0] if due else "today"))


def describe_alarms(module, names, kinds, region=None):
    cloudwatch = AwsConnection(module, "cloudwatch", region=region)
    found = {}
    for start in range(0, len(names), 100):
        reply = cloudwatch.call("reading the alarms", "describe_alarms", AlarmNames=names[start:start + 100], AlarmTypes=kinds)
        for kind in ("MetricAlarms", "CompositeAlarms"):
            found.update({alarm["AlarmName"]: alarm for alarm in reply.get(kind) or []})
    return found


def check_autoscaling(module, wanted):
    autoscaling, elbv2 = AwsConnection(module, "autoscaling"), AwsConnection(module, "elbv2")
    name = wanted["group_name"]
    groups = autoscaling.call("reading Auto Scaling group {0!r}".format(name), "describe_auto_scaling_groups",
                              AutoScalingGroupNames=[name]).get("AutoScalingGroups", [])
    if not groups:
        return result("autoscaling", FAILED, "Auto Scaling group {0!r} not found".format(name))
    group, problems = groups[0], []
    if (group["MinSize"], group["MaxSize"]) != (wanted["min_size"], wanted["max_size"]):
        problems.append("limits {0}-{1}, asked {2}-{3}".format(group["MinSize"], group["MaxSize"], wanted["min_size"], wanted["max_size"]))
    if not group["MinSize"] <= group["DesiredCapacity"] <= group["MaxSize"]:
        problems.append("desired capacity {0} outside {1}-{2}".format(group["DesiredCapacity"], group["MinSize"], group["MaxSize"]))
    serving = in_service(instance_report(group, target_states(elbv2, group)))
    if len(serving) < wanted["min_size"]:
        problems.append("{0} instances in service, fewer than the minimum {1}".format(len(serving), wanted["min_size"]))
    policies = {p["PolicyName"]: p for p in autoscaling.paginate("reading the scaling policies", "describe_policies",
                                                                 "ScalingPolicies", AutoScalingGroupName=name)}
    problems += ["scaling policy {0!r} missing".format(p) for p in wanted["policies"] if p not in policies]
    names = [alarm["name"] for alarm in wanted["alarms"]]
    alarms = describe_alarms(module, names, ["MetricAlarm"]) if names else {}
    for alarm in wanted["alarms"]:
        actual = alarms.get(alarm["name"])
        # The actions are the policies' ARNs, checked below by the policy's name.
        problems += alarm_problems(dict(alarm, alarm_actions=[], ok_actions=[]), actual)
        policy = policies.get(alarm.get("policy") or "")
        if actual is not None and alarm.get("policy") and (policy is None or policy["PolicyARN"] not in (actual.get("AlarmActions") or [])):
            problems.append("alarm {0!r} does not run scaling policy {1!r} of the group".format(alarm["name"], alarm["policy"]))
    unasked = []
    if wanted["composite_alarms"] and wanted["composite_available"]:
        composites = describe_alarms(module, wanted["composite_alarms"], ["CompositeAlarm"])
        problems += ["composite alarm {0!r} missing".format(a) for a in wanted["composite_alarms"] if a not in composites]
    elif wanted["composite_alarms"]:
        unasked = wanted["composite_alarms"]
    summary = "{0} in service of {1}-{2}, {3} policies, {4} alarms".format(
        len(serving), group["MinSize"], group["MaxSize"], len(wanted["policies"]), len(names))
    if problems:
        return result("autoscaling", FAILED, "; ".join(problems))
    if unasked:
        return result("autoscaling", NOT_AVAILABLE, "{0}; not asked, the endpoint has no composite alarms: {1}".format(
            summary, ", ".join(unasked)))
    return result("autoscaling", PASSED, summary)


def check_alarms(module, wanted):
    names = [alarm["name"] for alarm in wanted["alarms"]]
    found = {}
    for region in sorted({alarm.get("region") or "" for alarm in wanted["alarms"]}):
        found.update(describe_alarms(module, [a["name"] for a in wanted["alarms"] if (a.get("region") or "") == region],
                                     ["MetricAlarm"], region or None))
    problems = []
    for alarm in wanted["alarms"]:
        problems += alarm_problems(alarm, found.get(alarm["name"]))
    if problems:
        return result("alarms", FAILED, "; ".join(problems))
    return result("alarms", PASSED, "{0} alarms, each with its threshold and actions".format(len(names)))


def health_check_ids(module, names):
    route53 = AwsConnection(module, "route53")
    checks = route53.paginate("reading the health checks", "list_health_checks", "HealthChecks")
    ids = [check["Id"] for check in checks]
    named = {}
    for start in range(0, len(ids), 10):
        reply = route53.call("reading the health checks' tags", "list_tags_for_resources",
                             ResourceType="healthcheck", ResourceIds=ids[start:start + 10])
        for tagged in reply.get("ResourceTagSets", []):
            for tag in tagged.get("Tags", []):
                if tag["Key"] == "Name":
                    named[tag["Value"]] = tagged["ResourceId"]
    return named


def check_uptime(module, wanted, now):
    named = health_check_ids(module, wanted["health_checks"])
    missing = [name for name in wanted["health_checks"] if name not in named]
    if missing:
        return result("uptime", FAILED, "health checks missing: {0}".format(", ".join(missing)))
    zone = dt.timezone.utc
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(wanted["timezone"])
    except Exception:  # noqa: BLE001 - an unknown zone was refused at input; tzdata missing keeps UTC
        pass
    local = now.astimezone(zone)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(dt.timezone.utc)
    cloudwatch = AwsConnection(module, "cloudwatch", region=wanted["metrics_region"])
    queries = []
    for number, name in enumerate(wanted["health_checks"]):
        for stat in ("Sum", "SampleCount"):
            queries.append({"Id": "{0}{1}".format(stat.lower(), number), "ReturnData": True, "MetricStat": {
                "Metric": {"Namespace": "AWS/Route53", "MetricName": "HealthCheckStatus",
                           "Dimensions": [{"Name": "HealthCheckId", "Value": named[name]}]},
                "Period": 3600, "Stat": stat}})
    values, _status, _messages = metric_data(cloudwatch, queries, start, now)
    problems, figures, unanswered = [], [], []
    for number, name in enumerate(wanted["health_checks"]):
        percent = uptime_percent(values.get("sum{0}".format(number)), values.get("samplecount{0}".format(number)))
        if percent is None:
            unanswered.append(name)
        elif percent < wanted["target_percent"]:
            problems.append("{0}: {1:.3f} % healthy since {2}, below {3} %".format(name, percent, local.strftime("%Y-%m-01"), wanted["target_percent"]))
        else:
            figures.append("{0}: {1:.3f} %".format(name, percent))
    if problems:
        return result("uptime", FAILED, "; ".join(problems))
    if unanswered:
        return result("uptime", NOT_AVAILABLE, "no HealthCheckStatus datapoints this month for {0} (the endpoint keeps none)".format(
            ", ".join(unanswered)))
    return result("uptime", PASSED, "; ".join(figures) + " healthy since the month began, target {0} %".format(wanted["target_percent"]))


def run(module, name, wanted, now):
    """One check; an API the endpoint does not implement makes it not available, any other AWS
    error fails the module with what failed."""
    try:
        if name == "security_groups":
            return check_security_groups(module, wanted)
        if name == "backups":
            return check_backups(module, wanted, now)
        if name == "autoscaling":
            return check_autoscaling(module, wanted)
        if name == "alarms":
            return check_alarms(module, wanted)
        return check_uptime(module, wanted, now)
    except AWS_ERRORS as exc:  # fleet_aws turned the others into fail_json already
        if error_code(exc) in ("NotImplemented", "InternalFailure", "InternalError"):
            return result(name, NOT_AVAILABLE, "the endpoint does not answer it ({0})".format(error_code(exc)))
        raise


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    problems = input_problems(module.params["checks"])
    if problems:
        module.fail_json(msg="; ".join(problems))
    try:
        now = dt.datetime.fromisoformat(module.params["now"].replace("Z", "+00:00")) if module.params["now"] else None
    except ValueError:
        module.fail_json(msg="now {0!r} is not an ISO 8601 moment".format(module.params["now"]))
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    checks = module.params["checks"]
    results = [run(module, name, checks[name], now) for name in CHECK_ORDER if checks.get(name)]
    module.exit_json(changed=False, results=results)


if __name__ == "__main__":
    main()
