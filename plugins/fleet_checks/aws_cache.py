"""Checks of the aws_cache role's input: the replication group is not touched while one fails.

ElastiCache's own rules (identifier, window syntax and length, retention, node type) are the
ones the elasticache_replication_group module applies, read from module_utils/fleet_elasticache.py
so that both say the same. What the SOP adds is checked here: the maintenance window lies inside
the weekly slot the monthly maintenance window falls in (plugins/filter/fleet_window.py), and the
snapshot window stays clear of it and of the database's backup window.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

from . import rules

try:  # as plugins.fleet_checks (pytest)
    from ..filter import fleet_window
except ImportError:  # as fleet_checks, with plugins/ on sys.path (the validate_input action)
    from filter import fleet_window  # type: ignore[no-redef]


def _elasticache_rules():
    # module_utils/ is no package on the controller; the file is standard library only.
    path = Path(__file__).resolve().parents[2] / "module_utils" / "fleet_elasticache.py"
    spec = importlib.util.spec_from_file_location("fleet_elasticache_rules", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


elasticache = _elasticache_rules()
# The windows of the coming year: enough to see that they all fall in one weekly slot.
_WINDOWS_CHECKED = 12


def monthly_window_slot(now):
    """(start, length, next window): the weekly span, in minutes after Monday 00:00 UTC, that every
    monthly window of the year after NOW falls in, and the next window as fleet_window describes
    it. ValueError when the windows do not share one weekly slot (a window in a zone with
    daylight saving would not), since a weekly ElastiCache window could not follow them."""
    windows = fleet_window.windows_after(now, _WINDOWS_CHECKED)
    slots = {(w.start.weekday() * elasticache.MINUTES_PER_DAY + w.start.hour * 60 + w.start.minute,
              int((w.end - w.start).total_seconds() // 60)) for w in windows}
    if len(slots) != 1:
        raise ValueError("the monthly maintenance windows of the coming year do not fall in one weekly UTC slot")
    start, length = slots.pop()
    return start, length, fleet_window.describe(windows[0])


def _parsed(name, text, parse, found):
    try:
        return parse(text)
    except elasticache.WindowError as exc:
        found.append(f"{name}: {exc}")
    return None


def _maintenance_problems(window, now):
    try:
        start, length, upcoming = monthly_window_slot(now)
    except ValueError as exc:
        return [f"aws_cache_maintenance_window cannot be checked: {exc}"]
    if elasticache.inside(window, start, length):
        return []
    slot = elasticache.weekly_text(start, length)
    return [f"aws_cache_maintenance_window {window.text!r} is not inside the monthly maintenance window: ElastiCache may"
            f" apply updates in its weekly window any week, so the window must lie within {slot} (UTC), the weekly slot"
            f" of the monthly window (the next: {upcoming['wib_text']})"]


def _window_problems(inputs, now):
    found = []
    snapshot = _parsed("aws_cache_snapshot_window", inputs["aws_cache_snapshot_window"], elasticache.parse_snapshot_window, found)
    maintenance = _parsed("aws_cache_maintenance_window", inputs["aws_cache_maintenance_window"],
                          elasticache.parse_maintenance_window, found)
    if maintenance:
        found += _maintenance_problems(maintenance, now)
    if snapshot and maintenance and elasticache.overlap(snapshot, maintenance):
        found.append(f"aws_cache_snapshot_window {snapshot.text} overlaps aws_cache_maintenance_window {maintenance.text}:"
                     " no snapshot may run while ElastiCache patches or fails over")
    backup_text = str(inputs["aws_cache_database_backup_window"] or "").strip()
    if snapshot and backup_text:
        backup = _parsed("aws_cache_database_backup_window", backup_text,
                         lambda text: elasticache.parse_daily_window(text, "database backup"), found)
        if backup and elasticache.overlap(snapshot, backup):
            found.append(f"aws_cache_snapshot_window {snapshot.text} overlaps the database's backup window {backup.text}"
                         " (aws_cache_database_backup_window): take the two restore points apart")
    return found


def _retention_problem(days):
    try:
        days = int(days)
    except (TypeError, ValueError):
        return f"aws_cache_snapshot_retention_days {days!r} is not a whole number of days"
    if days == 0:
        return "aws_cache_snapshot_retention_days is 0, which turns the daily snapshots off: keep 1 to 35 days"
    return elasticache.retention_problem("aws_cache_snapshot_retention_days", days)


def _creation_problems(inputs):
    found = [elasticache.node_type_problem("aws_cache_node_type", inputs["aws_cache_node_type"]),
             elasticache.engine_version_problem("aws_cache_engine_version", inputs["aws_cache_engine_version"])]
    try:
        found.append(elasticache.clusters_problem("aws_cache_num_cache_clusters", int(inputs["aws_cache_num_cache_clusters"]), True))
    except (TypeError, ValueError):
        found.append(f"aws_cache_num_cache_clusters {inputs['aws_cache_num_cache_clusters']!r} is not a whole number")
    if not str(inputs["aws_cache_subnet_group"] or "").strip():
        found.append("aws_cache_subnet_group is empty: a new group needs the cache subnet group of the VPC's subnets"
                     " (the inventory's fleet_aws_cache_subnet_group)")
    if not str(inputs["aws_cache_security_group_name"] or "").strip():
        found.append("aws_cache_security_group_name is empty: a new group needs the cache's security group (PREFIX-cache)")
    return found


def problems(inputs, host_state=None):
    now = fleet_window.as_utc((host_state or {}).get("now") or dt.datetime.now(dt.timezone.utc))
    group_id = str(inputs["aws_cache_group_id"] or "").strip()
    if not group_id:
        found = ["aws_cache_group_id is empty: name the Redis replication group (the inventory's fleet_aws_cache_group_id)"]
    else:
        found = [elasticache.group_id_problem("aws_cache_group_id", group_id)]
    found.append(_retention_problem(inputs["aws_cache_snapshot_retention_days"]))
    found += _window_problems(inputs, now)
    if int(inputs["aws_cache_wait_timeout"]) < 0:
        found.append(f"aws_cache_wait_timeout {inputs['aws_cache_wait_timeout']} is negative")
    switches = {}
    for name in ("aws_cache_create", "aws_cache_maintenance_window_available"):
        try:
            switches[name] = rules.as_bool(inputs[name])
        except ValueError as exc:
            found.append(f"{name}: {exc}")
    if switches.get("aws_cache_create"):
        found += _creation_problems(inputs)
    return [problem for problem in found if problem]
