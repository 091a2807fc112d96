"""elasticache_replication_group against moto in-process where moto answers, and botocore's
Stubber where it does not (each such test says why).

moto 5.2.5's gaps against this module's calls, measured (moto/elasticache/models.py and
responses.py, and by calling it):
- DescribeCacheClusters does not know a replication group's member clusters: it lists none and
  answers CacheClusterNotFound for each member id. ElastiCache keeps the maintenance window only
  on the member clusters, so every test that reads the maintenance window uses the Stubber (and
  the local inventory switches the role's maintenance window off: aws_cache_maintenance_window_available).
- ModifyReplicationGroup applies the description, engine, node type, AutomaticFailoverEnabled,
  MultiAZEnabled and SnapshotRetentionLimit only. It answers 200 and ignores SnapshotWindow,
  PreferredMaintenanceWindow, TransitEncryptionEnabled, TransitEncryptionMode, SecurityGroupIds and
  ApplyImmediately: what CreateReplicationGroup stored stays.
- CreateReplicationGroup with NumCacheClusters=N makes one member cluster whatever N is; only
  ReplicasPerNodeGroup adds replicas to a cluster-mode-disabled group. Tests that need a primary
  and a replica build the group with ReplicasPerNodeGroup=1.
- No state changes: a group is "available" at once and never has PendingModifiedValues, so the
  waiter passes on its first poll; a busy group is stubbed.
- No validation: it accepts failover and Multi-AZ on a one-cluster group, windows of 5 minutes,
  a subnet group that does not exist; its default SnapshotWindow is "05:00-6:00", which is no
  window AWS would give. This module checks its input itself.
"""

import boto3
import pytest
from aws_harness import REGION, fail_of, run_module

from library import elasticache_replication_group as module
from tests import aws_module_harness as harness

GROUP = "e1-dashboard-test-redis"
ARN = "arn:aws:elasticache:ap-southeast-3:123456789012:replicationgroup:" + GROUP
MEMBERS = [GROUP + "-001", GROUP + "-002"]
WINDOW = "sat:19:00-sat:21:00"
SOP = dict(replication_group_id=GROUP, region=REGION, snapshot_retention_days=7, snapshot_window="17:45-18:45")
CREATE = dict(SOP, create=True, node_type="cache.t4g.small", engine_version="7.1", cache_subnet_group="e1-cache",
              security_group_ids=["sg-0123456789abcdef0"], description="sessions and cache",
              tags={"project": "e1-web-dashboard"})


class ElastiCacheCalls(harness.RecordedCalls):
    WRITE_PREFIXES = ("Create", "Modify", "Add", "Remove", "Delete", "Increase", "Decrease")


@pytest.fixture()
def moto_ec(monkeypatch):
    yield from harness.moto_calls(monkeypatch, ElastiCacheCalls())


@pytest.fixture()
def stubbed(monkeypatch):
    yield from harness.stubbed_calls(monkeypatch, "elasticache", ElastiCacheCalls())


@pytest.fixture()
def warnings(monkeypatch):
    """What the module warns about (exit_json, replaced by the harness, no longer collects it)."""
    from ansible.module_utils import basic

    found = []
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda _self, message: found.append(message))
    return found


def elasticache():
    return boto3.client("elasticache", region_name=REGION)


def make_group(**settings):
    """A group as someone made it by hand: a primary and a replica, both encryptions, no failover,
    no snapshots, unless SETTINGS say otherwise."""
    request = dict(ReplicationGroupId=GROUP, ReplicationGroupDescription="by hand", ReplicasPerNodeGroup=1,
                   CacheNodeType="cache.t4g.small", Engine="redis", EngineVersion="7.1", AutomaticFailoverEnabled=False,
                   MultiAZEnabled=False, TransitEncryptionEnabled=True, TransitEncryptionMode="required",
                   AtRestEncryptionEnabled=True, SnapshotRetentionLimit=0, SnapshotWindow="17:45-18:45")
    request.update(settings)
    return elasticache().create_replication_group(**{k: v for k, v in request.items() if v is not None})["ReplicationGroup"]


def described():
    return elasticache().describe_replication_groups(ReplicationGroupId=GROUP)["ReplicationGroups"][0]


def tags():
    return {t["Key"]: t["Value"] for t in elasticache().list_tags_for_resource(ResourceName=described()["ARN"])["TagList"]}


# --- moto in-process -------------------------------------------------------------------


def test_a_group_made_by_hand_gets_failover_multi_az_and_snapshots(moto_ec):
    make_group()
    result = run_module(module, SOP)
    assert result["changed"] is True and result["created"] is False
    assert result["changes"] == {"AutomaticFailoverEnabled": True, "MultiAZEnabled": True, "SnapshotRetentionLimit": 7}
    group = described()
    assert (group["AutomaticFailover"], group["MultiAZ"], group["SnapshotRetentionLimit"]) == ("enabled", "enabled", 7)
    assert result["replication_group"]["automatic_failover"] is True
    assert result["diff"]["before"]["snapshot_retention_days"] == 0 and result["diff"]["after"]["snapshot_retention_days"] == 7
    assert moto_ec.writes() == ["ModifyReplicationGroup"]


def test_a_second_run_changes_nothing_and_writes_nothing(moto_ec):
    make_group()
    run_module(module, SOP)
    moto_ec.clear()
    result = run_module(module, SOP)
    assert (result["changed"], result["changes"]) == (False, {})
    assert moto_ec == ["DescribeReplicationGroups"]


def test_failover_switched_off_by_hand_is_switched_on_again(moto_ec):
    make_group()
    run_module(module, SOP)
    elasticache().modify_replication_group(ReplicationGroupId=GROUP, MultiAZEnabled=False, AutomaticFailoverEnabled=False,
                                           ApplyImmediately=True)
    result = run_module(module, SOP)
    assert result["changes"] == {"AutomaticFailoverEnabled": True, "MultiAZEnabled": True}
    assert described()["AutomaticFailover"] == "enabled"


def test_check_mode_reports_the_change_and_writes_nothing(moto_ec):
    make_group()
    moto_ec.clear()
    result = run_module(module, SOP, check_mode=True)
    assert result["changed"] is True and result["changes"]["SnapshotRetentionLimit"] == 7
    assert result["replication_group"]["snapshot_retention_days"] == 7
    assert moto_ec.writes() == [] and described()["SnapshotRetentionLimit"] == 0


def test_a_group_not_encrypted_at_rest_fails_saying_how_to_replace_it_and_nothing_changes(moto_ec):
    make_group(AtRestEncryptionEnabled=False)
    failed = fail_of(module, SOP)
    assert "is not encrypted at rest" in failed["msg"] and "create a new group from that snapshot" in failed["msg"]
    assert failed["msg"].endswith("Nothing was changed.")
    assert moto_ec.writes() == [] and described()["SnapshotRetentionLimit"] == 0


def test_tls_off_and_required_asked_fails_naming_the_two_steps_and_nothing_changes(moto_ec):
    make_group(TransitEncryptionEnabled=False, TransitEncryptionMode=None)
    failed = fail_of(module, SOP)
    assert "encryption in transit is off" in failed["msg"] and "transit_encryption_mode=preferred" in failed["msg"]
    assert moto_ec.writes() == []


def test_failover_on_a_group_without_a_replica_is_refused(moto_ec):
    make_group(ReplicasPerNodeGroup=None, NumCacheClusters=1)
    failed = fail_of(module, SOP)
    assert "has 1 cache cluster(s); automatic_failover and multi_az need a primary and at least one replica" in failed["msg"]
    assert moto_ec.writes() == []


def test_encryption_false_never_switches_it_off(moto_ec):
    make_group(AutomaticFailoverEnabled=True, MultiAZEnabled=True, SnapshotRetentionLimit=7)
    result = run_module(module, dict(SOP, transit_encryption=False, at_rest_encryption=False))
    assert result["changed"] is False and described()["TransitEncryptionEnabled"] is True


def test_a_setting_the_endpoint_does_not_apply_is_warned_about_never_reported_as_done(moto_ec, warnings):
    # moto answers ModifyReplicationGroup's SnapshotWindow with 200 and keeps the old window.
    make_group()
    result = run_module(module, dict(SOP, snapshot_window="21:00-22:00"))
    assert result["changes"]["SnapshotWindow"] == "21:00-22:00"
    assert result["replication_group"]["snapshot_window"] == "17:45-18:45"
    assert warnings == ["replication group 'e1-dashboard-test-redis': snapshot_window was set to '21:00-22:00',"
                        " but the endpoint still reports '17:45-18:45'"]


def test_a_missing_group_is_an_error_unless_create(moto_ec):
    failed = fail_of(module, SOP)
    assert failed["msg"] == "replication group 'e1-dashboard-test-redis' not found in region ap-southeast-3 (create=true makes it)"
    assert moto_ec.writes() == []


def test_create_makes_the_group_with_every_setting_then_changes_nothing(moto_ec):
    result = run_module(module, dict(CREATE, maintenance_window=WINDOW))
    assert result["changed"] is True and result["created"] is True
    assert result["changes"]["TransitEncryptionMode"] == "required" and result["changes"]["NumCacheClusters"] == 2
    # moto keeps these but describes neither: they are read from the request sent.
    assert result["changes"]["PreferredMaintenanceWindow"] == WINDOW
    assert (result["changes"]["CacheSubnetGroupName"], result["changes"]["SecurityGroupIds"]) == ("e1-cache", ["sg-0123456789abcdef0"])
    group = described()
    assert (group["AutomaticFailover"], group["MultiAZ"]) == ("enabled", "enabled")
    assert (group["TransitEncryptionEnabled"], group["TransitEncryptionMode"], group["AtRestEncryptionEnabled"]) == (True, "required", True)
    assert (group["SnapshotRetentionLimit"], group["SnapshotWindow"]) == (7, "17:45-18:45")
    assert tags() == {"project": "e1-web-dashboard"}
    assert result["replication_group"]["maintenance_window"] == WINDOW
    moto_ec.clear()
    again = run_module(module, CREATE)
    assert (again["changed"], again["created"]) == (False, False) and moto_ec.writes() == []


def test_create_in_check_mode_creates_nothing(moto_ec):
    result = run_module(module, CREATE, check_mode=True)
    assert result["changed"] is True and result["created"] is True
    assert result["replication_group"]["arn"] is None
    assert moto_ec.writes() == [] and elasticache().describe_replication_groups()["ReplicationGroups"] == []


def test_an_engine_without_transit_modes_is_created_without_one(moto_ec):
    result = run_module(module, dict(CREATE, engine_version="6.2"))
    assert "TransitEncryptionMode" not in result["changes"] and result["changes"]["TransitEncryptionEnabled"] is True


def test_tags_are_added_and_purged_only_when_asked(moto_ec):
    make_group(AutomaticFailoverEnabled=True, MultiAZEnabled=True, SnapshotRetentionLimit=7, Tags=[{"Key": "owner", "Value": "ops"}])
    assert run_module(module, dict(SOP, tags={"project": "e1-web-dashboard"}))["changed"] is True
    assert tags() == {"owner": "ops", "project": "e1-web-dashboard"}
    result = run_module(module, dict(SOP, tags={"project": "e1-web-dashboard"}, purge_tags=True))
    assert result["changed"] is True and result["replication_group"]["tags"] == {"project": "e1-web-dashboard"}
    assert tags() == {"project": "e1-web-dashboard"}
    assert run_module(module, dict(SOP, tags={"project": "e1-web-dashboard"}, purge_tags=True))["changed"] is False


@pytest.mark.parametrize("change, expected", [
    ({"replication_group_id": "1-redis"}, "replication_group_id '1-redis' is no replication group id"),
    ({"replication_group_id": "e1--redis"}, "no two hyphens in a row"),
    ({"replication_group_id": "e" * 41}, "1 to 40 letters"),
    ({"snapshot_retention_days": 36}, "snapshot_retention_days is 36; ElastiCache keeps automatic snapshots 0 to 35 days"),
    ({"snapshot_retention_days": -1}, "snapshot_retention_days is -1"),
    ({"snapshot_window": "17:45-18:15"}, "snapshot window '17:45-18:15' lasts 30 minutes; ElastiCache needs at least 60"),
    ({"snapshot_window": "5:00-6:00"}, "is not of the form hh24:mi-hh24:mi"),
    ({"maintenance_window": "saturday:19:00-sat:21:00"}, "is not of the form ddd:hh24:mi-ddd:hh24:mi"),
    ({"maintenance_window": "sat:19:00-sat:19:30"}, "lasts 30 minutes"),
    ({"snapshot_window": "19:30-20:30", "maintenance_window": WINDOW}, "snapshot window 19:30-20:30 overlaps maintenance window"),
    ({"automatic_failover": False}, "multi_az needs automatic_failover"),
    ({"tags": {"aws:x": "y"}}, "not start with 'aws:'"),
    ({"create": True, "node_type": "t4g.small", "cache_subnet_group": "c", "security_group_ids": ["sg-1"]}, "node_type 't4g.small' is no ElastiCache node type"),
    ({"create": True, "node_type": "cache.t4g.small", "cache_subnet_group": "c", "security_group_ids": ["sg-1"],
      "num_cache_clusters": 1}, "num_cache_clusters is 1; automatic failover needs a primary and at least one replica"),
    ({"create": True, "node_type": "cache.t4g.small", "cache_subnet_group": "c", "security_group_ids": ["e1-cache"]},
     "security_group_ids: 'e1-cache' is no security group id"),
    ({"create": True, "node_type": "cache.t4g.small", "cache_subnet_group": "c", "security_group_ids": ["sg-1"],
      "engine_version": "latest"}, "engine_version 'latest' is no engine version"),
    ({"create": True, "node_type": "cache.t4g.small", "cache_subnet_group": "c", "security_group_ids": ["sg-1"],
      "at_rest_encryption": False, "kms_key_id": "alias/e1"}, "kms_key_id is given but at_rest_encryption is false"),
    ({"create": True}, "create is True but all of the following are missing: node_type, cache_subnet_group, security_group_ids"),
])
def test_bad_input_is_refused_before_any_call(moto_ec, change, expected):
    assert expected in fail_of(module, dict(SOP, **change))["msg"]
    assert moto_ec == []


# --- botocore's Stubber --------------------------------------------------------------------


def group_answer(**changes):
    group = dict(ReplicationGroupId=GROUP, ARN=ARN, Status="available", MemberClusters=MEMBERS, AutomaticFailover="enabled",
                 MultiAZ="enabled", TransitEncryptionEnabled=True, TransitEncryptionMode="required",
                 AtRestEncryptionEnabled=True, SnapshotRetentionLimit=7, SnapshotWindow="17:45-18:45", ClusterEnabled=False)
    group.update(changes)
    return {"ReplicationGroups": [{key: value for key, value in group.items() if value is not None}]}


def expect_group(stub, **changes):
    stub.add_response("describe_replication_groups", group_answer(**changes), {"ReplicationGroupId": GROUP})


def expect_members(stub, windows):
    for member, window in zip(MEMBERS, windows):
        stub.add_response("describe_cache_clusters", {"CacheClusters": [
            {"CacheClusterId": member, "ReplicationGroupId": GROUP, "PreferredMaintenanceWindow": window}]},
            {"CacheClusterId": member})


def test_a_maintenance_window_as_asked_on_every_member_is_left_alone(stubbed):
    # Stubber: moto describes no member cluster of a replication group.
    expect_group(stubbed)
    expect_members(stubbed, [WINDOW, WINDOW])
    result = run_module(module, dict(SOP, maintenance_window="SAT:19:00-SAT:21:00"))
    assert result["changed"] is False and result["replication_group"]["maintenance_window"] == WINDOW
    assert result["replication_group"]["member_maintenance_windows"] == dict.fromkeys(MEMBERS, WINDOW)


def test_a_maintenance_window_that_differs_on_one_member_is_set_on_the_group(stubbed, warnings):
    # Stubber: moto describes no member cluster, and ignores PreferredMaintenanceWindow in a modify.
    expect_group(stubbed)
    expect_members(stubbed, [WINDOW, "wed:03:00-wed:04:00"])
    stubbed.add_response("modify_replication_group", {"ReplicationGroup": group_answer()["ReplicationGroups"][0]},
                         {"ReplicationGroupId": GROUP, "ApplyImmediately": True, "PreferredMaintenanceWindow": WINDOW})
    stubbed.add_response("describe_replication_groups", group_answer(), {"ReplicationGroupId": GROUP})  # the waiter
    expect_group(stubbed)
    expect_members(stubbed, [WINDOW, WINDOW])
    result = run_module(module, dict(SOP, maintenance_window=WINDOW))
    assert result["changes"] == {"PreferredMaintenanceWindow": WINDOW}
    assert result["diff"]["before"]["maintenance_window"] == "sat:19:00-sat:21:00, wed:03:00-wed:04:00"
    assert result["replication_group"]["maintenance_window"] == WINDOW and warnings == []


def test_tls_preferred_is_the_first_step_on_a_group_without_it(stubbed):
    # Stubber: moto ignores TransitEncryptionEnabled and TransitEncryptionMode in a modify.
    expect_group(stubbed, TransitEncryptionEnabled=False, TransitEncryptionMode=None)
    stubbed.add_response("modify_replication_group", {}, {
        "ReplicationGroupId": GROUP, "ApplyImmediately": True, "TransitEncryptionEnabled": True, "TransitEncryptionMode": "preferred"})
    stubbed.add_response("describe_replication_groups", group_answer(TransitEncryptionMode="preferred"), {"ReplicationGroupId": GROUP})
    expect_group(stubbed, TransitEncryptionMode="preferred")
    result = run_module(module, dict(SOP, transit_encryption_mode="preferred"))
    assert result["changes"] == {"TransitEncryptionEnabled": True, "TransitEncryptionMode": "preferred"}
    assert result["replication_group"]["transit_encryption_mode"] == "preferred"


def test_tls_preferred_becomes_required_as_the_second_step(stubbed):
    # Stubber: moto ignores TransitEncryptionMode in a modify.
    expect_group(stubbed, TransitEncryptionMode="preferred")
    stubbed.add_response("modify_replication_group", {}, {
        "ReplicationGroupId": GROUP, "ApplyImmediately": True, "TransitEncryptionMode": "required"})
    stubbed.add_response("describe_replication_groups", group_answer(), {"ReplicationGroupId": GROUP})
    expect_group(stubbed)
    assert run_module(module, SOP)["changes"] == {"TransitEncryptionMode": "required"}


def test_a_pending_change_counts_as_made(stubbed):
    # Stubber: moto never has pending modifications.
    expect_group(stubbed, Status="modifying", AutomaticFailover="enabling", TransitEncryptionMode="preferred",
                 PendingModifiedValues={"TransitEncryptionMode": "required"})
    result = run_module(module, SOP)
    assert result["changed"] is False and result["replication_group"]["transit_encryption_mode"] == "required"


def test_a_busy_group_is_waited_for_before_the_change(stubbed):
    # Stubber: moto's groups are never busy. The waiter polls DescribeReplicationGroups.
    expect_group(stubbed, Status="snapshotting", SnapshotRetentionLimit=1)
    stubbed.add_response("describe_replication_groups", group_answer(SnapshotRetentionLimit=1), {"ReplicationGroupId": GROUP})
    stubbed.add_response("modify_replication_group", {}, {
        "ReplicationGroupId": GROUP, "ApplyImmediately": True, "SnapshotRetentionLimit": 7})
    stubbed.add_response("describe_replication_groups", group_answer(), {"ReplicationGroupId": GROUP})
    expect_group(stubbed)
    assert run_module(module, SOP)["changes"] == {"SnapshotRetentionLimit": 7}
    assert stubbed.calls == ["DescribeReplicationGroups", "DescribeReplicationGroups", "ModifyReplicationGroup",
                             "DescribeReplicationGroups", "DescribeReplicationGroups"]


def test_an_aws_refusal_of_the_change_is_a_clear_failure(stubbed):
    # Stubber: moto refuses no modification.
    expect_group(stubbed, SnapshotRetentionLimit=1)
    stubbed.add_client_error("modify_replication_group", "InvalidReplicationGroupState",
                             "Replication group must be in available state to modify.")
    failed = fail_of(module, SOP)
    assert failed["msg"] == ("modifying replication group 'e1-dashboard-test-redis' (SnapshotRetentionLimit) failed:"
                             " InvalidReplicationGroupState: Replication group must be in available state to modify.")
    assert failed["changes"] == {"SnapshotRetentionLimit": 7}


def test_access_denied_when_reading_is_a_clear_failure(stubbed):
    # Stubber: moto never refuses access.
    stubbed.add_client_error("describe_replication_groups", "AccessDenied", "not allowed")
    failed = fail_of(module, SOP)
    assert failed["msg"] == "reading replication group 'e1-dashboard-test-redis' failed: AccessDenied: not allowed"
