"""rds_backup_policy: validation, report, enforce (moto in-process) and the recovery assertion.

moto reports no restore window for a DB instance's automated backups (its
DescribeDBInstanceAutomatedBackups answer has no RestoreWindow), so the instance's
point-in-time recovery checks use botocore's Stubber; a cluster's window comes from moto.
"""

import datetime

import pytest
from rds_harness import REGION, fail_of, make_cluster, make_instance, rds_client, run_module

from library import rds_backup_policy as module

POLICY = dict(backup_window="17:00-17:30", maintenance_window="sat:19:00-sat:21:00")
COMPLIANT = dict(
    BackupRetentionPeriod=30,
    PreferredBackupWindow="17:00-17:30",
    PreferredMaintenanceWindow="sat:19:00-sat:21:00",
    CopyTagsToSnapshot=True,
    DeletionProtection=True,
)


def instance_settings(identifier="e1-db"):
    found = rds_client().describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
    return {key: found[key] for key in COMPLIANT}


def test_report_shows_the_drift_and_changes_nothing(moto_aws):
    make_instance(retention=7)
    result = run_module(module, dict(db_identifier="e1-db", **POLICY))
    assert result["changed"] is False
    assert result["changes"] == COMPLIANT
    assert result["settings"]["retention_days"] == 7
    assert moto_aws.writes() == []


def test_enforce_then_rerun_changes_nothing(moto_aws):
    make_instance(retention=7)
    args = dict(db_identifier="e1-db", state="present", **POLICY)
    first = run_module(module, args)
    assert first["changed"] is True
    assert moto_aws.writes() == ["ModifyDBInstance"]
    assert instance_settings() == COMPLIANT
    assert first["settings"] == dict(
        retention_days=30,
        backup_window="17:00-17:30",
        maintenance_window="sat:19:00-sat:21:00",
        copy_tags_to_snapshot=True,
        deletion_protection=True,
    )
    moto_aws.clear()
    second = run_module(module, args)
    assert (second["changed"], second["changes"], moto_aws.writes()) == (False, {}, [])


def test_upper_case_days_are_already_compliant(moto_aws):
    make_instance(retention=7)
    run_module(module, dict(db_identifier="e1-db", state="present", **POLICY))
    result = run_module(
        module,
        dict(
            db_identifier="e1-db",
            state="present",
            backup_window="17:00-17:30",
            maintenance_window="Sat:19:00-Sat:21:00",
        ),
    )
    assert result["changed"] is False


def test_check_mode_enforce_makes_no_write(moto_aws):
    make_instance(retention=7)
    before = instance_settings()
    result = run_module(module, dict(db_identifier="e1-db", state="present", **POLICY), check_mode=True)
    assert result["changed"] is True and result["settings"]["retention_days"] == 30
    assert moto_aws.writes() == []
    assert instance_settings() == before


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(retention_days=0), "retention_days is 0; RDS keeps automated backups 1 to 35 days"),
        (dict(retention_days=36), "retention_days is 36"),
        (dict(maintenance_window="sunday 02:00-04:00"), "is not of the form ddd:hh24:mi-ddd:hh24:mi"),
        (dict(backup_window="1700-1730"), "is not of the form hh24:mi-hh24:mi"),
        (dict(backup_window="17:00-17:10"), "lasts 10 minutes; RDS needs at least 30"),
        (dict(backup_window="19:30-20:30"), "overlaps maintenance window sat:19:00-sat:21:00"),
        (dict(min_recovery_days=-1), "cannot be negative"),
        (
            dict(db_identifier="e1_db"),
            "db_identifier 'e1_db' is not a valid RDS DB instance identifier: "
            "it may contain only letters, digits and hyphens, not '_'",
        ),
        (dict(db_identifier="1-db"), "db_identifier '1-db' is not a valid RDS DB instance identifier"),
        (dict(db_identifier="a" * 64), "it must be 1 to 63 characters long, not 64"),
    ],
)
def test_bad_input_is_refused_before_any_call(moto_aws, bad, message):
    make_instance(retention=7)
    before = instance_settings()
    failed = fail_of(module, dict(dict(db_identifier="e1-db", state="present", **POLICY), **bad))
    assert message in failed["msg"]
    assert moto_aws == [], "not even a describe call"
    assert instance_settings() == before


def test_window_overlapping_the_current_one_is_refused_before_modifying(moto_aws):
    make_instance(retention=7)
    rds_client().modify_db_instance(
        DBInstanceIdentifier="e1-db", PreferredMaintenanceWindow="sun:02:00-sun:03:00", ApplyImmediately=True
    )
    failed = fail_of(module, dict(db_identifier="e1-db", state="present", backup_window="02:30-03:30"))
    assert failed["msg"] == (
        "with the database's current windows: backup window 02:30-03:30 overlaps maintenance window sun:02:00-sun:03:00; "
        "RDS needs them apart"
    )
    assert moto_aws.writes() == []


def test_mixed_case_identifier_enforce_then_rerun_changes_nothing(moto_aws):
    """RDS stores `Orders-DB` as `orders-db`; the module finds it and reports what AWS returns."""
    make_instance("Orders-DB", retention=7)
    args = dict(db_identifier="Orders-DB", state="present", **POLICY)
    assert run_module(module, args)["changed"] is True
    assert instance_settings("orders-db") == COMPLIANT
    moto_aws.clear()
    second = run_module(module, dict(args, db_identifier="ORDERS-DB"))
    assert (second["changed"], second["changes"], moto_aws.writes()) == (False, {}, [])


def test_mixed_case_cluster_identifier(moto_aws):
    make_cluster("Reporting-Aurora", retention=7)
    args = dict(db_identifier="Reporting-Aurora", kind="cluster", state="present", **POLICY)
    assert run_module(module, args)["changed"] is True
    assert run_module(module, args)["changed"] is False


def test_the_database_found_is_the_one_named(rds_stub):
    """Stubber: an endpoint that answers with another database than the one asked for (as one
    that ignores the identifier would) must not have that database's settings reported or changed."""
    rds_stub.add_response(
        "describe_db_instances",
        {"DBInstances": [dict(COMPLIANT, DBInstanceIdentifier="e1-reporting")]},
        {"DBInstanceIdentifier": "E1-DB"},
    )
    failed = fail_of(module, dict(db_identifier="E1-DB", state="present", **POLICY))
    assert failed["msg"] == "DB instance 'E1-DB' not found in region {0}".format(REGION)
    assert rds_stub.calls.writes() == []


def test_missing_instance_fails_clearly(moto_aws):
    failed = fail_of(module, dict(db_identifier="nope", state="present"))
    assert failed["msg"] == "DB instance 'nope' not found in region {0}".format(REGION)


def test_cluster_enforce_and_its_recovery_window(moto_aws):
    make_cluster(retention=7)
    args = dict(db_identifier="e1-aurora", kind="cluster", state="present", **POLICY)
    assert run_module(module, args)["changed"] is True
    assert moto_aws.writes() == ["ModifyDBCluster"]
    result = run_module(module, dict(args, assert_recovery=True, min_recovery_days=0))
    assert result["changed"] is False and result["problems"] == []
    assert result["recovery"]["window_days"] == 0.0 and result["recovery"]["lag_minutes"] < 1
    failed = fail_of(module, dict(args, assert_recovery=True))
    assert failed["msg"] == "DB cluster 'e1-aurora': point-in-time recovery covers 0.0 days, less than the required 7"


def test_instance_recovery_window_unknown_on_moto_fails_the_assertion(moto_aws):
    make_instance(retention=7)
    failed = fail_of(module, dict(db_identifier="e1-db", assert_recovery=True))
    assert "no earliest restorable time" in failed["msg"]


# --- Stubber: restore windows as AWS reports them ----------------------------------------


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def stub_instance(stub, earliest, latest, **settings):
    instance = dict(
        COMPLIANT,
        DBInstanceIdentifier="e1-db",
        DbiResourceId="db-ABC",
        LatestRestorableTime=latest,
        **settings,
    )
    stub.add_response("describe_db_instances", {"DBInstances": [instance]}, {"DBInstanceIdentifier": "e1-db"})
    backups = [
        {
            "DBInstanceIdentifier": "e1-db",
            "DbiResourceId": "db-OLD",
            "Status": "retained",
            "RestoreWindow": {"EarliestTime": earliest - datetime.timedelta(days=300), "LatestTime": latest},
        },
        {
            "DBInstanceIdentifier": "e1-db",
            "DbiResourceId": "db-ABC",
            "Status": "active",
            "RestoreWindow": {"EarliestTime": earliest, "LatestTime": latest},
        },
    ]
    stub.add_response(
        "describe_db_instance_automated_backups",
        {"DBInstanceAutomatedBackups": backups},
        {"DBInstanceIdentifier": "e1-db", "MaxRecords": 100},
    )


def test_recovery_over_the_last_week_and_current_passes(rds_stub):
    latest = now() - datetime.timedelta(minutes=2)
    stub_instance(rds_stub, latest - datetime.timedelta(days=29, hours=12), latest)
    result = run_module(module, dict(db_identifier="e1-db", assert_recovery=True, **POLICY))
    assert result["problems"] == [] and result["changed"] is False
    assert result["recovery"]["window_days"] == 29.5
    assert 1.9 < result["recovery"]["lag_minutes"] < 3


@pytest.mark.parametrize(
    "window_days, lag_minutes, retention, problem",
    [
        (3, 2, 30, "point-in-time recovery covers 3.0 days, less than the required 7"),
        (10, 20, 30, "the latest restorable time lags 20."),
        (10, 2, 0, "automated backups are disabled (retention 0)"),
    ],
)
def test_recovery_assertion_fails_with_the_reason(rds_stub, window_days, lag_minutes, retention, problem):
    latest = now() - datetime.timedelta(minutes=lag_minutes)
    stub_instance(
        rds_stub, latest - datetime.timedelta(days=window_days), latest, **{"BackupRetentionPeriod": retention}
    )
    failed = fail_of(module, dict(db_identifier="e1-db", assert_recovery=True))
    assert problem in failed["msg"]
    assert failed["recovery"]["latest_restorable_time"] == latest.isoformat()


def test_without_assert_a_short_window_is_reported_not_failed(rds_stub):
    latest = now()
    stub_instance(rds_stub, latest - datetime.timedelta(days=1), latest)
    result = run_module(module, dict(db_identifier="e1-db"))
    assert result["problems"] == ["point-in-time recovery covers 1.0 days, less than the required 7"]


def test_pending_values_count_as_applied(rds_stub):
    latest = now()
    stub_instance(
        rds_stub,
        latest - datetime.timedelta(days=8),
        latest,
        BackupRetentionPeriod=7,
        PendingModifiedValues={"BackupRetentionPeriod": 30},
    )
    result = run_module(module, dict(db_identifier="e1-db", state="present", **POLICY))
    assert result["changed"] is False and result["settings"]["retention_days"] == 30


def test_a_database_named_in_another_case_is_found_and_modified_by_its_rds_identifier(rds_stub):
    """Stubber: moto treats every call alike whatever the case it is sent in, so only the parameters
    of the calls show it. RDS answers `E1-DB` with `e1-db`; every later call names the database so."""
    stored = dict(COMPLIANT, DBInstanceIdentifier="e1-db", DbiResourceId="db-ABC", BackupRetentionPeriod=7)
    rds_stub.add_response("describe_db_instances", {"DBInstances": [stored]}, {"DBInstanceIdentifier": "E1-DB"})
    rds_stub.add_response(
        "modify_db_instance",
        {"DBInstance": dict(stored, BackupRetentionPeriod=30)},
        {"DBInstanceIdentifier": "e1-db", "BackupRetentionPeriod": 30, "ApplyImmediately": False},
    )
    rds_stub.add_response(
        "describe_db_instance_automated_backups",
        {"DBInstanceAutomatedBackups": []},
        {"DBInstanceIdentifier": "e1-db", "MaxRecords": 100},
    )
    result = run_module(module, dict(db_identifier="E1-DB", state="present", **POLICY))
    assert result["changed"] is True and result["changes"] == {"BackupRetentionPeriod": 30}


def test_a_refused_modify_fails_with_the_reason(rds_stub):
    rds_stub.add_response(
        "describe_db_instances",
        {"DBInstances": [dict(COMPLIANT, DBInstanceIdentifier="e1-db", BackupRetentionPeriod=7)]},
    )
    rds_stub.add_client_error(
        "modify_db_instance",
        service_error_code="InvalidDBInstanceState",
        service_message="instance is rebooting",
        http_status_code=400,
    )
    failed = fail_of(module, dict(db_identifier="e1-db", state="present", **POLICY))
    assert (
        failed["msg"]
        == "modifying the backup settings of DB instance 'e1-db' failed: InvalidDBInstanceState: instance is rebooting"
    )
