"""plugins/fleet_checks/access_guard.py: every lock-out refusal, before the first change."""

import pytest

from plugins.fleet_checks import access_guard

HINT = "pass -e bootstrap_first_login_user=root"


@pytest.fixture()
def inputs(public_key, role_path):
    return {
        "role_path": role_path("access_guard"),
        "inventory_hostname": "app1",
        "operator_access_users": [{"name": "admin", "admin": True, "keys": [public_key]}, {"name": "carol", "keys": [public_key]}],
        "operator_access_login_group": "sshusers",
        "operator_access_exclusive_sudo": True,
        "operator_access_handover_user": "",
        "ssh_hardening_allow_groups": ["sshusers"],
        "firewall_vpn_cidrs": ["172.30.77.0/28"],
        "access_guard_check_login_account": True,
        "access_guard_check_controller_source": True,
    }


def state(user="admin", groups=("admin", "sudo"), source="172.30.77.1"):
    return {"login_user": user, "login_groups": list(groups), "ssh_source": source}


def test_an_inventory_admin_from_the_vpn_is_accepted(inputs):
    assert access_guard.problems(inputs, state()) == []


def test_root_without_hand_over_is_refused_with_the_way_out(inputs):
    [problem] = access_guard.problems(inputs, state("root", ["root"]))
    assert "Ansible logs in as 'root', whom sshd refuses after this run (PermitRootLogin no)" in problem
    assert HINT in problem


@pytest.mark.parametrize("switch", [False, "false", "no"])
def test_root_is_refused_whatever_the_switch_says(inputs, switch):
    """The refusal ssh_hardening would make half-way through the run is made here."""
    inputs["access_guard_check_login_account"] = switch
    assert len(access_guard.problems(inputs, state("root", ["root"]))) == 1


def test_root_with_a_hand_over_to_an_admin_is_accepted(inputs):
    inputs["operator_access_handover_user"] = "admin"
    assert access_guard.problems(inputs, state("root", ["root"])) == []


def test_a_hand_over_to_someone_who_is_no_admin_is_refused(inputs):
    inputs["operator_access_handover_user"] = "carol"
    [problem] = access_guard.problems(inputs, state("root", ["root"]))
    assert "hands over to 'carol' (operator_access_handover_user), who is not a present admin with a key" in problem


def test_a_launch_user_outside_the_inventory_would_lose_sudo(inputs):
    [problem] = access_guard.problems(inputs, state("debian", ["debian", "sudo"]))
    assert "Ansible logs in as 'debian', who after this run is in no group" in problem


def test_a_launch_user_in_an_allowed_group_still_loses_its_sudo_grant(inputs):
    [problem] = access_guard.problems(inputs, state("debian", ["debian", "sshusers"]))
    assert "operator_access_exclusive_sudo removes every other sudo grant" in problem


def test_the_switch_lets_an_account_managed_elsewhere_through_only_without_exclusive_sudo(inputs):
    inputs["access_guard_check_login_account"] = "false"
    assert len(access_guard.problems(inputs, state("deploy", ["deploy", "sshusers"]))) == 1
    inputs["operator_access_exclusive_sudo"] = False
    assert access_guard.problems(inputs, state("deploy", ["deploy", "sshusers"])) == []
    inputs["access_guard_check_login_account"] = True
    [problem] = access_guard.problems(inputs, state("deploy", ["deploy", "sshusers"]))
    assert "would not be a present admin with a key in operator_access_users" in problem


def test_a_login_group_that_sshd_will_not_allow(inputs):
    inputs["ssh_hardening_allow_groups"] = ["wheel"]
    [problem] = access_guard.problems(inputs, state())
    assert "in no group that ssh_hardening_allow_groups ['wheel'] allows (operators join sshusers)" in problem


@pytest.mark.parametrize("source", ["10.99.0.4", "", "not-an-address"])
def test_a_controller_outside_the_vpn(inputs, source):
    [problem] = access_guard.problems(inputs, state(source=source))
    assert "the controller connects from" in problem and "outside firewall_vpn_cidrs" in problem


def test_the_source_check_can_be_switched_off_as_typed(inputs):
    inputs["access_guard_check_controller_source"] = "no"
    assert access_guard.problems(inputs, state(source="10.99.0.4")) == []
