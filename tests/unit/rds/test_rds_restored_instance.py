"""rds_restored_instance: a point-in-time copy of a DB instance, restored tagged and deleted only
when it carries the tags, never the source - against moto in-process.

moto 5.2.5 makes a restored instance available at once, accepts any restore time (it checks no
restorable window), and gives the copy the source's DeletionProtection and MultiAZ whatever the
restore asks (measured; AWS takes the request's values), so the deletion below also shows the
protection switched off first. A copy still `creating` when the wait ends, and the exact
parameters of the deletion, are shown with botocore's Stubber.
"""

import datetime

import pytest
from rds_harness import REGION, fail_of, rds_client, run_module

import boto3
from library import rds_restored_instance as module

SOURCE = "e1-db"
COPY = "e1-db-drill-20260607-200000"
TAGS = {"purpose": "restore-drill", "source": SOURCE}


def minutes_ago(minutes):
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def placed_source():
    """The source in a DB subnet group of two subnets, behind its own security group, on port 5433."""
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    zones = [zone["ZoneName"] for zone in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
               for n, zone in enumerate(zones)]
    rds = rds_client()
    rds.create_db_subnet_group(DBSubnetGroupName="e1-db-subnets", DBSubnetGroupDescription="e1", SubnetIds=subnets)
    group = ec2.create_security_group(GroupName="e1-db", Description="db", VpcId=vpc)["GroupId"]
    return rds.create_db_instance(
        DBInstanceIdentifier=SOURCE, DBInstanceClass="db.t3.medium", Engine="postgres", MasterUsername="dbadmin",
        MasterUserPassword="not-a-secret-1", AllocatedStorage=20, BackupRetentionPeriod=7, Port=5433,
        DBSubnetGroupName="e1-db-subnets", VpcSecurityGroupIds=[group], DeletionProtection=True,
    )["DBInstance"]


def described(identifier):
    return rds_client().describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


def present(**extra):
    return dict(dict(db_identifier=COPY, source_db_identifier=SOURCE, restore_time=minutes_ago(5), tags=TAGS, wait_delay=1),
                **extra)


def absent(**extra):
    return dict(dict(db_identifier=COPY, source_db_identifier=SOURCE, state="absent", tags=TAGS, wait_delay=1), **extra)


def comparable(instance):
    """What a drill must never change on its source (moto recomputes LatestRestorableTime on every read)."""
    return {key: value for key, value in instance.items() if key != "LatestRestorableTime"}


def test_restore_tags_the_copy_places_it_like_the_source_then_rerun_changes_nothing(moto_aws):
    source = placed_source()
    args = present()
    first = run_module(module, args)
    assert first["changed"] is True and first["instance"]["status"] == "available"
    assert first["instance"]["tags"] == TAGS and first["instance"]["port"] == 5433
    assert first["instance"]["endpoint_address"].startswith(COPY + ".")
    assert first["seconds_to_available"] >= 0
    copy = described(COPY)
    assert copy["DBInstanceClass"] == "db.t3.medium"
    assert copy["DBSubnetGroup"]["DBSubnetGroupName"] == "e1-db-subnets"
    assert [g["VpcSecurityGroupId"] for g in copy["VpcSecurityGroups"]] == [g["VpcSecurityGroupId"] for g in source["VpcSecurityGroups"]]
    assert moto_aws.writes() == ["RestoreDBInstanceToPointInTime"]
    moto_aws.clear()
    again = run_module(module, args)
    assert (again["changed"], again["seconds_to_available"], moto_aws.writes()) == (False, None, [])


def test_the_instance_class_can_be_another(moto_aws):
    placed_source()
    run_module(module, present(instance_class="db.t3.small"))
    assert described(COPY)["DBInstanceClass"] == "db.t3.small"


def test_restore_then_delete_leaves_the_source_as_it_was(moto_aws):
    placed_source()
    before = comparable(described(SOURCE))
    run_module(module, present())
    moto_aws.clear()
    deleted = run_module(module, absent())
    assert deleted["changed"] is True and deleted["instance"]["identifier"] == COPY
    assert moto_aws.writes() == ["ModifyDBInstance", "DeleteDBInstance"]
    assert [i["DBInstanceIdentifier"] for i in rds_client().describe_db_instances()["DBInstances"]] == [SOURCE]
    assert comparable(described(SOURCE)) == before
    moto_aws.clear()
    assert run_module(module, absent())["changed"] is False
    assert moto_aws.writes() == []


def test_check_mode_restores_and_deletes_nothing(moto_aws):
    placed_source()
    planned = run_module(module, present(), check_mode=True)
    assert (planned["changed"], planned["instance"]) == (True, None)
    run_module(module, present())
    moto_aws.clear()
    assert run_module(module, absent(), check_mode=True)["changed"] is True
    assert moto_aws.writes() == []
    assert described(COPY)["DBInstanceStatus"] == "available"


@pytest.mark.parametrize("args, message", [
    (present(db_identifier="E1-DB"), "db_identifier 'E1-DB' names the source itself"),
    (absent(db_identifier=SOURCE), "db_identifier 'e1-db' names the source itself"),
    (present(restore_time="2026-06-07 20:00"), "restore_time '2026-06-07 20:00' is not an ISO 8601 time with its offset"),
    (present(restore_time="yesterday"), "restore_time 'yesterday' is not an ISO 8601 time"),
    (present(restore_time="2999-01-01T00:00:00Z"), "restore_time 2999-01-01T00:00:00Z is in the future"),
    (absent(tags={}), "tags is empty: state=absent deletes only an instance carrying them"),
    (present(db_identifier="drill--1"), "db_identifier 'drill--1' is not a valid RDS DB instance identifier"),
    (present(wait_timeout=-1), "wait_timeout must be 0 or more"),
])
def test_bad_input_is_refused_before_any_call(moto_aws, args, message):
    placed_source()
    moto_aws.clear()
    assert message in fail_of(module, args)["msg"]
    assert list(moto_aws) == []


@pytest.mark.parametrize("args", [present(), absent()], ids=["present", "absent"])
def test_an_instance_without_the_tags_is_neither_restored_over_nor_deleted(moto_aws, args):
    placed_source()
    rds_client().create_db_instance(DBInstanceIdentifier=COPY, DBInstanceClass="db.t3.micro", Engine="postgres",
                                    MasterUsername="dbadmin", MasterUserPassword="not-a-secret-1", AllocatedStorage=20)
    moto_aws.clear()
    failed = fail_of(module, args)
    assert "exists and does not carry the tags" in failed["msg"] and "it is not this restore's copy" in failed["msg"]
    assert moto_aws.writes() == []
    assert described(COPY)["DBInstanceStatus"] == "available"


def test_a_missing_source_is_a_clear_error(moto_aws):
    assert fail_of(module, present())["msg"] == "source DB instance 'e1-db' not found in region ap-southeast-3"


def stub_instance(identifier, status, tags=()):
    return {"DBInstanceIdentifier": identifier, "DBInstanceStatus": status, "DBInstanceClass": "db.t3.medium",
            "Engine": "postgres", "TagList": [{"Key": k, "Value": v} for k, v in dict(tags).items()]}


def test_a_copy_not_available_within_the_wait_fails_naming_it(rds_stub):
    """Stubber: moto's copies are available at once."""
    rds_stub.add_client_error("describe_db_instances", "DBInstanceNotFound", expected_params={"DBInstanceIdentifier": COPY})
    rds_stub.add_response("describe_db_instances", {"DBInstances": [stub_instance(SOURCE, "available")]},
                          {"DBInstanceIdentifier": SOURCE})
    rds_stub.add_response("restore_db_instance_to_point_in_time", {"DBInstance": stub_instance(COPY, "creating", TAGS)})
    rds_stub.add_response("describe_db_instances", {"DBInstances": [stub_instance(COPY, "creating", TAGS)]},
                          {"DBInstanceIdentifier": COPY})
    failed = fail_of(module, present(wait_timeout=0))
    assert failed["msg"] == f"waiting for DB instance '{COPY}' to be available failed: still not done after 0 seconds"


def test_the_deletion_skips_the_final_snapshot_and_removes_the_automated_backups(rds_stub):
    """Stubber: to see the DeleteDBInstance parameters themselves."""
    rds_stub.add_response("describe_db_instances", {"DBInstances": [stub_instance(COPY, "available", TAGS)]},
                          {"DBInstanceIdentifier": COPY})
    rds_stub.add_response("delete_db_instance", {"DBInstance": stub_instance(COPY, "deleting", TAGS)},
                          {"DBInstanceIdentifier": COPY, "SkipFinalSnapshot": True, "DeleteAutomatedBackups": True})
    assert run_module(module, absent(wait=False))["changed"] is True
