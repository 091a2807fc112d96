"""Runs that must stop, each for one cause, with nothing lost: no failed request, no host left
drained. Each run has its own override reason, so its own run id (a run id's finished hosts are
skipped by a later run with the same id)."""

import time

from conftest import APPS, Load, downgrade, installed_version, queue_messages, run_cleanup, run_runbook, start_runbook, wait_until


def test_outside_the_window_without_an_override_nothing_starts(haproxy):
    rc, output, report = run_runbook("-e", "maintenance_window_override=false",
                                     "-e", "maintenance_window_now=2026-12-09T10:00:00Z", reason="")
    assert rc != 0
    assert "Outside the maintenance window" in output
    assert "the next window is 2027-01-03 02:00" in output
    assert report is None
    assert set(haproxy.statuses().values()) == {"UP"}


def test_an_override_without_a_reason_is_refused_naming_the_variable():
    rc, output, report = run_runbook(reason="")
    assert rc != 0
    assert "maintenance_window_override_reason" in output
    assert report is None


def test_a_cpu_breach_stops_the_run_before_any_change(apps, haproxy):
    downgrade(apps["mnt-app2"], "fleet-demo-tool")
    # Two busy loops on a 2-CPU container: well above the 30 % asked for here.
    apps["mnt-app2"].run("for i in 1 2; do timeout 40 sh -c 'while :; do :; done' >/dev/null 2>&1 & done")
    try:
        rc, output, report = run_runbook("-e", "maintenance_preflight_cpu_percent=30", reason="fault: cpu breach")
    finally:
        apps["mnt-app2"].run("pkill -f 'while :; do :; done' || true")
    assert rc != 0
    assert report["status"] == "failed"
    assert "mnt-app2" in report["failure"] and "cpu_percent" in report["failure"] and "30" in report["failure"]
    # Nothing changed: the package is still the old one, every server stayed in service.
    assert installed_version(apps["mnt-app2"], "fleet-demo-tool") == "1.0"
    assert set(haproxy.statuses().values()) == {"UP"}


def test_a_failed_snapshot_stops_the_run_before_any_host_is_drained(apps, haproxy):
    load = Load()
    rc, output, report = run_runbook("-e", "rds_db_identifier=mnt-no-such-database", reason="fault: snapshot")
    seen = load.stop()
    assert rc != 0
    assert report["status"] == "failed"
    assert report["failure"].startswith("database:")
    assert "mnt-no-such-database" in report["failure"]
    assert all(host["status"] == "not started" for host in report["hosts"].values())
    assert installed_version(apps["mnt-app2"], "fleet-demo-tool") == "1.0"
    assert seen["failed"] == 0
    events = [m["event"] for m in queue_messages() if m.get("run_id") == report["run_id"]]
    assert events == ["started", "failed"]


def test_a_host_whose_nginx_does_not_come_back_stops_the_run(apps, haproxy):
    # app1 gets a reboot again (its flag package back at 1.0), and nginx will not start at boot.
    downgrade(apps["mnt-app1"], "fleet-demo-kernel-flag")
    apps["mnt-app1"].check_output("systemctl disable nginx.service")
    load = Load()
    rc, output, report = run_runbook("-e", "maintenance_app_server_health_timeout=15", reason="fault: nginx not back")
    seen = load.stop()
    assert rc != 0
    assert report["status"] == "failed"
    assert report["hosts"]["mnt-app1"]["status"] == "failed"
    assert report["hosts"]["mnt-app1"]["failed_phase"] == "health"
    assert "mnt-app1, phase health" in report["failure"]
    # The hosts after it were not touched, and kept serving; the failed one stays out of rotation.
    assert report["hosts"]["mnt-app2"]["status"] == "not started"
    assert installed_version(apps["mnt-app2"], "fleet-demo-tool") == "1.0"
    statuses = haproxy.statuses()
    assert statuses["mnt-app1"] == "MAINT"
    assert statuses["mnt-app2"] == statuses["mnt-app3"] == "UP"
    assert seen["failed"] == 0, seen["failures"]


def test_errors_in_the_canarys_soak_stop_the_run_with_every_host_in_service(apps, haproxy):
    # The canary (app1) comes back healthy to its check (nginx answers /healthz) while the app behind
    # nginx is gone, so a third of the requests through the load balancer fail during its soak.
    downgrade(apps["mnt-app1"], "fleet-demo-tool")
    run = start_runbook("-e", "maintenance_app_server_canary_soak_seconds=15", reason="fault: canary errors")
    try:
        wait_until(lambda: not run.running() or haproxy.statuses()["mnt-app1"] != "UP", 600, "mnt-app1 drained")
        wait_until(lambda: not run.running() or haproxy.statuses()["mnt-app1"] == "UP", 600, "mnt-app1 back UP")
        apps["mnt-app1"].check_output("systemctl stop demo-app.socket demo-app.service")
        rc = run.wait()
    finally:
        apps["mnt-app1"].run("systemctl start demo-app.socket")
    from conftest import reports

    report = reports()[-1]
    assert rc != 0, run.output()[-3000:]
    assert report["status"] == "failed"
    assert report["hosts"]["mnt-app1"]["failed_phase"] == "soak"
    assert "Canary mnt-app1" in report["failure"] and "maintenance_app_server_error_rate_percent" in report["failure"]
    assert report["hosts"]["mnt-app2"]["status"] == report["hosts"]["mnt-app3"]["status"] == "not started"
    assert set(haproxy.statuses().values()) == {"UP"}


def test_check_mode_prints_the_plan_and_drains_nothing(apps, haproxy, lb):
    downgrade(apps["mnt-app1"], "fleet-demo-kernel-flag")
    run = start_runbook("--check", reason="plan")
    states = set()
    while run.running():
        states |= set(haproxy.statuses().values())
        time.sleep(0.5)
    output = run.output()
    assert run.wait() == 0, output[-3000:]
    assert states == {"UP"}
    assert installed_version(apps["mnt-app1"], "fleet-demo-kernel-flag") == "1.0"
    assert installed_version(apps["mnt-app2"], "fleet-demo-tool") == "1.0"
    from conftest import reports

    plan = reports()[-1]
    assert plan["status"] == "planned"
    app1 = {p["name"]: (p["from"], p["to"]) for p in plan["hosts"]["mnt-app1"]["planned"]}
    assert app1["fleet-demo-kernel-flag"] == ("1.0", "1.1")
    assert plan["hosts"]["mnt-app1"]["reboot_expected"]
    app2 = {p["name"]: (p["from"], p["to"]) for p in plan["hosts"]["mnt-app2"]["planned"]}
    assert app2 == {"fleet-demo-tool": ("1.0", "1.1")}
    assert not plan["hosts"]["mnt-app2"]["reboot_expected"]
    assert "fleet-demo-tool" in output


def test_an_interrupted_run_is_put_right_by_the_cleanup_and_a_second_run_resumes(apps, haproxy):
    for name in APPS:
        downgrade(apps[name], "fleet-demo-tool")
    load = Load()
    reason = "fault: interrupted"
    run = start_runbook(reason=reason)
    # Interrupt while the second host is out of rotation (the first is done by then).
    wait_until(lambda: not run.running() or haproxy.statuses().get("mnt-app2", "").startswith("DRAIN"),
               600, "mnt-app2 drained")
    assert run.running(), run.output()[-3000:]
    assert run.interrupt() != 0
    assert installed_version(apps["mnt-app1"], "fleet-demo-tool") == "1.1"
    assert haproxy.statuses()["mnt-app2"].startswith("DRAIN")
    rc, output = run_cleanup()
    assert rc == 0, output[-3000:]
    assert haproxy.statuses()["mnt-app2"] == "UP"
    rc, output, report = run_runbook(reason=reason)
    seen = load.stop()
    assert rc == 0, output[-3000:]
    assert report["hosts"]["mnt-app1"]["status"] == "skipped: finished earlier in this run"
    assert report["hosts"]["mnt-app2"]["status"] == "done"
    assert report["hosts"]["mnt-app3"]["status"] == "done"
    for name in APPS:
        assert installed_version(apps[name], "fleet-demo-tool") == "1.1"
    assert seen["failed"] == 0, seen["failures"]


def test_the_undrain_timer_puts_a_drained_member_back_by_itself(lb, haproxy):
    helper = "/usr/bin/python3 /usr/local/lib/fleet-maintenance/haproxy_member.py /run/haproxy/admin.sock app mnt-app3"
    lb.check_output(f"{helper} drain 5")
    assert haproxy.statuses()["mnt-app3"].startswith("DRAIN")
    lb.check_output(f"{helper} arm 3")
    wait_until(lambda: haproxy.statuses()["mnt-app3"] == "UP", 30, "mnt-app3 put back by its timer")


def test_an_application_version_is_deployed_one_host_at_a_time(apps, haproxy):
    load = Load()
    rc, output, report = run_runbook("-e", "app_version=2.0.1", reason="deploy 2.0.1")
    seen = load.stop()
    assert rc == 0, output[-3000:]
    for name, app in apps.items():
        page = app.check_output(f"curl -fsS --insecure --resolve mnt.test:443:127.0.0.1 https://mnt.test/")
        assert "2.0.1" in page, (name, page)
        assert report["hosts"][name]["app"]["version"] == "2.0.1"
    assert seen["failed"] == 0, seen["failures"]


def test_a_bad_app_version_is_refused_before_any_change(apps):
    rc, output, report = run_runbook("-e", '{"app_version": "2.0 beta;rm"}', reason="bad version")
    assert rc != 0
    assert "app_version" in output
    assert report is None
