#!/usr/bin/python
# -*- coding: utf-8 -*-
# amazon.aws.rds_instance can restore to a point in time, but hands RestoreDBInstanceToPointInTime
# its tags as a dict (botocore refuses them: measured with amazon.aws 10.1.2), cannot bound its wait,
# and deletes whatever it is named. A restore drill needs the copy tagged from its first moment,
# a wait that ends, and a delete that can only ever reach the copy.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rds_restored_instance
short_description: A temporary DB instance restored from another's backups to a point in time, and its deletion
description:
  - With O(state=present), restores O(source_db_identifier) as it was at O(restore_time) into a new DB
    instance O(db_identifier), tagged with O(tags) from its creation, without deletion protection, and
    waits until it is available, within O(wait_timeout) seconds. Unless given, the copy gets the source's
    instance class, DB subnet group, VPC security groups, DB parameter group and port, so that it answers
    where the source answers.
  - With O(state=absent), deletes O(db_identifier) - without a final snapshot, with its automated
    backups, its deletion protection switched off first should it have any - only when it carries every
    tag of O(tags), and waits until it is gone.
  - The source is never changed. O(db_identifier) naming the source is refused before any call.
  - Idempotent on O(db_identifier) - an existing copy carrying O(tags) is kept as it is; an existing
    instance without them is refused, never restored over or deleted.
version_added: "1.0.0"
author: Hosting team
options:
  db_identifier:
    description:
      - The restored (temporary) DB instance, in any case (RDS stores it in lower case).
      - Checked with AWS's rules before any call; it must not name O(source_db_identifier).
    type: str
    required: true
  source_db_identifier:
    description: The DB instance whose automated backups are restored. Read, never changed.
    type: str
    required: true
  state:
    description: V(present) restores the copy; V(absent) deletes it.
    type: str
    choices: [absent, present]
    default: present
  restore_time:
    description:
      - With O(state=present), the point in time to restore, ISO 8601 with its offset (C(2026-06-07T20:00:00Z)),
        not in the future. RDS refuses one outside the source's restorable window.
    type: str
  instance_class:
    description: The copy's instance class; the source's when omitted.
    type: str
  multi_az:
    description: Whether the copy is a Multi-AZ deployment (a drill does not need the standby).
    type: bool
    default: false
  publicly_accessible:
    description: Whether the copy gets a public address.
    type: bool
    default: false
  tags:
    description:
      - With O(state=present), the copy's tags, set when it is created.
      - With O(state=absent), the tags the instance must carry to be deleted; at least one.
    type: dict
    default: {}
  wait:
    description: Wait until the copy is available (present) or gone (absent).
    type: bool
    default: true
  wait_timeout:
    description: Seconds the wait may take at most (0 looks once).
    type: int
    default: 3600
  wait_delay:
    description: Seconds between two looks.
    type: int
    default: 30
notes:
  - Check mode is supported; it reports what would be restored or deleted and makes no write call.
  - Needs C(rds:DescribeDBInstances), C(rds:RestoreDBInstanceToPointInTime), C(rds:AddTagsToResource)
    C(rds:ModifyDBInstance) and C(rds:DeleteDBInstance).
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: Restore the database as of five minutes ago into a temporary instance
  rds_restored_instance:
    db_identifier: e1-dashboard-production-drill-20260607-200000
    source_db_identifier: e1-dashboard-production
    restore_time: "2026-06-07T19:55:00Z"
    tags: {purpose: restore-drill, source: e1-dashboard-production}
    wait_timeout: 14400
  register: drill

- name: Delete it, only if it is the drill's copy
  rds_restored_instance:
    db_identifier: e1-dashboard-production-drill-20260607-200000
    source_db_identifier: e1-dashboard-production
    state: absent
    tags: {purpose: restore-drill, source: e1-dashboard-production}
"""

RETURN = r"""
instance:
  description: The restored instance (after the wait; before the deletion with O(state=absent)); null when there is none.
  returned: always
  type: dict
  sample:
    identifier: e1-dashboard-production-drill-20260607-200000
    status: available
    endpoint_address: e1-dashboard-production-drill-20260607-200000.abcdefghijkl.ap-southeast-3.rds.amazonaws.com
    port: 5432
    instance_class: db.m6g.large
    engine: postgres
    created: "2026-06-07T20:00:03+00:00"
    tags: {purpose: restore-drill, source: e1-dashboard-production}
restore_time:
  description: The point in time restored (O(state=present)), as given.
  returned: always
  type: str
  sample: "2026-06-07T19:55:00Z"
seconds_to_available:
  description: Seconds from the restore request until the copy was available; null unless this call restored and waited.
  returned: always
  type: float
  sample: 1284.6
"""

import datetime
import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_aws import AwsConnection, aws_argument_spec
from ansible.module_utils.fleet_rds import dict_to_tags, find_database, identifier_problem, same_identifier, tags_to_dict

_clock = time.monotonic


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        db_identifier=dict(type="str", required=True),
        source_db_identifier=dict(type="str", required=True),
        state=dict(type="str", choices=["absent", "present"], default="present"),
        restore_time=dict(type="str"),
        instance_class=dict(type="str"),
        multi_az=dict(type="bool", default=False),
        publicly_accessible=dict(type="bool", default=False),
        tags=dict(type="dict", default={}),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=3600),
        wait_delay=dict(type="int", default=30),
    )
    return spec


def parse_time(text):
    """An ISO 8601 time with its offset as an aware datetime; None when it is not one."""
    try:
        parsed = datetime.datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def validate(module, now):
    """Refuse bad input before anything is sent."""
    params = module.params
    problems = [
        identifier_problem("db_identifier", params["db_identifier"], "DB instance"),
        identifier_problem("source_db_identifier", params["source_db_identifier"], "DB instance"),
    ]
    if same_identifier(params["db_identifier"], params["source_db_identifier"]):
        problems.append("db_identifier {0!r} names the source itself: the restored copy needs its own identifier,"
                        " and the source is never changed".format(params["db_identifier"]))
    if params["state"] == "present":
        restore_time = parse_time(params["restore_time"]) if params["restore_time"] else None
        if restore_time is None:
            problems.append("restore_time {0!r} is not an ISO 8601 time with its offset (2026-06-07T20:00:00Z)".format(
                params["restore_time"]))
        elif restore_time > now:
            problems.append("restore_time {0} is in the future".format(params["restore_time"]))
    elif not params["tags"]:
        problems.append("tags is empty: state=absent deletes only an instance carrying them")
    if params["wait_timeout"] < 0 or params["wait_delay"] < 1:
        problems.append("wait_timeout must be 0 or more and wait_delay at least 1")
    problems = [problem for problem in problems if problem]
    if problems:
        module.fail_json(msg="; ".join(problems))


def summarize(database):
    if database is None:
        return None
    endpoint = database.get("Endpoint") or {}
    created = database.get("InstanceCreateTime")
    return dict(
        identifier=database.get("DBInstanceIdentifier"),
        status=database.get("DBInstanceStatus"),
        endpoint_address=endpoint.get("Address"),
        port=endpoint.get("Port"),
        instance_class=database.get("DBInstanceClass"),
        engine=database.get("Engine"),
        created=created.isoformat() if hasattr(created, "isoformat") else created,
        tags=tags_to_dict(database.get("TagList")),
    )


def carries(database, tags):
    found = tags_to_dict(database.get("TagList"))
    return all(found.get(str(key)) == str(value) for key, value in tags.items())


def refuse_foreign(module, database, tags, doing):
    module.fail_json(
        msg="DB instance {0!r} exists and does not carry the tags {1}: it is not this restore's copy, so it is not {2}".format(
            database["DBInstanceIdentifier"], tags, doing),
        instance=summarize(database),
    )


def restore_request(params, source):
    """RestoreDBInstanceToPointInTime's parameters: the source's placement unless given otherwise."""
    groups = source.get("DBParameterGroups") or []
    request = dict(
        SourceDBInstanceIdentifier=source["DBInstanceIdentifier"],
        TargetDBInstanceIdentifier=params["db_identifier"],
        RestoreTime=parse_time(params["restore_time"]),
        DBInstanceClass=params["instance_class"] or source["DBInstanceClass"],
        MultiAZ=params["multi_az"],
        PubliclyAccessible=params["publicly_accessible"],
        DeletionProtection=False,
        Tags=dict_to_tags(params["tags"]),
    )
    subnet_group = (source.get("DBSubnetGroup") or {}).get("DBSubnetGroupName")
    if subnet_group:
        request["DBSubnetGroupName"] = subnet_group
    security_groups = [group["VpcSecurityGroupId"] for group in source.get("VpcSecurityGroups") or []
                       if group.get("Status") in (None, "active", "adding")]
    if security_groups:
        request["VpcSecurityGroupIds"] = security_groups
    if groups and groups[0].get("DBParameterGroupName"):
        request["DBParameterGroupName"] = groups[0]["DBParameterGroupName"]
    port = (source.get("Endpoint") or {}).get("Port")
    if port:
        request["Port"] = port
    return request


def wait_for(conn, identifier, waiter, what):
    params = conn.module.params
    conn.wait(
        "waiting for DB instance {0!r} to be {1}".format(identifier, what),
        waiter,
        params["wait_timeout"],
        params["wait_delay"],
        DBInstanceIdentifier=identifier,
    )


def ensure_present(conn):
    """(changed, instance after, seconds to available or None)."""
    params = conn.module.params
    identifier, tags = params["db_identifier"], params["tags"]
    existing = find_database(conn, "instance", identifier)
    if existing is not None:
        if not carries(existing, tags):
            refuse_foreign(conn.module, existing, tags, "restored over")
        if params["wait"] and existing.get("DBInstanceStatus") != "available":
            wait_for(conn, identifier, "db_instance_available", "available")
            existing = find_database(conn, "instance", identifier)
        return False, existing, None
    source = find_database(conn, "instance", params["source_db_identifier"])
    if source is None:
        conn.module.fail_json(msg="source DB instance {0!r} not found in region {1}".format(
            params["source_db_identifier"], conn.region))
    started = _clock()
    reply = conn.change(
        "restoring DB instance {0!r} as of {1} into {2!r}".format(source["DBInstanceIdentifier"], params["restore_time"], identifier),
        "restore_db_instance_to_point_in_time",
        **restore_request(params, source)
    )
    if reply is None:
        return True, None, None
    if not params["wait"]:
        return True, reply["DBInstance"], None
    wait_for(conn, identifier, "db_instance_available", "available")
    seconds = round(_clock() - started, 3)
    return True, find_database(conn, "instance", identifier), seconds


def ensure_absent(conn):
    """(changed, instance before)."""
    params = conn.module.params
    identifier = params["db_identifier"]
    existing = find_database(conn, "instance", identifier)
    if existing is None:
        return False, None
    if not carries(existing, params["tags"]):
        refuse_foreign(conn.module, existing, params["tags"], "deleted")
    # An earlier call's deletion still under way is only waited for.
    changed = existing.get("DBInstanceStatus") != "deleting"
    if changed and existing.get("DeletionProtection"):
        # The copy is restored without protection; one that has it (switched on by hand, or
        # copied from the source by an endpoint that ignores the restore's setting) is still ours.
        conn.change(
            "switching off the deletion protection of DB instance {0!r}".format(identifier),
            "modify_db_instance",
            DBInstanceIdentifier=existing["DBInstanceIdentifier"],
            DeletionProtection=False,
            ApplyImmediately=True,
        )
    if changed:
        reply = conn.change(
            "deleting DB instance {0!r}".format(identifier),
            "delete_db_instance",
            DBInstanceIdentifier=existing["DBInstanceIdentifier"],
            SkipFinalSnapshot=True,
            DeleteAutomatedBackups=True,
        )
        if reply is None:
            return True, existing
    if params["wait"]:
        wait_for(conn, identifier, "db_instance_deleted", "deleted")
    return changed, existing


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    validate(module, datetime.datetime.now(datetime.timezone.utc))
    conn = AwsConnection(module, "rds")
    seconds = None
    if module.params["state"] == "present":
        changed, instance, seconds = ensure_present(conn)
    else:
        changed, instance = ensure_absent(conn)
    module.exit_json(
        changed=changed,
        instance=summarize(instance),
        restore_time=module.params["restore_time"],
        seconds_to_available=seconds,
    )


if __name__ == "__main__":
    main()
