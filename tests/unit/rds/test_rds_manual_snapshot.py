"""rds_manual_snapshot: create, delete, copy and prune, against moto in-process.

Where moto cannot answer as AWS does, botocore's Stubber stands in and the test says why:
paging (moto returns every snapshot in one page), a copy from another account (moto looks the
source ARN up in the caller's own account), a snapshot that stays `creating`, a failing delete.
"""

import datetime

import boto3
import pytest
from rds_harness import ACCOUNT, DR_REGION, REGION, fail_of, make_cluster, make_instance, rds_client, run_module

from library import rds_manual_snapshot as module

UTC = datetime.timezone.utc
NOW = datetime.datetime(2025, 6, 1, 0, 0, tzinfo=UTC)
TAGS = {"reason": "schema migration", "change_id": "CHG-1", "created_by": "ansible"}
PROJECT = {"project": "e1"}


def days_ago(days):
    return NOW - datetime.timedelta(days=days)


def snapshot_ids(kind="instance", region=REGION, **filters):
    client = rds_client(region)
    if kind == "cluster":
        return {
            s["DBClusterSnapshotIdentifier"]
            for s in client.describe_db_cluster_snapshots(**filters)["DBClusterSnapshots"]
        }
    return {s["DBSnapshotIdentifier"] for s in client.describe_db_snapshots(**filters)["DBSnapshots"]}


@pytest.fixture()
def moto_clock(monkeypatch):
    """moto stamps resources with this clock's time (a one-element list), so ages are exact."""
    clock = [days_ago(365).replace(tzinfo=None)]
    monkeypatch.setattr("moto.rds.models.utcnow", lambda: clock[0])
    return clock


# --- create ------------------------------------------------------------------------------


def test_create_waits_then_rerun_changes_nothing(moto_aws):
    make_instance()
    args = dict(db_identifier="e1-db", snapshot_identifier="e1-db-chg-1", tags=TAGS)
    first = run_module(module, args)
    assert first["changed"] is True
    assert first["snapshot"]["status"] == "available"
    assert first["snapshot"]["tags"] == TAGS
    assert first["snapshot"]["snapshot_type"] == "manual"
    moto_aws.clear()
    second = run_module(module, args)
    assert second["changed"] is False
    assert second["snapshot"]["identifier"] == "e1-db-chg-1"
    assert moto_aws.writes() == []


def test_rerun_with_a_new_tag_only_adds_that_tag(moto_aws):
    make_instance()
    args = dict(db_identifier="e1-db", snapshot_identifier="e1-db-chg-1", tags=TAGS)
    run_module(module, args)
    moto_aws.clear()
    result = run_module(module, dict(args, tags={"verified": "yes"}))
    assert result["changed"] is True
    assert moto_aws.writes() == ["AddTagsToResource"]
    assert result["snapshot"]["tags"] == dict(TAGS, verified="yes")


def test_check_mode_create_makes_no_write(moto_aws):
    make_instance()
    result = run_module(module, dict(db_identifier="e1-db", snapshot_identifier="e1-db-chg-1"), check_mode=True)
    assert result == {"changed": True, "snapshot": None}
    assert moto_aws.writes() == []
    assert "e1-db-chg-1" not in snapshot_ids()


def test_identifier_taken_by_another_database_is_refused(moto_aws):
    make_instance()
    make_instance("other-db")
    run_module(module, dict(db_identifier="other-db", snapshot_identifier="taken"))
    failed = fail_of(module, dict(db_identifier="e1-db", snapshot_identifier="taken"))
    assert "already exists as a manual snapshot of 'other-db'" in failed["msg"]


def test_snapshot_of_a_missing_instance_fails_clearly(moto_aws):
    failed = fail_of(module, dict(db_identifier="nope", snapshot_identifier="s1"))
    assert failed["msg"].startswith("creating snapshot 's1' of instance 'nope' failed: DBInstanceNotFound")


def test_create_shares_with_the_dr_account_once(moto_aws):
    make_instance()
    args = dict(db_identifier="e1-db", snapshot_identifier="s1", share_with_accounts=["210987654321"])
    assert run_module(module, args)["changed"] is True
    attributes = rds_client().describe_db_snapshot_attributes(DBSnapshotIdentifier="s1")["DBSnapshotAttributesResult"]
    assert attributes["DBSnapshotAttributes"][0]["AttributeValues"] == ["210987654321"]
    moto_aws.clear()
    assert run_module(module, args)["changed"] is False
    assert moto_aws.writes() == []


def test_cluster_snapshot(moto_aws):
    make_cluster()
    args = dict(kind="cluster", db_identifier="e1-aurora", snapshot_identifier="e1-aurora-chg-1", tags=TAGS)
    result = run_module(module, args)
    assert result["snapshot"]["kind"] == "cluster" and result["snapshot"]["db_identifier"] == "e1-aurora"
    assert run_module(module, args)["changed"] is False
    assert "e1-aurora-chg-1" in snapshot_ids("cluster")


def test_mixed_case_identifiers_create_then_rerun_changes_nothing(moto_aws):
    """RDS stores identifiers in lower case: `Orders-DB` is `orders-db`, on the second run too."""
    make_instance("Orders-DB")
    args = dict(db_identifier="Orders-DB", snapshot_identifier="Orders-DB-Before-Upgrade", tags=TAGS)
    first = run_module(module, args)
    assert first["changed"] is True
    assert (first["snapshot"]["identifier"], first["snapshot"]["db_identifier"]) == (
        "orders-db-before-upgrade",
        "orders-db",
    ), "what AWS returns"
    moto_aws.clear()
    second = run_module(module, args)
    assert second["changed"] is False
    assert second["snapshot"]["identifier"] == "orders-db-before-upgrade"
    assert moto_aws.writes() == []
    assert run_module(module, dict(args, db_identifier="ORDERS-db"))["changed"] is False


def test_mixed_case_cluster_identifiers_create_then_rerun_changes_nothing(moto_aws):
    make_cluster("Reporting-Aurora")
    args = dict(kind="cluster", db_identifier="Reporting-Aurora", snapshot_identifier="Reporting-Before-Upgrade")
    assert run_module(module, args)["changed"] is True
    moto_aws.clear()
    second = run_module(module, args)
    assert second["changed"] is False and second["snapshot"]["db_identifier"] == "reporting-aurora"
    assert moto_aws.writes() == []


def test_identifier_taken_by_another_database_is_refused_whatever_the_case(moto_aws):
    make_instance()
    make_instance("Other-DB")
    run_module(module, dict(db_identifier="Other-DB", snapshot_identifier="Taken"))
    failed = fail_of(module, dict(db_identifier="E1-DB", snapshot_identifier="TAKEN"))
    assert "snapshot 'TAKEN' already exists as a manual snapshot of 'other-db', not a manual snapshot of 'E1-DB'" in (
        failed["msg"]
    )


def test_wait_timeout_is_honoured(rds_stub, monkeypatch):
    """Stubber: moto makes every snapshot available at once, AWS can take hours."""
    slept = []
    monkeypatch.setattr("botocore.waiter.time.sleep", slept.append)
    rds_stub.add_client_error("describe_db_snapshots", service_error_code="DBSnapshotNotFound", http_status_code=404)
    rds_stub.add_response("create_db_snapshot", {"DBSnapshot": {"DBSnapshotIdentifier": "s1", "Status": "creating"}})
    for _ in range(3):
        rds_stub.add_response(
            "describe_db_snapshots", {"DBSnapshots": [{"DBSnapshotIdentifier": "s1", "Status": "creating"}]}
        )
    failed = fail_of(module, dict(db_identifier="e1-db", snapshot_identifier="s1", wait_timeout=20, wait_delay=10))
    assert (
        failed["msg"]
        == "waiting for instance snapshot 's1' to become available failed: still not done after 20 seconds"
    )
    assert slept == [10, 10]


# --- delete ------------------------------------------------------------------------------


def test_delete_then_rerun_changes_nothing(moto_aws):
    make_instance()
    run_module(module, dict(db_identifier="e1-db", snapshot_identifier="s1"))
    assert run_module(module, dict(state="absent", snapshot_identifier="s1"))["changed"] is True
    assert "s1" not in snapshot_ids()
    assert run_module(module, dict(state="absent", snapshot_identifier="s1")) == {"changed": False, "snapshot": None}


def test_check_mode_delete_makes_no_write(moto_aws):
    make_instance()
    run_module(module, dict(db_identifier="e1-db", snapshot_identifier="s1"))
    moto_aws.clear()
    assert run_module(module, dict(state="absent", snapshot_identifier="s1"), check_mode=True)["changed"] is True
    assert moto_aws.writes() == []
    assert "s1" in snapshot_ids()


def test_automated_snapshot_is_never_deleted(moto_aws):
    """moto deletes automated snapshots when asked (AWS refuses); the module must not ask.
    Their identifiers (rds:...) are no manual snapshot's, so they are refused before any call."""
    make_instance(retention=7)
    (automated,) = snapshot_ids(SnapshotType="automated")
    moto_aws.clear()
    failed = fail_of(module, dict(state="absent", snapshot_identifier=automated))
    assert failed["msg"] == (
        "snapshot_identifier {0!r} is not a valid RDS snapshot identifier: "
        "it may contain only letters, digits and hyphens, not ':'".format(automated)
    )
    assert moto_aws == []
    assert automated in snapshot_ids(SnapshotType="automated")


def test_a_snapshot_reported_as_automated_is_never_deleted(rds_stub):
    """Stubber: moto names automated snapshots rds:..., which is refused before any call; this
    is the check behind it, for an endpoint that reports another type for a valid identifier."""
    rds_stub.add_response(
        "describe_db_snapshots",
        {"DBSnapshots": [{"DBSnapshotIdentifier": "s1", "SnapshotType": "automated", "Status": "available"}]},
        {"DBSnapshotIdentifier": "s1"},
    )
    failed = fail_of(module, dict(state="absent", snapshot_identifier="s1"))
    assert "is automated, not manual" in failed["msg"]
    assert rds_stub.calls.writes() == []


def test_delete_with_the_identifier_in_another_case(moto_aws):
    make_instance()
    run_module(module, dict(db_identifier="e1-db", snapshot_identifier="e1-db-chg-1"))
    deleted = run_module(module, dict(state="absent", snapshot_identifier="E1-DB-Chg-1"))
    assert deleted["changed"] is True and deleted["snapshot"]["identifier"] == "e1-db-chg-1"
    assert "e1-db-chg-1" not in snapshot_ids()
    assert run_module(module, dict(state="absent", snapshot_identifier="E1-DB-Chg-1"))["changed"] is False


# --- copy --------------------------------------------------------------------------------


def test_cross_region_copy_is_encrypted_with_the_given_key(moto_aws):
    make_instance()
    source = run_module(module, dict(db_identifier="e1-db", snapshot_identifier="s1", tags=TAGS))["snapshot"]
    key = boto3.client("kms", region_name=DR_REGION).create_key(Description="dr")["KeyMetadata"]["Arn"]
    args = dict(
        state="copied",
        region=DR_REGION,
        source_region=REGION,
        source_snapshot=source["arn"],
        snapshot_identifier="s1-dr",
        kms_key_id=key,
    )
    copied = run_module(module, args)
    assert copied["changed"] is True
    assert copied["snapshot"]["encrypted"] is True and copied["snapshot"]["kms_key_id"] == key
    assert copied["snapshot"]["tags"] == TAGS
    assert copied["snapshot"]["arn"].startswith("arn:aws:rds:{0}:".format(DR_REGION))
    assert run_module(module, args)["changed"] is False


def test_copy_with_a_key_the_region_does_not_have_fails_clearly(moto_aws):
    make_instance()
    source = run_module(module, dict(db_identifier="e1-db", snapshot_identifier="s1"))["snapshot"]
    failed = fail_of(
        module,
        dict(
            state="copied",
            region=DR_REGION,
            source_region=REGION,
            source_snapshot=source["arn"],
            snapshot_identifier="s1-dr",
            kms_key_id="arn:aws:kms:{0}:{1}:key/00000000-0000-0000-0000-000000000000".format(DR_REGION, ACCOUNT),
        ),
    )
    assert failed["msg"].startswith(
        "copying snapshot '{0}' to 's1-dr' in {1} failed: KMSKeyNotAccessibleFault".format(source["arn"], DR_REGION)
    )
    assert "s1-dr" not in snapshot_ids(region=DR_REGION)


def test_copy_from_another_region_needs_an_arn(moto_aws):
    failed = fail_of(
        module, dict(state="copied", source_region=DR_REGION, source_snapshot="s1", snapshot_identifier="s1-dr")
    )
    assert "must be an ARN" in failed["msg"]
    assert moto_aws == []


def test_copy_from_another_account_sends_its_arn_and_our_key(rds_stub, monkeypatch):
    """Stubber: moto resolves a source ARN in the caller's own account, so a snapshot another
    account shared cannot be copied there."""
    source = "arn:aws:rds:ap-southeast-3:210987654321:snapshot:prod-chg-1"
    key = "arn:aws:kms:ap-southeast-3:{0}:key/dr".format(ACCOUNT)
    copied = {"DBSnapshotIdentifier": "prod-chg-1-copy", "Status": "available", "Encrypted": True, "KmsKeyId": key}
    rds_stub.add_client_error("describe_db_snapshots", service_error_code="DBSnapshotNotFound", http_status_code=404)
    rds_stub.add_response(
        "copy_db_snapshot",
        {"DBSnapshot": copied},
        {
            "SourceDBSnapshotIdentifier": source,
            "TargetDBSnapshotIdentifier": "prod-chg-1-copy",
            "KmsKeyId": key,
            "CopyTags": True,
        },
    )
    rds_stub.add_response("describe_db_snapshots", {"DBSnapshots": [copied]})  # waiter
    rds_stub.add_response("describe_db_snapshots", {"DBSnapshots": [copied]})  # final state
    monkeypatch.setattr("botocore.waiter.time.sleep", lambda _: None)
    result = run_module(
        module, dict(state="copied", source_snapshot=source, snapshot_identifier="prod-chg-1-copy", kms_key_id=key)
    )
    assert result["changed"] is True and result["snapshot"]["kms_key_id"] == key


def test_copy_to_a_mixed_case_identifier_then_rerun_changes_nothing(moto_aws):
    make_instance()
    source = run_module(module, dict(db_identifier="e1-db", snapshot_identifier="s1"))["snapshot"]
    args = dict(
        state="copied",
        region=DR_REGION,
        source_region=REGION,
        source_snapshot=source["arn"],
        snapshot_identifier="S1-DR",
    )
    copied = run_module(module, args)
    assert copied["changed"] is True and copied["snapshot"]["identifier"] == "s1-dr"
    moto_aws.clear()
    assert run_module(module, args)["changed"] is False
    assert moto_aws.writes() == []


@pytest.mark.parametrize("source", ["S1", "arn:aws:rds:{0}:{1}:snapshot:S1".format(REGION, ACCOUNT)], ids=["id", "arn"])
def test_a_copy_onto_its_own_source_is_refused(moto_aws, source):
    """The source (named in any case, or by its ARN) is not a copy of itself."""
    make_instance()
    run_module(module, dict(db_identifier="e1-db", snapshot_identifier="s1"))
    moto_aws.clear()
    failed = fail_of(module, dict(state="copied", source_snapshot=source, snapshot_identifier="s1"))
    assert failed["msg"] == (
        "snapshot_identifier 's1' names the source snapshot {0!r} itself; the copy needs another identifier".format(
            source
        )
    )
    assert moto_aws.writes() == []


# --- prune: the selection ----------------------------------------------------------------


def fake(identifier, age_days, tags=None, snapshot_type="manual", status="available"):
    return {
        "DBSnapshotIdentifier": identifier,
        "SnapshotCreateTime": days_ago(age_days) if age_days is not None else None,
        "SnapshotType": snapshot_type,
        "Status": status,
        "TagList": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    }


def plan(snapshots, keep=2, older_than=30, tags=PROJECT, prefix=None):
    delete, kept, candidates = module.plan_prune(snapshots, "instance", tags, prefix, older_than, keep, NOW)
    return [d["identifier"] for d in delete], {k["identifier"]: k["reason"] for k in kept}, candidates


def test_plan_deletes_expired_matching_snapshots_but_keeps_the_newest():
    snapshots = [
        fake("old-1", 90, PROJECT),
        fake("old-2", 60, PROJECT),
        fake("old-3", 45, PROJECT),
        fake("old-4", 40, PROJECT),
        fake("young", 10, PROJECT),
        fake("untagged-old", 90),
        fake("other-project-old", 90, {"project": "e2"}),
        fake("rds:e1-db-2025-01-01", 90, PROJECT, snapshot_type="automated"),
        fake("arn:aws:rds:ap-southeast-3:210987654321:snapshot:shared", 90, PROJECT),
        fake("shared-typed", 90, PROJECT, snapshot_type="shared"),
    ]
    delete, kept, candidates = plan(snapshots, keep=2)
    assert delete == ["old-1", "old-2", "old-3"], "oldest first"
    assert kept == {"young": "one of the newest 2", "old-4": "one of the newest 2"}
    assert candidates == 5


def test_plan_keeps_young_and_unfinished_snapshots():
    snapshots = [
        fake("creating", None, PROJECT, status="creating"),
        fake("young-1", 5, PROJECT),
        fake("young-2", 29, PROJECT),
        fake("copying", 50, PROJECT, status="copying"),
        fake("old", 31, PROJECT),
    ]
    delete, kept, _ = plan(snapshots, keep=1)
    assert delete == ["old"]
    assert kept == {
        "creating": "one of the newest 1",
        "young-1": "not older than 30 days",
        "young-2": "not older than 30 days",
        "copying": "status is copying",
    }


def test_plan_with_prefix_and_tags_needs_both():
    snapshots = [fake("e1-a", 90, PROJECT), fake("e1-b", 80), fake("x-c", 90, PROJECT), fake("e1-newest", 1, PROJECT)]
    assert plan(snapshots, keep=1, prefix="e1-")[0] == ["e1-a"]
    assert plan(snapshots, keep=1, tags=None, prefix="e1-")[0] == ["e1-a", "e1-b"]


def test_plan_age_boundary_is_exclusive():
    delete, kept, _ = plan(
        [fake("newest", 1, PROJECT), fake("exactly-30", 30, PROJECT), fake("31", 31, PROJECT)], keep=1
    )
    assert delete == ["31"] and "exactly-30" in kept


def test_plan_prefix_and_database_compare_as_rds_does():
    """AWS lists identifiers in lower case; a prefix or a database given in another case matches them."""
    snapshots = [
        dict(fake("e1-db-old-1", 90, PROJECT), DBInstanceIdentifier="e1-db"),
        dict(fake("e1-db-old-2", 80, PROJECT), DBInstanceIdentifier="e1-db"),
        dict(fake("e1-db-other", 80, PROJECT), DBInstanceIdentifier="e1-reporting"),
        dict(fake("e1-db-new", 1, PROJECT), DBInstanceIdentifier="e1-db"),
    ]
    delete, _, candidates = module.plan_prune(snapshots, "instance", None, "E1-DB-", 30, 1, NOW, db_identifier="E1-DB")
    assert [d["identifier"] for d in delete] == ["e1-db-old-1", "e1-db-old-2"]
    assert candidates == 3, "the other database's snapshot is no candidate"


# --- prune: the module -------------------------------------------------------------------


def prune_args(**extra):
    return dict(
        dict(state="pruned", match_tags=PROJECT, older_than_days=30, keep_newest=2, reference_time=NOW.isoformat()),
        **extra
    )


def test_prune_deletes_exactly_the_expired_tagged_snapshots(moto_aws, moto_clock):
    make_instance(retention=7)  # with an automated snapshot, a year old
    rds = rds_client()
    automated = next(iter(snapshot_ids(SnapshotType="automated")))
    rds.add_tags_to_resource(
        ResourceName="arn:aws:rds:{0}:{1}:snapshot:{2}".format(REGION, ACCOUNT, automated),
        Tags=[{"Key": "project", "Value": "e1"}],
    )
    for name, age, tags in [
        ("old-1", 90, PROJECT),
        ("old-2", 60, PROJECT),
        ("old-3", 40, PROJECT),
        ("untagged", 90, {}),
        ("new", 3, PROJECT),
    ]:
        moto_clock[0] = days_ago(age).replace(tzinfo=None)
        rds.create_db_snapshot(
            DBInstanceIdentifier="e1-db",
            DBSnapshotIdentifier=name,
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        )
    result = run_module(module, prune_args(db_identifier="e1-db"))
    assert result["changed"] is True
    assert [d["identifier"] for d in result["deleted"]] == ["old-1", "old-2"]
    assert [d["age_days"] for d in result["deleted"]] == [90.0, 60.0]
    assert result["deleted"][0]["tags"] == PROJECT
    assert snapshot_ids() == {automated, "old-3", "untagged", "new"}
    assert moto_aws.writes() == ["DeleteDBSnapshot", "DeleteDBSnapshot"]
    assert run_module(module, prune_args(db_identifier="e1-db"))["changed"] is False


def test_prune_of_cluster_snapshots(moto_aws, moto_clock):
    make_cluster()
    rds = rds_client()
    for name, age in [("c-old", 90), ("c-new", 1)]:
        moto_clock[0] = days_ago(age).replace(tzinfo=None)
        rds.create_db_cluster_snapshot(
            DBClusterIdentifier="e1-aurora", DBClusterSnapshotIdentifier=name, Tags=[{"Key": "project", "Value": "e1"}]
        )
    result = run_module(module, prune_args(kind="cluster", keep_newest=1))
    assert [d["identifier"] for d in result["deleted"]] == ["c-old"]
    assert "c-new" in snapshot_ids("cluster") and "c-old" not in snapshot_ids("cluster")


def test_prune_with_a_mixed_case_prefix_and_database(moto_aws, moto_clock):
    make_instance("Orders-DB", retention=0)
    rds = rds_client()
    for name, age in [("Orders-DB-Old-1", 90), ("Orders-DB-Old-2", 60), ("Orders-DB-New", 1), ("Manual-Old", 90)]:
        moto_clock[0] = days_ago(age).replace(tzinfo=None)
        rds.create_db_snapshot(DBInstanceIdentifier="Orders-DB", DBSnapshotIdentifier=name)
    args = prune_args(match_tags=None, match_prefix="Orders-DB-", db_identifier="Orders-DB", keep_newest=1)
    result = run_module(module, args)
    assert [d["identifier"] for d in result["deleted"]] == ["orders-db-old-1", "orders-db-old-2"]
    assert result["candidates"] == 3
    assert snapshot_ids(SnapshotType="manual") == {"orders-db-new", "manual-old"}
    assert run_module(module, args)["changed"] is False


def test_check_mode_prune_reports_but_deletes_nothing(moto_aws, moto_clock):
    make_instance(retention=0)
    moto_clock[0] = days_ago(90).replace(tzinfo=None)
    for name in ("a", "b", "c"):
        rds_client().create_db_snapshot(
            DBInstanceIdentifier="e1-db", DBSnapshotIdentifier=name, Tags=[{"Key": "project", "Value": "e1"}]
        )
    result = run_module(module, prune_args(keep_newest=1), check_mode=True)
    assert result["changed"] is True and len(result["deleted"]) == 2
    assert moto_aws.writes() == []
    assert snapshot_ids(SnapshotType="manual") == {"a", "b", "c"}


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(keep_newest=0), "keep_newest is 0; pruning always keeps at least the newest 1"),
        (dict(keep_newest=-3), "keep_newest is -3"),
        (dict(older_than_days=0), "older_than_days is 0"),
        (dict(reference_time="last tuesday"), "reference_time 'last tuesday' is not an ISO 8601 time"),
        (dict(match_tags={}, match_prefix=""), "match_prefix is empty"),
        (dict(match_tags={}), "pruning needs match_tags or match_prefix"),
        (dict(match_tags=None), "pruning needs match_tags or match_prefix"),
        (dict(keep_newest=None), "keep_newest"),
    ],
)
def test_bad_prune_input_is_refused_before_any_call(moto_aws, bad, message):
    make_instance(retention=0)
    rds_client().create_db_snapshot(
        DBInstanceIdentifier="e1-db", DBSnapshotIdentifier="s1", Tags=[{"Key": "project", "Value": "e1"}]
    )
    args = {k: v for k, v in dict(prune_args(), **bad).items() if v is not None}
    failed = fail_of(module, args)
    assert message in failed["msg"]
    assert moto_aws == [], "nothing is even listed"
    assert snapshot_ids(SnapshotType="manual") == {"s1"}


def test_prune_calls_are_pages_plus_deletions(rds_stub):
    """Stubber: moto ignores MaxRecords and returns every snapshot in one page."""
    pages = [
        [fake("p1-old", 90, PROJECT), fake("p1-untagged", 90)],
        [fake("p2-old", 80, PROJECT), fake("p2-new", 1, PROJECT)],
        [fake("p3-old", 70, PROJECT)],
    ]
    markers = [None, "m2", "m3"]
    for number, page in enumerate(pages):
        expected = {"SnapshotType": "manual", "MaxRecords": 100}
        if markers[number]:
            expected["Marker"] = markers[number]
        reply = {"DBSnapshots": page}
        if number + 1 < len(pages):
            reply["Marker"] = markers[number + 1]
        rds_stub.add_response("describe_db_snapshots", reply, expected)
    for identifier in ("p1-old", "p2-old"):
        rds_stub.add_response(
            "delete_db_snapshot",
            {"DBSnapshot": {"DBSnapshotIdentifier": identifier}},
            {"DBSnapshotIdentifier": identifier},
        )
    result = run_module(module, prune_args(keep_newest=2))
    assert [d["identifier"] for d in result["deleted"]] == ["p1-old", "p2-old"]
    assert result["listing_pages"] == 3
    assert len(rds_stub.calls) == result["listing_pages"] + len(result["deleted"]) == 5


def test_a_failing_delete_reports_what_was_already_deleted(rds_stub):
    """Stubber: moto deletes any snapshot at once; AWS refuses one that is, say, being copied."""
    rds_stub.add_response(
        "describe_db_snapshots",
        {"DBSnapshots": [fake("a", 90, PROJECT), fake("b", 80, PROJECT), fake("new", 1, PROJECT)]},
    )
    rds_stub.add_response("delete_db_snapshot", {"DBSnapshot": {"DBSnapshotIdentifier": "a"}})
    rds_stub.add_client_error(
        "delete_db_snapshot",
        service_error_code="InvalidDBSnapshotState",
        service_message="being copied",
        http_status_code=400,
    )
    failed = fail_of(module, prune_args(keep_newest=1))
    assert failed["msg"] == "deleting expired snapshot 'b' failed: InvalidDBSnapshotState: being copied"
    assert [d["identifier"] for d in failed["deleted"]] == ["a"]


# --- identifiers AWS refuses -------------------------------------------------------------


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "run"])
@pytest.mark.parametrize(
    "state, extra",
    [
        ("present", dict(db_identifier="e1-db")),
        ("absent", dict()),
        ("copied", dict(source_snapshot="s1")),
    ],
)
@pytest.mark.parametrize(
    "bad, reason",
    [
        ("1abc", "it must start with a letter"),
        ("e1-db--chg-1", "it must not contain two consecutive hyphens"),
        ("e1-db-chg-1-", "it must not end with a hyphen"),
        ("e1_db_chg_1", "it may contain only letters, digits and hyphens, not '_'"),
        ("a" * 256, "it must be 1 to 255 characters long, not 256"),
    ],
    ids=["digit-first", "double-hyphen", "trailing-hyphen", "underscore", "too-long"],
)
def test_an_invalid_snapshot_identifier_is_refused_before_any_call(moto_aws, check_mode, state, extra, bad, reason):
    make_instance()
    run_module(module, dict(db_identifier="e1-db", snapshot_identifier="s1"))
    before = snapshot_ids()
    moto_aws.clear()
    failed = fail_of(module, dict(extra, state=state, snapshot_identifier=bad), check_mode=check_mode)
    assert failed["msg"] == "snapshot_identifier {0!r} is not a valid RDS snapshot identifier: {1}".format(bad, reason)
    assert moto_aws == [], "not even a describe call"
    assert snapshot_ids() == before


@pytest.mark.parametrize(
    "args, noun",
    [
        (dict(db_identifier="e1_db", snapshot_identifier="s1"), "instance"),
        (dict(kind="cluster", db_identifier="e1_aurora", snapshot_identifier="s1"), "cluster"),
        (prune_args(db_identifier="e1_db"), "instance"),
    ],
    ids=["present", "cluster", "pruned"],
)
def test_an_invalid_db_identifier_is_refused_before_any_call(moto_aws, args, noun):
    failed = fail_of(module, args, check_mode=True)
    assert failed["msg"] == (
        "db_identifier {0!r} is not a valid RDS DB {1} identifier: "
        "it may contain only letters, digits and hyphens, not '_'".format(args["db_identifier"], noun)
    )
    assert moto_aws == []


def test_a_db_identifier_longer_than_63_characters_is_refused(moto_aws):
    failed = fail_of(module, dict(db_identifier="a" * 64, snapshot_identifier="s1"), check_mode=True)
    assert failed["msg"].endswith(
        "is not a valid RDS DB instance identifier: it must be 1 to 63 characters long, not 64"
    )
    assert moto_aws == []


def test_every_invalid_identifier_is_named_at_once(moto_aws):
    failed = fail_of(module, dict(db_identifier="1db", snapshot_identifier="1db-chg-1"), check_mode=True)
    assert failed["msg"] == (
        "snapshot_identifier '1db-chg-1' is not a valid RDS snapshot identifier: it must start with a letter; "
        "db_identifier '1db' is not a valid RDS DB instance identifier: it must start with a letter"
    )
