"""Checks of the maintenance_schedule role's input, against what its validation read on the
controller (host_state: whether the account exists, and a stat of each path the services use)."""

from __future__ import annotations

import re

from . import rules

# A word systemd's ExecStart= and the other unit settings take as it is: no spaces, quotes,
# backslashes, $ (variable expansion) or % (specifiers).
_WORD = re.compile(r"^[A-Za-z0-9_@+=:,./-]+$")
_PLAYBOOKS = {"runbook": "playbooks/maintenance.yml", "notice": "playbooks/maintenance_notice.yml"}
_WORD_RULE = "letters, digits and _@+=:,./- only (no spaces, quotes, $ or %), as systemd reads unit settings"


def _path_problem(name, value, absolute=True):
    if not isinstance(value, str) or not _WORD.match(value):
        return f"{name} '{value}' is not a path systemd can take unquoted: {_WORD_RULE}"
    if absolute and not value.startswith("/"):
        return f"{name} '{value}' is not an absolute path"
    return ""


def problems(inputs, host_state=None):
    found = []
    state = host_state or {}
    paths = state.get("paths", {})

    def seen(key):
        return paths.get(key) or {}

    project = inputs["maintenance_schedule_project_dir"]
    problem = _path_problem("maintenance_schedule_project_dir", project)
    if problem:
        found.append(problem)
    elif not seen("project_dir").get("isdir"):
        found.append(f"maintenance_schedule_project_dir '{project}' is not a folder on the controller")
    else:
        for key in ("runbook", "notice"):
            if not seen(key).get("isreg"):
                found.append(f"maintenance_schedule_project_dir '{project}' does not hold {_PLAYBOOKS[key]}")

    inventory = inputs["maintenance_schedule_inventory"]
    problem = _path_problem("maintenance_schedule_inventory", inventory, absolute=False)
    if problem:
        found.append(problem)
    elif not seen("inventory").get("exists"):
        found.append(
            f"maintenance_schedule_inventory '{inventory}' is not a file or folder"
            f"{'' if str(inventory).startswith('/') else ' in ' + str(project)}: name an environment, such as inventories/production"
        )

    user = inputs["maintenance_schedule_user"]
    if not isinstance(user, str) or not rules.LOGIN_NAME.match(user):
        found.append(f"maintenance_schedule_user '{user}' is not a login name")
    elif not rules.as_bool(state.get("user_exists", False)):
        found.append(f"maintenance_schedule_user '{user}' is not an account on the controller")

    ansible_playbook = inputs["maintenance_schedule_ansible_playbook"]
    problem = _path_problem("maintenance_schedule_ansible_playbook", ansible_playbook)
    if problem:
        found.append(problem)
    elif not (seen("ansible_playbook").get("isreg") and seen("ansible_playbook").get("executable")):
        found.append(
            f"maintenance_schedule_ansible_playbook '{ansible_playbook}' is not an executable file"
            " (./fleet up or scripts/setup makes the project's .venv)"
        )

    environment_file = inputs["maintenance_schedule_environment_file"]
    if environment_file:
        problem = _path_problem("maintenance_schedule_environment_file", environment_file)
        stat = seen("environment_file")
        if problem:
            found.append(problem)
        elif not stat.get("isreg"):
            found.append(
                f"maintenance_schedule_environment_file '{environment_file}' is not a file on the controller:"
                " create it (mode 0600) with the services' secrets, or set it to '' for none"
            )
        elif int(str(stat.get("mode", "0")), 8) & 0o007:
            found.append(
                f"maintenance_schedule_environment_file '{environment_file}' is readable or writable by every"
                f" user (mode {stat.get('mode')}): it holds secrets, make it 0600 or 0640"
            )

    problem = _path_problem("maintenance_schedule_unit_dir", inputs["maintenance_schedule_unit_dir"])
    if problem:
        found.append(problem)

    for name in ("maintenance_schedule_runbook_args", "maintenance_schedule_notice_args"):
        for index, word in rules.indexed(inputs[name]):
            if not isinstance(word, str) or not _WORD.match(word):
                found.append(f"{name}[{index}] '{word}' is not one word: {_WORD_RULE}")
    return found

