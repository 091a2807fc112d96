#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rds_backup_policy
short_description: Report, enforce and assert the backup policy of an RDS DB instance or Aurora cluster
description:
  - Reports the backup settings of a DB instance or cluster and how they differ from the policy, and
    the point-in-time recovery (PITR) window it offers (earliest and latest restorable time).
  - With O(state=present), enforces the policy - automated backup retention, the daily backup window,
    the weekly maintenance window, copying tags to snapshots, deletion protection - in one modify call.
  - With O(assert_recovery=true), fails when the PITR window covers fewer than O(min_recovery_days) days
    or the latest restorable time lags more than O(max_restore_lag_minutes) behind.
  - Validates its own input before any call (a valid DB identifier, retention 1-35 days, well-formed
    windows of at least 30 minutes that do not overlap each other), since not every endpoint rejects
    what AWS rejects.
  - RDS windows are in UTC. Sunday 02:00-04:00 WIB (UTC+7) is C(sat:19:00-sat:21:00).
version_added: "1.0.0"
author: Hosting team
options:
  db_identifier:
    description:
      - The DB instance or cluster identifier, in any case (RDS stores it in lower case, and results
        and later calls name the database as RDS returns it).
      - Checked with AWS's rules before any call - 1 to 63 letters, digits or hyphens, a letter first,
        no two hyphens in a row, no hyphen last.
    type: str
    required: true
  kind:
    description: Whether O(db_identifier) names a DB instance or an Aurora DB cluster.
    type: str
    choices: [cluster, instance]
    default: instance
  state:
    description:
      - V(report) only reads and reports (and asserts, with O(assert_recovery)).
      - V(present) changes the settings that differ from the policy.
    type: str
    choices: [present, report]
    default: report
  retention_days:
    description: Days RDS keeps automated backups (1-35). 0, which disables backups, is refused.
    type: int
    default: 30
  backup_window:
    description: The daily backup window, C(hh24:mi-hh24:mi) in UTC, at least 30 minutes. Left as it is when omitted.
    type: str
  maintenance_window:
    description:
      - The weekly maintenance window, C(ddd:hh24:mi-ddd:hh24:mi) in UTC, at least 30 minutes, for example
        C(sat:19:00-sat:21:00) for Sunday 02:00-04:00 WIB. Left as it is when omitted.
    type: str
  copy_tags_to_snapshot:
    description: Whether RDS copies the database's tags to its snapshots.
    type: bool
    default: true
  deletion_protection:
    description: Whether the database is protected against deletion.
    type: bool
    default: true
  apply_immediately:
    description:
      - Send the change with C(ApplyImmediately). Windows, tag copying and deletion protection always
        apply at once; a retention change is otherwise applied as soon as RDS can, which from 0 causes an outage.
    type: bool
    default: false
  assert_recovery:
    description: Fail when the point-in-time recovery window is shorter than required or lags behind.
    type: bool
    default: false
  min_recovery_days:
    description: With O(assert_recovery), the shortest acceptable PITR window in days.
    type: int
    default: 7
  max_restore_lag_minutes:
    description: With O(assert_recovery), the largest acceptable delay between now and the latest restorable time.
    type: int
    default: 15
notes:
  - Check mode is supported; it reports what would change and makes no write call.
  - For a DB instance the earliest restorable time comes from its automated backups
    (C(DescribeDBInstanceAutomatedBackups), C(RestoreWindow)); for a cluster from the cluster itself.
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: Enforce the SOP's backup policy (30 days, backups at 00:00 WIB, maintenance Sunday 02:00-04:00 WIB)
  rds_backup_policy:
    db_identifier: e1-dashboard-prod
    state: present
    retention_days: 30
    backup_window: "17:00-17:30"
    maintenance_window: "sat:19:00-sat:21:00"

- name: Point-in-time recovery covers the last 7 days and is current
  rds_backup_policy:
    db_identifier: e1-dashboard-prod
    assert_recovery: true
  register: backup_policy
"""

RETURN = r"""
settings:
  description: The database's backup settings (after the change, pending values included).
  returned: always
  type: dict
  sample:
    retention_days: 30
    backup_window: "17:00-17:30"
    maintenance_window: "sat:19:00-sat:21:00"
    copy_tags_to_snapshot: true
    deletion_protection: true
changes:
  description: The settings that differed from the policy, with the policy's value (RDS parameter names).
  returned: always
  type: dict
  sample: {BackupRetentionPeriod: 30, PreferredMaintenanceWindow: "sat:19:00-sat:21:00"}
recovery:
  description: The point-in-time recovery window.
  returned: always
  type: dict
  contains:
    earliest_restorable_time:
      description: ISO 8601; null when RDS reports none (backups disabled, or an endpoint that does not report it).
      type: str
    latest_restorable_time:
      description: ISO 8601; null when RDS reports none.
      type: str
    window_days:
      description: Days between the earliest and the latest restorable time.
      type: float
    lag_minutes:
      description: Minutes between now and the latest restorable time.
      type: float
  sample:
    earliest_restorable_time: "2025-05-02T00:05:00+00:00"
    latest_restorable_time: "2025-06-01T00:00:00+00:00"
    window_days: 29.99
    lag_minutes: 3.2
problems:
  description: Why the recovery assertion fails; empty when it holds (reported even without O(assert_recovery)).
  returned: always
  type: list
  elements: str
"""

import datetime

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_aws import AwsConnection, aws_argument_spec
from ansible.module_utils.fleet_rds import DATABASE_APIS, KIND_CHOICES, find_database, identifier_problem
from ansible.module_utils.rds_windows import normalize, window_problems

RETENTION_RANGE = (1, 35)
# Module option -> RDS attribute of DBInstance/DBCluster (and parameter of the modify call).
POLICY_FIELDS = (
    ("retention_days", "BackupRetentionPeriod"),
    ("backup_window", "PreferredBackupWindow"),
    ("maintenance_window", "PreferredMaintenanceWindow"),
    ("copy_tags_to_snapshot", "CopyTagsToSnapshot"),
    ("deletion_protection", "DeletionProtection"),
)
WINDOW_FIELDS = ("PreferredBackupWindow", "PreferredMaintenanceWindow")


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        db_identifier=dict(type="str", required=True),
        kind=dict(type="str", choices=KIND_CHOICES, default="instance"),
        state=dict(type="str", choices=["present", "report"], default="report"),
        retention_days=dict(type="int", default=30),
        backup_window=dict(type="str"),
        maintenance_window=dict(type="str"),
        copy_tags_to_snapshot=dict(type="bool", default=True),
        deletion_protection=dict(type="bool", default=True),
        apply_immediately=dict(type="bool", default=False),
        assert_recovery=dict(type="bool", default=False),
        min_recovery_days=dict(type="int", default=7),
        max_restore_lag_minutes=dict(type="int", default=15),
    )
    return spec


def validate(module):
    """Refuse bad input before anything is sent."""
    params = module.params
    problems = []
    noun = DATABASE_APIS[params["kind"]].noun
    problem = identifier_problem("db_identifier", params["db_identifier"], noun)
    if problem:
        problems.append(problem)
    low, high = RETENTION_RANGE
    if not low <= params["retention_days"] <= high:
        problems.append(
            "retention_days is {0}; RDS keeps automated backups {1} to {2} days".format(
                params["retention_days"], low, high
            )
        )
    problems.extend(window_problems(params["backup_window"], params["maintenance_window"]))
    if params["min_recovery_days"] < 0 or params["max_restore_lag_minutes"] < 0:
        problems.append("min_recovery_days and max_restore_lag_minutes cannot be negative")
    if problems:
        module.fail_json(msg="; ".join(problems))


def desired_settings(params):
    wanted = {}
    for option, field in POLICY_FIELDS:
        value = params[option]
        if value is not None:
            wanted[field] = normalize(value) if field in WINDOW_FIELDS else value
    return wanted


def effective_settings(database):
    """Current values, with a pending (not yet applied) value winning over the applied one."""
    pending = database.get("PendingModifiedValues") or {}
    return {field: pending.get(field, database.get(field)) for _option, field in POLICY_FIELDS}


def ensure_policy(conn, kind, database):
    """Modify what differs from the policy; returns (changed, changes, database after)."""
    params = conn.module.params
    api = DATABASE_APIS[kind]
    current = effective_settings(database)
    changes = {field: value for field, value in desired_settings(params).items() if current.get(field) != value}
    resulting = dict(current, **changes)
    overlap = (
        window_problems(resulting["PreferredBackupWindow"], resulting["PreferredMaintenanceWindow"]) if changes else []
    )
    if overlap:
        conn.module.fail_json(msg="with the database's current windows: " + "; ".join(overlap), changes=changes)
    if not changes or params["state"] != "present":
        return False, changes, database
    identifier = database[api.id_param]
    reply = conn.change(
        "modifying the backup settings of {0} {1!r}".format(api.noun, identifier),
        api.modify,
        ApplyImmediately=params["apply_immediately"],
        **dict(changes, **{api.id_param: identifier}),
    )
    return True, changes, (reply or {}).get(api.modified_key) or dict(database, **changes)


def restore_window(conn, kind, database):
    """(earliest, latest) restorable datetimes; either may be None."""
    latest = database.get("LatestRestorableTime")
    if kind == "cluster":
        return database.get("EarliestRestorableTime"), latest
    backups = conn.paginate(
        "reading the automated backups of DB instance {0!r}".format(database["DBInstanceIdentifier"]),
        "describe_db_instance_automated_backups",
        "DBInstanceAutomatedBackups",
        DBInstanceIdentifier=database["DBInstanceIdentifier"],
    )
    resource_id = database.get("DbiResourceId")
    for backup in backups:
        if backup.get("Status") == "active" and (
            resource_id is None or backup.get("DbiResourceId") in (None, resource_id)
        ):
            window = backup.get("RestoreWindow") or {}
            return window.get("EarliestTime"), latest or window.get("LatestTime")
    return None, latest


def assess_recovery(earliest, latest, now, settings, params):
    """The recovery report and the list of reasons the assertion fails."""
    report = dict(
        earliest_restorable_time=earliest.isoformat() if earliest else None,
        latest_restorable_time=latest.isoformat() if latest else None,
        window_days=round((latest - earliest).total_seconds() / 86400, 2) if earliest and latest else None,
        lag_minutes=round((now - latest).total_seconds() / 60, 1) if latest else None,
    )
    problems = []
    if not settings.get("BackupRetentionPeriod"):
        problems.append("automated backups are disabled (retention 0)")
    if report["window_days"] is None:
        missing = " and ".join(name for name, value in (("earliest", earliest), ("latest", latest)) if value is None)
        problems.append(
            "RDS reports no {0} restorable time, so the point-in-time recovery window is unknown".format(missing)
        )
    elif report["window_days"] < params["min_recovery_days"]:
        problems.append(
            "point-in-time recovery covers {0} days, less than the required {1}".format(
                report["window_days"], params["min_recovery_days"]
            )
        )
    if report["lag_minutes"] is not None and report["lag_minutes"] > params["max_restore_lag_minutes"]:
        problems.append(
            "the latest restorable time lags {0} minutes behind, more than the allowed {1}".format(
                report["lag_minutes"], params["max_restore_lag_minutes"]
            )
        )
    return report, problems


def settings_report(settings):
    return {option: settings.get(field) for option, field in POLICY_FIELDS}


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    validate(module)
    params = module.params
    kind, identifier = params["kind"], params["db_identifier"]
    conn = AwsConnection(module, "rds")
    database = find_database(conn, kind, identifier)
    if database is None:
        module.fail_json(
            msg="{0} {1!r} not found in region {2}".format(DATABASE_APIS[kind].noun, identifier, conn.region)
        )
    changed, changes, database = ensure_policy(conn, kind, database)
    settings = effective_settings(database)
    earliest, latest = restore_window(conn, kind, database)
    recovery, problems = assess_recovery(
        earliest, latest, datetime.datetime.now(datetime.timezone.utc), settings, params
    )
    result = dict(
        changed=changed, settings=settings_report(settings), changes=changes, recovery=recovery, problems=problems
    )
    if params["assert_recovery"] and problems:
        module.fail_json(
            msg="{0} {1!r}: {2}".format(DATABASE_APIS[kind].noun, identifier, "; ".join(problems)), **result
        )
    module.exit_json(**result)


if __name__ == "__main__":
    main()
