"""plugins/fleet_checks/web_front.py"""

from pathlib import Path

import pytest
import yaml

from plugins.fleet_checks import web_front

ROOT = Path(__file__).resolve().parents[3]


def role_defaults(role):
    return yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text())


# What the validation play sees: the firewall's and acme_certificates' defaults are in scope.
DEFAULTS = {
    **role_defaults("firewall"),
    **role_defaults("acme_certificates"),
    **role_defaults("web_front"),
    "role_path": str(ROOT / "roles" / "web_front"),
}
# The defaults plus the certificate the default web_front_tls_certificate names.
GOOD = {**DEFAULTS, "acme_certificates_certificates": [{"name": "web_front", "domains": ["a.example.test"], "challenge": "dns-01"}]}
# A standalone host: port 80 declared to the firewall, HTTP-01, names listed.
STANDALONE = {
    **DEFAULTS,
    "web_front_http_listen": True,
    "web_front_server_names": ["app.example.test", "*.example.test"],
    "firewall_extra_ports": [{"port": 80, "proto": "tcp", "sources": ["0.0.0.0/0", "::/0"]}],
    "acme_certificates_certificates": [{"name": "web_front", "domains": ["app.example.test", "www.example.test"]}],
}


def test_defaults_with_their_certificate_are_accepted():
    assert web_front.problems(GOOD) == []


def test_the_defaults_alone_need_the_certificate_they_serve():
    assert web_front.problems(DEFAULTS) == [
        "web_front_tls_certificate '/etc/fleet-acme/served/web_front/fullchain.pem': acme_certificates_certificates"
        " has no certificate named 'web_front'"
    ]


def test_a_standalone_host_is_accepted():
    assert web_front.problems(STANDALONE) == []


def test_the_served_certificate_is_the_one_its_path_names():
    other = {
        **GOOD,
        "web_front_tls_certificate": "/etc/fleet-acme/served/dashboard/fullchain.pem",
        "web_front_tls_certificate_key": "/etc/fleet-acme/served/dashboard/privkey.pem",
    }
    assert "no certificate named 'dashboard'" in web_front.problems(other)[0]
    other["acme_certificates_certificates"] = [dict(GOOD["acme_certificates_certificates"][0], name="dashboard")]
    assert web_front.problems(other) == []
    # A key pair outside the served directory is the operator's own business.
    assert web_front.problems({**DEFAULTS, "web_front_tls_certificate": "/etc/ssl/own/chain.pem"}) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"web_front_upstream_servers": []}, "web_front_upstream_servers is empty"),
        ({"web_front_upstream_servers": [{"address": "app one", "port": 8080}]},
         "web_front_upstream_servers[0].address 'app one' is not a host name or IP address"),
        ({"web_front_upstream_servers": [{"address": "127.0.0.1", "port": 0}]},
         "web_front_upstream_servers[0].port 0 is not a port (1-65535)"),
        ({"web_front_server_names": ["a.example.test", "bad_name.example.test"]},
         "web_front_server_names[1] 'bad_name.example.test' is not a host name"),
        ({"web_front_server_names": ["a.example.test", "192.0.2.1"]}, "web_front_server_names[1] '192.0.2.1' is an IP address"),
        ({"web_front_health_path": "healthz"}, "web_front_health_path 'healthz' must start with /"),
        ({"web_front_tls_certificate": "served/fullchain.pem"}, "web_front_tls_certificate 'served/fullchain.pem' is not an absolute path"),
        ({"web_front_tls_certificate_key": "privkey.pem"}, "web_front_tls_certificate_key 'privkey.pem' is not an absolute path"),
        ({"web_front_acme_webroot": "webroot"}, "web_front_acme_webroot 'webroot' is not an absolute path"),
        ({"web_front_hsts_max_age": -1}, "web_front_hsts_max_age -1 is negative"),
        ({"web_front_client_max_body_size": "10 MB"}, "web_front_client_max_body_size '10 MB' is not an nginx size"),
        ({"web_front_content_security_policy": 'default-src "self"'}, "web_front_content_security_policy holds a double quote"),
        ({"web_front_http_listen": True}, "web_front_http_listen is true but the firewall does not open tcp/80"),
        ({"acme_certificates_certificates": [{"name": "web_front", "domains": ["a.example.test"]}]},
         "web_front_http_listen is false but acme_certificates_certificates (web_front) use challenge http-01, which needs port 80"),
        ({"web_front_server_names": ["b.example.test"]},
         "acme_certificates_certificates[0].domains[0] 'a.example.test' is not in web_front_server_names"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = web_front.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_a_webroot_other_than_the_certificates_is_refused_for_http01():
    found = web_front.problems({**STANDALONE, "web_front_acme_webroot": "/srv/webroot"})
    assert found == [
        "web_front_acme_webroot '/srv/webroot' is not acme_certificates_webroot '/var/lib/fleet-acme/webroot':"
        " port 80 would not serve the HTTP-01 challenges"
    ]


@pytest.mark.parametrize("flag", ["false", "no", False])
def test_a_false_given_as_a_string_is_false(flag):
    # -e web_front_http_listen=false arrives as a string, which is truthy in Python and Jinja.
    found = web_front.problems({**STANDALONE, "web_front_http_listen": flag, "firewall_extra_ports": []})
    assert len(found) == 1 and "web_front_http_listen is false but" in found[0], found


@pytest.mark.parametrize(
    "public, extra, opens",
    [
        ([443], [], False),
        ([443, 80], [], True),
        (["80"], [], True),
        (["1-1024"], [], True),
        ([443], [{"port": 80, "proto": "tcp", "sources": ["0.0.0.0/0"]}], True),
        ([443], [{"port": "79-81", "proto": "tcp", "sources": "any"}], True),
        ([443], [{"port": 80, "proto": "udp", "sources": ["0.0.0.0/0"]}], False),
        ([443], [{"port": "81-90", "proto": "tcp", "sources": ["0.0.0.0/0"]}], False),
        # Malformed entries are the firewall's own checks' business.
        (["eighty"], [{"port": "x", "proto": "tcp"}, "80"], False),
    ],
)
def test_whether_the_firewall_opens_tcp_80(public, extra, opens):
    assert web_front.opens_tcp_80(public, extra) is opens
    found = web_front.problems({**STANDALONE, "firewall_public_tcp_ports": public, "firewall_extra_ports": extra})
    assert (found == []) is opens, found


def test_the_firewall_variables_must_be_in_scope():
    inputs = {k: v for k, v in STANDALONE.items() if k != "firewall_extra_ports"}
    found = web_front.problems(inputs)
    assert len(found) == 1 and found[0].startswith("firewall_extra_ports not in scope"), found
    assert "include the firewall role's validate entry point with public: true" in found[0]


def test_the_certificates_must_be_in_scope():
    inputs = {k: v for k, v in GOOD.items() if k != "acme_certificates_certificates"}
    found = web_front.problems(inputs)
    assert len(found) == 1 and found[0].startswith("acme_certificates_certificates not in scope"), found


@pytest.mark.parametrize(
    "domain, names, served",
    [
        ("app.example.test", ["app.example.test"], True),
        ("App.Example.test", ["app.example.test"], True),
        ("www.example.test", ["app.example.test"], False),
        ("www.example.test", ["*.example.test"], True),
        ("a.b.example.test", ["*.example.test"], True),
        ("example.test", ["*.example.test"], False),
        # The expiry check asks for a wildcard certificate by a stand-in name under it.
        ("*.example.test", ["*.example.test"], True),
        ("*.example.test", ["app.example.test"], False),
    ],
)
def test_which_certificate_names_the_front_serves(domain, names, served):
    assert web_front.name_served(domain, names) is served
