"""Checks of the platform_audit role's input, before anything is asked."""

from __future__ import annotations

import datetime as dt


def problems(inputs, host_state=None):
    found = []
    if not str(inputs["platform_audit_report_root"]).startswith("/"):
        found.append(f"platform_audit_report_root {inputs['platform_audit_report_root']!r} is not an absolute path")
    if int(inputs["platform_audit_maintenance_max_age_days"]) < 1:
        found.append(f"platform_audit_maintenance_max_age_days {inputs['platform_audit_maintenance_max_age_days']} must be 1 or more")
    if not 0 < float(inputs["platform_audit_uptime_target_percent"]) <= 100:
        found.append(f"platform_audit_uptime_target_percent {inputs['platform_audit_uptime_target_percent']} is not a percentage (above 0, at most 100)")
    moment = str(inputs["platform_audit_now"] or "")
    if moment:
        try:
            parsed = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            found.append(f"platform_audit_now {moment!r} is not an ISO 8601 moment with its time zone (2026-12-07T10:00:00Z)")
    unknown = sorted(set(inputs["platform_audit_aws_checks"] or {}) - {"security_groups", "backups", "autoscaling", "alarms", "uptime"})
    if unknown:
        found.append(f"platform_audit_aws_checks names checks that do not exist: {', '.join(unknown)}")
    return found
