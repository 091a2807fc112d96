"""The RDS modules through real `ansible-playbook` runs against a real HTTP endpoint
(moto_server on loopback): snapshot create and re-run, prune with a reference time, a
cross-region copy encrypted with a KMS key, backup policy enforce then assert, bad input.

What moto 5.2.5 cannot do is covered in tests/unit/rds with botocore's Stubber: pending
maintenance actions and engine versions (HTTP 500), an instance's restore window (no
RestoreWindow), paging (one page whatever MaxRecords), copying another account's snapshot.
"""

import datetime
import json
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import boto3
import pytest

from tests.rds_databases import create_postgres_instance

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
REGION = "ap-southeast-3"
DR_REGION = "ap-southeast-1"
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
PROJECT_TAGS = {"project": "e1-web-dashboard", "managed_by": "ansible"}

Run = namedtuple("Run", "rc tasks changed failed stderr")


def play(playbook, env, extra_vars, *options, inventory="localhost,"):
    """Run a playbook on localhost; its task results come back from the JSON callback."""
    out = subprocess.run(
        [
            str(ANSIBLE_PLAYBOOK),
            "-i",
            inventory,
            str(playbook),
            "-e",
            json.dumps(dict(extra_vars, ansible_python_interpreter=sys.executable)),
            *options,
        ],
        cwd=ROOT,
        env=dict(env, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "{" in out.stdout, "ansible-playbook gave no report:\n" + out.stdout + out.stderr
    # The JSON document, without the timer callback's closing line (ansible.cfg enables it).
    report, _end = json.JSONDecoder().raw_decode(out.stdout[out.stdout.index("{") :])
    tasks = [task["hosts"]["localhost"] for p in report["plays"] for task in p["tasks"] if "localhost" in task["hosts"]]
    stats = report["stats"]["localhost"]
    return Run(out.returncode, tasks, stats["changed"], stats["failures"], out.stderr)


def rds(region=REGION, account=None):
    client = boto3.client("rds", region_name=region)
    if account:
        # moto_server serves several accounts; this header picks one.
        client.meta.events.register(
            "before-sign.rds.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account)
        )
    return client


def tag_list(tags):
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def snapshots(client, **filters):
    return {s["DBSnapshotIdentifier"]: s for s in client.describe_db_snapshots(**filters)["DBSnapshots"]}


def instance(client, identifier="e1-db"):
    return client.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


# --- snapshots ---------------------------------------------------------------------------


def test_create_then_rerun_changes_nothing(aws_env):
    create_postgres_instance(rds())
    extra = dict(
        db_identifier="e1-db", snapshot_identifier="e1-db-chg-1", snapshot_tags=dict(PROJECT_TAGS, change_id="CHG-1")
    )
    first = play(PLAYBOOKS / "rds_snapshot_create.yml", aws_env, extra)
    assert (first.rc, first.changed) == (0, 1), first.stderr
    assert first.tasks[0]["snapshot"]["status"] == "available"
    second = play(PLAYBOOKS / "rds_snapshot_create.yml", aws_env, extra)
    assert (second.rc, second.changed) == (0, 0)
    made = snapshots(rds(), DBSnapshotIdentifier="e1-db-chg-1")["e1-db-chg-1"]
    assert {t["Key"]: t["Value"] for t in made["TagList"]} == dict(PROJECT_TAGS, change_id="CHG-1")


def test_snapshot_of_a_missing_instance_is_a_clear_error(aws_env):
    run = play(PLAYBOOKS / "rds_snapshot_create.yml", aws_env, dict(db_identifier="nope", snapshot_identifier="s1"))
    assert run.rc == 2 and run.failed == 1
    assert "creating snapshot 's1' of instance 'nope' failed: DBInstanceNotFound" in run.tasks[0]["msg"]


def test_mixed_case_identifiers_create_then_rerun_changes_nothing(aws_env):
    """RDS (and moto) stores `Orders-DB` as `orders-db`: the second run finds the snapshot it made."""
    create_postgres_instance(rds(), "Orders-DB")
    extra = dict(db_identifier="Orders-DB", snapshot_identifier="Orders-DB-Before-Upgrade")
    first = play(PLAYBOOKS / "rds_snapshot_create.yml", aws_env, extra)
    assert (first.rc, first.changed) == (0, 1), first.stderr
    assert first.tasks[0]["snapshot"]["identifier"] == "orders-db-before-upgrade"
    second = play(PLAYBOOKS / "rds_snapshot_create.yml", aws_env, extra)
    assert (second.rc, second.changed) == (0, 0), second.tasks[0].get("msg")
    assert set(snapshots(rds(), SnapshotType="manual")) == {"orders-db-before-upgrade"}


def test_check_mode_with_an_invalid_snapshot_identifier_fails_and_makes_nothing(aws_env):
    create_postgres_instance(rds())
    run = play(
        PLAYBOOKS / "rds_snapshot_create.yml",
        aws_env,
        dict(db_identifier="e1-db", snapshot_identifier="1abc"),
        "--check",
    )
    assert (run.rc, run.failed, run.changed) == (2, 1, 0)
    assert (
        run.tasks[0]["msg"]
        == "snapshot_identifier '1abc' is not a valid RDS snapshot identifier: it must start with a letter"
    )
    assert snapshots(rds(), SnapshotType="manual") == {}


@pytest.fixture()
def aged_snapshots(aws_env):
    """An instance with its automated snapshot, then expired snapshots, then recent ones.

    moto stamps snapshots with the real time, so the two batches are a second apart and the
    reference time is put N days after the gap: the first batch is then older than N days.
    """
    client = rds()
    create_postgres_instance(client, retention=7)
    (automated,) = snapshots(client, SnapshotType="automated")
    client.add_tags_to_resource(
        ResourceName="arn:aws:rds:{0}:{1}:snapshot:{2}".format(REGION, ACCOUNT, automated), Tags=tag_list(PROJECT_TAGS)
    )
    expired = ["e1-db-old-{0}".format(n) for n in range(1, 5)]
    for identifier in expired:
        client.create_db_snapshot(
            DBInstanceIdentifier="e1-db", DBSnapshotIdentifier=identifier, Tags=tag_list(PROJECT_TAGS)
        )
    for identifier in ("e1-db-untagged-1", "e1-db-untagged-2"):
        client.create_db_snapshot(DBInstanceIdentifier="e1-db", DBSnapshotIdentifier=identifier)
    other = rds(account=OTHER_ACCOUNT)
    create_postgres_instance(other, "e1-db", retention=0)
    other.create_db_snapshot(
        DBInstanceIdentifier="e1-db", DBSnapshotIdentifier="e1-db-shared", Tags=tag_list(PROJECT_TAGS)
    )
    other.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="e1-db-shared", AttributeName="restore", ValuesToAdd=[ACCOUNT]
    )
    last_expired = max(s["SnapshotCreateTime"] for s in snapshots(client).values())
    time.sleep(1.2)
    recent = ["e1-db-new-1", "e1-db-new-2"]
    for identifier in recent:
        client.create_db_snapshot(
            DBInstanceIdentifier="e1-db", DBSnapshotIdentifier=identifier, Tags=tag_list(PROJECT_TAGS)
        )
    first_recent = min(snapshots(client, DBSnapshotIdentifier=i)[i]["SnapshotCreateTime"] for i in recent)
    assert snapshots(client, SnapshotType="shared", IncludeShared=True), "moto shares the other account's snapshot"
    gap_middle = last_expired + (first_recent - last_expired) / 2
    return dict(automated=automated, expired=expired, recent=recent, reference=gap_middle, other=other)


def prune_vars(reference, days=30, **extra):
    return dict(
        dict(
            db_identifier="e1-db",
            prune_tags=PROJECT_TAGS,
            prune_older_than_days=days,
            prune_keep_newest=3,
            prune_reference_time=(reference + datetime.timedelta(days=days)).isoformat(),
        ),
        **extra
    )


def test_prune_deletes_exactly_the_expired_tagged_snapshots(aws_env, aged_snapshots):
    before = set(snapshots(rds()))
    extra = prune_vars(aged_snapshots["reference"])
    run = play(PLAYBOOKS / "rds_snapshot_prune.yml", aws_env, extra)
    assert (run.rc, run.changed) == (0, 1), run.stderr
    # keep_newest 3: the two recent ones and the youngest expired one stay.
    gone = {"e1-db-old-1", "e1-db-old-2", "e1-db-old-3"}
    assert [d["identifier"] for d in run.tasks[0]["deleted"]] == sorted(gone)
    assert all(d["age_days"] >= 30 for d in run.tasks[0]["deleted"])
    assert set(snapshots(rds())) == before - gone
    assert aged_snapshots["automated"] in snapshots(rds(), SnapshotType="automated")
    assert "e1-db-shared" in snapshots(aged_snapshots["other"])
    again = play(PLAYBOOKS / "rds_snapshot_prune.yml", aws_env, extra)
    assert (again.rc, again.changed) == (0, 0)


def test_prune_in_check_mode_deletes_nothing(aws_env, aged_snapshots):
    before = set(snapshots(rds()))
    run = play(PLAYBOOKS / "rds_snapshot_prune.yml", aws_env, prune_vars(aged_snapshots["reference"]), "--check")
    assert (run.rc, run.changed) == (0, 1)
    assert len(run.tasks[0]["deleted"]) == 3
    assert set(snapshots(rds())) == before


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(prune_keep_newest=0), "keep_newest is 0; pruning always keeps at least the newest 1"),
        (dict(prune_tags={}), "pruning needs match_tags or match_prefix"),
    ],
)
def test_bad_prune_input_is_refused_and_nothing_deleted(aws_env, aged_snapshots, bad, message):
    before = set(snapshots(rds()))
    run = play(PLAYBOOKS / "rds_snapshot_prune.yml", aws_env, prune_vars(aged_snapshots["reference"], **bad))
    assert run.rc == 2 and message in run.tasks[0]["msg"]
    assert set(snapshots(rds())) == before


def test_cross_region_copy_with_a_kms_key(aws_env):
    client = rds()
    create_postgres_instance(client)
    client.create_db_snapshot(
        DBInstanceIdentifier="e1-db", DBSnapshotIdentifier="e1-db-chg-1", Tags=tag_list(PROJECT_TAGS)
    )
    key = boto3.client("kms", region_name=DR_REGION).create_key(Description="e1 disaster recovery")["KeyMetadata"][
        "Arn"
    ]
    extra = dict(
        copy_region=DR_REGION,
        source_region=REGION,
        source_snapshot="arn:aws:rds:{0}:{1}:snapshot:e1-db-chg-1".format(REGION, ACCOUNT),
        snapshot_identifier="e1-db-chg-1-dr",
        kms_key_id=key,
    )
    first = play(PLAYBOOKS / "rds_snapshot_copy.yml", aws_env, extra)
    assert (first.rc, first.changed) == (0, 1), first.stderr
    copy = snapshots(rds(DR_REGION))["e1-db-chg-1-dr"]
    assert copy["Encrypted"] is True and copy["KmsKeyId"] == key
    assert {t["Key"]: t["Value"] for t in copy["TagList"]} == PROJECT_TAGS
    again = play(PLAYBOOKS / "rds_snapshot_copy.yml", aws_env, extra)
    assert (again.rc, again.changed) == (0, 0)


# --- backup policy -----------------------------------------------------------------------

POLICY = dict(policy_backup_window="17:00-17:30", policy_maintenance_window="sat:19:00-sat:21:00")


def test_cluster_policy_enforced_then_recovery_asserted(aws_env):
    """moto reports a cluster's earliest restorable time (its creation), so a fresh cluster's
    window is about 0 days: the assertion holds with 0 days required and fails with 7."""
    rds().create_db_cluster(
        DBClusterIdentifier="e1-aurora",
        Engine="aurora-postgresql",
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-secret-1",
    )
    extra = dict(POLICY, db_identifier="e1-aurora", db_kind="cluster", policy_min_recovery_days=0)
    first = play(PLAYBOOKS / "rds_backup_policy.yml", aws_env, extra)
    assert (first.rc, first.changed) == (0, 1), first.stderr
    assert first.tasks[1]["problems"] == [] and first.tasks[1]["recovery"]["window_days"] is not None
    cluster = rds().describe_db_clusters(DBClusterIdentifier="e1-aurora")["DBClusters"][0]
    assert (cluster["BackupRetentionPeriod"], cluster["PreferredMaintenanceWindow"], cluster["DeletionProtection"]) == (
        30,
        "sat:19:00-sat:21:00",
        True,
    )
    second = play(PLAYBOOKS / "rds_backup_policy.yml", aws_env, extra)
    assert (second.rc, second.changed) == (0, 0)
    strict = play(PLAYBOOKS / "rds_backup_policy.yml", aws_env, dict(extra, policy_min_recovery_days=7))
    assert strict.rc == 2
    assert "point-in-time recovery covers 0.0 days, less than the required 7" in strict.tasks[1]["msg"]


def test_instance_policy_enforced_then_asserted(aws_env):
    """The instance's restore window is not reported by moto, so the assertion must fail (and
    say why); the passing case is in tests/unit/rds with the window AWS reports."""
    create_postgres_instance(rds(), retention=7)
    first = play(PLAYBOOKS / "rds_backup_policy.yml", aws_env, dict(POLICY, db_identifier="e1-db", policy_assert=False))
    assert (first.rc, first.changed) == (0, 1), first.stderr
    found = instance(rds())
    assert (found["BackupRetentionPeriod"], found["PreferredBackupWindow"], found["CopyTagsToSnapshot"]) == (
        30,
        "17:00-17:30",
        True,
    )
    second = play(PLAYBOOKS / "rds_backup_policy.yml", aws_env, dict(POLICY, db_identifier="e1-db"))
    assert second.rc == 2 and second.changed == 0
    assert "no earliest restorable time" in second.tasks[1]["msg"]


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(policy_maintenance_window="sunday 02:00-04:00"), "is not of the form ddd:hh24:mi-ddd:hh24:mi"),
        (dict(policy_backup_window="19:30-20:30"), "overlaps maintenance window"),
        (dict(policy_retention_days=0), "retention_days is 0"),
        (dict(policy_retention_days=36), "retention_days is 36"),
        (dict(db_identifier="nope"), "DB instance 'nope' not found"),
    ],
)
def test_bad_policy_input_is_refused_and_nothing_changed(aws_env, bad, message):
    create_postgres_instance(rds(), retention=7)
    before = instance(rds())
    run = play(PLAYBOOKS / "rds_backup_policy.yml", aws_env, dict(dict(POLICY, db_identifier="e1-db"), **bad))
    assert run.rc == 2 and run.changed == 0
    assert message in run.tasks[0]["msg"]
    after = instance(rds())
    for key in ("BackupRetentionPeriod", "PreferredBackupWindow", "PreferredMaintenanceWindow", "DeletionProtection"):
        assert after[key] == before[key]


# --- the operators' playbook -------------------------------------------------------------


def test_database_backups_playbook_with_the_staging_inventory(aws_env):
    """playbooks/database_backups.yml as operators run it, with inventories/staging's variables."""
    create_postgres_instance(rds(), "e1-dashboard-staging", retention=7)
    playbook, inventory = ROOT / "playbooks" / "database_backups.yml", str(ROOT / "inventories" / "staging")
    change = dict(rds_change_id="CHG-42", rds_change_reason="PostgreSQL 16 upgrade", rds_assert_recovery=False)
    first = play(playbook, aws_env, change, inventory=inventory)
    assert (first.rc, first.changed) == (0, 2), first.stderr
    made = snapshots(rds())["e1-dashboard-staging-chg-42"]
    assert {t["Key"]: t["Value"] for t in made["TagList"]} == dict(
        PROJECT_TAGS, change_id="CHG-42", reason="PostgreSQL 16 upgrade", requested_by=aws_env.get("USER") or "unknown"
    )
    found = instance(rds(), "e1-dashboard-staging")
    assert (found["BackupRetentionPeriod"], found["PreferredMaintenanceWindow"], found["DeletionProtection"]) == (
        30,
        "sat:19:00-sat:21:00",
        True,
    )
    routine = play(playbook, aws_env, {}, inventory=inventory)
    assert routine.rc == 2 and routine.changed == 0, "nothing to change; the recovery check fails on moto"
    assert "no earliest restorable time" in routine.tasks[-1]["msg"]
    assert "e1-dashboard-staging-chg-42" in snapshots(rds()), "a fresh snapshot is never pruned"


def test_database_backups_with_a_mixed_case_database_and_a_ragged_change_id(aws_env):
    """The snapshot is named as RDS stores it (lower case, one hyphen between words, none at the
    ends, at most 255 characters), and a re-run with the same change finds it."""
    create_postgres_instance(rds(), "e1-dashboard-staging", retention=7)
    playbook, inventory = ROOT / "playbooks" / "database_backups.yml", str(ROOT / "inventories" / "staging")
    change = dict(
        rds_db_identifier="E1-Dashboard-Staging", rds_change_id="--CHG__42 (hotfix)--", rds_assert_recovery=False
    )
    first = play(playbook, aws_env, change, inventory=inventory)
    assert (first.rc, first.changed) == (0, 2), first.stderr
    assert "e1-dashboard-staging-chg-42-hotfix" in snapshots(rds())
    again = play(playbook, aws_env, change, inventory=inventory)
    assert (again.rc, again.changed) == (0, 0), [t.get("msg") for t in again.tasks]
    # Cut at 255 characters right after a hyphen, which goes too.
    long_change = dict(change, rds_change_id="CHG-" + "x" * 229 + "--tail")
    run = play(playbook, aws_env, long_change, inventory=inventory)
    assert (run.rc, run.changed) == (0, 1), [t.get("msg") for t in run.tasks]
    assert run.tasks[1]["snapshot"]["identifier"] == "e1-dashboard-staging-chg-" + "x" * 229


def test_database_backups_refuses_an_invalid_database_identifier(aws_env):
    create_postgres_instance(rds(), "e1-dashboard-staging", retention=7)
    playbook, inventory = ROOT / "playbooks" / "database_backups.yml", str(ROOT / "inventories" / "staging")
    bad = dict(rds_db_identifier="e1_dashboard_staging", rds_change_id="CHG-42", rds_assert_recovery=False)
    run = play(playbook, aws_env, bad, "--check", inventory=inventory)
    assert (run.rc, run.changed) == (2, 0)
    assert run.tasks[0]["msg"] == (
        "db_identifier 'e1_dashboard_staging' is not a valid RDS DB instance identifier: "
        "it may contain only letters, digits and hyphens, not '_'"
    )
    assert snapshots(rds(), SnapshotType="manual") == {}
