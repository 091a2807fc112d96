"""Lock-out checks of the bootstrap, across operator_access, ssh_hardening and firewall.

Each refusal that a later role would otherwise make in the middle of the run (ssh_hardening
refusing a root login, sudo lost with the other grants) is made here, before the first change,
whatever the switches say. host_state is what roles/access_guard/files/probe.py read over this
connection: login_user, login_groups, ssh_source.
"""

from __future__ import annotations

from . import operator_access, rules

_FIRST_RUN_HINT = (
    "For a first run on a server handed over with that account, keep ansible_user an admin of"
    " operator_access_users and pass -e bootstrap_first_login_user={login}: the run creates the"
    " operators, hands over to that admin and proves its key login and sudo before sshd is hardened"
)


def _final_account(inputs, login):
    """The account the run is logged in as when sshd is hardened: the hand-over admin, if any."""
    return inputs["operator_access_handover_user"] or login


def _sshd_refusal(inputs, host_state, account, entry):
    """Why the hardened sshd would refuse ACCOUNT after this run, or ''."""
    if account == "root":
        return "whom sshd refuses after this run (PermitRootLogin no)"
    allowed = inputs["ssh_hardening_allow_groups"]
    groups = set(host_state["login_groups"]) if account == host_state["login_user"] else set()
    if entry and entry["state"] == "present":
        groups.add(inputs["operator_access_login_group"])
    if allowed and not groups & set(allowed):
        return (f"who after this run is in no group that ssh_hardening_allow_groups {allowed} allows"
                f" (operators join {inputs['operator_access_login_group']})")
    return ""


def _account_problem(inputs, host_state):
    login = host_state["login_user"]
    account = _final_account(inputs, login)
    admins = operator_access.admins_with_keys(inputs)
    entry = {u["name"]: u for u in operator_access.users(inputs)}.get(account)
    who = f"Refusing to change {inputs['inventory_hostname']}: Ansible logs in as '{login}'"
    if account != login:
        who += f" and hands over to '{account}' (operator_access_handover_user)"
        if account not in admins:
            return f"{who}, who is not a present admin with a key in operator_access_users"
    hint = ". " + _FIRST_RUN_HINT.format(login=login)
    refusal = _sshd_refusal(inputs, host_state, account, entry)
    if refusal:
        return f"{who}, {refusal}{hint}"
    if account not in admins and rules.as_bool(inputs["operator_access_exclusive_sudo"]):
        return (f"{who}, who is not a present admin in operator_access_users: operator_access_exclusive_sudo removes"
                f" every other sudo grant in this run, and the rest of the run would fail half-applied{hint}")
    if account not in admins and rules.as_bool(inputs["access_guard_check_login_account"]):
        return (f"{who}, who after this run would not be a present admin with a key in operator_access_users"
                " (set access_guard_check_login_account: false only for an account managed outside this inventory)")
    return ""


def _source_problem(inputs, host_state):
    source = host_state["ssh_source"]
    cidrs = inputs["firewall_vpn_cidrs"]
    try:
        inside = bool(source) and rules.address_in(source, cidrs)
    except ValueError:
        inside = False
    if inside:
        return ""
    return (f"Refusing to change {inputs['inventory_hostname']}: the controller connects from"
            f" '{source or 'an unknown address'}', which is outside firewall_vpn_cidrs {cidrs}; after the firewall"
            " loads, this controller could not reach port 22 again.")


def problems(inputs, host_state=None):
    found = [_account_problem(inputs, host_state)]
    if rules.as_bool(inputs["access_guard_check_controller_source"]):
        found.append(_source_problem(inputs, host_state))
    return [p for p in found if p]
