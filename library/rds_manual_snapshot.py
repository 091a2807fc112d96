#!/usr/bin/python
# -*- coding: utf-8 -*-
# Named rds_manual_snapshot, not rds_snapshot: ansible-core redirects the short name
# rds_snapshot to community.aws, and this module only ever acts on manual snapshots.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rds_manual_snapshot
short_description: Create, delete, copy and prune manual RDS snapshots of DB instances and clusters
description:
  - Creates a manual snapshot of an RDS DB instance or Aurora DB cluster with tags, and waits
    until it is available within a timeout that is honoured. Idempotent on the snapshot identifier.
  - Deletes a manual snapshot.
  - Copies a snapshot to the region the module runs against (disaster recovery), from another
    region or from another account that shared it, encrypting the copy with a given KMS key.
  - Prunes manual snapshots that match tags and/or an identifier prefix and are older than a number
    of days, always keeping the newest ones, and reports every deletion. Automated snapshots and
    snapshots shared by other accounts are never listed, so never deleted.
  - Talks to AWS through boto3 alone, with botocore retries plus a jittered backoff on throttling.
version_added: "1.0.0"
author: Hosting team
options:
  state:
    description:
      - V(present) creates the snapshot (or leaves an existing one, adding missing tags and shares).
      - V(absent) deletes it.
      - V(copied) copies O(source_snapshot) into O(snapshot_identifier) in O(region).
      - V(pruned) deletes the expired manual snapshots selected by O(match_tags)/O(match_prefix).
    type: str
    choices: [present, absent, copied, pruned]
    default: present
  kind:
    description: Whether the snapshots belong to a DB instance or to an Aurora DB cluster.
    type: str
    choices: [cluster, instance]
    default: instance
  snapshot_identifier:
    description:
      - The snapshot to create, delete, or create by copying.
      - Required with O(state=present), O(state=absent) and O(state=copied).
      - AWS's rules apply, and are checked before any call (in check mode too) - 1 to 255 letters,
        digits or hyphens, a letter first, no two hyphens in a row, no hyphen last. So an automated
        snapshot (C(rds:...)) cannot be named.
      - RDS stores identifiers in lower case and compares them so; C(Orders-DB-Before-Upgrade) is
        the snapshot C(orders-db-before-upgrade), which is how the result names it.
    type: str
    aliases: [snapshot_id]
  db_identifier:
    description:
      - The DB instance or cluster identifier, in any case (RDS stores it in lower case).
      - Required with O(state=present); with O(state=pruned) it limits pruning to that database's snapshots.
      - Checked with AWS's rules before any call - 1 to 63 letters, digits or hyphens, a letter first,
        no two hyphens in a row, no hyphen last.
    type: str
  tags:
    description:
      - Tags for the new snapshot, for example the reason, the change id and who or what created it.
      - On an existing snapshot, missing or different tags are added; other tags are left alone.
      - With O(state=copied), tags given here replace the source's tags (AWS does not merge them).
    type: dict
    default: {}
  share_with_accounts:
    description:
      - AWS account IDs that may restore or copy the snapshot (its C(restore) attribute), so that a
        disaster-recovery account can copy it. Accounts are only added, never removed.
      - Only with O(state=present).
    type: list
    elements: str
    default: []
  source_snapshot:
    description:
      - The snapshot to copy, with O(state=copied). An identifier in O(region), or an ARN; an ARN is
        required when the source is in another region or another account.
      - It cannot be O(snapshot_identifier) itself, in whatever case either is written.
    type: str
  source_region:
    description:
      - The region of O(source_snapshot) when it differs from O(region). boto3 then adds the
        pre-signed URL a cross-region copy of an encrypted snapshot needs.
    type: str
  kms_key_id:
    description:
      - The KMS key (ARN, key id or alias in O(region)) that encrypts the copy. Needed for a copy of an
        encrypted snapshot across regions or accounts.
    type: str
  copy_tags:
    description: Copy the source's tags to the copy (when O(tags) is empty).
    type: bool
    default: true
  match_tags:
    description:
      - With O(state=pruned), only snapshots carrying all these tags (key and value) are candidates.
      - At least one of O(match_tags) and O(match_prefix) is required for pruning; when both are
        given, a snapshot must match both.
    type: dict
  match_prefix:
    description:
      - With O(state=pruned), only snapshots whose identifier starts with this are candidates.
      - Compared as RDS compares identifiers, in lower case.
    type: str
  older_than_days:
    description: With O(state=pruned), a candidate is deleted only when it is older than this many days.
    type: int
  keep_newest:
    description:
      - With O(state=pruned), the newest this many candidates are kept whatever their age. At least 1.
    type: int
  reference_time:
    description:
      - With O(state=pruned), the time ages are measured from, in ISO 8601 (for example
        C(2025-06-01T00:00:00Z)); without a zone it is read as UTC. Defaults to now.
      - For reproducible reports and tests.
    type: str
  wait:
    description: Wait until a created or copied snapshot is available, or a deleted one is gone.
    type: bool
    default: true
  wait_timeout:
    description: How many seconds to wait at most. The module fails when the snapshot is not ready by then.
    type: int
    default: 1800
  wait_delay:
    description: Seconds between two status checks while waiting.
    type: int
    default: 15
notes:
  - Check mode is supported; it reports what would change and makes no write call.
  - Automated snapshots cannot be deleted with this module; RDS removes them after the retention period.
  - Identifiers are compared as RDS compares them, in lower case; results report them as RDS returns them.
  - Every snapshot description is read from C(TagList) of the describe call, so pruning costs one
    call per page of snapshots plus one call per deletion.
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: Snapshot the production database before a schema migration
  rds_manual_snapshot:
    db_identifier: e1-dashboard-prod
    snapshot_identifier: e1-dashboard-prod-chg-1234
    tags:
      reason: schema migration v42
      change_id: CHG-1234
      created_by: ansible/database_backups
    wait_timeout: 3600

- name: Copy it to the disaster-recovery region, encrypted with the DR key
  rds_manual_snapshot:
    state: copied
    region: ap-southeast-1
    source_region: ap-southeast-3
    source_snapshot: arn:aws:rds:ap-southeast-3:111122223333:snapshot:e1-dashboard-prod-chg-1234
    snapshot_identifier: e1-dashboard-prod-chg-1234-dr
    kms_key_id: arn:aws:kms:ap-southeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab

- name: Delete manual snapshots made by the playbooks more than 30 days ago, keeping the newest 3
  rds_manual_snapshot:
    state: pruned
    db_identifier: e1-dashboard-prod
    match_tags:
      created_by: ansible/database_backups
    older_than_days: 30
    keep_newest: 3
  register: pruned

- name: Delete one manual snapshot of an Aurora cluster
  rds_manual_snapshot:
    state: absent
    kind: cluster
    snapshot_identifier: e1-reporting-before-upgrade
"""

RETURN = r"""
snapshot:
  description: The snapshot after the change; for V(absent) the snapshot deleted. Null when there is none (or, in check mode, not yet).
  returned: state is present, copied or absent
  type: dict
  contains:
    identifier:
      description: Snapshot identifier.
      type: str
    arn:
      description: Snapshot ARN.
      type: str
    db_identifier:
      description: The DB instance or cluster it was taken from.
      type: str
    kind:
      description: instance or cluster.
      type: str
    status:
      description: RDS status, e.g. available or creating.
      type: str
    snapshot_type:
      description: manual or automated.
      type: str
    created:
      description: Creation time in ISO 8601, null while RDS has not reported it.
      type: str
    encrypted:
      description: Whether the snapshot is encrypted.
      type: bool
    kms_key_id:
      description: The KMS key that encrypts it.
      type: str
    tags:
      description: Its tags.
      type: dict
  sample:
    identifier: e1-dashboard-prod-chg-1234
    arn: arn:aws:rds:ap-southeast-3:111122223333:snapshot:e1-dashboard-prod-chg-1234
    db_identifier: e1-dashboard-prod
    kind: instance
    status: available
    snapshot_type: manual
    created: "2025-06-01T01:00:00+00:00"
    encrypted: true
    kms_key_id: arn:aws:kms:ap-southeast-3:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
    tags: {change_id: CHG-1234}
deleted:
  description: Every snapshot pruning deleted (or would delete, in check mode), oldest first, with its age in days.
  returned: state is pruned
  type: list
  elements: dict
  sample:
    - {identifier: e1-dashboard-prod-chg-1001, created: "2025-03-01T01:00:00+00:00", age_days: 92.0, tags: {change_id: CHG-1001}}
kept:
  description: Every candidate pruning kept, newest first, with the reason.
  returned: state is pruned
  type: list
  elements: dict
  sample:
    - {identifier: e1-dashboard-prod-chg-1234, created: "2025-06-01T01:00:00+00:00", reason: one of the newest 3}
candidates:
  description: How many manual snapshots matched the tags/prefix.
  returned: state is pruned
  type: int
listing_pages:
  description: How many pages the snapshot listing took (pruning makes this many calls plus one per deletion).
  returned: state is pruned
  type: int
reference_time:
  description: The time ages were measured from, ISO 8601.
  returned: state is pruned
  type: str
"""

import datetime

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_aws import AwsConnection, aws_argument_spec
from ansible.module_utils.fleet_rds import (
    DATABASE_APIS,
    KIND_CHOICES,
    SNAPSHOT_APIS,
    dict_to_tags,
    identifier_problem,
    normalize_identifier,
    same_identifier,
    tags_to_dict,
)

UTC = datetime.timezone.utc
# A snapshot without a creation time is still being made: the newest of all.
NOT_YET_CREATED = datetime.datetime.max.replace(tzinfo=UTC)


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        state=dict(type="str", choices=["present", "absent", "copied", "pruned"], default="present"),
        kind=dict(type="str", choices=KIND_CHOICES, default="instance"),
        snapshot_identifier=dict(type="str", aliases=["snapshot_id"]),
        db_identifier=dict(type="str"),
        tags=dict(type="dict", default={}),
        share_with_accounts=dict(type="list", elements="str", default=[]),
        source_snapshot=dict(type="str"),
        source_region=dict(type="str"),
        kms_key_id=dict(type="str", no_log=False),
        copy_tags=dict(type="bool", default=True),
        match_tags=dict(type="dict"),
        match_prefix=dict(type="str"),
        older_than_days=dict(type="int"),
        keep_newest=dict(type="int"),
        reference_time=dict(type="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
        wait_delay=dict(type="int", default=15),
    )
    return spec


def summarize(snapshot, kind):
    api = SNAPSHOT_APIS[kind]
    created = snapshot.get("SnapshotCreateTime")
    return dict(
        identifier=snapshot.get(api.id_param),
        arn=snapshot.get(api.arn_key),
        db_identifier=snapshot.get(api.db_key),
        kind=kind,
        status=snapshot.get("Status"),
        snapshot_type=snapshot.get("SnapshotType"),
        created=created.isoformat() if created else None,
        encrypted=bool(snapshot.get("Encrypted", snapshot.get("StorageEncrypted", False))),
        kms_key_id=snapshot.get("KmsKeyId"),
        tags=tags_to_dict(snapshot.get("TagList")),
    )


def parse_reference_time(module, text):
    if not text:
        return datetime.datetime.now(UTC)
    try:
        moment = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        module.fail_json(msg="reference_time {0!r} is not an ISO 8601 time such as 2025-06-01T00:00:00Z".format(text))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def identifier_problems(params):
    """What AWS would refuse in the snapshot and database identifiers given, as sentences."""
    named = [("db_identifier", DATABASE_APIS[params["kind"]].noun)]
    if params["state"] != "pruned":
        named.insert(0, ("snapshot_identifier", "snapshot"))
    problems = [
        identifier_problem(option, params[option], noun) for option, noun in named if params[option] is not None
    ]
    return [problem for problem in problems if problem]


def validate(module):
    """Refuse bad input before any call, in check mode too."""
    params = module.params
    problems = identifier_problems(params)
    if params["state"] == "pruned":
        if params["keep_newest"] < 1:
            problems.append(
                "keep_newest is {0}; pruning always keeps at least the newest 1".format(params["keep_newest"])
            )
        if params["older_than_days"] < 1:
            problems.append("older_than_days is {0}; it must be at least 1".format(params["older_than_days"]))
        if params["match_prefix"] == "":
            problems.append("match_prefix is empty; give a prefix, or leave it out and select by match_tags")
        elif not params["match_tags"] and params["match_prefix"] is None:
            problems.append("pruning needs match_tags or match_prefix (or both) to select snapshots; neither is given")
    if params["state"] == "copied":
        source = params["source_snapshot"]
        foreign = params["source_region"] and params["source_region"] != params["region"]
        if foreign and not source.startswith("arn:"):
            problems.append(
                "source_snapshot must be an ARN when it is in another region ({0})".format(params["source_region"])
            )
    if params["wait_timeout"] < 1 or params["wait_delay"] < 1:
        problems.append("wait_timeout and wait_delay must be at least 1 second")
    if problems:
        module.fail_json(msg="; ".join(problems))


def find_snapshot(conn, kind, identifier):
    api = SNAPSHOT_APIS[kind]
    return conn.find(
        "describing {0} snapshot {1!r}".format(kind, identifier),
        api.describe,
        api.result_key,
        api.not_found_codes,
        match=lambda snapshot: same_identifier(snapshot.get(api.id_param), identifier),
        **{api.id_param: identifier},
    )


def wait_available(conn, kind, identifier):
    params = conn.module.params
    if not params["wait"] or conn.module.check_mode:
        return find_snapshot(conn, kind, identifier)
    api = SNAPSHOT_APIS[kind]
    conn.wait(
        "waiting for {0} snapshot {1!r} to become available".format(kind, identifier),
        api.available_waiter,
        params["wait_timeout"],
        params["wait_delay"],
        **{api.id_param: identifier},
    )
    return find_snapshot(conn, kind, identifier)


def ensure_tags(conn, kind, snapshot, wanted):
    """Add missing or different tags; returns changed."""
    current = tags_to_dict(snapshot.get("TagList"))
    missing = {key: value for key, value in wanted.items() if current.get(key) != str(value)}
    if not missing:
        return False
    arn = snapshot[SNAPSHOT_APIS[kind].arn_key]
    conn.change(
        "tagging snapshot {0}".format(arn), "add_tags_to_resource", ResourceName=arn, Tags=dict_to_tags(missing)
    )
    return True


def ensure_shared(conn, kind, identifier, accounts):
    """Let the given accounts restore/copy the snapshot; returns changed."""
    if not accounts:
        return False
    api = SNAPSHOT_APIS[kind]
    reply = conn.call(
        "reading who may restore snapshot {0!r}".format(identifier),
        api.describe_attributes,
        **{api.id_param: identifier},
    )
    attributes = reply.get(api.attributes_result_key, {}).get(api.attributes_key, [])
    allowed = {
        value
        for attr in attributes
        if attr.get("AttributeName") == "restore"
        for value in attr.get("AttributeValues", [])
    }
    missing = sorted(set(accounts) - allowed)
    if not missing:
        return False
    conn.change(
        "sharing snapshot {0!r} with account {1}".format(identifier, ", ".join(missing)),
        api.modify_attribute,
        AttributeName="restore",
        ValuesToAdd=missing,
        **{api.id_param: identifier},
    )
    return True


def ensure_present(conn, kind):
    params = conn.module.params
    api = SNAPSHOT_APIS[kind]
    identifier, db_identifier = params["snapshot_identifier"], params["db_identifier"]
    existing = find_snapshot(conn, kind, identifier)
    if existing is None:
        conn.change(
            "creating snapshot {0!r} of {1} {2!r}".format(identifier, kind, db_identifier),
            api.create,
            Tags=dict_to_tags(params["tags"]),
            **{api.id_param: identifier, api.db_param: db_identifier},
        )
        snapshot = wait_available(conn, kind, identifier)
        if snapshot is not None:
            ensure_shared(conn, kind, identifier, params["share_with_accounts"])
        return True, snapshot
    if not same_identifier(existing.get(api.db_key), db_identifier) or existing.get("SnapshotType") != "manual":
        conn.module.fail_json(
            msg="snapshot {0!r} already exists as a {1} snapshot of {2!r}, not a manual snapshot of {3!r}; "
            "choose another snapshot_identifier".format(
                identifier, existing.get("SnapshotType"), existing.get(api.db_key), db_identifier
            ),
            snapshot=summarize(existing, kind),
        )
    changed = ensure_tags(conn, kind, existing, params["tags"])
    changed |= ensure_shared(conn, kind, identifier, params["share_with_accounts"])
    if changed or existing.get("Status") != "available":
        return changed, wait_available(conn, kind, identifier)
    return False, existing


def ensure_absent(conn, kind):
    params = conn.module.params
    api = SNAPSHOT_APIS[kind]
    identifier = params["snapshot_identifier"]
    existing = find_snapshot(conn, kind, identifier)
    if existing is None:
        return False, None
    if existing.get("SnapshotType") != "manual":
        conn.module.fail_json(
            msg="snapshot {0!r} is {1}, not manual; RDS removes automated snapshots itself".format(
                identifier, existing.get("SnapshotType")
            ),
            snapshot=summarize(existing, kind),
        )
    conn.change("deleting snapshot {0!r}".format(identifier), api.delete, **{api.id_param: identifier})
    if params["wait"] and not conn.module.check_mode:
        conn.wait(
            "waiting for snapshot {0!r} to be deleted".format(identifier),
            api.deleted_waiter,
            params["wait_timeout"],
            params["wait_delay"],
            **{api.id_param: identifier},
        )
    return True, existing


def ensure_copied(conn, kind):
    params = conn.module.params
    api = SNAPSHOT_APIS[kind]
    identifier, source = params["snapshot_identifier"], params["source_snapshot"]
    existing = find_snapshot(conn, kind, identifier)
    if existing is not None and (
        same_identifier(existing.get(api.id_param), source) or same_identifier(existing.get(api.arn_key), source)
    ):
        conn.module.fail_json(
            msg="snapshot_identifier {0!r} names the source snapshot {1!r} itself; "
            "the copy needs another identifier".format(identifier, source),
            snapshot=summarize(existing, kind),
        )
    if existing is not None:
        changed = ensure_tags(conn, kind, existing, params["tags"])
        if changed or existing.get("Status") != "available":
            return changed, wait_available(conn, kind, identifier)
        return False, existing
    request = {api.copy_source_param: source, api.copy_target_param: identifier, "CopyTags": params["copy_tags"]}
    if params["tags"]:
        request["Tags"] = dict_to_tags(params["tags"])
    if params["kms_key_id"]:
        request["KmsKeyId"] = params["kms_key_id"]
    if params["source_region"] and params["source_region"] != conn.region:
        request["SourceRegion"] = params["source_region"]
    conn.change("copying snapshot {0!r} to {1!r} in {2}".format(source, identifier, conn.region), api.copy, **request)
    return True, wait_available(conn, kind, identifier)


def is_matching_own_manual(snapshot, api, match_tags, match_prefix, db_identifier=None):
    """Only our own manual snapshots qualify: shared ones are listed by their ARN, automated by type.
    The prefix and the database compare as RDS compares identifiers."""
    identifier = normalize_identifier(snapshot.get(api.id_param) or "")
    if snapshot.get("SnapshotType") != "manual" or identifier.startswith("arn:"):
        return False
    if match_prefix is not None and not identifier.startswith(normalize_identifier(match_prefix)):
        return False
    if db_identifier is not None and not same_identifier(snapshot.get(api.db_key), db_identifier):
        return False
    tags = tags_to_dict(snapshot.get("TagList"))
    return all(tags.get(key) == str(value) for key, value in (match_tags or {}).items())


def plan_prune(snapshots, kind, match_tags, match_prefix, older_than_days, keep_newest, reference, db_identifier=None):
    """Split the matching manual snapshots (of `db_identifier` only, when given) into (to delete
    oldest first, kept newest first)."""
    api = SNAPSHOT_APIS[kind]
    candidates = [s for s in snapshots if is_matching_own_manual(s, api, match_tags, match_prefix, db_identifier)]
    candidates.sort(key=lambda s: (s.get("SnapshotCreateTime") or NOT_YET_CREATED, s[api.id_param]), reverse=True)
    cutoff = reference - datetime.timedelta(days=older_than_days)
    delete, kept = [], []
    for position, snapshot in enumerate(candidates):
        created = snapshot.get("SnapshotCreateTime")
        entry = dict(identifier=snapshot[api.id_param], created=created.isoformat() if created else None)
        if position < keep_newest:
            kept.append(dict(entry, reason="one of the newest {0}".format(keep_newest)))
        elif snapshot.get("Status") != "available":
            kept.append(dict(entry, reason="status is {0}".format(snapshot.get("Status"))))
        elif created is None or created >= cutoff:
            kept.append(dict(entry, reason="not older than {0} days".format(older_than_days)))
        else:
            age_days = round((reference - created).total_seconds() / 86400, 2)
            delete.append(dict(entry, age_days=age_days, tags=tags_to_dict(snapshot.get("TagList"))))
    delete.reverse()
    return delete, kept, len(candidates)


def ensure_pruned(conn, kind):
    params = conn.module.params
    api = SNAPSHOT_APIS[kind]
    reference = parse_reference_time(conn.module, params["reference_time"])
    scope = {api.db_param: params["db_identifier"]} if params["db_identifier"] else {}
    snapshots = conn.paginate(
        "listing manual {0} snapshots".format(kind), api.describe, api.result_key, SnapshotType="manual", **scope
    )
    delete, kept, candidates = plan_prune(
        snapshots,
        kind,
        params["match_tags"],
        params["match_prefix"],
        params["older_than_days"],
        params["keep_newest"],
        reference,
        params["db_identifier"],
    )
    report = dict(kept=kept, candidates=candidates, listing_pages=conn.pages_read, reference_time=reference.isoformat())
    deleted = []
    for entry in delete:
        conn.change(
            "deleting expired snapshot {0!r}".format(entry["identifier"]),
            api.delete,
            on_error=dict(report, deleted=deleted),
            **{api.id_param: entry["identifier"]},
        )
        deleted.append(entry)
    return bool(deleted), dict(report, deleted=deleted)


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        supports_check_mode=True,
        required_if=[
            ("state", "present", ["snapshot_identifier", "db_identifier"]),
            ("state", "absent", ["snapshot_identifier"]),
            ("state", "copied", ["snapshot_identifier", "source_snapshot"]),
            ("state", "pruned", ["older_than_days", "keep_newest"]),
        ],
    )
    validate(module)
    kind, state = module.params["kind"], module.params["state"]
    conn = AwsConnection(module, "rds")
    if state == "pruned":
        changed, report = ensure_pruned(conn, kind)
        module.exit_json(changed=changed, **report)
    ensure = {"present": ensure_present, "absent": ensure_absent, "copied": ensure_copied}[state]
    changed, snapshot = ensure(conn, kind)
    module.exit_json(changed=changed, snapshot=summarize(snapshot, kind) if snapshot else None)


if __name__ == "__main__":
    main()
