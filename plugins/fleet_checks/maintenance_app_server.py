"""Checks of the maintenance_app_server role's input."""

from __future__ import annotations

from . import rules


def problems(inputs, host_state=None):
    found = []
    problem = rules.hostname_problem(str(inputs["maintenance_app_server_health_name"]))
    if problem:
        found.append(f"maintenance_app_server_health_name '{inputs['maintenance_app_server_health_name']}' {problem}")
    if not str(inputs["maintenance_app_server_health_path"]).startswith("/"):
        found.append(f"maintenance_app_server_health_path '{inputs['maintenance_app_server_health_path']}' must start with /")
    for name in ("maintenance_app_server_health_timeout", "maintenance_app_server_canary_soak_seconds",
                 "maintenance_app_server_soak_seconds", "maintenance_app_server_soak_rate"):
        if float(inputs[name]) <= 0:
            found.append(f"{name} {inputs[name]} must be above 0")
    if not 0 <= float(inputs["maintenance_app_server_error_rate_percent"]) <= 100:
        found.append(f"maintenance_app_server_error_rate_percent {inputs['maintenance_app_server_error_rate_percent']}"
                     " is not a percentage (0-100)")
    return found
