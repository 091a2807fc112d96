"""Checks of the aws_database role's input: nothing in AWS is touched while one fails."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from . import rules

_MODULE_UTILS = Path(__file__).resolve().parents[2] / "module_utils"
READ_REPLICA_CHOICES = ("auto", "present", "absent")
REPLICA_SUFFIX = "-replica-1"
# The read-load window is read in 5-minute averages, at most a day of them (library/rds_read_load.py).
PERIOD_MINUTES = 5
MAX_MINUTES = 1440
RETENTION_DAYS = (1, 35)


@lru_cache(maxsize=None)
def module_utils(name):
    """module_utils/NAME.py, where the modules keep AWS's RDS rules. Ansible puts that folder on the
    modules' path only, so the controller-side checks load it by its path (it imports nothing of Ansible's)."""
    spec = importlib.util.spec_from_file_location(f"fleet_checks_{name}", _MODULE_UTILS / f"{name}.py")
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def rds_identifier_problem(variable, value):
    """Why VALUE of VARIABLE is no DB instance identifier AWS accepts (its rules, as the modules
    apply them), or ""."""
    if not isinstance(value, str):
        return f"{variable} {value!r} is not a DB instance identifier (a string)"
    return module_utils("fleet_rds").identifier_problem(variable, value, "DB instance") or ""


def threshold_problem(variable, value):
    found = rules.number(value)
    if found is None or not 0 < found <= 100:
        return f"{variable} {value!r} must be a percentage more than 0 and at most 100"
    return ""


def minutes_problem(variable, value):
    found = rules.number(value)
    if found is None or found != int(found) or not PERIOD_MINUTES <= found <= MAX_MINUTES or int(found) % PERIOD_MINUTES:
        return (f"{variable} {value!r} must be whole minutes, a multiple of {PERIOD_MINUTES} from {PERIOD_MINUTES}"
                f" to {MAX_MINUTES}: CloudWatch's read load is read in {PERIOD_MINUTES}-minute averages")
    return ""


def _window_problems(backup, maintenance):
    windows = module_utils("rds_windows")
    found = [f"aws_database_backup_window: {p}" for p in windows.window_problems(backup, None)]
    found += [f"aws_database_maintenance_window: {p}" for p in windows.window_problems(None, maintenance)]
    if not found:
        found = [f"aws_database_backup_window and aws_database_maintenance_window: {p}"
                 for p in windows.window_problems(backup, maintenance)]
    return found


def problems(inputs, host_state=None):
    identifier = inputs["aws_database_db_identifier"]
    found = []
    problem = rds_identifier_problem("aws_database_db_identifier", identifier)
    if problem:
        found.append(problem if str(identifier).strip() else
                     "aws_database_db_identifier is empty: name the DB instance (the inventory's rds_db_identifier)")
    elif len(identifier) + len(REPLICA_SUFFIX) > module_utils("fleet_rds").IDENTIFIER_MAX_LENGTHS["DB instance"]:
        found.append(f"aws_database_db_identifier {identifier!r} is too long for its read replica's identifier"
                     f" {identifier + REPLICA_SUFFIX!r}: RDS takes 63 characters at most")
    if inputs["aws_database_read_replica"] not in READ_REPLICA_CHOICES:
        found.append(f"aws_database_read_replica {inputs['aws_database_read_replica']!r} must be one of"
                     f" {', '.join(READ_REPLICA_CHOICES)}")
    found += [p for p in (threshold_problem("aws_database_read_load_threshold", inputs["aws_database_read_load_threshold"]),
                          minutes_problem("aws_database_read_load_minutes", inputs["aws_database_read_load_minutes"])) if p]
    retention = rules.number(inputs["aws_database_backup_retention_days"])
    low, high = RETENTION_DAYS
    if retention is None or retention != int(retention) or not low <= retention <= high:
        found.append(f"aws_database_backup_retention_days {inputs['aws_database_backup_retention_days']!r} must be"
                     f" {low} to {high} days (RDS's range; 0 would switch automated backups off)")
    found += _window_problems(inputs["aws_database_backup_window"], inputs["aws_database_maintenance_window"])
    for name in ("aws_database_multi_az", "aws_database_deletion_protection", "aws_database_apply_immediately"):
        try:
            rules.as_bool(inputs[name])
        except ValueError as err:
            found.append(f"{name}: {err}")
    return found
