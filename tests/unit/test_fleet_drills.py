"""plugins/filter/fleet_drills.py: the audit's reading of the restore drills' records."""

import json

from plugins.filter.fleet_drills import fleet_drills, fleet_last_drill


def write(root, environment, stamp, **record):
    folder = root / environment / "restore-drill" / stamp
    folder.mkdir(parents=True)
    (folder / "report.json").write_text(json.dumps(dict({"kind": "restore-drill", "status": "succeeded"}, **record)))
    return folder


def test_the_newest_record_is_the_last_drill(tmp_path):
    write(tmp_path, "production", "20260501T020000Z", available_after_seconds=1500.0)
    newest = write(tmp_path, "production", "20260601T020000Z", available_after_seconds=1320.5)
    write(tmp_path, "production", "20260515T020000Z")
    last = fleet_last_drill(tmp_path, "production")
    assert last["available_after_seconds"] == 1320.5 and last["report_dir"] == str(newest)
    assert [r["report_dir"][-16:] for r in fleet_drills(tmp_path, "production")] == [
        "20260601T020000Z", "20260515T020000Z", "20260501T020000Z"]


def test_no_drill_is_none(tmp_path):
    assert fleet_last_drill(tmp_path, "production") is None
    (tmp_path / "production" / "restore-drill").mkdir(parents=True)
    assert fleet_last_drill(tmp_path, "production") is None


def test_another_environment_does_not_count(tmp_path):
    write(tmp_path, "staging", "20260601T020000Z")
    assert fleet_last_drill(tmp_path, "production") is None


def test_a_folder_without_a_readable_record_proves_nothing(tmp_path):
    older = write(tmp_path, "production", "20260501T020000Z")
    (tmp_path / "production" / "restore-drill" / "20260601T020000Z").mkdir()
    broken = tmp_path / "production" / "restore-drill" / "20260602T020000Z"
    broken.mkdir()
    (broken / "report.json").write_text("{not json")
    assert fleet_last_drill(tmp_path, "production")["report_dir"] == str(older)


def test_the_last_successful_drill_can_be_asked_for(tmp_path):
    succeeded = write(tmp_path, "production", "20260501T020000Z")
    write(tmp_path, "production", "20260601T020000Z", status="failed", failure="restore took 5 h")
    assert fleet_last_drill(tmp_path, "production")["status"] == "failed"
    assert fleet_last_drill(tmp_path, "production", succeeded_only=True)["report_dir"] == str(succeeded)


def test_the_runbooks_own_reports_beside_it_are_not_drills(tmp_path):
    runbook = tmp_path / "production" / "20260601T020000Z"
    runbook.mkdir(parents=True)
    (runbook / "report.json").write_text(json.dumps({"status": "succeeded", "run_id": "x"}))
    assert fleet_drills(tmp_path, "production") == []
