"""plugins/filter/fleet_audit.py: the audit's verdicts from what was read, and its report."""

import json

import pytest

from plugins.filter.fleet_audit import (fleet_audit_certificates, fleet_audit_maintenance, fleet_audit_markdown,
                                        fleet_audit_security_updates, fleet_audit_table, fleet_audit_verdict, result)

NOW = "2026-12-07T10:00:00Z"


def write_report(root, name, **report):
    folder = root / "local" / name
    folder.mkdir(parents=True)
    (folder / "report.json").write_text(json.dumps(report))


def test_the_newest_successful_run_passes(tmp_path):
    write_report(tmp_path, "20261101T190000Z", status="failed", finished="2026-11-01T19:30:00Z")
    write_report(tmp_path, "20261206T190000Z", status="succeeded", finished="2026-12-06T19:40:00Z")
    found = fleet_audit_maintenance(tmp_path, "local", now=NOW)
    assert found["status"] == "passed" and "20261206T190000Z: succeeded" in found["detail"]


def test_a_failed_newest_run_fails_even_after_a_success(tmp_path):
    write_report(tmp_path, "20261101T190000Z", status="succeeded", finished="2026-11-01T19:30:00Z")
    write_report(tmp_path, "20261206T190000Z", status="failed", finished="2026-12-06T19:40:00Z")
    assert fleet_audit_maintenance(tmp_path, "local", now=NOW)["status"] == "failed"


def test_a_plan_is_no_run_and_other_kinds_of_report_are_not_runs(tmp_path):
    write_report(tmp_path, "20261206T190000Z", status="succeeded", finished="2026-12-06T19:40:00Z")
    write_report(tmp_path, "20261207T090000Z", status="failed", finished="2026-12-07T09:01:00Z", check_mode=True)
    (tmp_path / "local" / "audit" / "20261207T095000Z").mkdir(parents=True)
    (tmp_path / "local" / "audit" / "20261207T095000Z" / "report.json").write_text('{"status": "failed"}')
    assert fleet_audit_maintenance(tmp_path, "local", now=NOW)["status"] == "passed"


def test_an_old_success_is_not_this_month_s_run(tmp_path):
    write_report(tmp_path, "20261004T190000Z", status="succeeded", finished="2026-10-04T19:40:00Z")
    found = fleet_audit_maintenance(tmp_path, "local", now=NOW)
    assert found["status"] == "failed" and "older than 35 days" in found["detail"]


def test_no_report_at_all_fails_naming_where_it_looked(tmp_path):
    found = fleet_audit_maintenance(tmp_path, "local", now=NOW)
    assert found["status"] == "failed" and str(tmp_path / "local") in found["detail"]


def test_pending_updates_name_the_host_and_the_packages():
    found = fleet_audit_security_updates({"app1": [], "app2": [{"name": "openssl", "from": "3.0.1", "to": "3.0.2"}]})
    assert found["status"] == "failed" and found["detail"] == "app2: openssl 3.0.1 -> 3.0.2"
    assert fleet_audit_security_updates({"app1": [], "app2": []})["status"] == "passed"


def test_a_host_that_could_not_be_asked_is_no_pass():
    assert fleet_audit_security_updates({"app1": [], "app2": None})["detail"] == "app2: could not be asked"
    assert fleet_audit_security_updates({})["status"] == "not_available"


def test_certificates_fail_with_the_expiry_check_s_own_lines():
    found = fleet_audit_certificates({"app1": {"rc": 0, "lines": ["OK app1.fleet.test 80 days"]},
                                      "app2": {"rc": 1, "lines": ["OK a 80 days", "EXPIRING app2.fleet.test 5 days"]}}, 14)
    assert found["status"] == "failed" and "app2: EXPIRING app2.fleet.test 5 days" in found["detail"]
    assert "app1" not in found["detail"]


def test_certificates_pass_when_every_host_s_check_does():
    found = fleet_audit_certificates({"app1": {"rc": 0, "lines": ["OK a 80 days", "OK b 80 days"]}}, 14)
    assert found["status"] == "passed" and found["detail"].startswith("2 served certificates on 1 app servers")


def test_not_available_is_never_counted_as_passed():
    results = [result("uptime", "not_available", "no datapoints"), result("backups", "passed", "30 of 30 days")]
    assert fleet_audit_verdict(results) == {"status": "passed", "failed": [], "not_available": ["uptime"]}
    lines = fleet_audit_table(results)
    assert lines[0].startswith("N/A   Uptime above 99.5 %")
    assert lines[-1] == "audit passed: 1 passed, 0 failed (none), 1 not available on this endpoint (uptime)"


def test_one_failure_fails_the_audit_and_is_named():
    results = [result("alarms", "failed", "missing: e1-cpu-high"), result("backups", "passed", "ok")]
    assert fleet_audit_verdict(results)["failed"] == ["alarms"]
    markdown = fleet_audit_markdown({"environment": "local", "started": "s", "finished": "f", "checks": results,
                                     "verdict": fleet_audit_verdict(results)})
    assert "- Verdict: **failed** (failed: alarms)" in markdown
    assert "| Every health alarm present, with its threshold, wired to the on-call topic | FAIL | missing: e1-cpu-high |" in markdown


def test_an_unknown_check_or_status_is_a_programming_error():
    from ansible.errors import AnsibleFilterError
    with pytest.raises(AnsibleFilterError):
        result("coffee", "passed", "")


def test_a_host_without_an_answer_is_not_asked_in_both_checks():
    from plugins.filter.fleet_audit import fleet_audit_host_answers
    hostvars = {"app1": {"platform_audit_host_answer": {"pending": [], "expiry": {"rc": 0, "lines": ["OK a"]}}}, "app2": {}}
    answers = fleet_audit_host_answers(["app1", "app2"], hostvars)
    assert answers == {"pending": {"app1": [], "app2": None}, "expiry": {"app1": {"rc": 0, "lines": ["OK a"]}, "app2": None}}


DRILL = {"kind": "restore-drill", "status": "succeeded", "started": "2026-12-03T02:00:00Z", "available_after_seconds": 1260,
         "target_hours": 4, "within_target": True}


def test_this_month_s_successful_drill_passes_with_its_date_and_time():
    from plugins.filter.fleet_audit import fleet_audit_restore_drill
    found = fleet_audit_restore_drill(DRILL, NOW)
    assert found == result("restore_drill", "passed", "last drill 2026-12-03 02:00 UTC: succeeded, available after 21.0 min of the 4 h target")


def test_no_drill_this_month_fails_naming_the_last_one():
    from plugins.filter.fleet_audit import fleet_audit_restore_drill
    found = fleet_audit_restore_drill(dict(DRILL, started="2026-11-20T02:00:00Z"), NOW)
    assert found["status"] == "failed" and found["detail"].endswith("none this month (2026-12)")
    assert fleet_audit_restore_drill(None, NOW)["detail"].startswith("no restore drill recorded")


def test_a_failed_or_slow_drill_fails_with_its_reason():
    from plugins.filter.fleet_audit import fleet_audit_restore_drill
    found = fleet_audit_restore_drill(dict(DRILL, status="failed", within_target=False, failure="the copy never answered"), NOW)
    assert found["status"] == "failed" and found["detail"].endswith(": the copy never answered")


def test_the_month_is_wib_s():
    from plugins.filter.fleet_audit import fleet_audit_restore_drill
    # 30 November 20:00 UTC is already 1 December in Jakarta.
    late = dict(DRILL, started="2026-11-30T20:00:00Z")
    assert fleet_audit_restore_drill(late, "2026-12-07T10:00:00Z")["status"] == "passed"


def test_the_aws_module_s_results_carry_no_title_and_are_titled_in_the_report():
    lines = fleet_audit_table([{"check": "backups", "status": "passed", "detail": "30 of 30 days"}])
    assert lines[0] == "PASS  Every daily backup of the last 30 days present: 30 of 30 days"
