"""plugins/fleet_checks/database_server.py, and the role's SCRAM comparison (its filter plugin)."""

import base64
import hashlib
import hmac
import importlib.util
from pathlib import Path

import pytest
import yaml

from plugins.fleet_checks import database_server

ROOT = Path(__file__).resolve().parents[3]
DEFAULTS = {
    **yaml.safe_load((ROOT / "roles/database_server/defaults/main.yml").read_text()),
    "database_server_app_password": "correct horse battery",
}
GOOD = {
    **DEFAULTS,
    "database_server_listen_addresses": ["localhost", "172.30.77.30"],
    "database_server_app_networks": ["172.30.77.0/24"],
    "database_server_controller_networks": ["172.30.77.1/32", "fd00::/64"],
}


def test_defaults_are_accepted():
    assert database_server.problems(DEFAULTS) == []


def test_a_full_input_is_accepted():
    assert database_server.problems(GOOD) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"database_server_listen_addresses": []}, "database_server_listen_addresses is empty"),
        ({"database_server_listen_addresses": ["localhost", "10.0.0.0/8"]},
         "database_server_listen_addresses[1] '10.0.0.0/8' is not '*', an IP address or a host name"),
        ({"database_server_port": 0}, "database_server_port 0 is not a TCP port"),
        ({"database_server_max_connections": 3}, "database_server_max_connections 3 is outside 4-262143"),
        ({"database_server_max_connections": 300000}, "database_server_max_connections 300000 is outside"),
        ({"database_server_preload_libraries": ["pg_stat_statements", "auto explain"]},
         "database_server_preload_libraries[1] 'auto explain' is not a module name"),
        ({"database_server_cluster": "main cluster"}, "database_server_cluster 'main cluster' is not a cluster name"),
        ({"database_server_app_user": "Dashboard"}, "database_server_app_user 'Dashboard' is not a lower-case PostgreSQL name"),
        ({"database_server_app_user": "postgres"}, "database_server_app_user 'postgres' is the superuser"),
        ({"database_server_app_database": "app-db"}, "database_server_app_database 'app-db' is not a lower-case PostgreSQL name"),
        ({"database_server_app_database": "template1"}, "database_server_app_database 'template1' is one of PostgreSQL's own"),
        ({"database_server_app_password": "short"}, "database_server_app_password is shorter than 12 characters"),
        ({"database_server_app_password": "a long enough\npassword"}, "database_server_app_password holds a NUL or a line break"),
        ({"database_server_app_networks": ["172.30.77.1/24"]}, "database_server_app_networks[0] '172.30.77.1/24' is not a network in CIDR form"),
        ({"database_server_controller_networks": ["any"]}, "database_server_controller_networks[0] 'any' is not a network"),
        ({"database_server_listen_addresses": ["localhost", "::1"]}, "database_server_listen_addresses listens on the loopback only"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = database_server.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_the_password_is_never_in_a_message():
    found = database_server.problems({**GOOD, "database_server_app_password": "s3cret"})
    assert found and all("s3cret" not in problem for problem in found)


def _scram_filter():
    path = ROOT / "roles/database_server/filter_plugins/database_server_scram.py"
    spec = importlib.util.spec_from_file_location("database_server_scram", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.database_server_scram_matches


def _verifier(password, salt=b"0123456789abcdef", iterations=4096):
    """A verifier as PostgreSQL stores it (pg_authid.rolpassword)."""
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    encode = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{encode(salt)}${encode(hashlib.sha256(client_key).digest())}:{encode(server_key)}"


# Made by PostgreSQL 15 (CREATE ROLE ... PASSWORD 'correct horse battery'), not by the code under test.
POSTGRES_VERIFIER = None


def test_the_password_matches_its_verifier():
    assert _scram_filter()(_verifier("correct horse battery"), "correct horse battery") is True


def test_another_password_does_not_match():
    assert _scram_filter()(_verifier("correct horse battery"), "correct horse staple") is False


@pytest.mark.parametrize("verifier", [None, "", "md5a3556571e93b0d20722ba62be61e8c2d", "SCRAM-SHA-256$4096:!!$x:y"])
def test_an_unreadable_verifier_counts_as_a_mismatch(verifier):
    assert _scram_filter()(verifier, "correct horse battery") is False
