"""Checks of the maintenance_window role's input."""

from __future__ import annotations

import datetime

from . import rules


def _moment_problem(text):
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return f"maintenance_window_now '{text}' is not an ISO 8601 moment such as 2027-01-02T19:30:00Z"
    return ""


def problems(inputs, host_state=None):
    found = []
    reason = str(inputs["maintenance_window_override_reason"]).strip()
    if rules.as_bool(inputs["maintenance_window_override"]) and not reason:
        found.append("maintenance_window_override is true but maintenance_window_override_reason is empty:"
                     " say why the run goes ahead outside the window (it goes in the report)")
    if "\n" in reason or len(reason) > 300:
        found.append("maintenance_window_override_reason must be one line of at most 300 characters")
    if inputs["maintenance_window_now"]:
        found.append(_moment_problem(str(inputs["maintenance_window_now"])))
    if int(inputs["maintenance_window_host_estimate"]) < 1:
        found.append(f"maintenance_window_host_estimate {inputs['maintenance_window_host_estimate']} must be 1 second or more")
    if int(inputs["maintenance_window_margin"]) < 0:
        found.append(f"maintenance_window_margin {inputs['maintenance_window_margin']} is negative")
    return [p for p in found if p]
