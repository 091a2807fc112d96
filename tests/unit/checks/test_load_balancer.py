"""plugins/fleet_checks/load_balancer.py"""

from pathlib import Path

import pytest
import yaml

from plugins.fleet_checks import load_balancer

ROOT = Path(__file__).resolve().parents[3]
PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ+8b\nAbC=\n-----END CERTIFICATE-----\n"
DEFAULTS = {
    **yaml.safe_load((ROOT / "roles/load_balancer/defaults/main.yml").read_text()),
    "role_path": str(ROOT / "roles" / "load_balancer"),
}
GOOD = {
    **DEFAULTS,
    "load_balancer_backends": [
        {"name": "app1", "address": "172.30.77.11", "sni": "app1.fleet.test"},
        {"name": "app2", "address": "app2.fleet.test", "port": 8443},
    ],
    "load_balancer_health_host": "fleet.test",
}


def test_defaults_are_accepted():
    assert load_balancer.problems(GOOD) == []


def test_a_full_input_is_accepted():
    full = {
        **GOOD,
        "load_balancer_backend_ca_certificates": PEM + PEM,
        "load_balancer_frontend_address": "::",
        "load_balancer_stats_port": 0,
        "load_balancer_retry_on": ["none"],
        "load_balancer_redispatch": "false",
        "load_balancer_slowstart": 30,
        "load_balancer_timeout_queue": "500ms",
    }
    assert load_balancer.problems(full) == []


def test_the_port_and_sni_defaults_come_from_the_spec():
    assert [(s["port"], s["sni"]) for s in load_balancer.servers(GOOD)] == [(443, "app1.fleet.test"), (8443, "")]


def backends(*entries):
    return {"load_balancer_backends": list(entries)}


@pytest.mark.parametrize(
    "change, expected",
    [
        (backends(), "load_balancer_backends is empty"),
        (backends({"name": "app 1", "address": "10.0.0.1", "sni": "a.test"}), "load_balancer_backends[0].name 'app 1' is not an HAProxy server name"),
        (backends({"name": "a", "address": "10.0.0.1", "sni": "a.test"}, {"name": "a", "address": "10.0.0.2", "sni": "b.test"}),
         "load_balancer_backends[1].name 'a' is used by more than one server"),
        (backends({"name": "a", "address": "10.0.0.1/24", "sni": "a.test"}), "load_balancer_backends[0].address '10.0.0.1/24' is neither"),
        (backends({"name": "a", "address": "10.0.0.1", "port": 0, "sni": "a.test"}), "load_balancer_backends[0].port 0 is not a TCP port"),
        (backends({"name": "a", "address": "10.0.0.1", "sni": "a_b.test"}), "load_balancer_backends[0].sni 'a_b.test' is not a host name"),
        (backends({"name": "a", "address": "10.0.0.1"}), "load_balancer_backends[0].sni is empty and address '10.0.0.1' is an IP address"),
        ({"load_balancer_backend_name": "app servers"}, "load_balancer_backend_name 'app servers' is not an HAProxy backend name"),
        ({"load_balancer_health_path": "healthz"}, "load_balancer_health_path 'healthz' is not a path"),
        ({"load_balancer_health_path": "/health z"}, "load_balancer_health_path '/health z' is not a path"),
        ({"load_balancer_health_host": "10.0.0.1"}, "load_balancer_health_host '10.0.0.1' is an IP address"),
        ({"load_balancer_health_host": ""}, "load_balancer_health_host '' is empty"),
        ({"load_balancer_backend_ca_certificates": "not a certificate"}, "load_balancer_backend_ca_certificates holds no PEM certificate"),
        ({"load_balancer_backend_ca_certificates": PEM + "garbage\n"}, "load_balancer_backend_ca_certificates holds text besides PEM certificates"),
        ({"load_balancer_frontend_address": "localhost"}, "load_balancer_frontend_address 'localhost' is not '*', '::' or an IP address"),
        ({"load_balancer_frontend_port": 0}, "load_balancer_frontend_port 0 is not a TCP port"),
        ({"load_balancer_stats_port": 70000}, "load_balancer_stats_port 70000 is not a TCP port"),
        ({"load_balancer_stats_port": 80}, "load_balancer_stats_port 80 is the frontend's port"),
        ({"load_balancer_check_interval": 0}, "load_balancer_check_interval 0 is below 1"),
        ({"load_balancer_check_fall": 0}, "load_balancer_check_fall 0 is below 1"),
        ({"load_balancer_check_rise": 0}, "load_balancer_check_rise 0 is below 1"),
        ({"load_balancer_maxconn": 0}, "load_balancer_maxconn 0 is below 1"),
        ({"load_balancer_retries": -1}, "load_balancer_retries -1 is below 0"),
        ({"load_balancer_slowstart": -5}, "load_balancer_slowstart -5 is below 0"),
        ({"load_balancer_timeout_connect": "5 s"}, "load_balancer_timeout_connect '5 s' is not an HAProxy time"),
        ({"load_balancer_timeout_client": "fast"}, "load_balancer_timeout_client 'fast' is not an HAProxy time"),
        ({"load_balancer_timeout_server": "0s"}, "load_balancer_timeout_server '0s' is not an HAProxy time above 0"),
        ({"load_balancer_timeout_http_request": "10sec"}, "load_balancer_timeout_http_request '10sec'"),
        ({"load_balancer_timeout_http_keep_alive": "-1s"}, "load_balancer_timeout_http_keep_alive '-1s'"),
        ({"load_balancer_timeout_queue": ""}, "load_balancer_timeout_queue ''"),
        ({"load_balancer_timeout_check": "2 m"}, "load_balancer_timeout_check '2 m'"),
        ({"load_balancer_retry_on": []}, "load_balancer_retry_on is empty"),
        ({"load_balancer_retry_on": ["none", "conn-failure"]}, "load_balancer_retry_on combines none with other keywords"),
        ({"load_balancer_retry_on": ["none"], "load_balancer_redispatch": "true"}, "load_balancer_redispatch needs retries"),
        ({"load_balancer_socket": "run/haproxy.sock"}, "load_balancer_socket 'run/haproxy.sock' is not an absolute path"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = load_balancer.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_a_boolean_given_as_a_word_is_read_as_one():
    assert load_balancer.problems({**GOOD, "load_balancer_retry_on": ["none"], "load_balancer_redispatch": "no"}) == []


def test_a_boolean_that_is_not_one_is_refused():
    with pytest.raises(ValueError, match="is not a boolean"):
        load_balancer.problems({**GOOD, "load_balancer_redispatch": "maybe"})
