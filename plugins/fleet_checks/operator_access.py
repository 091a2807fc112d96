"""Checks of the operator_access role's input."""

from __future__ import annotations

from pathlib import Path

from . import rules, spec


def users(inputs):
    """operator_access_users with the argument spec's sub-option defaults filled in. The role's
    own path is a sibling of whichever role runs the check (the access guard reads it too)."""
    role_path = Path(inputs["role_path"]).parent / "operator_access"
    return spec.with_spec_defaults(inputs["operator_access_users"], role_path, "operator_access_users")


def admins_with_keys(inputs):
    """Names of the present admins that have at least one key."""
    return [u["name"] for u in users(inputs) if u["state"] == "present" and u["admin"] and u["keys"]]


def _user_problems(index, user, names):
    where = f"operator_access_users[{index}] ({user['name']})"
    found = []
    if not rules.LOGIN_NAME.match(user["name"]):
        found.append(f"{where}: name must be a lowercase login name of at most 32 characters")
    elif user["name"] == "root":
        found.append(f"{where}: root cannot be an operator account; root login stays disabled")
    if names.count(user["name"]) > 1:
        found.append(f"{where}: the name appears more than once")
    if user["state"] == "present":
        if not user["keys"]:
            found.append(f"{where}: keys is empty; a present operator needs at least one SSH public key")
        for key_index, key in enumerate(user["keys"]):
            problem = rules.ssh_public_key_problem(key)
            if problem:
                found.append(f"{where}: keys[{key_index}] is not a valid SSH public key: {problem}")
    return found


def problems(inputs, host_state=None):
    found = []
    try:
        listed = users(inputs)
    except ValueError as err:
        return [str(err)]
    names = [u["name"] for u in listed]
    for index, user in enumerate(listed):
        found += _user_problems(index, user, names)
    for variable in ("operator_access_admin_group", "operator_access_login_group"):
        group = inputs[variable]
        if not rules.LOGIN_NAME.match(group) or group in ("root", "sudo"):
            found.append(f"{variable}: '{group}' must be a new lowercase group name (not root or sudo)")
    if inputs["operator_access_admin_group"] == inputs["operator_access_login_group"]:
        found.append("operator_access_login_group: must differ from operator_access_admin_group, or every operator would get sudo")
    if not admins_with_keys(inputs):
        found.append(
            "operator_access_users: no present admin with at least one SSH key; after this run nobody"
            " could log in and use sudo (admin: true grants sudo)"
        )
    return found
