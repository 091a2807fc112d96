"""plugins/fleet_checks/rules.py: the primitive rules the roles' input checks share."""

import base64
import struct
import subprocess
from pathlib import Path

import pytest

from plugins.fleet_checks.rules import address_in, as_bool, bucket_name_problem, hostname_problem, is_address_or_cidr, is_cidr, is_port_spec, port_range, ssh_public_key_problem


def _blob(*parts):
    return b"".join(struct.pack(">I", len(p)) + p for p in parts)


def _rsa_key(bits):
    modulus = (1 << (bits - 1)) | 1
    return "ssh-rsa " + base64.b64encode(
        _blob(b"ssh-rsa", b"\x01\x00\x01", b"\x00" + modulus.to_bytes(bits // 8, "big"))
    ).decode()


@pytest.fixture(scope="module")
def real_ed25519_key(tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "k"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return Path(f"{path}.pub").read_text().strip()


def test_real_ed25519_key_is_accepted(real_ed25519_key):
    assert ssh_public_key_problem(real_ed25519_key) == ""
    assert ssh_public_key_problem(real_ed25519_key.rsplit(" ", 1)[0]) == "", "comment is optional"


@pytest.mark.parametrize(
    "key, problem",
    [
        ("", "expected"),
        ("ssh-ed25519", "expected"),
        ("ssh-dss AAAAB3NzaC1kc3M=", "not accepted"),
        ("ssh-ed25519 not-base64!", "not valid"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBroken", "not valid"),
        ("ssh-ed25519 " + base64.b64encode(_blob(b"ssh-rsa", b"x")).decode(), "does not match"),
        (_rsa_key(1024), "shorter than 2048"),
        (None, "not a string"),
    ],
)
def test_bad_keys_are_refused_with_a_reason(key, problem):
    assert problem in ssh_public_key_problem(key)


def test_rsa_key_of_2048_bits_is_accepted():
    assert ssh_public_key_problem(_rsa_key(2048)) == ""


@pytest.mark.parametrize("value", ["10.8.0.0/24", "0.0.0.0/0", "fd00::/64", "::/0", "192.0.2.7/32"])
def test_cidrs(value):
    assert is_cidr(value)


@pytest.mark.parametrize("value", ["10.8.0.1/24", "10.8.0.0/33", "10.8.0.0", "vpn", "", None, "fd00::1/64"])
def test_not_cidrs(value):
    assert not is_cidr(value)


@pytest.mark.parametrize("value", [22, "443", "8000-8010", "1", "65535"])
def test_port_specs(value):
    assert is_port_spec(value)


@pytest.mark.parametrize("value", [0, "65536", "http", "10-5", "1-2-3", "", "-1", "22/tcp"])
def test_not_port_specs(value):
    assert not is_port_spec(value)


def test_address_in_networks():
    nets = ["172.30.77.0/28", "fd77::/124"]
    assert address_in("172.30.77.1", nets)
    assert not address_in("172.30.77.200", nets)
    assert address_in("fd77::5", nets)
    assert address_in("::ffff:172.30.77.5", nets), "IPv4-mapped source addresses count as IPv4"
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 address"):
        address_in("controller", nets)


@pytest.mark.parametrize("value", ["10.8.0.5", "fd00::1", "10.8.0.0/24"])
def test_addresses_or_cidrs(value):
    assert is_address_or_cidr(value)


@pytest.mark.parametrize("value", ["10.8.0.1/24", "vpn", "", "10.8.0.256"])
def test_not_addresses_or_cidrs(value):
    assert not is_address_or_cidr(value)


def test_port_range():
    assert port_range(22) == (22, 22) and port_range("8000-8010") == (8000, 8010)


@pytest.mark.parametrize("word, value", [(True, True), ("false", False), ("yes", True), ("No", False), ("on", True), ("0", False), (1, True)])
def test_booleans_as_typed_on_a_command_line(word, value):
    assert as_bool(word) is value


@pytest.mark.parametrize("word", ["maybe", "", "2", None])
def test_words_that_are_no_boolean_are_refused(word):
    with pytest.raises(ValueError, match="is not a boolean"):
        as_bool(word)


@pytest.mark.parametrize("name", ["app1", "app1.fleet.test", "a-b.example.com", "x" * 63 + ".test"])
def test_host_names(name):
    assert hostname_problem(name) == ""


@pytest.mark.parametrize(
    "name, problem",
    [("", "is empty"), ("-app", "not a host name"), ("a..b", "not a host name"), ("x" * 64, "not a host name"),
     ("10.0.0.1", "IP address"), ("App1", "lower case"), ("under_score", "not a host name")],
)
def test_not_host_names(name, problem):
    assert problem in hostname_problem(name, lower_case=True)


def test_wildcard_host_names_only_where_allowed():
    assert hostname_problem("*.fleet.test", wildcard=True) == ""
    assert "not a host name" in hostname_problem("*.fleet.test")


@pytest.mark.parametrize("name", ["e1-dashboard-config-backup", "abc", "e1.dashboard.config", "a" * 63, "123-backups"])
def test_bucket_names_s3_accepts(name):
    assert bucket_name_problem(name) == ""


@pytest.mark.parametrize("name, problem", [
    ("ab", "3 to 63 characters"),
    ("a" * 64, "3 to 63 characters"),
    ("E1-Backups", "lower-case"),
    ("-backups", "starting and ending with a letter or a digit"),
    ("backups_2026", "lower-case letters, digits, dots and hyphens"),
    ("e1..backups", "two dots in a row"),
    ("e1.-backups", "a dot next to a hyphen"),
    ("192.168.5.4", "IP address"),
    ("xn--backups", "reserves"),
    ("backups-s3alias", "reserves"),
    (None, "3 to 63 characters"),
])
def test_bucket_names_s3_refuses_say_why(name, problem):
    assert problem in bucket_name_problem(name)
