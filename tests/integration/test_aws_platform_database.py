"""The aws_database role through real ansible-playbook runs against moto_server on loopback
(tests/integration/playbooks/aws_role.yml, the AWS environment of playbooks/aws_platform.yml): the
SOP's Multi-AZ, deletion protection and backup policy, a re-run with 0 changed, settings switched
off by hand and repaired, one read replica under a sustained read load (never a second), none
under a light one, check mode, and bad input refused before any AWS call.

The database is the local estate's (scripts/local_aws.py), in a DB subnet group, and the test puts
it behind its own security group, as every RDS instance in a VPC is: amazon.aws.rds_instance (10.1.2) fails with KeyError 'DBSubnetGroup' on an
instance without one, which only moto makes (measured). The read load is what the test puts with
put_metric_data: moto answers GetMetricData's 5-minute averages of it.
"""

import datetime

import pytest

from tests.integration.aws_playbooks import apply_role, aws, build_estate

# The local inventory's database (inventories/local/group_vars/all/aws.yml) and its policy.
DB = "e1-dashboard-local"
REPLICA = f"{DB}-replica-1"
SOP = dict(MultiAZ=True, DeletionProtection=True, BackupRetentionPeriod=30, PreferredBackupWindow="17:00-17:30",
           PreferredMaintenanceWindow="sat:19:00-sat:21:00", CopyTagsToSnapshot=True)


def apply(env, *options):
    """aws_role.yml with aws_database on the local inventory; its task results from the JSON callback.
    moto is named only by -e fleet_aws_endpoint_url (play_environment_only), so a module the play's
    AWS environment does not reach fails here."""
    return apply_role(env, "aws_database", *options, task_results=True, play_environment_only=True)


def rds():
    return aws("rds")


@pytest.fixture()
def database(aws_env):
    """The local estate's PostgreSQL instance (db.t3.micro, gp2 of 20 GiB, so its storage gives 100
    IOPS, in its DB subnet group), put short of the SOP with boto3 - one zone, no deletion
    protection, 7 days of backups, other windows, no tags copied to snapshots - so that the role
    has it to correct, and behind its own security group."""
    estate = build_estate(aws_env)
    group = aws("ec2").create_security_group(GroupName=f"{DB}-db", Description="E1 database", VpcId=estate.vpc_id)["GroupId"]
    rds().modify_db_instance(
        DBInstanceIdentifier=DB, ApplyImmediately=True, BackupRetentionPeriod=7, PreferredBackupWindow="03:00-03:30",
        PreferredMaintenanceWindow="mon:05:00-mon:05:30", MultiAZ=False, DeletionProtection=False, CopyTagsToSnapshot=False,
        VpcSecurityGroupIds=[group])
    found = described()
    assert (found["DBInstanceClass"], found["StorageType"], found["AllocatedStorage"]) == ("db.t3.micro", "gp2", 20)
    assert [g["VpcSecurityGroupId"] for g in found["VpcSecurityGroups"]] == [group] and found["DBSubnetGroup"]
    return aws_env, group


def described(identifier=DB):
    return rds().describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


def settings():
    return {key: described()[key] for key in SOP}


def instances():
    return sorted(i["DBInstanceIdentifier"] for i in rds().describe_db_instances()["DBInstances"])


def put_read_iops(value):
    """VALUE ReadIOPS every minute of the last 75 minutes: whichever 60-minute window a run reads
    within the next few minutes, every 5-minute period of it has data."""
    now = datetime.datetime.now(datetime.timezone.utc)
    data = [dict(MetricName="ReadIOPS", Dimensions=[{"Name": "DBInstanceIdentifier", "Value": DB}],
                 Timestamp=now - datetime.timedelta(minutes=minutes), Value=value) for minutes in range(0, 76)]
    cloudwatch = aws("cloudwatch")
    for start in range(0, len(data), 20):
        cloudwatch.put_metric_data(Namespace="AWS/RDS", MetricData=data[start:start + 20])


def report_of(run):
    return run.tasks["Report the read load and the replica decision"]["msg"]


def test_the_sop_settings_a_rerun_with_0_changed_and_settings_switched_off_by_hand_repaired(database):
    env, _group = database
    put_read_iops(40.0)  # 40 % of 100 IOPS
    first = apply(env)
    assert first.rc == 0 and first.changed == 2, first.tail  # the backup policy, Multi-AZ
    assert settings() == SOP
    assert report_of(first)[0].startswith(f"{DB}: read load 40.0-40.0 % of 100 IOPS over the last 60 minutes")
    assert report_of(first)[1] == "Read replica: no read replica added (the read load did not stay above 70 % for 60 minutes)"
    again = apply(env)
    assert again.rc == 0 and again.changed == 0, again.tail
    rds().modify_db_instance(DBInstanceIdentifier=DB, MultiAZ=False, DeletionProtection=False, ApplyImmediately=True)
    repaired = apply(env)
    assert repaired.rc == 0 and repaired.changed == 2, repaired.tail
    assert settings() == SOP
    assert instances() == [DB]


def test_a_sustained_read_load_adds_one_replica_and_never_a_second(database):
    env, group = database
    put_read_iops(90.0)  # 90 % of 100 IOPS in every period
    first = apply(env)
    assert first.rc == 0, first.tail
    assert "above 70 % in 12 of 12 periods: sustained" in report_of(first)[0]
    assert report_of(first)[1] == (f"Read replica: adding read replica {REPLICA} (the read load stayed above 70 % for 60 minutes)")
    assert instances() == [DB, REPLICA]
    replica = described(REPLICA)
    # The primary's class: the local estate's db.t3.micro.
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == DB and replica["DBInstanceClass"] == "db.t3.micro"
    assert [g["VpcSecurityGroupId"] for g in replica["VpcSecurityGroups"]] == [group]
    assert {t["Key"]: t["Value"] for t in replica["TagList"]} == {
        "Name": REPLICA, "role": "read-replica", "source": DB, "project": "e1-web-dashboard", "managed_by": "ansible"}
    again = apply(env)
    assert again.rc == 0 and again.changed == 0, again.tail
    assert report_of(again)[1].startswith(f"Read replica: it has read replica {REPLICA}: none added")
    assert instances() == [DB, REPLICA]


def test_check_mode_reports_the_changes_and_makes_none(database):
    env, _group = database
    put_read_iops(90.0)
    before = settings()
    planned = apply(env, "--check", "--diff")
    assert planned.rc == 0 and planned.changed == 3, planned.tail  # policy, Multi-AZ, the replica
    assert settings() == before and instances() == [DB]


@pytest.mark.parametrize("options, messages", [
    # What plugins/fleet_checks/aws_database.py finds, every problem in one run.
    (["aws_database_read_load_threshold=0", "aws_database_read_load_minutes=7", "aws_database_db_identifier=e1_dashboard"],
     ["aws_database_read_load_threshold '0' must be a percentage more than 0",
      "aws_database_read_load_minutes '7' must be whole minutes, a multiple of 5",
      "aws_database_db_identifier 'e1_dashboard' is not a valid RDS DB instance identifier"]),
    # A choice the role's argument spec refuses, before those checks run.
    (["aws_database_read_replica=always"], ["aws_database_read_replica"]),
], ids=["checks", "argument-spec"])
def test_bad_input_is_refused_before_any_aws_call(database, options, messages):
    env, _group = database
    put_read_iops(90.0)
    before = settings()
    refused = apply(env, *[word for option in options for word in ("-e", option)])
    assert refused.rc != 0, refused.tail
    for message in messages:
        assert message in refused.stdout, refused.tail
    assert "Backup policy - retention, backup and maintenance windows, tags copied to snapshots, deletion protection" not in refused.tasks
    assert settings() == before and instances() == [DB]
