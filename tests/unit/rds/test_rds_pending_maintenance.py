"""rds_pending_maintenance, entirely on botocore's Stubber: moto 5.2.5 answers
DescribePendingMaintenanceActions, ApplyPendingMaintenanceAction and DescribeDBEngineVersions
with an HTTP 500 (not implemented), so no local endpoint can serve these tests.
"""

import datetime

import pytest
from rds_harness import fail_of, run_module

from library import rds_pending_maintenance as module

DB_ARN = "arn:aws:rds:ap-southeast-3:123456789012:db:e1-db"
OTHER_ARN = "arn:aws:rds:ap-southeast-3:123456789012:db:e1-reporting"
APPLY_DATE = datetime.datetime(2025, 6, 7, 19, 0, tzinfo=datetime.timezone.utc)
DATABASE = {"DBInstanceIdentifier": "e1-db", "DBInstanceArn": DB_ARN, "Engine": "postgres", "EngineVersion": "15.4"}


def action(name, opt_in=None):
    detail = {"Action": name, "Description": "pending " + name, "CurrentApplyDate": APPLY_DATE}
    if opt_in:
        detail["OptInStatus"] = opt_in
    return detail


def stub_listing(stub, pages, identifier="e1-db"):
    """One describe_db_instances for the named database, then the pages of pending actions."""
    if identifier:
        stub.add_response("describe_db_instances", {"DBInstances": [DATABASE]}, {"DBInstanceIdentifier": identifier})
    scope = {"Filters": [{"Name": "db-instance-id", "Values": [identifier]}]} if identifier else {}
    for number, page in enumerate(pages):
        expected = dict(scope, MaxRecords=100)
        if number:
            expected["Marker"] = "page{0}".format(number)
        reply = {"PendingMaintenanceActions": page}
        if number + 1 < len(pages):
            reply["Marker"] = "page{0}".format(number + 1)
        stub.add_response("describe_pending_maintenance_actions", reply, expected)


def stub_apply(stub, arn, name, opt_in):
    stub.add_response(
        "apply_pending_maintenance_action",
        {"ResourcePendingMaintenanceActions": {"ResourceIdentifier": arn}},
        {"ResourceIdentifier": arn, "ApplyAction": name, "OptInType": opt_in},
    )


def test_lists_every_page(rds_stub):
    stub_listing(
        rds_stub,
        [
            [{"ResourceIdentifier": DB_ARN, "PendingMaintenanceActionDetails": [action("system-update")]}],
            [{"ResourceIdentifier": OTHER_ARN, "PendingMaintenanceActionDetails": [action("ca-certificate-rotation")]}],
        ],
        identifier=None,
    )
    result = run_module(module, dict())
    assert [(a["resource_arn"], a["action"]) for a in result["actions"]] == [
        (DB_ARN, "system-update"),
        (OTHER_ARN, "ca-certificate-rotation"),
    ]
    assert result["actions"][0]["current_apply_date"] == APPLY_DATE.isoformat()
    assert result["changed"] is False and result["applied"] == []
    assert rds_stub.calls.writes() == []


def test_applies_only_allowed_actions_not_yet_opted_in(rds_stub):
    stub_listing(
        rds_stub,
        [
            [
                {
                    "ResourceIdentifier": DB_ARN,
                    "PendingMaintenanceActionDetails": [
                        action("system-update"),
                        action("ca-certificate-rotation", opt_in="next-maintenance"),
                        action("hardware-maintenance"),
                    ],
                }
            ]
        ],
    )
    stub_apply(rds_stub, DB_ARN, "system-update", "next-maintenance")
    result = run_module(
        module,
        dict(db_identifier="e1-db", apply_actions=["system-update", "ca-certificate-rotation"], upgrade_targets=False),
    )
    assert result["changed"] is True
    assert result["applied"] == [dict(resource_arn=DB_ARN, action="system-update", opt_in_type="next-maintenance")]
    assert {a["action"]: a["allowed"] for a in result["actions"]} == {
        "system-update": True,
        "ca-certificate-rotation": True,
        "hardware-maintenance": False,
    }
    assert rds_stub.calls.writes() == ["ApplyPendingMaintenanceAction"]


def test_immediate_opt_in(rds_stub):
    stub_listing(
        rds_stub,
        [
            [
                {
                    "ResourceIdentifier": DB_ARN,
                    "PendingMaintenanceActionDetails": [action("system-update", "next-maintenance")],
                }
            ]
        ],
    )
    stub_apply(rds_stub, DB_ARN, "system-update", "immediate")
    result = run_module(module, dict(db_identifier="e1-db", apply_actions=["system-update"], opt_in_type="immediate"))
    assert result["applied"][0]["opt_in_type"] == "immediate"


def test_check_mode_applies_nothing(rds_stub):
    stub_listing(
        rds_stub, [[{"ResourceIdentifier": DB_ARN, "PendingMaintenanceActionDetails": [action("system-update")]}]]
    )
    result = run_module(module, dict(db_identifier="e1-db", apply_actions=["system-update"]), check_mode=True)
    assert result["changed"] is True and len(result["applied"]) == 1
    assert rds_stub.calls.writes() == []


def test_db_upgrade_shows_the_engine_versions_on_offer(rds_stub):
    stub_listing(
        rds_stub, [[{"ResourceIdentifier": DB_ARN, "PendingMaintenanceActionDetails": [action("db-upgrade")]}]]
    )
    rds_stub.add_response(
        "describe_db_engine_versions",
        {
            "DBEngineVersions": [
                {
                    "Engine": "postgres",
                    "EngineVersion": "15.4",
                    "ValidUpgradeTarget": [
                        {"EngineVersion": "15.8", "AutoUpgrade": True, "IsMajorVersionUpgrade": False},
                        {"EngineVersion": "16.4", "AutoUpgrade": False, "IsMajorVersionUpgrade": True},
                    ],
                }
            ]
        },
        {"Engine": "postgres", "EngineVersion": "15.4", "MaxRecords": 100},
    )
    result = run_module(module, dict(db_identifier="e1-db"))
    (upgrade,) = result["actions"]
    assert (upgrade["engine"], upgrade["engine_version"]) == ("postgres", "15.4")
    assert upgrade["upgrade_targets"] == [
        dict(engine_version="15.8", major=False, automatic=True),
        dict(engine_version="16.4", major=True, automatic=False),
    ]
    assert result["changed"] is False, "db-upgrade was not allow-listed"


def test_cluster_actions_are_filtered_by_cluster_id(rds_stub):
    cluster_arn = "arn:aws:rds:ap-southeast-3:123456789012:cluster:e1-aurora"
    rds_stub.add_response(
        "describe_db_clusters",
        {
            "DBClusters": [
                {"DBClusterIdentifier": "e1-aurora", "DBClusterArn": cluster_arn, "Engine": "aurora-postgresql"}
            ]
        },
        {"DBClusterIdentifier": "e1-aurora"},
    )
    rds_stub.add_response(
        "describe_pending_maintenance_actions",
        {
            "PendingMaintenanceActions": [
                {"ResourceIdentifier": cluster_arn, "PendingMaintenanceActionDetails": [action("system-update")]}
            ]
        },
        {"Filters": [{"Name": "db-cluster-id", "Values": ["e1-aurora"]}], "MaxRecords": 100},
    )
    result = run_module(module, dict(db_identifier="e1-aurora", kind="cluster"))
    assert result["actions"][0]["resource_arn"] == cluster_arn


def test_a_database_named_in_another_case_is_listed_by_its_rds_identifier(rds_stub):
    """RDS answers `E1-DB` with `e1-db`; the listing filters on the identifier RDS stores."""
    rds_stub.add_response("describe_db_instances", {"DBInstances": [DATABASE]}, {"DBInstanceIdentifier": "E1-DB"})
    rds_stub.add_response(
        "describe_pending_maintenance_actions",
        {"PendingMaintenanceActions": [{"ResourceIdentifier": DB_ARN, "PendingMaintenanceActionDetails": []}]},
        {"Filters": [{"Name": "db-instance-id", "Values": ["e1-db"]}], "MaxRecords": 100},
    )
    assert run_module(module, dict(db_identifier="E1-DB"))["actions"] == []


def test_an_arn_naming_the_database_in_another_case_is_that_database(rds_stub):
    """An ARN embeds the identifier, and compares as RDS compares it: the database already read is
    not described again to find its engine version."""
    arn = DB_ARN.replace(":db:e1-db", ":db:E1-DB")
    stub_listing(rds_stub, [[{"ResourceIdentifier": arn, "PendingMaintenanceActionDetails": [action("db-upgrade")]}]])
    rds_stub.add_response(
        "describe_db_engine_versions",
        {"DBEngineVersions": [{"Engine": "postgres", "EngineVersion": "15.4", "ValidUpgradeTarget": []}]},
        {"Engine": "postgres", "EngineVersion": "15.4", "MaxRecords": 100},
    )
    (upgrade,) = run_module(module, dict(db_identifier="e1-db"))["actions"]
    assert upgrade["resource_arn"] == arn, "reported as RDS returned it"
    assert (upgrade["engine"], upgrade["engine_version"]) == ("postgres", "15.4")
    assert "DescribeDBInstances" not in rds_stub.calls[1:]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            dict(db_identifier="e1_db"),
            "db_identifier 'e1_db' is not a valid RDS DB instance identifier: "
            "it may contain only letters, digits and hyphens, not '_'",
        ),
        (
            dict(db_identifier="e1-aurora-", kind="cluster"),
            "db_identifier 'e1-aurora-' is not a valid RDS DB cluster identifier: it must not end with a hyphen",
        ),
    ],
)
def test_an_invalid_db_identifier_is_refused_before_any_call(rds_stub, args, message):
    assert fail_of(module, dict(args, apply_actions=["system-update"]), check_mode=True)["msg"] == message
    assert rds_stub.calls == []


def test_missing_instance_fails_clearly(rds_stub):
    rds_stub.add_client_error("describe_db_instances", service_error_code="DBInstanceNotFound", http_status_code=404)
    failed = fail_of(module, dict(db_identifier="nope"))
    assert failed["msg"] == "DB instance 'nope' not found in region ap-southeast-3"


def test_a_refused_apply_reports_what_was_applied_before(rds_stub):
    stub_listing(
        rds_stub,
        [
            [
                {
                    "ResourceIdentifier": DB_ARN,
                    "PendingMaintenanceActionDetails": [action("system-update"), action("ca-certificate-rotation")],
                }
            ]
        ],
    )
    stub_apply(rds_stub, DB_ARN, "system-update", "next-maintenance")
    rds_stub.add_client_error(
        "apply_pending_maintenance_action",
        service_error_code="InvalidParameterCombination",
        service_message="not applicable",
        http_status_code=400,
    )
    failed = fail_of(
        module,
        dict(db_identifier="e1-db", apply_actions=["system-update", "ca-certificate-rotation"], upgrade_targets=False),
    )
    assert failed["msg"] == (
        "applying ca-certificate-rotation (next-maintenance) to {0} failed: InvalidParameterCombination: not applicable".format(
            DB_ARN
        )
    )
    assert [a["action"] for a in failed["applied"]] == ["system-update"]


@pytest.mark.parametrize("code", ["Throttling", "RequestLimitExceeded"])
def test_listing_is_retried_when_throttled(rds_stub, backoff_sleeps, code):
    rds_stub.add_client_error("describe_pending_maintenance_actions", service_error_code=code, http_status_code=400)
    rds_stub.add_response("describe_pending_maintenance_actions", {"PendingMaintenanceActions": []})
    assert run_module(module, dict())["actions"] == []
    assert len(backoff_sleeps) == 1
