"""The timer and the service on the host: every minute, hardened, root-only settings, and a failed
publication visible in systemd and the journal, recovered by the next run."""

import re

from conftest import SERVICE, SETTINGS, TIMER, point_at_a_refusing_endpoint, unit_properties, wait_until

HARDENING = {
    "DynamicUser": "yes",
    "PrivateUsers": "yes",
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "CapabilityBoundingSet": "",
    "RestrictAddressFamilies": "AF_INET AF_INET6",
    "MemoryDenyWriteExecute": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectControlGroups": "yes",
}
# systemd-analyze security rates 0 (locked down) to 10 (exposed); "OK" ends at 4.9.
EXPOSURE_AT_MOST = 2.0


def bus_path(unit):
    """The unit's D-Bus object path: every character but letters and digits as _XX."""
    return "/org/freedesktop/systemd1/unit/" + "".join(c if c.isalnum() else f"_{ord(c):02x}" for c in unit)


def test_the_timer_is_enabled_and_active(app):
    assert unit_properties(app, TIMER, "UnitFileState", "ActiveState") == {"UnitFileState": "enabled", "ActiveState": "active"}


def test_the_next_run_is_due_within_a_minute(app):
    out = app.check_output(
        f"busctl get-property org.freedesktop.systemd1 {bus_path(TIMER)} org.freedesktop.systemd1.Timer NextElapseUSecMonotonic;"
        " python3 -c 'import time; print(time.monotonic())'"
    )
    due, now = int(out.split()[1]) / 1e6, float(out.split()[2])
    print(f"\nnext run in {due - now:.1f} s")
    assert 0 <= due - now <= 61


def test_the_timers_runs_succeed(app, first_data):
    """The last run, or the next one: a drift test may have broken the settings for one run."""
    wait_until(lambda: unit_properties(app, SERVICE, "Result", "ExecMainStatus") == {"Result": "success", "ExecMainStatus": "0"},
               65, f"{SERVICE}: a run that succeeded", interval=2)


def test_the_service_runs_hardened(app):
    assert unit_properties(app, SERVICE, *HARDENING) == HARDENING


def test_systemd_rates_the_services_exposure_low(app):
    out = app.check_output(f"systemd-analyze security --no-pager {SERVICE}")
    level = float(re.search(rf"Overall exposure level for {re.escape(SERVICE)}: ([\d.]+)", out).group(1))
    print(f"\nsystemd-analyze security: {level}")
    assert level <= EXPOSURE_AT_MOST, out


def test_the_settings_and_the_credentials_are_roots_alone(app):
    for path in (SETTINGS, "/etc/fleet/memory-metrics.env"):
        file = app.file(path)
        assert (file.mode, file.user, file.group) == (0o600, "root", "root"), path


def test_a_failed_publication_fails_the_unit_with_its_reason_and_the_next_run_recovers(app):
    """An endpoint that refuses connections."""
    app.check_output(f"cp -p {SETTINGS} {SETTINGS}.test-saved")
    try:
        since = app.check_output("date +%s")
        point_at_a_refusing_endpoint(app)
        failed = app.run(f"systemctl start {SERVICE}")
        errors = app.check_output(f"journalctl --unit {SERVICE} --since @{since} --priority err --output cat --no-pager")
        print(f"\nsystemctl start: exit {failed.rc}; errors in the journal:\n{errors}")
        assert failed.rc != 0
        assert unit_properties(app, SERVICE, "Result", "ExecMainStatus") == {"Result": "exit-code", "ExecMainStatus": "1"}
        assert "fleet-memory-metrics: PutMetricData failed: Could not connect to the endpoint URL" in errors
        assert "Traceback" not in app.check_output(f"journalctl --unit {SERVICE} --since @{since} --output cat --no-pager")
    finally:
        app.check_output(f"mv {SETTINGS}.test-saved {SETTINGS}")
    app.check_output(f"systemctl start {SERVICE}")
    assert unit_properties(app, SERVICE, "Result", "ExecMainStatus") == {"Result": "success", "ExecMainStatus": "0"}
