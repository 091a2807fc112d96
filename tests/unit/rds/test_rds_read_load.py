"""rds_read_load: the storage's IOPS, the 5-minute read load against the threshold, and the module
against moto in-process (RDS and GetMetricData's Average over values put with put_metric_data,
which moto 5.2.5 answers per period, oldest first)."""

import datetime

import pytest
from rds_harness import REGION, fail_of, rds_client, run_module

import boto3
from ansible.module_utils import fleet_cloudwatch
from library import rds_read_load as module

# 2 minutes 30 seconds past a 5-minute mark: the window ends at 20:00.
NOW = datetime.datetime(2026, 6, 7, 20, 2, 30, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2026, 6, 7, 20, 0, 0, tzinfo=datetime.timezone.utc)
DB = "e1-dashboard"


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch):
    monkeypatch.setattr(fleet_cloudwatch, "_now", lambda: NOW)


@pytest.mark.parametrize("database, iops, source", [
    ({"StorageType": "gp2", "AllocatedStorage": 20}, 100, "at least 100"),
    ({"StorageType": "gp2", "AllocatedStorage": 200}, 600, "3 IOPS per GiB"),
    ({"StorageType": "gp2", "AllocatedStorage": 6000}, 16000, "at most 16000"),
    ({"StorageType": "gp3", "AllocatedStorage": 100}, 3000, "baseline of 3000"),
    ({"StorageType": "gp3", "AllocatedStorage": 400}, 12000, "baseline of 12000"),
    ({"StorageType": "gp3", "AllocatedStorage": 100, "Iops": 6000}, 6000, "6000 IOPS as RDS reports them"),
    ({"StorageType": "io1", "AllocatedStorage": 100, "Iops": 5000}, 5000, "io1: 5000 provisioned IOPS"),
    ({"StorageType": "io2", "AllocatedStorage": 100, "Iops": 40000}, 40000, "io2: 40000 provisioned IOPS"),
])
def test_the_iops_the_storage_provides(database, iops, source):
    found, how = module.storage_iops(database)
    assert found == iops and source in how


@pytest.mark.parametrize("database, reason", [
    ({"StorageType": "standard", "AllocatedStorage": 100}, "magnetic storage has no IOPS figure"),
    ({"StorageType": "io1", "AllocatedStorage": 100}, "without provisioned IOPS"),
    ({"StorageType": "aurora", "AllocatedStorage": 1}, "storage type 'aurora' unknown"),
])
def test_storage_without_an_iops_figure_is_not_measured(database, reason):
    found, how = module.storage_iops(database)
    assert found is None and reason in how


def test_every_period_above_the_threshold_is_sustained():
    report = module.assess([71.0, 80.0, 99.0], 100, 70, 3, 15)
    assert report["sustained_above"] is True
    assert (report["periods_above"], report["percent_max"], report["percent_latest"]) == (3, 99.0, 99.0)
    assert report["summary"].endswith("above 70 % in 3 of 3 periods: sustained")


@pytest.mark.parametrize("values, expected", [
    ([71.0, 70.0, 99.0], 3),   # exactly at the threshold is not above it
    ([71.0, 99.0], 3),         # a period without data
    ([], 3),                   # no data at all
])
def test_a_period_at_the_threshold_or_without_data_is_not_sustained(values, expected):
    assert module.assess(values, 100, 70, expected, 15)["sustained_above"] is False


def test_unknown_storage_measures_nothing():
    report = module.assess([500.0], None, 70, 1, 5)
    assert (report["sustained_above"], report["percent"], report["percent_max"]) == (False, [], None)
    assert report["summary"] == "read load not measured: the storage's IOPS are unknown"


def test_the_read_load_is_a_percentage_of_the_storage_iops():
    assert module.assess([2400.0, 1500.0], 3000, 70, 2, 10)["percent"] == [80.0, 50.0]


def make_database(storage=None, **extra):
    return rds_client().create_db_instance(
        DBInstanceIdentifier=DB, DBInstanceClass="db.t3.medium", Engine="postgres", MasterUsername="fleet",
        MasterUserPassword="not-a-real-password", AllocatedStorage=20, **(storage or {}), **extra,
    )["DBInstance"]


def put_read_iops(values_by_minutes_ago, identifier=DB):
    """VALUES_BY_MINUTES_AGO: {minutes before END: ReadIOPS}."""
    boto3.client("cloudwatch", region_name=REGION).put_metric_data(Namespace="AWS/RDS", MetricData=[
        dict(MetricName="ReadIOPS", Dimensions=[{"Name": "DBInstanceIdentifier", "Value": identifier}],
             Timestamp=END - datetime.timedelta(minutes=minutes) + datetime.timedelta(seconds=10), Value=value)
        for minutes, value in values_by_minutes_ago.items()
    ])


def test_a_high_load_for_the_whole_window_is_sustained(moto_aws):
    make_database()   # gp2, 20 GiB: 100 IOPS
    put_read_iops({minutes: 80.0 for minutes in range(1, 16)})
    result = run_module(module, dict(db_identifier=DB, minutes=15))
    assert result["changed"] is False
    assert result["read_load"]["percent"] == [80.0, 80.0, 80.0]
    assert result["read_load"]["sustained_above"] is True
    assert result["window"] == dict(start="2026-06-07T19:45:00+00:00", end="2026-06-07T20:00:00+00:00", minutes=15)
    assert moto_aws.writes() == []


def test_one_quiet_period_is_not_sustained(moto_aws):
    make_database()
    put_read_iops({minutes: (30.0 if minutes <= 5 else 90.0) for minutes in range(1, 16)})
    report = run_module(module, dict(db_identifier=DB, minutes=15))["read_load"]
    assert (report["percent"], report["periods_above"], report["sustained_above"]) == ([90.0, 90.0, 30.0], 2, False)


def test_a_window_partly_without_data_is_not_sustained_and_says_so(moto_aws):
    make_database()
    put_read_iops({minutes: 95.0 for minutes in range(1, 11)})
    result = run_module(module, dict(db_identifier=DB, minutes=15))
    assert result["read_load"]["sustained_above"] is False
    assert "1 of the 3 5-minute periods have no ReadIOPS for e1-dashboard" in result["notes"][0]


def test_another_instances_load_does_not_count(moto_aws):
    make_database()
    put_read_iops({minutes: 95.0 for minutes in range(1, 16)}, identifier="e1-other")
    assert run_module(module, dict(db_identifier=DB, minutes=15))["read_load"]["periods_measured"] == 0


def test_what_a_replica_needs_is_reported(moto_aws):
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="e1-db", Description="db", VpcId=vpc)["GroupId"]
    make_database({"StorageType": "gp3", "Iops": 3000}, VpcSecurityGroupIds=[group])
    rds_client().create_db_instance_read_replica(DBInstanceIdentifier=DB + "-replica-1", SourceDBInstanceIdentifier=DB)
    database = run_module(module, dict(db_identifier=DB.upper()))["database"]
    assert database["identifier"] == DB and database["instance_class"] == "db.t3.medium"
    assert database["read_replicas"] == [DB + "-replica-1"]
    assert database["vpc_security_group_ids"] == [group]
    assert database["storage_type"] == "gp3"


@pytest.mark.parametrize("args, message", [
    (dict(minutes=7), "minutes 7 is not a multiple of 5"),
    (dict(minutes=0), "minutes 0 must be 1 to 1440 minutes"),
    (dict(minutes=1445), "minutes 1445 must be 1 to 1440"),
    (dict(threshold_percent=0), "threshold_percent 0.0 must be more than 0 and at most 100"),
    (dict(threshold_percent=100.5), "threshold_percent 100.5 must be more than 0"),
    (dict(db_identifier="1db"), "db_identifier '1db' is not a valid RDS DB instance identifier"),
])
def test_bad_input_is_refused_before_any_call(moto_aws, args, message):
    failed = fail_of(module, dict(dict(db_identifier=DB), **args))
    assert message in failed["msg"]
    assert list(moto_aws) == []


def test_a_missing_instance_is_a_clear_error(moto_aws):
    assert fail_of(module, dict(db_identifier="e1-nope"))["msg"] == "DB instance 'e1-nope' not found in region ap-southeast-3"
