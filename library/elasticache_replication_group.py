#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import annotations

DOCUMENTATION = r"""
---
module: elasticache_replication_group
short_description: Make an ElastiCache (Redis OSS or Valkey) replication group's failover, encryption, snapshots and windows match
description:
  - Makes an existing replication group match - automatic failover and Multi-AZ, encryption in transit
    (and its mode), encryption at rest, snapshot retention, the daily snapshot window and the weekly
    maintenance window - in one C(ModifyReplicationGroup) call, then waits until the group is available again.
  - Neither amazon.aws nor community.aws manages replication groups (community.aws.elasticache makes
    single cache clusters), hence this module.
  - With O(create=true), creates the group when it does not exist, with those settings and the node type,
    engine, number of clusters, subnet group, security groups and tags given. It never deletes, resizes,
    reshards or upgrades a group - those are decisions for a person.
  - Encryption at rest is set only when a group is created - AWS cannot switch it on later. An existing
    group without it makes the module fail, changing nothing, and say how to replace the group.
  - Encryption in transit is switched on in place in two steps (AWS's rule, so that no client is cut off) -
    V(preferred) first, V(required) once every client speaks TLS. Asking for V(required) on a group whose
    encryption in transit is off fails, changing nothing, and says so.
  - Refuses bad input before any call - an identifier ElastiCache would refuse, a window that is malformed,
    shorter than 60 minutes or overlapping the other window, a retention outside 0-35 days, Multi-AZ without
    automatic failover, fewer than 2 clusters with automatic failover.
  - ElastiCache windows are in UTC. Sunday 02:00-04:00 WIB (UTC+7) is C(sat:19:00-sat:21:00).
version_added: "1.0.0"
author: Hosting team
options:
  replication_group_id:
    description:
      - The replication group's identifier, in any case (ElastiCache stores it in lower case).
      - 1 to 40 letters, digits or hyphens, a letter first, no two hyphens in a row, no hyphen last.
    type: str
    required: true
  create:
    description:
      - Create the group when it does not exist, with O(node_type), O(cache_subnet_group) and
        O(security_group_ids) (required then) and the settings below.
      - Off by default, so that a mistyped identifier fails instead of starting a new, empty cache.
    type: bool
    default: false
  automatic_failover:
    description: Whether ElastiCache promotes a replica when the primary fails. Needs a primary and at least one replica.
    type: bool
    default: true
  multi_az:
    description: Whether the group is Multi-AZ (a replica in another zone is promoted on failure). Needs O(automatic_failover).
    type: bool
    default: true
  transit_encryption:
    description:
      - Whether connections must be encrypted (TLS). V(false) leaves the group as it is - this module never
        switches encryption off.
    type: bool
    default: true
  transit_encryption_mode:
    description:
      - With O(transit_encryption), V(required) accepts TLS connections only; V(preferred) accepts plain ones too,
        the step between off and required while clients move to TLS.
      - Engines without modes (before Redis OSS 7.0.5) accept only TLS once it is on, and are not compared.
    type: str
    choices: [preferred, required]
    default: required
  at_rest_encryption:
    description:
      - Whether the group's data on disk (snapshots, swap) must be encrypted. Set when the group is created;
        an existing group without it makes the module fail. V(false) creates a group without it and
        accepts either.
    type: bool
    default: true
  snapshot_retention_days:
    description: Days ElastiCache keeps the daily automatic snapshots (0-35; 0 turns them off). Left as it is when omitted.
    type: int
  snapshot_window:
    description: The daily window ElastiCache starts the snapshot in, C(hh24:mi-hh24:mi) in UTC, at least 60 minutes. Left as it is when omitted.
    type: str
  maintenance_window:
    description:
      - The weekly maintenance window, C(ddd:hh24:mi-ddd:hh24:mi) in UTC, at least 60 minutes, for example
        C(sat:19:00-sat:21:00). Left as it is when omitted.
      - ElastiCache keeps it on the group's member cache clusters, so it is read with C(DescribeCacheClusters).
    type: str
  apply_immediately:
    description:
      - Send the change with C(ApplyImmediately). The settings this module changes take effect online; V(false)
        lets AWS defer what it can to the maintenance window.
    type: bool
    default: true
  wait:
    description: After a change or a creation, wait until the group is available again.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait, at most, for the group to become available (before a change too, when it is busy).
    type: int
    default: 1800
  tags:
    description: Tags the group must have. Left as they are when omitted.
    type: dict
  purge_tags:
    description:
      - With O(tags), remove the group's tags that O(tags) does not list. Off by default - a group that
        predates this module keeps its owner's tags.
    type: bool
    default: false
  description:
    description: With O(create), the new group's description (at most 255 characters); the identifier when omitted.
    type: str
  node_type:
    description: With O(create), the node type, such as C(cache.t4g.small).
    type: str
  engine:
    description: With O(create), the engine.
    type: str
    choices: [redis, valkey]
    default: redis
  engine_version:
    description: With O(create), the engine version, such as C(7.1); AWS's default when omitted.
    type: str
  num_cache_clusters:
    description: With O(create), the number of cache clusters - a primary and its replicas (1-6; 2 or more with O(automatic_failover)).
    type: int
    default: 2
  cache_subnet_group:
    description: With O(create), the cache subnet group (the VPC's subnets, in two zones or more for Multi-AZ).
    type: str
  security_group_ids:
    description: With O(create), the VPC security groups of the new group.
    type: list
    elements: str
  kms_key_id:
    description: With O(create) and O(at_rest_encryption), a customer managed KMS key; AWS's own key when omitted.
    type: str
notes:
  - Check mode is supported, with diff; it reports what would change and makes no write call.
  - Cluster mode is left as it is; a new group is made with cluster mode disabled (one shard).
  - Security groups, node type and engine version of an existing group are reported, never changed.
  - Needs C(elasticache:DescribeReplicationGroups), C(elasticache:DescribeCacheClusters),
    C(elasticache:ModifyReplicationGroup), C(elasticache:CreateReplicationGroup),
    C(elasticache:ListTagsForResource), C(elasticache:AddTagsToResource) and C(elasticache:RemoveTagsFromResource).
extends_documentation_fragment:
  - fleet_aws
"""

EXAMPLES = r"""
- name: The SOP's cache - failover, both encryptions, 7 days of snapshots, maintenance in the monthly window's slot
  elasticache_replication_group:
    replication_group_id: e1-dashboard-production-redis
    automatic_failover: true
    multi_az: true
    transit_encryption: true
    transit_encryption_mode: required
    at_rest_encryption: true
    snapshot_retention_days: 7
    snapshot_window: "17:45-18:45"
    maintenance_window: "sat:19:00-sat:21:00"

- name: Step one of switching TLS on in place - plain connections still accepted while clients move
  elasticache_replication_group:
    replication_group_id: e1-dashboard-staging-redis
    transit_encryption_mode: preferred

- name: A new environment's cache, created with those settings when it does not exist
  elasticache_replication_group:
    replication_group_id: e1-dashboard-staging-redis
    create: true
    description: e1 web dashboard - Redis
    node_type: cache.t4g.small
    engine: redis
    engine_version: "7.1"
    num_cache_clusters: 2
    cache_subnet_group: e1-dashboard-staging-cache
    security_group_ids: [sg-0123456789abcdef0]
    snapshot_retention_days: 7
    snapshot_window: "17:45-18:45"
    maintenance_window: "sat:19:00-sat:21:00"
    tags:
      project: e1-web-dashboard
      managed_by: ansible
"""

RETURN = r"""
replication_group:
  description: The group after the call (what it would be, in check mode).
  returned: always
  type: dict
  contains:
    replication_group_id:
      description: Its identifier, as ElastiCache stores it.
      type: str
    arn:
      description: Its ARN; null for a group check mode would create.
      type: str
    status:
      description: ElastiCache's status (available, modifying, creating ...).
      type: str
    member_clusters:
      description: Its cache clusters, the primary and the replicas.
      type: list
      elements: str
    automatic_failover:
      description: Whether automatic failover is on (or being switched on).
      type: bool
    multi_az:
      description: Whether Multi-AZ is on.
      type: bool
    transit_encryption:
      description: Whether encryption in transit is on (or being switched on).
      type: bool
    transit_encryption_mode:
      description: preferred or required; null when off or for an engine without modes.
      type: str
    at_rest_encryption:
      description: Whether the data on disk is encrypted.
      type: bool
    snapshot_retention_days:
      description: Days the automatic snapshots are kept.
      type: int
    snapshot_window:
      description: The daily snapshot window (UTC).
      type: str
    maintenance_window:
      description:
        - The member clusters' maintenance window (UTC), as read; for a new group, as sent.
        - Null when not read (O(maintenance_window) omitted); several, comma-separated, when the members differ.
      type: str
    member_maintenance_windows:
      description: Each member cluster's maintenance window, when read.
      type: dict
    tags:
      description: Its tags, when O(tags) is given.
      type: dict
  sample:
    replication_group_id: e1-dashboard-production-redis
    arn: arn:aws:elasticache:ap-southeast-3:123456789012:replicationgroup:e1-dashboard-production-redis
    status: available
    member_clusters: [e1-dashboard-production-redis-001, e1-dashboard-production-redis-002]
    automatic_failover: true
    multi_az: true
    transit_encryption: true
    transit_encryption_mode: required
    at_rest_encryption: true
    snapshot_retention_days: 7
    snapshot_window: "17:45-18:45"
    maintenance_window: "sat:19:00-sat:21:00"
changes:
  description: What this call sent or would send to ElastiCache (its parameter names); every setting of a new group.
  returned: always
  type: dict
  sample: {SnapshotRetentionLimit: 7, PreferredMaintenanceWindow: "sat:19:00-sat:21:00"}
created:
  description: Whether the group was (or, in check mode, would be) created.
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.fleet_alarms import as_tag_list, tag_problems, tags_after
from ansible.module_utils.fleet_aws import AwsConnection, aws_argument_spec
from ansible.module_utils.fleet_elasticache import (clusters_problem, engine_version_problem, group_id_problem,
                                                    node_type_problem, normalize, retention_problem, window_problems)

NOT_FOUND = ("ReplicationGroupNotFoundFault",)
DESCRIPTION_MAX = 255
WAIT_DELAY_SECONDS = 30
# A setting in the module's option names -> the ModifyReplicationGroup/CreateReplicationGroup
# parameter that sets it; the encryption settings follow rules of their own (see wanted_changes).
PLAIN_SETTINGS = (
    ("automatic_failover", "AutomaticFailoverEnabled"),
    ("multi_az", "MultiAZEnabled"),
    ("snapshot_retention_days", "SnapshotRetentionLimit"),
    ("snapshot_window", "SnapshotWindow"),
    ("maintenance_window", "PreferredMaintenanceWindow"),
)
SETTINGS = ("automatic_failover", "multi_az", "transit_encryption", "transit_encryption_mode", "at_rest_encryption",
            "snapshot_retention_days", "snapshot_window", "maintenance_window")


def argument_spec():
    spec = aws_argument_spec()
    spec.update(
        replication_group_id=dict(type="str", required=True),
        create=dict(type="bool", default=False),
        automatic_failover=dict(type="bool", default=True),
        multi_az=dict(type="bool", default=True),
        transit_encryption=dict(type="bool", default=True),
        transit_encryption_mode=dict(type="str", choices=["preferred", "required"], default="required"),
        at_rest_encryption=dict(type="bool", default=True),
        snapshot_retention_days=dict(type="int"),
        snapshot_window=dict(type="str"),
        maintenance_window=dict(type="str"),
        apply_immediately=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=False),
        description=dict(type="str"),
        node_type=dict(type="str"),
        engine=dict(type="str", choices=["redis", "valkey"], default="redis"),
        engine_version=dict(type="str"),
        num_cache_clusters=dict(type="int", default=2),
        cache_subnet_group=dict(type="str"),
        security_group_ids=dict(type="list", elements="str"),
        kms_key_id=dict(type="str"),
    )
    return spec


def creation_problems(params):
    found = [clusters_problem("num_cache_clusters", params["num_cache_clusters"], params["automatic_failover"])]
    found.append(node_type_problem("node_type", params["node_type"]))
    found.append(engine_version_problem("engine_version", params["engine_version"]))
    found += ["security_group_ids: {0!r} is no security group id (sg-...)".format(group)
              for group in params["security_group_ids"] if not str(group).startswith("sg-")]
    if not params["security_group_ids"]:
        found.append("security_group_ids is empty: a new group needs the security group that lets the app servers in")
    if params["kms_key_id"] and not params["at_rest_encryption"]:
        found.append("kms_key_id is given but at_rest_encryption is false: the key encrypts data at rest")
    if len(params["description"] or "") > DESCRIPTION_MAX:
        found.append("description is over {0} characters".format(DESCRIPTION_MAX))
    return found


def input_problems(params):
    found = [group_id_problem("replication_group_id", params["replication_group_id"])]
    if params["snapshot_retention_days"] is not None:
        found.append(retention_problem("snapshot_retention_days", params["snapshot_retention_days"]))
    found += window_problems(params["snapshot_window"], params["maintenance_window"])
    if params["multi_az"] and not params["automatic_failover"]:
        found.append("multi_az needs automatic_failover: Multi-AZ promotes a replica in another zone through it")
    if params["wait_timeout"] < 0:
        found.append("wait_timeout cannot be negative")
    if params["create"]:
        found += creation_problems(params)
    return [problem for problem in found + tag_problems(params["tags"]) if problem]


def modes_supported(engine, version):
    """Whether the engine knows TransitEncryptionMode (Valkey, Redis OSS 7 and later; AWS's
    default version, when none is named, is such one)."""
    return engine == "valkey" or version is None or int(version.split(".")[0]) >= 7


# --- reading ---------------------------------------------------------------------------


def find_group(conn, group_id):
    return conn.find("reading replication group {0!r}".format(group_id), "describe_replication_groups",
                     "ReplicationGroups", NOT_FOUND, ReplicationGroupId=group_id)


def member_windows(conn, group):
    """{member cluster id: its maintenance window}: ElastiCache describes the window only there."""
    found = {}
    for member in group.get("MemberClusters") or []:
        reply = conn.call("reading the maintenance window of member cluster {0!r} of replication group {1!r}".format(
            member, group["ReplicationGroupId"]), "describe_cache_clusters", CacheClusterId=member)
        clusters = reply.get("CacheClusters") or [{}]
        found[member] = normalize(clusters[0].get("PreferredMaintenanceWindow"))
    return found


def read_tags(conn, group):
    reply = conn.call("reading the tags of replication group {0!r}".format(group["ReplicationGroupId"]),
                      "list_tags_for_resource", ResourceName=group["ARN"])
    return {tag["Key"]: tag["Value"] for tag in reply.get("TagList") or []}


def settings_of(group, windows):
    """The group's settings in the module's option names, a pending (not yet applied) value
    winning over the applied one."""
    pending = group.get("PendingModifiedValues") or {}
    failover = pending.get("AutomaticFailoverStatus") or group.get("AutomaticFailover")
    transit = bool(pending.get("TransitEncryptionEnabled", group.get("TransitEncryptionEnabled")))
    distinct = sorted({str(window) for window in windows.values()})
    return dict(
        automatic_failover=failover in ("enabled", "enabling"),
        multi_az=group.get("MultiAZ") == "enabled",
        transit_encryption=transit,
        transit_encryption_mode=pending.get("TransitEncryptionMode", group.get("TransitEncryptionMode")) if transit else None,
        at_rest_encryption=bool(group.get("AtRestEncryptionEnabled")),
        snapshot_retention_days=group.get("SnapshotRetentionLimit"),
        snapshot_window=normalize(group.get("SnapshotWindow")),
        maintenance_window=", ".join(distinct) if distinct else None,
    )


def report(group, settings, windows, tags):
    return dict(settings, replication_group_id=group.get("ReplicationGroupId"), arn=group.get("ARN"),
                status=group.get("Status"), member_clusters=list(group.get("MemberClusters") or []),
                member_maintenance_windows=windows, tags=tags)


# --- deciding ----------------------------------------------------------------------------


def refusals(group, have, params):
    """Why the group cannot be brought to the settings asked (nothing is changed then)."""
    name = group["ReplicationGroupId"]
    found = []
    if params["at_rest_encryption"] and not have["at_rest_encryption"]:
        found.append(
            "replication group {0!r} is not encrypted at rest, and ElastiCache sets that only when a group is created:"
            " take a snapshot of it, create a new group from that snapshot with at-rest encryption (CreateReplicationGroup"
            " with SnapshotName and AtRestEncryptionEnabled), move the clients to the new group and retire this one".format(name))
    if params["transit_encryption"] and not have["transit_encryption"] and params["transit_encryption_mode"] == "required":
        found.append(
            "encryption in transit is off on replication group {0!r}, and ElastiCache switches it on in two steps so that"
            " no client is cut off: run with transit_encryption_mode=preferred (TLS and plain connections both accepted),"
            " move every client to TLS, then run with transit_encryption_mode=required".format(name))
    members = len(group.get("MemberClusters") or [])
    turning_on = [option for option in ("automatic_failover", "multi_az") if params[option] and not have[option]]
    if turning_on and members < 2 and not group.get("ClusterEnabled"):
        found.append(
            "replication group {0!r} has {1} cache cluster(s); {2} {3} a primary and at least one replica:"
            " add a replica first".format(name, members, " and ".join(turning_on), "needs" if len(turning_on) == 1 else "need"))
    return found


def wanted_changes(have, params):
    """The ModifyReplicationGroup parameters that bring HAVE to what PARAMS ask."""
    changes = {}
    for option, parameter in PLAIN_SETTINGS:
        wanted = normalize(params[option]) if option.endswith("_window") else params[option]
        if wanted is not None and have[option] != wanted:
            changes[parameter] = wanted
    if params["transit_encryption"]:
        if not have["transit_encryption"]:
            changes.update(TransitEncryptionEnabled=True, TransitEncryptionMode="preferred")
        elif have["transit_encryption_mode"] not in (None, params["transit_encryption_mode"]):
            changes["TransitEncryptionMode"] = params["transit_encryption_mode"]
    return changes


def settings_after(have, changes):
    after = dict(have)
    for option, parameter in PLAIN_SETTINGS:
        if parameter in changes:
            after[option] = changes[parameter]
    if "TransitEncryptionEnabled" in changes:
        after["transit_encryption"] = True
    if "TransitEncryptionMode" in changes:
        after["transit_encryption_mode"] = changes["TransitEncryptionMode"]
    return after


# --- changing ----------------------------------------------------------------------------


def wait_available(conn, group_id):
    if not conn.module.check_mode:
        conn.wait("waiting for replication group {0!r} to become available".format(group_id), "replication_group_available",
                  conn.module.params["wait_timeout"], delay=WAIT_DELAY_SECONDS, ReplicationGroupId=group_id)


def ensure_settings(conn, group, changes):
    """One modify call for everything that differs; returns whether one was (or would be) sent.
    ElastiCache refuses a change while the group is busy, so a busy group is waited for first."""
    if not changes:
        return False
    params, group_id = conn.module.params, group["ReplicationGroupId"]
    if group.get("Status") != "available":
        wait_available(conn, group_id)
    conn.change("modifying replication group {0!r} ({1})".format(group_id, ", ".join(sorted(changes))),
                "modify_replication_group", on_error=dict(changes=changes), ReplicationGroupId=group_id,
                ApplyImmediately=params["apply_immediately"], **changes)
    if params["wait"]:
        wait_available(conn, group_id)
    return True


def ensure_tags(conn, group, have, params):
    """Adds (and with purge_tags removes) tags; returns whether they changed."""
    if params["tags"] is None:
        return False
    wanted = {str(key): str(value) for key, value in params["tags"].items()}
    add = {key: value for key, value in wanted.items() if have.get(key) != value}
    remove = sorted(set(have) - set(wanted)) if params["purge_tags"] else []
    what = "replication group {0!r}".format(group["ReplicationGroupId"])
    if add:
        conn.change("tagging " + what, "add_tags_to_resource", ResourceName=group["ARN"], Tags=as_tag_list(add))
    if remove:
        conn.change("untagging " + what, "remove_tags_from_resource", ResourceName=group["ARN"], TagKeys=remove)
    return bool(add or remove)


def creation_request(params, group_id):
    request = dict(
        ReplicationGroupId=group_id,
        ReplicationGroupDescription=params["description"] or group_id,
        Engine=params["engine"],
        CacheNodeType=params["node_type"],
        NumCacheClusters=params["num_cache_clusters"],
        AutomaticFailoverEnabled=params["automatic_failover"],
        MultiAZEnabled=params["multi_az"],
        TransitEncryptionEnabled=params["transit_encryption"],
        AtRestEncryptionEnabled=params["at_rest_encryption"],
        CacheSubnetGroupName=params["cache_subnet_group"],
        SecurityGroupIds=params["security_group_ids"],
    )
    optional = dict(EngineVersion=params["engine_version"], SnapshotRetentionLimit=params["snapshot_retention_days"],
                    SnapshotWindow=normalize(params["snapshot_window"]),
                    PreferredMaintenanceWindow=normalize(params["maintenance_window"]),
                    KmsKeyId=params["kms_key_id"] if params["at_rest_encryption"] else None,
                    Tags=as_tag_list(params["tags"]) if params["tags"] else None)
    request.update({key: value for key, value in optional.items() if value is not None})
    if params["transit_encryption"] and modes_supported(params["engine"], params["engine_version"]):
        request["TransitEncryptionMode"] = params["transit_encryption_mode"]
    return request


def as_described(request):
    """A new group as ElastiCache would describe it, from its creation request (for check mode)."""
    state = {True: "enabled", False: "disabled"}
    return dict(ReplicationGroupId=request["ReplicationGroupId"], ARN=None, Status="creating", MemberClusters=[],
                AutomaticFailover=state[request["AutomaticFailoverEnabled"]], MultiAZ=state[request["MultiAZEnabled"]],
                TransitEncryptionEnabled=request["TransitEncryptionEnabled"],
                TransitEncryptionMode=request.get("TransitEncryptionMode"),
                AtRestEncryptionEnabled=request["AtRestEncryptionEnabled"],
                SnapshotRetentionLimit=request.get("SnapshotRetentionLimit"), SnapshotWindow=request.get("SnapshotWindow"))


def create(module, conn, group_id):
    """Creates the group (a new group is the only place at-rest encryption can be set) and exits."""
    params = module.params
    request = creation_request(params, group_id)
    conn.change("creating replication group {0!r}".format(group_id), "create_replication_group", **request)
    if params["wait"]:
        wait_available(conn, group_id)
    group = (None if module.check_mode else find_group(conn, group_id)) or as_described(request)
    # Its members' windows are what was just sent: no need to read them back.
    settings = dict(settings_of(group, {}), maintenance_window=normalize(params["maintenance_window"]))
    tags = tags_after({}, params["tags"], True) if params["tags"] is not None else None
    module.exit_json(changed=True, created=True, changes=request, replication_group=report(group, settings, {}, tags),
                     diff=dict(before={}, after=dict(settings, tags=tags)))


def warn_unapplied(module, wanted, after):
    """Say so when the endpoint accepted a change but still reports the old value."""
    for option in SETTINGS:
        if option in wanted and after[option] != wanted[option]:
            module.warn("replication group {0!r}: {1} was set to {2!r}, but the endpoint still reports {3!r}".format(
                module.params["replication_group_id"].lower(), option, wanted[option], after[option]))


def present(module, conn, group):
    params = module.params
    read_windows = params["maintenance_window"] is not None
    windows = member_windows(conn, group) if read_windows else {}
    have = settings_of(group, windows)
    problems = refusals(group, have, params)
    if problems:
        module.fail_json(msg="; ".join(problems) + ". Nothing was changed.",
                         replication_group=report(group, have, windows, None))
    have_tags = read_tags(conn, group) if params["tags"] is not None else None
    changes = wanted_changes(have, params)
    changed = ensure_settings(conn, group, changes)
    changed = ensure_tags(conn, group, have_tags or {}, params) or changed
    settings = settings_after(have, changes)
    if changes and not module.check_mode:
        group = find_group(conn, group["ReplicationGroupId"]) or group
        windows = member_windows(conn, group) if read_windows else {}
        wanted, settings = settings, settings_of(group, windows)
        warn_unapplied(module, wanted, settings)
    tags = tags_after(have_tags, params["tags"], params["purge_tags"]) if have_tags is not None else None
    module.exit_json(changed=changed, created=False, changes=changes, replication_group=report(group, settings, windows, tags),
                     diff=dict(before=dict(have, tags=have_tags), after=dict(settings, tags=tags)))


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                           required_if=[("create", True, ("node_type", "cache_subnet_group", "security_group_ids"))])
    problems = input_problems(module.params)
    if problems:
        module.fail_json(msg="; ".join(problems))
    conn = AwsConnection(module, "elasticache")
    group_id = module.params["replication_group_id"].lower()
    group = find_group(conn, group_id)
    if group is not None:
        present(module, conn, group)
    if not module.params["create"]:
        module.fail_json(msg="replication group {0!r} not found in region {1} (create=true makes it)".format(group_id, conn.region))
    create(module, conn, group_id)


if __name__ == "__main__":
    main()
