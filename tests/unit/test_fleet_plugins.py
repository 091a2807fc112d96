"""The shared validators and filters the roles rely on to refuse bad input."""

import base64
import struct
import subprocess
from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from plugins.filter.fleet_data import fleet_with_defaults
from plugins.filter.fleet_network import fleet_address_in, fleet_split_family, ssh_public_key_problem
from plugins.test.fleet_validation import is_cidr, is_port_spec


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
    assert fleet_address_in("172.30.77.1", nets)
    assert not fleet_address_in("172.30.77.200", nets)
    assert fleet_address_in("fd77::5", nets)
    assert fleet_address_in("::ffff:172.30.77.5", nets), "IPv4-mapped source addresses count as IPv4"
    with pytest.raises(AnsibleFilterError, match="not an IP address"):
        fleet_address_in("controller", nets)


def test_split_family():
    assert fleet_split_family(["10.0.0.0/8", "fd00::/8", "192.0.2.0/24"]) == {
        "ipv4": ["10.0.0.0/8", "192.0.2.0/24"],
        "ipv6": ["fd00::/8"],
    }


def test_with_defaults_keeps_given_values():
    got = fleet_with_defaults([{"name": "a"}, {"name": "b", "state": "absent"}], {"state": "present", "keys": []})
    assert got == [{"state": "present", "keys": [], "name": "a"}, {"state": "absent", "keys": [], "name": "b"}]
    with pytest.raises(AnsibleFilterError):
        fleet_with_defaults(["a"], {})
