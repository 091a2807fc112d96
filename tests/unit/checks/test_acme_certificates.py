"""plugins/fleet_checks/acme_certificates.py"""

from pathlib import Path

import pytest
import yaml

from plugins.fleet_checks import acme_certificates

ROOT = Path(__file__).resolve().parents[3]
DEFAULTS = {
    **yaml.safe_load((ROOT / "roles/acme_certificates/defaults/main.yml").read_text()),
    "role_path": str(ROOT / "roles" / "acme_certificates"),
}
GOOD = {
    **DEFAULTS,
    "acme_certificates_certificates": [
        {"name": "web_front", "domains": ["app.example.test", "www.example.test"]},
        {"name": "wild", "domains": ["*.example.test"], "challenge": "dns-01"},
    ],
    "acme_certificates_email": "ops@example.test",
    "acme_certificates_extra_ca_bundle": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    "acme_certificates_failure_command": ["/usr/bin/mail", "-s", "certificate renewal failed", "ops@example.test"],
}


def test_defaults_are_accepted():
    assert acme_certificates.problems(DEFAULTS) == []


def test_a_full_input_is_accepted():
    assert acme_certificates.problems(GOOD) == []


def test_the_challenge_defaults_to_http01_from_the_spec():
    assert [c["challenge"] for c in acme_certificates.certificates(GOOD)] == ["http-01", "dns-01"]


def certificate(**change):
    return {"acme_certificates_certificates": [{"name": "web_front", "domains": ["app.example.test"], **change}]}


@pytest.mark.parametrize(
    "change, expected",
    [
        (certificate(name="web front"), "acme_certificates_certificates[0].name 'web front' is not a lineage name"),
        (certificate(domains=[]), "acme_certificates_certificates[0].domains is empty"),
        (certificate(domains=["bad_name.example.test"]),
         "acme_certificates_certificates[0].domains[0] 'bad_name.example.test' is not a DNS name"),
        (certificate(domains=["App.example.test"]), "acme_certificates_certificates[0].domains[0] 'App.example.test' is not a DNS name"),
        (certificate(domains=["*.example.test"]),
         "acme_certificates_certificates[0].domains[0] '*.example.test' is a wildcard: it needs challenge dns-01"),
        ({"acme_certificates_directory_url": "http://ca.example.test/dir"},
         "acme_certificates_directory_url 'http://ca.example.test/dir' is not an https:// URL"),
        ({"acme_certificates_email": "ops"}, "acme_certificates_email 'ops' is not an e-mail address (or empty)"),
        ({"acme_certificates_extra_ca_bundle": "not a certificate"}, "acme_certificates_extra_ca_bundle holds no PEM certificate"),
        ({"acme_certificates_renew_fraction": 1}, "acme_certificates_renew_fraction 1.0 is not between 0 and 1 (exclusive)"),
        ({"acme_certificates_renew_fraction": 0}, "acme_certificates_renew_fraction 0.0 is not between 0 and 1"),
        ({"acme_certificates_placeholder_days": 0}, "acme_certificates_placeholder_days 0 must be at least 1"),
        ({"acme_certificates_renew_random_delay": -1}, "acme_certificates_renew_random_delay -1 is negative"),
        ({"acme_certificates_expiry_port": 70000}, "acme_certificates_expiry_port 70000 is not a port (1-65535)"),
        ({"acme_certificates_webroot": "webroot"}, "acme_certificates_webroot 'webroot' is not an absolute path"),
        ({"acme_certificates_failure_command": ["mail", "ops@example.test"]},
         "acme_certificates_failure_command[0] 'mail' is not an absolute path"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = acme_certificates.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_a_name_used_twice_is_reported_at_each_use():
    found = acme_certificates.problems({**GOOD, "acme_certificates_certificates": [{"name": "a", "domains": ["a.example.test"]}] * 2})
    assert found == [f"acme_certificates_certificates[{i}].name 'a' is used by more than one certificate" for i in (0, 1)]
