"""The maintenance runbook's input checks (plugins/fleet_checks/maintenance_*.py and the roles it
composes): each bad input refused naming its variable, the defaults accepted."""

import pytest

from plugins.fleet_checks import (app_deploy, http_probe, maintenance_app_server, maintenance_database,
                                  maintenance_preflight, maintenance_report, maintenance_window, security_patch)

WINDOW = {"maintenance_window_override": False, "maintenance_window_override_reason": "", "maintenance_window_now": "",
          "maintenance_window_host_estimate": 900, "maintenance_window_margin": 60}
PREFLIGHT = {"maintenance_preflight_cpu_percent": 70, "maintenance_preflight_memory_percent": 80,
             "maintenance_preflight_db_connections_percent": 80, "maintenance_preflight_p95_seconds": 3,
             "maintenance_preflight_error_rate_percent": 1, "maintenance_preflight_min_in_service": 2,
             "maintenance_preflight_cpu_sample_seconds": 2, "maintenance_preflight_probe_seconds": 5,
             "maintenance_preflight_probe_rate": 10, "maintenance_preflight_cloudwatch_minutes": 15}
APP_SERVER = {"maintenance_app_server_health_name": "app1.fleet.test", "maintenance_app_server_health_path": "/healthz",
              "maintenance_app_server_health_timeout": 300, "maintenance_app_server_canary_soak_seconds": 20,
              "maintenance_app_server_soak_seconds": 5,
              "maintenance_app_server_soak_rate": 10, "maintenance_app_server_error_rate_percent": 1}
PATCH = {"security_patch_origins": ["origin=Debian,codename=${distro_codename}-security,label=Debian-Security"],
         "security_patch_restart_exclude": [], "security_patch_reboot_timeout": 600}


@pytest.mark.parametrize("checks, inputs", [
    (maintenance_window, WINDOW), (maintenance_preflight, PREFLIGHT), (maintenance_app_server, APP_SERVER),
    (security_patch, PATCH),
    (app_deploy, {"app_deploy_version": "", "app_deploy_version_variable": "demo_app_version"}),
    (maintenance_database, {"maintenance_database_pending_actions": ["system-update"], "maintenance_database_answer_timeout": 300}),
    (maintenance_report, {"maintenance_report_sns_topic_arn": ""}),
    (http_probe, {"http_probe_url": "http://172.30.77.20/", "http_probe_seconds": 5, "http_probe_rate": 10, "http_probe_timeout": 5}),
])
def test_defaults_are_accepted(checks, inputs):
    assert checks.problems(inputs) == []


def test_an_override_without_a_reason():
    found = maintenance_window.problems({**WINDOW, "maintenance_window_override": "true", "maintenance_window_override_reason": "  "})
    assert found == ["maintenance_window_override is true but maintenance_window_override_reason is empty:"
                     " say why the run goes ahead outside the window (it goes in the report)"]


def test_an_override_with_a_reason_is_accepted():
    assert maintenance_window.problems({**WINDOW, "maintenance_window_override": "yes",
                                        "maintenance_window_override_reason": "CVE hotfix"}) == []


@pytest.mark.parametrize("change, expected", [
    ({"maintenance_window_now": "next sunday"}, "maintenance_window_now 'next sunday' is not an ISO 8601 moment"),
    ({"maintenance_window_host_estimate": 0}, "maintenance_window_host_estimate 0 must be 1 second or more"),
    ({"maintenance_window_margin": -5}, "maintenance_window_margin -5 is negative"),
    ({"maintenance_window_override_reason": "a\nb"}, "maintenance_window_override_reason must be one line"),
])
def test_window_problems(change, expected):
    [problem] = maintenance_window.problems({**WINDOW, **change})
    assert problem.startswith(expected)


@pytest.mark.parametrize("name", ["maintenance_preflight_cpu_percent", "maintenance_preflight_memory_percent",
                                  "maintenance_preflight_db_connections_percent", "maintenance_preflight_error_rate_percent"])
@pytest.mark.parametrize("value", [-1, 100.5, 250])
def test_thresholds_outside_0_to_100_percent(name, value):
    assert maintenance_preflight.problems({**PREFLIGHT, name: value}) == [f"{name} {value} is not a percentage (0-100)"]


def test_fewer_than_2_in_service():
    assert maintenance_preflight.problems({**PREFLIGHT, "maintenance_preflight_min_in_service": 1}) == [
        "maintenance_preflight_min_in_service 1 is below 2: the SOP keeps at least 2 app servers in service"]


def test_p95_must_be_positive():
    assert maintenance_preflight.problems({**PREFLIGHT, "maintenance_preflight_p95_seconds": 0})


@pytest.mark.parametrize("minutes", [0, -5, 1441])
def test_cloudwatch_minutes_outside_a_day(minutes):
    assert maintenance_preflight.problems({**PREFLIGHT, "maintenance_preflight_cloudwatch_minutes": minutes}) == [
        f"maintenance_preflight_cloudwatch_minutes {minutes} must be 1 to 1440 minutes"]


@pytest.mark.parametrize("minutes", [1, "30", 1440])
def test_cloudwatch_minutes_within_a_day(minutes):
    assert maintenance_preflight.problems({**PREFLIGHT, "maintenance_preflight_cloudwatch_minutes": minutes}) == []


@pytest.mark.parametrize("version", ["2.4.1", "1:2.0~rc1", "3.0+fleet1", "10"])
def test_package_like_versions_are_accepted(version):
    assert app_deploy.problems({"app_deploy_version": version, "app_deploy_version_variable": "demo_app_version"}) == []


@pytest.mark.parametrize("version", ["v2.4", "2.4;reboot", "2.4 beta", "$(id)", "2.4/1", "_2"])
def test_versions_a_package_cannot_have(version):
    [problem] = app_deploy.problems({"app_deploy_version": version, "app_deploy_version_variable": "demo_app_version"})
    assert problem.startswith(f"app_version '{version}' has characters a package version cannot have")


def test_patch_origins_use_the_bootstrap_syntax():
    [problem] = security_patch.problems({**PATCH, "security_patch_origins": ['origin="Debian"']})
    assert problem.startswith("security_patch_origins[0] 'origin=\"Debian\"' is not an origin pattern")
    assert security_patch.problems({**PATCH, "security_patch_origins": []}) == ["security_patch_origins is empty: nothing would be installed"]


def test_patch_restart_exclusions_are_units():
    assert security_patch.problems({**PATCH, "security_patch_restart_exclude": ["nginx"]}) == [
        "security_patch_restart_exclude[0] 'nginx' is not a systemd unit name"]


def test_app_server_problems():
    found = maintenance_app_server.problems({**APP_SERVER, "maintenance_app_server_health_path": "healthz",
                                             "maintenance_app_server_error_rate_percent": 120})
    assert found == ["maintenance_app_server_health_path 'healthz' must start with /",
                     "maintenance_app_server_error_rate_percent 120 is not a percentage (0-100)"]


def test_the_canarys_soak_must_last():
    assert maintenance_app_server.problems({**APP_SERVER, "maintenance_app_server_canary_soak_seconds": 0}) == [
        "maintenance_app_server_canary_soak_seconds 0 must be above 0"]


def test_database_action_names():
    assert maintenance_database.problems({"maintenance_database_pending_actions": ["System Update"],
                                          "maintenance_database_answer_timeout": 300})[0].startswith(
        "maintenance_database_pending_actions[0] 'System Update' is not an RDS maintenance action name")


def test_topic_must_be_an_sns_arn():
    assert maintenance_report.problems({"maintenance_report_sns_topic_arn": "arn:aws:sns:ap-southeast-3:123456789012:fleet-maintenance"}) == []
    assert maintenance_report.problems({"maintenance_report_sns_topic_arn": "fleet-maintenance"})


def test_probe_url():
    assert http_probe.problems({"http_probe_url": "172.30.77.20", "http_probe_seconds": 5, "http_probe_rate": 10, "http_probe_timeout": 5})
