"""playbooks/restore_drill.yml through real ansible-playbook runs against moto_server on loopback,
with the local inventory (inventories/local/group_vars/all/restore_drill.yml: the copy answers when
the API reports it available with an endpoint, since moto runs no PostgreSQL) and the local
estate's database (scripts/local_aws.py): a drill restores into a tagged temporary copy, records
it and deletes it; a drill that misses its target still deletes the copy; check mode creates
nothing; a copy named like its source is refused before any AWS call. The source is compared
before and after every run.

moto 5.2.5 makes the copy available at once, so the failing step is a real one: the target is set
below the time the restore took (a fraction of a second), and the drill fails on its verdict after
the copy exists.
"""

import json
from pathlib import Path

import pytest

from tests.integration.aws_playbooks import ROOT, aws, build_estate, run_playbook

SOURCE = "e1-dashboard-local"
RESTORE = "Restore the source as of the restore point into the temporary copy, and wait until it is available"
DELETE = "Delete the temporary copy - no final snapshot, its automated backups too; only an instance with the drill's tags"


def drill(env, report_root, *options):
    """The playbook against the test's moto, named only by -e fleet_aws_endpoint_url
    (play_environment_only): a module that the play's AWS environment
    (playbooks/vars/aws_connection.yml) did not reach fails here instead of passing by the
    caller's environment."""
    return run_playbook(env, ROOT / "playbooks" / "restore_drill.yml", "-e", f"restore_drill_report_root={report_root}", *options,
                        task_results=True, play_environment_only=True)


def rds():
    return aws("rds")


def instances():
    return sorted(i["DBInstanceIdentifier"] for i in rds().describe_db_instances()["DBInstances"])


def source_as_it_is():
    """The source's description, but the latest restorable time moto recomputes on every read."""
    found = rds().describe_db_instances(DBInstanceIdentifier=SOURCE)["DBInstances"][0]
    return {key: value for key, value in found.items() if key != "LatestRestorableTime"}


@pytest.fixture()
def source(aws_env):
    """The local estate, whose database is the drill's source."""
    build_estate(aws_env)
    return aws_env


def records(report_root):
    folder = Path(report_root) / "local" / "restore-drill"
    return [json.loads((run / "report.json").read_text()) for run in sorted(folder.iterdir())] if folder.is_dir() else []


def test_a_drill_restores_a_tagged_copy_records_it_and_deletes_it(source, tmp_path):
    before = source_as_it_is()
    run = drill(source, tmp_path)
    assert run.rc == 0, run.tail
    restored = run.tasks[RESTORE]
    copy = restored["instance"]["identifier"]
    assert restored["changed"] and copy.startswith(f"{SOURCE}-drill-") and copy != SOURCE
    assert restored["instance"]["tags"] == {"purpose": "restore-drill", "source": SOURCE,
                                            "started": restored["instance"]["tags"]["started"],
                                            "project": "e1-web-dashboard", "managed_by": "ansible"}
    assert run.tasks[DELETE]["changed"] and run.tasks[DELETE]["instance"]["identifier"] == copy
    assert instances() == [SOURCE]
    assert source_as_it_is() == before
    (record,) = records(tmp_path)
    assert record["status"] == "succeeded" and record["failure"] is None
    assert (record["source"], record["identifier"], record["answered"], record["deleted"]) == (SOURCE, copy, True, True)
    assert record["restore_point"] < record["started"] and record["within_target"] is True
    assert 0 <= record["available_after_seconds"] <= record["target_seconds"] == 4 * 3600
    assert record["endpoint"].startswith(copy + ".") and record["endpoint"].endswith(":5432")
    report_dir = Path(run.tasks["Point the operator CLI at the drill's record"]["ansible_facts"]["fleet_report_dir"])
    assert (report_dir / "report.md").read_text().startswith("# Restore drill succeeded: local, ")


def test_a_drill_that_misses_its_target_fails_and_still_deletes_the_copy(source, tmp_path):
    before = source_as_it_is()
    # 0.36 ms: any restore takes longer, so the verdict fails after the copy exists.
    run = drill(source, tmp_path, "-e", "restore_drill_target_hours=0.0000001")
    assert run.rc != 0
    assert run.tasks[RESTORE]["changed"] and run.tasks[DELETE]["changed"]
    assert instances() == [SOURCE]
    assert source_as_it_is() == before
    (record,) = records(tmp_path)
    assert record["status"] == "failed" and record["within_target"] is False and record["deleted"] is True
    assert record["failure"].startswith("Check the restore met the SOP's target: the restore took ")
    assert "Restore drill failed: Check the restore met the SOP's target" in run.tasks["Fail the run when the drill failed"]["msg"]


def test_check_mode_says_what_it_would_restore_and_creates_nothing(source, tmp_path):
    before = source_as_it_is()
    run = drill(source, tmp_path, "--check")
    assert run.rc == 0, run.tail
    assert run.tasks["Say what the drill would do (check mode restores nothing)"]["msg"].startswith(
        f"Would restore {SOURCE} as of ")
    assert run.tasks[RESTORE].get("skipped") is True
    assert instances() == [SOURCE] and source_as_it_is() == before
    assert not (tmp_path / "local").exists()


def test_bad_input_is_refused_before_any_aws_call_naming_every_variable(source, tmp_path):
    """The input checks report every problem at once: one run, each message asserted."""
    before = source_as_it_is()
    run = drill(source, tmp_path, "-e", "restore_drill_identifier=E1-Dashboard-Local", "-e", "restore_drill_minutes_ago=1")
    assert run.rc != 0, run.tail
    for message in ("restore_drill_identifier 'E1-Dashboard-Local' names the source itself",
                    "restore_drill_minutes_ago '1' must be whole minutes from 5"):
        assert message in run.stdout, run.tail
    assert RESTORE not in run.tasks and "Read the source's backups - retention and restorable window" not in run.tasks
    assert instances() == [SOURCE] and source_as_it_is() == before
    assert not (tmp_path / "local").exists()
