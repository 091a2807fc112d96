#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatch_figures
short_description: Read the maintenance pre-flight's health figures of an AWS deployment from CloudWatch
description:
  - Reads, for the last O(minutes) whole minutes and in one GetMetricData call (all its pages), the
    figures the SOP's health thresholds are held against before a maintenance run.
  - The application load balancer - the 95th percentile of C(TargetResponseTime), C(RequestCount) and
    the 5xx error rate, C(HTTPCode_Target_5XX_Count) plus C(HTTPCode_ELB_5XX_Count) in percent of
    C(RequestCount). No requests in the window is no error rate and no p95 (a note says so); 5xx
    answers of the load balancer itself while no request reached a target are an error rate of 100 %.
  - Each instance now in the Auto Scaling group - the average of C(CPUUtilization), and the highest of them.
  - The RDS DB instance - the highest C(DatabaseConnections) in the window, against its max_connections -
    the DB parameter group's C(max_connections) when it is a number, otherwise its formula (RDS's
    default for PostgreSQL - the smaller of C({DBInstanceClassMemory/9531392}) and 5000) evaluated
    with the instance class's memory. The table of class memories is in C(module_utils/fleet_cloudwatch.py);
    for a class not in it, the figure is not measured and a note names the class.
  - Memory use has no CloudWatch metric without the CloudWatch agent - it is always returned as not
    measured (V(null)), with a note, never as a figure that passed.
  - Each part is read only when named; the load balancer, the group and the DB instance are checked to
    exist first, so that a wrong name is an error, not a quiet "no data".
  - Only reads. Runs the same in check mode.
version_added: "1.0.0"
author: Hosting team
options:
  load_balancer:
    description:
      - The application load balancer, as CloudWatch's C(LoadBalancer) dimension C(app/NAME/ID) or as its ARN.
      - Network and gateway load balancers are refused (they publish no C(TargetResponseTime)).
    type: str
  target_group_arn:
    description:
      - Instead of O(load_balancer), the ARN of the app servers' target group; the figures are those of
        the load balancer it is attached to (DescribeTargetGroups). A target group attached to no load
        balancer, or to more than one, is refused.
    type: str
  asg_name:
    description: The Auto Scaling group whose instances' CPU use to read (every instance in it now), exactly.
    type: str
  db_identifier:
    description:
      - The RDS DB instance whose connections to read (a DB instance, not an Aurora cluster).
      - Checked with AWS's rules before any call.
    type: str
  minutes:
    description:
      - Minutes of figures, up to the current whole minute, read as one period (1 to 1440).
      - EC2's basic monitoring publishes C(CPUUtilization) every 5 minutes, so fewer than 5 may find none.
    type: int
    default: 15
notes:
  - At least one of O(load_balancer), O(target_group_arn), O(asg_name) and O(db_identifier) is needed.
  - Check mode is supported; the module only reads, so it does the same in check mode.
  - The window is read as one period. Should CloudWatch answer more than one value for a query anyway,
    counts are added and every other statistic takes the highest value.
  - The load balancer's metrics reach CloudWatch a minute or two late, so the last minute of the window
    may be missing.
  - DBInstanceClassMemory is taken as the class's nominal memory; RDS keeps some of it for the operating
    system and itself, so a max_connections computed from a formula is somewhat higher than the server's.
    A parameter group that sets max_connections to a number gives the exact value.
  - Needs C(cloudwatch:GetMetricData), C(elasticloadbalancing:DescribeLoadBalancers) (or, with
    O(target_group_arn), C(elasticloadbalancing:DescribeTargetGroups)), C(autoscaling:DescribeAutoScalingGroups),
    C(rds:DescribeDBInstances) and C(rds:DescribeDBParameters).
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: The pre-flight's figures of the last 15 minutes
  cloudwatch_figures:
    region: ap-southeast-3
    target_group_arn: arn:aws:elasticloadbalancing:ap-southeast-3:111122223333:targetgroup/e1-dashboard/0123456789abcdef
    asg_name: e1-dashboard-production
    db_identifier: e1-dashboard-production
  register: cloudwatch

- name: The load balancer alone, over the last hour
  cloudwatch_figures:
    load_balancer: app/e1-dashboard/50dc6c495c0c9188
    minutes: 60
"""

RETURN = r"""
figures:
  description: The figures; a figure that could not be measured is null, and O(notes) says why.
  returned: always
  type: dict
  contains:
    p95_seconds:
      description: 95th percentile of the load balancer's TargetResponseTime, seconds.
      type: float
    requests:
      description: RequestCount of the load balancer in the window (0 without data).
      type: int
    target_5xx:
      description: HTTPCode_Target_5XX_Count in the window.
      type: int
    elb_5xx:
      description: HTTPCode_ELB_5XX_Count in the window.
      type: int
    error_percent:
      description: (target_5xx + elb_5xx) / requests, percent; null without requests.
      type: float
    cpu_percent:
      description: Average CPUUtilization of each instance of the Auto Scaling group, by instance id (null without data).
      type: dict
    cpu_percent_max:
      description: The highest of cpu_percent.
      type: float
    cpu_busiest_instance:
      description: The instance with the highest cpu_percent.
      type: str
    memory_percent:
      description: Always null - memory use is not measured on AWS without the CloudWatch agent.
      type: float
    db_connections:
      description: The highest DatabaseConnections of the DB instance in the window.
      type: int
    max_connections:
      description: The DB instance's max_connections (from its parameter group, or computed).
      type: int
    max_connections_source:
      description: Where max_connections came from.
      type: str
    db_connections_percent:
      description: db_connections in percent of max_connections.
      type: float
  sample:
    p95_seconds: 0.412
    requests: 18342
    target_5xx: 3
    elb_5xx: 0
    error_percent: 0.016
    cpu_percent: {i-0123456789abcdef0: 23.4, i-0fedcba9876543210: 31.9}
    cpu_percent_max: 31.9
    cpu_busiest_instance: i-0fedcba9876543210
    memory_percent: null
    db_connections: 57
    max_connections: 450
    max_connections_source: "RDS's default for postgres, LEAST({DBInstanceClassMemory/9531392},5000), with the nominal 4 GiB of db.t3.medium"
    db_connections_percent: 12.7
notes:
  description: What was not measured and why, and what CloudWatch said; always includes the memory note.
  returned: always
  type: list
  elements: str
  sample:
    - "memory: not measured on AWS without the CloudWatch agent"
    - "no requests through app/e1-dashboard/50dc6c495c0c9188 in the last 15 minutes: no p95 or error rate"
window:
  description: The window read (UTC, ISO 8601) and its length.
  returned: always
  type: dict
  sample: {start: "2026-06-07T19:45:00+00:00", end: "2026-06-07T20:00:00+00:00", minutes: 15}
load_balancer:
  description: The LoadBalancer dimension read (app/NAME/ID), null when none was named.
  returned: always
  type: str
  sample: app/e1-dashboard/50dc6c495c0c9188
instances:
  description: The instances of the Auto Scaling group whose CPU use was read.
  returned: always
  type: list
  elements: str
  sample: [i-0123456789abcdef0, i-0fedcba9876543210]
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_autoscaling import find_group, group_name_problem
from ansible.module_utils.fleet_aws import AwsConnection, aws_argument_spec
from ansible.module_utils.fleet_cloudwatch import (
    MEMORY_NOTE,
    checked_load_balancer,
    combined,
    dimension_of,
    load_balancer_of_target_group,
    load_balancer_problem,
    max_connections,
    metric_data,
    metric_query,
    minutes_problem,
    target_group_problem,
    window,
)
from ansible.module_utils.fleet_rds import find_database, identifier_problem

PARTS = ("load_balancer", "target_group_arn", "asg_name", "db_identifier")
# The load balancer's queries: id -> (AWS/ApplicationELB metric, statistic, how several values combine).
ELB_QUERIES = {
    "p95": ("TargetResponseTime", "p95", "max"),
    "requests": ("RequestCount", "Sum", "sum"),
    "target_5xx": ("HTTPCode_Target_5XX_Count", "Sum", "sum"),
    "elb_5xx": ("HTTPCode_ELB_5XX_Count", "Sum", "sum"),
}


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        load_balancer=dict(type="str"),
        target_group_arn=dict(type="str"),
        asg_name=dict(type="str"),
        db_identifier=dict(type="str"),
        minutes=dict(type="int", default=15),
    )
    return spec


def validate(module):
    """Refuse what AWS would refuse, or could not mean, before any call."""
    params = module.params
    problems = [minutes_problem("minutes", params["minutes"])]
    if params["load_balancer"] is not None:
        problems.append(load_balancer_problem("load_balancer", params["load_balancer"]))
    if params["target_group_arn"] is not None:
        problems.append(target_group_problem("target_group_arn", params["target_group_arn"]))
    if params["asg_name"] is not None:
        problems.append(group_name_problem("asg_name", params["asg_name"]))
    if params["db_identifier"] is not None:
        problems.append(identifier_problem("db_identifier", params["db_identifier"], "DB instance") or "")
    problems = [problem for problem in problems if problem]
    if problems:
        module.fail_json(msg="; ".join(problems))


def the_load_balancer(module):
    """The LoadBalancer dimension to read, checked to exist; None when none was named."""
    params = module.params
    if params["load_balancer"] is None and params["target_group_arn"] is None:
        return None
    elbv2 = AwsConnection(module, "elbv2")
    if params["load_balancer"] is not None:
        return checked_load_balancer(elbv2, dimension_of(params["load_balancer"]))
    return load_balancer_of_target_group(elbv2, params["target_group_arn"].strip())


def the_instances(module):
    """The ids of the Auto Scaling group's instances, sorted; None when no group was named."""
    if module.params["asg_name"] is None:
        return None
    group = find_group(AwsConnection(module, "autoscaling"), module.params["asg_name"])
    return sorted(instance["InstanceId"] for instance in group.get("Instances", []))


def the_database(module):
    """(DB instance identifier, max_connections, its source, notes); (None, None, None, []) when none was named."""
    identifier = module.params["db_identifier"]
    if identifier is None:
        return None, None, None, []
    rds = AwsConnection(module, "rds")
    database = find_database(rds, "instance", identifier)
    if database is None:
        module.fail_json(msg="DB instance {0!r} not found in region {1}".format(identifier, rds.region))
    limit, source, notes = max_connections(rds, database)
    return database["DBInstanceIdentifier"], limit, source, notes


def queries(period, load_balancer, instances, database):
    """Every query of the one GetMetricData call, and {query id: how its values combine}."""
    found, how = [], {}
    if load_balancer:
        for query_id, (metric, stat, combine) in ELB_QUERIES.items():
            found.append(metric_query(query_id, "AWS/ApplicationELB", metric, {"LoadBalancer": load_balancer}, stat, period))
            how[query_id] = combine
    for number, instance in enumerate(instances or []):
        found.append(metric_query("cpu_{0}".format(number), "AWS/EC2", "CPUUtilization", {"InstanceId": instance}, "Average", period))
        how["cpu_{0}".format(number)] = "max"
    if database:
        found.append(metric_query("db_connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": database}, "Maximum", period))
        how["db_connections"] = "max"
    return found, how


def elb_figures(value, load_balancer, minutes, notes):
    if load_balancer is None:
        notes.append("no load balancer named (load_balancer or target_group_arn): p95 and error rate not read")
        return dict(p95_seconds=None, requests=None, target_5xx=None, elb_5xx=None, error_percent=None)
    requests, target_5xx, elb_5xx = (int(value(query_id) or 0) for query_id in ("requests", "target_5xx", "elb_5xx"))
    p95, errors = value("p95"), target_5xx + elb_5xx
    if requests:
        error_percent = round(min(100.0, 100.0 * errors / requests), 3)
        if p95 is None:
            notes.append(
                "no TargetResponseTime for {0} in the last {1} minutes although {2} requests reached a target".format(
                    load_balancer, minutes, requests
                )
            )
    elif errors:
        error_percent = 100.0
        notes.append(
            "{0} 5xx answers through {1} in the last {2} minutes and no request reached a target".format(
                errors, load_balancer, minutes
            )
        )
    else:
        error_percent = None
        notes.append("no requests through {0} in the last {1} minutes: no p95 or error rate".format(load_balancer, minutes))
    return dict(
        p95_seconds=None if p95 is None else round(p95, 3),
        requests=requests,
        target_5xx=target_5xx,
        elb_5xx=elb_5xx,
        error_percent=error_percent,
    )


def cpu_figures(value, instances, minutes, notes):
    if instances is None:
        notes.append("no Auto Scaling group named (asg_name): CPU not read")
        return dict(cpu_percent={}, cpu_percent_max=None, cpu_busiest_instance=None)
    if not instances:
        notes.append("the Auto Scaling group has no instances: no CPU to read")
    cpu = {}
    for number, instance in enumerate(instances):
        found = value("cpu_{0}".format(number))
        cpu[instance] = None if found is None else round(found, 1)
        if found is None:
            notes.append(
                "no CPUUtilization for {0} in the last {1} minutes (launched or stopped in that time, or"
                " basic monitoring's 5-minute period is longer than the window)".format(instance, minutes)
            )
    measured = {instance: percent for instance, percent in cpu.items() if percent is not None}
    busiest = max(sorted(measured), key=measured.get) if measured else None
    return dict(cpu_percent=cpu, cpu_percent_max=measured.get(busiest), cpu_busiest_instance=busiest)


def db_figures(value, database, limit, source, minutes, notes):
    if database is None:
        notes.append("no DB instance named (db_identifier): database connections not read")
        return dict(db_connections=None, max_connections=None, max_connections_source=None, db_connections_percent=None)
    connections = value("db_connections")
    if connections is None:
        notes.append("no DatabaseConnections for DB instance {0} in the last {1} minutes".format(database, minutes))
    percent = None
    if connections is not None and limit:
        percent = round(100.0 * connections / limit, 1)
    return dict(
        db_connections=None if connections is None else int(connections),
        max_connections=limit,
        max_connections_source=source,
        db_connections_percent=percent,
    )


def figures_of(params, found, parts):
    """The figures and notes from what GetMetricData answered (FOUND: values, how they combine,
    statuses, messages) and what was read before (PARTS: load balancer, instances, database,
    max_connections, its source, the database's notes)."""
    values, how, status, messages = found
    load_balancer, instances, database, limit, source, db_notes = parts
    minutes = params["minutes"]
    notes = [MEMORY_NOTE] + db_notes + ["CloudWatch: " + message for message in messages]
    notes += [
        "CloudWatch answered {0} for query {1}".format(code, query_id)
        for query_id, code in sorted(status.items())
        if code != "Complete"
    ]

    def value(query_id):
        return combined(values.get(query_id), how[query_id])

    figures = dict(memory_percent=None)
    figures.update(elb_figures(value, load_balancer, minutes, notes))
    figures.update(cpu_figures(value, instances, minutes, notes))
    figures.update(db_figures(value, database, limit, source, minutes, notes))
    return figures, notes


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        supports_check_mode=True,
        required_one_of=[list(PARTS)],
        mutually_exclusive=[["load_balancer", "target_group_arn"]],
    )
    validate(module)
    minutes = module.params["minutes"]
    load_balancer, instances = the_load_balancer(module), the_instances(module)
    database, limit, source, db_notes = the_database(module)
    start, end = window(minutes)
    asked, how = queries(minutes * 60, load_balancer, instances, database)
    values, status, messages = metric_data(AwsConnection(module, "cloudwatch"), asked, start, end)
    figures, notes = figures_of(
        module.params, (values, how, status, messages), (load_balancer, instances, database, limit, source, db_notes)
    )
    module.exit_json(
        changed=False,
        figures=figures,
        notes=notes,
        window=dict(start=start.isoformat(), end=end.isoformat(), minutes=minutes),
        load_balancer=load_balancer,
        instances=instances or [],
    )

if __name__ == "__main__":
    main()
