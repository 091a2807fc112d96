"""The converge run: the runbook on a fleet with real upgrades, under load."""

import datetime
import json

from conftest import APPS, aws, installed_version, queue_messages, report_dirs


def parse(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_no_request_failed_during_the_run(converge_load):
    print(f"load: {converge_load['sent']} requests, {converge_load['failed']} failed, per backend {converge_load['by_backend']}")
    assert converge_load["sent"] > 100
    assert converge_load["failed"] == 0, converge_load["failures"]


def test_at_least_two_servers_were_in_service_at_every_sample(converge_capacity):
    # Twice a second through the whole run, as HAProxy itself saw its members.
    assert len(converge_capacity) > 100
    in_service = [sum(status == "UP" for status in s.values()) for _t, s in converge_capacity]
    print(f"capacity: {len(converge_capacity)} samples over {converge_capacity[-1][0] - converge_capacity[0][0]:.0f} s,"
          f" servers UP: at least {min(in_service)}, at most {max(in_service)}")
    thin = [(t, s) for t, s in converge_capacity if sum(status == "UP" for status in s.values()) < 2]
    assert not thin, f"moments with fewer than 2 servers UP: {thin[:5]}"


def test_each_server_was_out_of_rotation_at_some_moment(converge_capacity):
    # The samples can fail: each server was seen drained during its own maintenance.
    for name in APPS:
        assert any(s.get(name, "UP") != "UP" for _t, s in converge_capacity), name


def test_every_backend_served_during_the_run(converge_load):
    assert set(converge_load["by_backend"]) >= {"mnt-app1", "mnt-app2", "mnt-app3"}


def test_the_run_succeeded_with_its_override_recorded(converge_report):
    assert converge_report["status"] == "succeeded", converge_report["failure"]
    assert converge_report["override"] == "molecule maintenance scenario"
    assert converge_report["inside_window"] is False


def test_each_app_server_upgraded_its_security_packages(converge_report, apps):
    for name, app in apps.items():
        upgraded = {u["name"]: (u["from"], u["to"]) for u in converge_report["hosts"][name]["upgraded"]}
        assert upgraded["fleet-demo-lib"] == ("1.0", "1.1"), name
        assert upgraded["fleet-demo-tool"] == ("1.0", "1.1"), name
        assert installed_version(app, "fleet-demo-tool") == "1.1"


def test_the_non_security_suite_was_left_alone(apps):
    # fleet-demo-updates-only is not installed here; nothing came from the fleet-updates suite.
    for app in apps.values():
        log = app.check_output("grep -h 'fleet-updates' /var/log/apt/history.log || true")
        assert log == ""


def test_only_the_host_whose_upgrade_requires_it_rebooted(converge_report):
    app1 = converge_report["hosts"]["mnt-app1"]
    assert app1["reboot"] is True
    assert any("fleet-demo-kernel-flag" in reason for reason in app1["reboot_reasons"]), app1["reboot_reasons"]
    assert app1["boot_before"] != app1["boot_after"]
    for name in ("mnt-app2", "mnt-app3"):
        assert converge_report["hosts"][name]["reboot"] is False, name
        assert converge_report["hosts"][name]["boot_before"] == converge_report["hosts"][name]["boot_after"], name


def test_services_using_the_replaced_library_were_restarted(converge_report, apps):
    for name in ("mnt-app2", "mnt-app3"):
        assert "fleet-demo-worker.service" in converge_report["hosts"][name]["services_restarted"], name
        # security_patch_restart_exclude's default: D-Bus waits for the next reboot.
        assert "dbus.service" not in converge_report["hosts"][name]["services_restarted"], name
    for app in apps.values():
        # needrestart lists nothing of the test packages any more.
        assert "fleet-demo-worker" not in app.run("needrestart -b -r l").stdout


def test_each_host_reports_every_phase(converge_report):
    for name in APPS:
        phases = converge_report["hosts"][name]["phases"]
        assert {"drain", "upgrade", "health", "enable", "soak"} <= set(phases), phases
        assert all(float(seconds) >= 0 for seconds in phases.values())


def test_the_snapshot_was_available_before_the_first_drain(converge_report):
    snapshot = converge_report["database"]["rds"]["snapshot"]
    first_drain = min(parse(converge_report["hosts"][name]["drain_started"]) for name in APPS)
    assert parse(snapshot["available_at"]) <= first_drain
    found = aws("rds").describe_db_snapshots(DBSnapshotIdentifier=snapshot["id"])["DBSnapshots"][0]
    assert found["Status"] == "available"
    assert found["SnapshotType"] == "manual"


def test_the_steps_the_local_endpoint_lacks_are_reported_as_skipped(converge_report):
    rds = converge_report["database"]["rds"]
    assert rds["pending_actions"] == "skipped: not available on the local endpoint"
    assert rds["recovery"] == "skipped: not available on the local endpoint"


def test_the_database_server_was_upgraded_restarted_and_vacuumed(converge_report, db):
    result = converge_report["database"]["self_managed"]["mnt-db"]
    upgraded = {u["name"]: (u["from"], u["to"]) for u in result["upgraded"]}
    assert upgraded["fleet-pg-extras"] == ("1.0", "1.1")
    assert any(s.startswith("postgresql@") for s in result["services_restarted"]), result
    assert result["vacuum"] == "vacuumdb --all --analyze"
    assert float(result["seconds_unreachable"]) >= 0
    assert db.check_output("runuser -u postgres -- psql -XAtc 'SELECT 1'") == "1"


def test_the_report_files_are_written(converge_report):
    folders = [p for p in report_dirs() if json.loads((p / "report.json").read_text())["run_id"] == converge_report["run_id"]]
    markdown = (folders[-1] / "report.md").read_text()
    for name in APPS:
        assert name in markdown
    assert "molecule maintenance scenario" in markdown
    assert converge_report["database"]["rds"]["snapshot"]["id"] in markdown


def test_start_and_success_were_published(converge_report):
    events = [m for m in queue_messages() if m.get("run_id") == converge_report["run_id"]]
    assert [e["event"] for e in events][:1] == ["started"]
    assert "succeeded" in [e["event"] for e in events]


def test_no_host_is_left_drained(haproxy, lb):
    assert set(haproxy.statuses().values()) == {"UP"}
    assert lb.run("systemctl list-timers --all --no-legend 'fleet-undrain-*'").stdout.strip() == ""
