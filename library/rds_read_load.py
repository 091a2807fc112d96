#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rds_read_load
short_description: Measure the read load of an RDS DB instance against a threshold, and report its read replicas
description:
  - Read load is the instance's C(ReadIOPS) (CloudWatch, namespace C(AWS/RDS)) as a percentage of the
    IOPS its storage provides, in 5-minute averages over the last O(minutes) minutes.
  - The IOPS the storage provides - io1 and io2 their provisioned IOPS; gp3 its IOPS as RDS reports them,
    else the baseline (3000 under 400 GiB, 12000 from 400 GiB); gp2 3 IOPS per GiB, at least 100 and at
    most 16000 (its baseline - bursts above it count over 100 %); magnetic storage has no such figure, so
    its read load is not measured.
  - The load is sustained above the threshold when every 5-minute period of the window has a value and
    every value is above O(threshold_percent). A period without data breaks it - no replica is added on
    a guess.
  - Also reports what a read replica of the instance needs - its class, security groups, parameter and
    subnet groups - and the read replicas it already has. Reads only; changes nothing.
  - Validates its own input before any call.
version_added: "1.0.0"
author: Hosting team
options:
  db_identifier:
    description:
      - The DB instance, in any case (RDS stores it in lower case).
      - Checked with AWS's rules before any call - 1 to 63 letters, digits or hyphens, a letter first,
        no two hyphens in a row, no hyphen last.
    type: str
    required: true
  minutes:
    description:
      - The window, in minutes, ending at the last whole 5 minutes (5 to 1440, a multiple of 5).
    type: int
    default: 60
  threshold_percent:
    description: The read load above which the load counts as high, percent (more than 0, at most 100).
    type: float
    default: 70
notes:
  - Check mode is supported; the module only reads, so it does the same in check mode.
  - RDS publishes C(ReadIOPS) every minute, a minute or two late, so the window's last period may hold
    fewer minutes than the others.
  - Needs C(rds:DescribeDBInstances) and C(cloudwatch:GetMetricData).
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: Read load of the last hour against the SOP's 70 %
  rds_read_load:
    db_identifier: e1-dashboard-production
    minutes: 60
    threshold_percent: 70
  register: read_load

- name: The last 4 hours against a lower threshold
  rds_read_load:
    db_identifier: e1-dashboard-staging
    minutes: 240
    threshold_percent: 50
"""

RETURN = r"""
read_load:
  description: The measurement.
  returned: always
  type: dict
  contains:
    metric:
      description: What was read.
      type: str
    capacity_iops:
      description: The IOPS the storage provides; null when unknown (then nothing is above the threshold).
      type: int
    capacity_source:
      description: How capacity_iops was found.
      type: str
    threshold_percent:
      description: The threshold.
      type: float
    periods_expected:
      description: 5-minute periods in the window.
      type: int
    periods_measured:
      description: Periods CloudWatch answered a value for.
      type: int
    periods_above:
      description: Periods whose read load is above the threshold.
      type: int
    percent:
      description: The read load of each measured period, oldest first, rounded to 0.1.
      type: list
      elements: float
    percent_max:
      description: The highest read load of the window; null without data.
      type: float
    percent_latest:
      description: The read load of the latest measured period; null without data.
      type: float
    sustained_above:
      description: Every period of the window measured and above the threshold.
      type: bool
    summary:
      description: One line for the operator.
      type: str
  sample:
    metric: "AWS/RDS ReadIOPS, 5-minute averages"
    capacity_iops: 3000
    capacity_source: "gp3: 3000 IOPS as RDS reports them"
    threshold_percent: 70.0
    periods_expected: 12
    periods_measured: 12
    periods_above: 12
    percent: [74.1, 75.3, 80.0, 78.2, 81.5, 79.9, 77.0, 76.4, 82.2, 85.1, 79.3, 78.8]
    percent_max: 85.1
    percent_latest: 78.8
    sustained_above: true
    summary: "read load 74.1-85.1 % of 3000 IOPS over the last 60 minutes, above 70 % in 12 of 12 periods: sustained"
database:
  description: The DB instance, as a read replica of it needs it.
  returned: always
  type: dict
  sample:
    identifier: e1-dashboard-production
    status: available
    engine: postgres
    instance_class: db.m6g.large
    storage_type: gp3
    allocated_storage: 100
    iops: 3000
    multi_az: true
    read_replicas: []
    read_replica_source: null
    vpc_security_group_ids: [sg-0123456789abcdef0]
    db_parameter_group: e1-postgres16
    db_subnet_group: e1-dashboard-production
window:
  description: The window read (UTC, ISO 8601) and its length.
  returned: always
  type: dict
  sample: {start: "2026-06-07T19:00:00+00:00", end: "2026-06-07T20:00:00+00:00", minutes: 60}
notes:
  description: What could not be measured and why, and what CloudWatch said.
  returned: always
  type: list
  elements: str
"""

import datetime

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_aws import AwsConnection, aws_argument_spec
from ansible.module_utils.fleet_cloudwatch import metric_data, metric_query, minutes_problem, window
from ansible.module_utils.fleet_rds import find_database, identifier_problem

PERIOD_MINUTES = 5
GP2_IOPS_PER_GIB = 3
GP2_MIN_IOPS = 100
GP2_MAX_IOPS = 16000
# gp3 baselines for PostgreSQL, MySQL and MariaDB (Oracle and SQL Server differ): from 400 GiB up, RDS
# stripes the storage over four volumes.
GP3_LARGE_GIB = 400
GP3_SMALL_IOPS = 3000
GP3_LARGE_IOPS = 12000
QUERY_ID = "read_iops"


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        db_identifier=dict(type="str", required=True),
        minutes=dict(type="int", default=60),
        threshold_percent=dict(type="float", default=70),
    )
    return spec


def validate(module):
    """Refuse bad input before anything is sent."""
    params = module.params
    problems = [identifier_problem("db_identifier", params["db_identifier"], "DB instance") or ""]
    minutes = params["minutes"]
    problems.append(minutes_problem("minutes", minutes))
    if minutes % PERIOD_MINUTES:
        problems.append("minutes {0} is not a multiple of {1}: the window is read in whole {1}-minute periods".format(
            minutes, PERIOD_MINUTES))
    if not 0 < params["threshold_percent"] <= 100:
        problems.append("threshold_percent {0} must be more than 0 and at most 100".format(params["threshold_percent"]))
    problems = [problem for problem in problems if problem]
    if problems:
        module.fail_json(msg="; ".join(problems))


def storage_iops(database):
    """(IOPS the instance's storage provides, how that was found); (None, why) when there is no such figure."""
    kind = str(database.get("StorageType") or "").lower()
    size = int(database.get("AllocatedStorage") or 0)
    provisioned = database.get("Iops")
    if kind in ("io1", "io2"):
        if provisioned:
            return int(provisioned), "{0}: {1} provisioned IOPS".format(kind, provisioned)
        return None, "{0} storage without provisioned IOPS reported".format(kind)
    if kind == "gp3":
        if provisioned:
            return int(provisioned), "gp3: {0} IOPS as RDS reports them".format(provisioned)
        baseline = GP3_LARGE_IOPS if size >= GP3_LARGE_GIB else GP3_SMALL_IOPS
        return baseline, "gp3 of {0} GiB: its baseline of {1} IOPS (RDS reports no IOPS)".format(size, baseline)
    if kind == "gp2":
        baseline = min(max(GP2_IOPS_PER_GIB * size, GP2_MIN_IOPS), GP2_MAX_IOPS)
        return baseline, "gp2 of {0} GiB: {1} IOPS per GiB, at least {2}, at most {3}".format(
            size, GP2_IOPS_PER_GIB, GP2_MIN_IOPS, GP2_MAX_IOPS)
    if kind == "standard":
        return None, "magnetic storage has no IOPS figure to measure a load against"
    return None, "storage type {0!r} unknown to this module".format(kind or None)


def five_minute_window(minutes):
    """(start, end): the last MINUTES minutes ending at the last whole 5 minutes, so that every
    period CloudWatch answers is a whole one."""
    _start, end = window(minutes)
    end -= datetime.timedelta(minutes=end.minute % PERIOD_MINUTES)
    return end - datetime.timedelta(minutes=minutes), end


def assess(read_iops, capacity, threshold, expected, minutes):
    """The read-load report from the 5-minute ReadIOPS averages (oldest first)."""
    if capacity:
        exact = [100.0 * value / capacity for value in read_iops]
    else:
        exact = []
    above = sum(1 for percent in exact if percent > threshold)
    sustained = bool(exact) and len(exact) >= expected and above == len(exact)
    percent = [round(value, 1) for value in exact]
    report = dict(
        metric="AWS/RDS ReadIOPS, {0}-minute averages".format(PERIOD_MINUTES),
        capacity_iops=capacity,
        threshold_percent=float(threshold),
        periods_expected=expected,
        periods_measured=len(read_iops),
        periods_above=above,
        percent=percent,
        percent_max=max(percent) if percent else None,
        percent_latest=percent[-1] if percent else None,
        sustained_above=sustained,
    )
    if not capacity:
        report["summary"] = "read load not measured: the storage's IOPS are unknown"
    elif not percent:
        report["summary"] = "read load not measured: no ReadIOPS in the last {0} minutes".format(minutes)
    else:
        report["summary"] = "read load {0}-{1} % of {2} IOPS over the last {3} minutes, above {4:g} % in {5} of {6} periods: {7}".format(
            min(percent), max(percent), capacity, minutes, threshold, above, expected,
            "sustained" if sustained else "not sustained")
    return report


def summarize(database):
    pending = database.get("PendingModifiedValues") or {}
    groups = database.get("DBParameterGroups") or [{}]
    return dict(
        identifier=database.get("DBInstanceIdentifier"),
        status=database.get("DBInstanceStatus"),
        engine=database.get("Engine"),
        instance_class=database.get("DBInstanceClass"),
        storage_type=database.get("StorageType"),
        allocated_storage=database.get("AllocatedStorage"),
        iops=database.get("Iops"),
        multi_az=pending.get("MultiAZ", database.get("MultiAZ")),
        read_replicas=list(database.get("ReadReplicaDBInstanceIdentifiers") or []),
        read_replica_source=database.get("ReadReplicaSourceDBInstanceIdentifier"),
        vpc_security_group_ids=[group["VpcSecurityGroupId"] for group in database.get("VpcSecurityGroups") or []
                                if group.get("Status") in (None, "active", "adding")],
        db_parameter_group=groups[0].get("DBParameterGroupName"),
        db_subnet_group=(database.get("DBSubnetGroup") or {}).get("DBSubnetGroupName"),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    validate(module)
    params = module.params
    rds = AwsConnection(module, "rds")
    database = find_database(rds, "instance", params["db_identifier"])
    if database is None:
        module.fail_json(msg="DB instance {0!r} not found in region {1}".format(params["db_identifier"], rds.region))
    identifier = database["DBInstanceIdentifier"]
    capacity, capacity_source = storage_iops(database)
    minutes = params["minutes"]
    start, end = five_minute_window(minutes)
    query = metric_query(QUERY_ID, "AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": identifier}, "Average", PERIOD_MINUTES * 60)
    values, status, messages = metric_data(AwsConnection(module, "cloudwatch"), [query], start, end)
    expected = minutes // PERIOD_MINUTES
    report = assess(values.get(QUERY_ID, []), capacity, params["threshold_percent"], expected, minutes)
    report["capacity_source"] = capacity_source
    notes = ["CloudWatch: " + message for message in messages]
    if status.get(QUERY_ID, "Complete") != "Complete":
        notes.append("CloudWatch answered {0} for ReadIOPS: the window may be incomplete".format(status[QUERY_ID]))
    if capacity is None:
        notes.append("read load of {0} not measured: {1}".format(identifier, capacity_source))
    if report["periods_measured"] < expected:
        notes.append("{0} of the {1} 5-minute periods have no ReadIOPS for {2}: the load cannot have stayed above"
                     " the threshold for the whole window".format(expected - report["periods_measured"], expected, identifier))
    module.exit_json(
        changed=False,
        read_load=report,
        database=summarize(database),
        window=dict(start=start.isoformat(), end=end.isoformat(), minutes=minutes),
        notes=notes,
    )


if __name__ == "__main__":
    main()
