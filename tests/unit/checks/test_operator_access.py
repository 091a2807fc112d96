"""plugins/fleet_checks/operator_access.py"""

import pytest

from plugins.fleet_checks import operator_access


@pytest.fixture()
def inputs(public_key, role_path):
    return {
        "role_path": role_path("operator_access"),
        "operator_access_users": [{"name": "alice", "admin": True, "keys": [public_key]}, {"name": "carol", "keys": [public_key]}],
        "operator_access_admin_group": "operators",
        "operator_access_login_group": "sshusers",
    }


def test_accepted(inputs):
    assert operator_access.problems(inputs) == []


def test_sudo_only_where_the_inventory_says_so(inputs):
    assert operator_access.admins_with_keys(inputs) == ["alice"]


@pytest.mark.parametrize(
    "user, expected",
    [
        ({"name": "Dave", "keys": ["x"]}, "operator_access_users[2] (Dave): name must be a lowercase login name"),
        ({"name": "root"}, "operator_access_users[2] (root): root cannot be an operator account"),
        ({"name": "alice", "state": "absent"}, "operator_access_users[2] (alice): the name appears more than once"),
        ({"name": "dave", "keys": []}, "operator_access_users[2] (dave): keys is empty"),
        ({"name": "dave", "keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBroken"]},
         "operator_access_users[2] (dave): keys[0] is not a valid SSH public key"),
        ({"name": "dave", "admin": "sometimes"}, "operator_access_users: admin 'sometimes' is not a boolean"),
    ],
)
def test_each_user_problem_names_the_entry(inputs, user, expected):
    inputs["operator_access_users"].append(user)
    found = operator_access.problems(inputs)
    assert any(expected in problem for problem in found), found


def test_an_absent_user_needs_no_key(inputs):
    inputs["operator_access_users"].append({"name": "bob", "state": "absent"})
    assert operator_access.problems(inputs) == []


@pytest.mark.parametrize("group", ["sudo", "root", "Ops", ""])
def test_groups_must_be_new_lowercase_names(inputs, group):
    inputs["operator_access_admin_group"] = group
    assert any(p.startswith("operator_access_admin_group:") for p in operator_access.problems(inputs))


def test_the_two_groups_must_differ(inputs):
    inputs["operator_access_login_group"] = "operators"
    assert any("must differ from operator_access_admin_group" in p for p in operator_access.problems(inputs))


def test_no_admin_with_a_key_left(inputs, public_key):
    inputs["operator_access_users"] = [{"name": "carol", "keys": [public_key]}, {"name": "alice", "admin": "false", "keys": [public_key]}]
    found = operator_access.problems(inputs)
    assert found == [
        "operator_access_users: no present admin with at least one SSH key; after this run nobody could log in"
        " and use sudo (admin: true grants sudo)"
    ]
