"""Checks of the maintenance_preflight role's input: the SOP's thresholds."""

from __future__ import annotations

_PERCENTS = ("maintenance_preflight_cpu_percent", "maintenance_preflight_memory_percent",
             "maintenance_preflight_db_connections_percent", "maintenance_preflight_error_rate_percent")
# The aws entry point reads CloudWatch over at most a day (cloudwatch_figures' own limit).
_CLOUDWATCH_MINUTES_MAX = 1440


def problems(inputs, host_state=None):
    found = []
    for name in _PERCENTS:
        if not 0 <= float(inputs[name]) <= 100:
            found.append(f"{name} {inputs[name]} is not a percentage (0-100)")
    if float(inputs["maintenance_preflight_p95_seconds"]) <= 0:
        found.append(f"maintenance_preflight_p95_seconds {inputs['maintenance_preflight_p95_seconds']} must be above 0")
    if int(inputs["maintenance_preflight_min_in_service"]) < 2:
        found.append(f"maintenance_preflight_min_in_service {inputs['maintenance_preflight_min_in_service']} is below 2:"
                     " the SOP keeps at least 2 app servers in service")
    for name in ("maintenance_preflight_cpu_sample_seconds", "maintenance_preflight_probe_seconds", "maintenance_preflight_probe_rate"):
        if float(inputs[name]) <= 0:
            found.append(f"{name} {inputs[name]} must be above 0")
    minutes = inputs["maintenance_preflight_cloudwatch_minutes"]
    if not 1 <= int(minutes) <= _CLOUDWATCH_MINUTES_MAX:
        found.append(f"maintenance_preflight_cloudwatch_minutes {minutes} must be 1 to {_CLOUDWATCH_MINUTES_MAX} minutes")
    return found
