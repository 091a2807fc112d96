# -*- coding: utf-8 -*-
"""RDS names that differ between DB instances and Aurora clusters, kept in one table.

The modules speak of a `kind` (instance or cluster); everything kind-specific (operation
names, parameter and result keys, waiters, not-found codes) is looked up here, with what all
RDS identifiers share: how RDS compares them and which ones it accepts.
"""

from __future__ import annotations

import string
from collections import namedtuple

SnapshotApi = namedtuple(
    "SnapshotApi",
    "describe result_key id_param db_param db_key arn_key create created_key delete copy "
    "copy_source_param copy_target_param copied_key available_waiter deleted_waiter not_found_codes "
    "describe_attributes modify_attribute attributes_result_key attributes_key",
)

DatabaseApi = namedtuple("DatabaseApi", "describe result_key id_param arn_key modify modified_key not_found_codes noun")

SNAPSHOT_APIS = {
    "instance": SnapshotApi(
        describe="describe_db_snapshots",
        result_key="DBSnapshots",
        id_param="DBSnapshotIdentifier",
        db_param="DBInstanceIdentifier",
        db_key="DBInstanceIdentifier",
        arn_key="DBSnapshotArn",
        create="create_db_snapshot",
        created_key="DBSnapshot",
        delete="delete_db_snapshot",
        copy="copy_db_snapshot",
        copy_source_param="SourceDBSnapshotIdentifier",
        copy_target_param="TargetDBSnapshotIdentifier",
        copied_key="DBSnapshot",
        available_waiter="db_snapshot_available",
        deleted_waiter="db_snapshot_deleted",
        not_found_codes=("DBSnapshotNotFound", "DBSnapshotNotFoundFault"),
        describe_attributes="describe_db_snapshot_attributes",
        modify_attribute="modify_db_snapshot_attribute",
        attributes_result_key="DBSnapshotAttributesResult",
        attributes_key="DBSnapshotAttributes",
    ),
    "cluster": SnapshotApi(
        describe="describe_db_cluster_snapshots",
        result_key="DBClusterSnapshots",
        id_param="DBClusterSnapshotIdentifier",
        db_param="DBClusterIdentifier",
        db_key="DBClusterIdentifier",
        arn_key="DBClusterSnapshotArn",
        create="create_db_cluster_snapshot",
        created_key="DBClusterSnapshot",
        delete="delete_db_cluster_snapshot",
        copy="copy_db_cluster_snapshot",
        copy_source_param="SourceDBClusterSnapshotIdentifier",
        copy_target_param="TargetDBClusterSnapshotIdentifier",
        copied_key="DBClusterSnapshot",
        available_waiter="db_cluster_snapshot_available",
        deleted_waiter="db_cluster_snapshot_deleted",
        not_found_codes=("DBClusterSnapshotNotFoundFault", "DBClusterSnapshotNotFound"),
        describe_attributes="describe_db_cluster_snapshot_attributes",
        modify_attribute="modify_db_cluster_snapshot_attribute",
        attributes_result_key="DBClusterSnapshotAttributesResult",
        attributes_key="DBClusterSnapshotAttributes",
    ),
}

DATABASE_APIS = {
    "instance": DatabaseApi(
        describe="describe_db_instances",
        result_key="DBInstances",
        id_param="DBInstanceIdentifier",
        arn_key="DBInstanceArn",
        modify="modify_db_instance",
        modified_key="DBInstance",
        not_found_codes=("DBInstanceNotFound", "DBInstanceNotFoundFault"),
        noun="DB instance",
    ),
    "cluster": DatabaseApi(
        describe="describe_db_clusters",
        result_key="DBClusters",
        id_param="DBClusterIdentifier",
        arn_key="DBClusterArn",
        modify="modify_db_cluster",
        modified_key="DBCluster",
        not_found_codes=("DBClusterNotFoundFault", "DBClusterNotFound"),
        noun="DB cluster",
    ),
}

KIND_CHOICES = sorted(SNAPSHOT_APIS)

# AWS's rules for the identifiers of DB instances, DB clusters and their snapshots: the same
# characters for all, and the longest identifier of each (instance and cluster snapshots alike).
IDENTIFIER_MAX_LENGTHS = {"DB instance": 63, "DB cluster": 63, "snapshot": 255}
IDENTIFIER_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-")


def normalize_identifier(value):
    """An identifier, or an ARN embedding one, as RDS stores and compares it: in lower case.

    RDS keeps `Orders-DB` as `orders-db`; compare through this, never the raw strings.
    """
    return None if value is None else str(value).lower()


def same_identifier(one, other):
    """Whether two identifiers (or ARNs) name the same RDS resource; None names none."""
    return one is not None and other is not None and normalize_identifier(one) == normalize_identifier(other)


def identifier_problem(option, value, noun):
    """Why `value` of module option `option` is no identifier AWS accepts for an RDS `noun` (a key
    of IDENTIFIER_MAX_LENGTHS), naming every rule it breaks; None when it is valid."""
    longest = IDENTIFIER_MAX_LENGTHS[noun]
    if not 1 <= len(value) <= longest:
        reasons = ["it must be 1 to {0} characters long, not {1}".format(longest, len(value))]
    else:
        others = sorted(set(value) - IDENTIFIER_CHARACTERS)
        rules = (
            (others, "it may contain only letters, digits and hyphens, not " + " ".join(map(repr, others))),
            (value[0] not in string.ascii_letters, "it must start with a letter"),
            ("--" in value, "it must not contain two consecutive hyphens"),
            (value.endswith("-"), "it must not end with a hyphen"),
        )
        reasons = [reason for broken, reason in rules if broken]
    if not reasons:
        return None
    return "{0} {1!r} is not a valid RDS {2} identifier: {3}".format(option, value, noun, "; ".join(reasons))


def tags_to_dict(tag_list):
    return {tag["Key"]: tag["Value"] for tag in tag_list or []}


def dict_to_tags(tags):
    return [{"Key": str(key), "Value": str(value)} for key, value in sorted((tags or {}).items())]


def find_database(conn, kind, identifier):
    """The DB instance or cluster (as RDS returns it), or None when it does not exist."""
    api = DATABASE_APIS[kind]
    return conn.find(
        "describing {0} {1!r}".format(api.noun, identifier),
        api.describe,
        api.result_key,
        api.not_found_codes,
        match=lambda database: same_identifier(database.get(api.id_param), identifier),
        **{api.id_param: identifier},
    )
