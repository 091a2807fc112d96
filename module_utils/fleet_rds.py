# -*- coding: utf-8 -*-
"""RDS names that differ between DB instances and Aurora clusters, kept in one table.

The modules speak of a `kind` (instance or cluster); everything kind-specific (operation
names, parameter and result keys, waiters, not-found codes) is looked up here.
"""

from __future__ import annotations

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


def tags_to_dict(tag_list):
    return {tag["Key"]: tag["Value"] for tag in tag_list or []}


def dict_to_tags(tags):
    return [{"Key": str(key), "Value": str(value)} for key, value in sorted((tags or {}).items())]


def find_database(conn, kind, identifier):
    """The DB instance or cluster, or None when it does not exist."""
    api = DATABASE_APIS[kind]
    return conn.find(
        "describing {0} {1!r}".format(api.noun, identifier),
        api.describe,
        api.result_key,
        api.not_found_codes,
        **{api.id_param: identifier},
    )
