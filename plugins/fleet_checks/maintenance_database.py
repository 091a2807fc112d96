"""Checks of the maintenance_database role's input."""

from __future__ import annotations

import re

# RDS pending maintenance action names (DescribePendingMaintenanceActions).
_ACTION = re.compile(r"^[a-z][a-z0-9-]*$")


def problems(inputs, host_state=None):
    found = []
    for index, action in enumerate(inputs["maintenance_database_pending_actions"] or []):
        if not _ACTION.match(str(action)):
            found.append(f"maintenance_database_pending_actions[{index}] '{action}' is not an RDS maintenance action name"
                         " (such as system-update, db-upgrade, os-upgrade)")
    if int(inputs["maintenance_database_answer_timeout"]) < 10:
        found.append(f"maintenance_database_answer_timeout {inputs['maintenance_database_answer_timeout']} is under 10 seconds")
    return found
