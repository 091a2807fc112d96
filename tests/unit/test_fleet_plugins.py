"""The filters the roles' templates and vars use (the rules they validate with: tests/unit/checks)."""

from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from plugins.filter.fleet_data import fleet_with_spec_defaults
from plugins.filter.fleet_network import fleet_split_family

OPERATOR_ACCESS = Path(__file__).resolve().parents[2] / "roles" / "operator_access"


def test_split_family():
    assert fleet_split_family(["10.0.0.0/8", "fd00::/8", "192.0.2.0/24"]) == {
        "ipv4": ["10.0.0.0/8", "192.0.2.0/24"],
        "ipv6": ["fd00::/8"],
    }


def test_with_spec_defaults_keeps_given_values():
    got = fleet_with_spec_defaults([{"name": "a"}, {"name": "b", "state": "absent"}], str(OPERATOR_ACCESS), "operator_access_users")
    assert [(u["name"], u["state"], u["keys"], u["admin"]) for u in got] == [("a", "present", [], False), ("b", "absent", [], False)]


def test_with_spec_defaults_refuses_what_is_not_a_list_of_dicts():
    with pytest.raises(AnsibleFilterError, match="must be a list of dictionaries"):
        fleet_with_spec_defaults(["a"], str(OPERATOR_ACCESS), "operator_access_users")
