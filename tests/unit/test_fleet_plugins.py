"""The filters the roles' templates and vars use (the rules they validate with: tests/unit/checks)."""

from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from plugins.filter.fleet_data import fleet_with_spec_defaults
from plugins.filter.fleet_network import fleet_security_groups, fleet_split_family

OPERATOR_ACCESS = Path(__file__).resolve().parents[2] / "roles" / "operator_access"


def test_split_family():
    assert fleet_split_family(["10.0.0.0/8", "fd00::/8", "192.0.2.0/24"]) == {
        "ipv4": ["10.0.0.0/8", "192.0.2.0/24"],
        "ipv6": ["fd00::/8"],
    }


def test_security_groups_open_only_443_to_the_world_and_the_rest_to_their_sources():
    found = {g["name"]: g["rules"] for g in fleet_security_groups("e1", ["10.8.0.0/24", "fd00:8::/64"], 8443, 5432, 6379)}
    assert list(found) == ["e1-lb", "e1-app", "e1-db", "e1-cache"]  # each refers only to those before it
    assert [(r["ports"], r.get("cidr_ip"), r.get("cidr_ipv6")) for r in found["e1-lb"]] == [
        ([443], ["0.0.0.0/0"], None), ([443], None, ["::/0"])]
    assert [(r["ports"], r.get("group_name"), r.get("cidr_ip"), r.get("cidr_ipv6")) for r in found["e1-app"]] == [
        ([8443], "e1-lb", None, None), ([22], None, ["10.8.0.0/24"], None), ([22], None, None, ["fd00:8::/64"])]
    assert [(r["ports"], r.get("group_name")) for r in found["e1-db"]] == [([5432], "e1-app"), ([5432], None), ([5432], None)]
    assert all(r["ports"] == [6379] for r in found["e1-cache"])


def test_with_spec_defaults_keeps_given_values():
    got = fleet_with_spec_defaults([{"name": "a"}, {"name": "b", "state": "absent"}], str(OPERATOR_ACCESS), "operator_access_users")
    assert [(u["name"], u["state"], u["keys"], u["admin"]) for u in got] == [("a", "present", [], False), ("b", "absent", [], False)]


def test_with_spec_defaults_refuses_what_is_not_a_list_of_dicts():
    with pytest.raises(AnsibleFilterError, match="must be a list of dictionaries"):
        fleet_with_spec_defaults(["a"], str(OPERATOR_ACCESS), "operator_access_users")
