#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rds_pending_maintenance
short_description: List and apply pending maintenance actions of RDS DB instances and Aurora clusters
description:
  - Lists the pending maintenance actions (all pages) of one DB instance or cluster, or of every
    resource in the region.
  - For C(db-upgrade) actions, reports the database's engine version and the versions RDS offers
    as upgrade targets (C(DescribeDBEngineVersions)), so the upgrade can be judged before it is allowed.
  - With O(apply_actions), opts in to the listed actions only (an allow-list), either at once
    (V(immediate)) or in the next maintenance window (V(next-maintenance)). Actions not on the list are
    reported and left alone.
version_added: "1.0.0"
author: Hosting team
options:
  db_identifier:
    description:
      - The DB instance or cluster whose actions to list. All resources of the region when omitted.
      - In any case; RDS stores it in lower case, and the listing names the database as RDS returns it.
      - Checked with AWS's rules before any call - 1 to 63 letters, digits or hyphens, a letter first,
        no two hyphens in a row, no hyphen last.
    type: str
  kind:
    description: Whether O(db_identifier) names a DB instance or an Aurora DB cluster.
    type: str
    choices: [cluster, instance]
    default: instance
  apply_actions:
    description:
      - The actions that may be applied, for example C(system-update) or C(db-upgrade). Empty lists only.
      - An action already opted in the same way is left alone.
    type: list
    elements: str
    default: []
  opt_in_type:
    description:
      - V(next-maintenance) applies the allowed actions in the next maintenance window, V(immediate) now.
      - V(undo-opt-in) withdraws an earlier next-maintenance opt-in.
    type: str
    choices: [immediate, next-maintenance, undo-opt-in]
    default: next-maintenance
  upgrade_targets:
    description: Report the engine versions a pending C(db-upgrade) could move to (one extra call per engine version).
    type: bool
    default: true
notes:
  - Check mode is supported; it reports what would be applied and makes no write call.
  - Resource ARNs embed identifiers and are compared as RDS compares identifiers, in lower case.
  - RDS maintenance windows are weekly. To keep database maintenance to the monthly window, opt in
    with V(next-maintenance) during the week before it.
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: What maintenance is pending for the production database
  rds_pending_maintenance:
    db_identifier: e1-dashboard-prod
  register: maintenance

- name: Let OS updates and CA rotation run in the next window; engine upgrades stay manual
  rds_pending_maintenance:
    db_identifier: e1-dashboard-prod
    apply_actions: [system-update, ca-certificate-rotation]
    opt_in_type: next-maintenance
"""

RETURN = r"""
actions:
  description: Every pending action, one entry per resource and action.
  returned: always
  type: list
  elements: dict
  contains:
    resource_arn:
      description: The DB instance or cluster ARN.
      type: str
    action:
      description: The action, e.g. system-update or db-upgrade.
      type: str
    description:
      description: What RDS says the action does.
      type: str
    opt_in_status:
      description: The opt-in already given, if any.
      type: str
    auto_applied_after_date:
      description: ISO 8601 date after which RDS applies it in a maintenance window by itself.
      type: str
    forced_apply_date:
      description: ISO 8601 date on which RDS applies it regardless.
      type: str
    current_apply_date:
      description: ISO 8601 date on which it is scheduled.
      type: str
    allowed:
      description: Whether it is on O(apply_actions).
      type: bool
    engine:
      description: The database engine (C(db-upgrade) actions, with O(upgrade_targets)).
      type: str
    engine_version:
      description: The engine version now (C(db-upgrade) actions, with O(upgrade_targets)).
      type: str
    upgrade_targets:
      description: Versions RDS offers, with whether each is a major upgrade and RDS's automatic choice.
      type: list
      elements: dict
  sample:
    - resource_arn: arn:aws:rds:ap-southeast-3:111122223333:db:e1-dashboard-prod
      action: system-update
      description: New Operating System update is available
      opt_in_status: null
      auto_applied_after_date: null
      forced_apply_date: null
      current_apply_date: "2025-06-07T19:00:00+00:00"
      allowed: true
applied:
  description: The actions opted in by this run (or that would be, in check mode).
  returned: always
  type: list
  elements: dict
  sample: [{resource_arn: "arn:aws:rds:ap-southeast-3:111122223333:db:e1-dashboard-prod", action: system-update, opt_in_type: next-maintenance}]
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_aws import AwsConnection, aws_argument_spec, jsonable
from ansible.module_utils.fleet_rds import (
    DATABASE_APIS,
    KIND_CHOICES,
    find_database,
    identifier_problem,
    normalize_identifier,
)

FILTER_NAMES = {"instance": "db-instance-id", "cluster": "db-cluster-id"}
# An opt-in RDS reports back as OptInStatus, per opt-in type.
OPT_IN_STATUS = {"immediate": "immediate", "next-maintenance": "next-maintenance", "undo-opt-in": None}


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        db_identifier=dict(type="str"),
        kind=dict(type="str", choices=KIND_CHOICES, default="instance"),
        apply_actions=dict(type="list", elements="str", default=[]),
        opt_in_type=dict(
            type="str", choices=["immediate", "next-maintenance", "undo-opt-in"], default="next-maintenance"
        ),
        upgrade_targets=dict(type="bool", default=True),
    )
    return spec


def list_actions(conn, kind, identifier, allowed):
    scope = {"Filters": [{"Name": FILTER_NAMES[kind], "Values": [identifier]}]} if identifier else {}
    resources = conn.paginate(
        "listing pending maintenance actions"
        + (" of {0} {1!r}".format(DATABASE_APIS[kind].noun, identifier) if identifier else ""),
        "describe_pending_maintenance_actions",
        "PendingMaintenanceActions",
        **scope,
    )
    actions = []
    for resource in resources:
        for detail in resource.get("PendingMaintenanceActionDetails", []):
            actions.append(
                dict(
                    resource_arn=resource["ResourceIdentifier"],
                    action=detail.get("Action"),
                    description=detail.get("Description"),
                    opt_in_status=detail.get("OptInStatus"),
                    auto_applied_after_date=jsonable(detail.get("AutoAppliedAfterDate")),
                    forced_apply_date=jsonable(detail.get("ForcedApplyDate")),
                    current_apply_date=jsonable(detail.get("CurrentApplyDate")),
                    allowed=detail.get("Action") in allowed,
                )
            )
    return actions


def engine_of(conn, arn, known):
    """(engine, version) of the instance or cluster an ARN names; `known` caches by normalized ARN."""
    key = normalize_identifier(arn)
    if key not in known:
        kind = "cluster" if ":cluster:" in key else "instance"
        api = DATABASE_APIS[kind]
        found = conn.call(
            "describing {0} {1}".format(api.noun, arn),
            api.describe,
            Filters=[{"Name": FILTER_NAMES[kind], "Values": [arn]}],
        ).get(api.result_key, [])
        known[key] = (found[0].get("Engine"), found[0].get("EngineVersion")) if found else (None, None)
    return known[key]


def add_upgrade_targets(conn, actions, known):
    """Engine version and its upgrade targets on every db-upgrade action; one lookup per engine version."""
    targets_by_version = {}
    for entry in actions:
        if entry["action"] != "db-upgrade":
            continue
        engine, version = engine_of(conn, entry["resource_arn"], known)
        entry.update(engine=engine, engine_version=version, upgrade_targets=[])
        if engine is None:
            continue
        if (engine, version) not in targets_by_version:
            versions = conn.paginate(
                "reading the upgrade targets of {0} {1}".format(engine, version),
                "describe_db_engine_versions",
                "DBEngineVersions",
                Engine=engine,
                EngineVersion=version,
            )
            targets_by_version[(engine, version)] = [
                dict(
                    engine_version=target.get("EngineVersion"),
                    major=bool(target.get("IsMajorVersionUpgrade")),
                    automatic=bool(target.get("AutoUpgrade")),
                )
                for found in versions
                for target in found.get("ValidUpgradeTarget", [])
            ]
        entry["upgrade_targets"] = targets_by_version[(engine, version)]


def ensure_applied(conn, actions, opt_in_type):
    """Opt in to every allowed action not yet opted in that way; returns the list applied."""
    wanted_status = OPT_IN_STATUS[opt_in_type]
    applied = []
    for entry in actions:
        if not entry["allowed"] or entry["opt_in_status"] == wanted_status:
            continue
        conn.change(
            "applying {0} ({1}) to {2}".format(entry["action"], opt_in_type, entry["resource_arn"]),
            "apply_pending_maintenance_action",
            on_error=dict(actions=actions, applied=applied),
            ResourceIdentifier=entry["resource_arn"],
            ApplyAction=entry["action"],
            OptInType=opt_in_type,
        )
        applied.append(dict(resource_arn=entry["resource_arn"], action=entry["action"], opt_in_type=opt_in_type))
    return applied


def known_database(conn, kind, identifier):
    """The named database's identifier as RDS returns it, and {normalized arn: (engine, version)};
    (None, {}) without a name; fails when it does not exist."""
    if not identifier:
        return None, {}
    api = DATABASE_APIS[kind]
    database = find_database(conn, kind, identifier)
    if database is None:
        conn.module.fail_json(msg="{0} {1!r} not found in region {2}".format(api.noun, identifier, conn.region))
    engine = (database.get("Engine"), database.get("EngineVersion"))
    return database[api.id_param], {normalize_identifier(database[api.arn_key]): engine}


def validate(module):
    """Refuse a database identifier AWS would refuse, before any call."""
    params = module.params
    if params["db_identifier"] is not None:
        problem = identifier_problem("db_identifier", params["db_identifier"], DATABASE_APIS[params["kind"]].noun)
        if problem:
            module.fail_json(msg=problem)


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    validate(module)
    params = module.params
    conn = AwsConnection(module, "rds")
    identifier, known = known_database(conn, params["kind"], params["db_identifier"])
    actions = list_actions(conn, params["kind"], identifier, set(params["apply_actions"]))
    if params["upgrade_targets"]:
        add_upgrade_targets(conn, actions, known)
    applied = ensure_applied(conn, actions, params["opt_in_type"])
    module.exit_json(changed=bool(applied), actions=actions, applied=applied)


if __name__ == "__main__":
    main()
