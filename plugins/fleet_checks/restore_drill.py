"""Checks of the restore_drill role's input: no restore starts, and the source is never named as
the copy, while one fails."""

from __future__ import annotations

import re

from . import rules
from .aws_database import module_utils, rds_identifier_problem

# The copy's identifier when none is given: SOURCE-drill-YYYYMMDD-HHMMSS (UTC).
DRILL_SUFFIX_LENGTH = len("-drill-20260607-200000")
# RDS uploads the transaction logs every 5 minutes: a later point may not be restorable yet.
MIN_MINUTES_AGO = 5
# The longest automated-backup retention RDS offers, 35 days.
MAX_MINUTES_AGO = 35 * 24 * 60
_INSTANCE_CLASS = re.compile(r"^db\.[a-z0-9-]+\.[a-z0-9-]+(\.[a-z0-9-]+)*$")
_CREDENTIALS = {
    "restore_drill_login_user": "vault_restore_drill_login_user or the environment's PGUSER",
    "restore_drill_login_password": "vault_restore_drill_login_password or the environment's PGPASSWORD",
}


def _identifier_problems(source, identifier):
    found = []
    problem = rds_identifier_problem("restore_drill_source", source)
    if problem:
        found.append(problem if str(source).strip() else
                     "restore_drill_source is empty: name the DB instance to restore (the inventory's rds_db_identifier)")
    longest = module_utils("fleet_rds").IDENTIFIER_MAX_LENGTHS["DB instance"]
    if not identifier:
        if not problem and len(source) + DRILL_SUFFIX_LENGTH > longest:
            found.append(f"restore_drill_source {source!r} is too long for the copy's identifier SOURCE-drill-YYYYMMDD-HHMMSS"
                         f" ({longest} characters at most): set restore_drill_identifier")
        return found
    problem = rds_identifier_problem("restore_drill_identifier", identifier)
    if problem:
        found.append(problem)
    elif module_utils("fleet_rds").same_identifier(identifier, source):
        found.append(f"restore_drill_identifier {identifier!r} names the source itself: the drill restores into a"
                     " temporary instance of its own and never touches the source")
    return found


def problems(inputs, host_state=None):
    found = _identifier_problems(inputs["restore_drill_source"], inputs["restore_drill_identifier"])
    minutes = rules.number(inputs["restore_drill_minutes_ago"])
    if minutes is None or minutes != int(minutes) or not MIN_MINUTES_AGO <= minutes <= MAX_MINUTES_AGO:
        found.append(f"restore_drill_minutes_ago {inputs['restore_drill_minutes_ago']!r} must be whole minutes from"
                     f" {MIN_MINUTES_AGO} (RDS's latest restorable time trails by up to 5 minutes) to {MAX_MINUTES_AGO} (35 days)")
    hours = rules.number(inputs["restore_drill_target_hours"])
    if hours is None or hours <= 0:
        found.append(f"restore_drill_target_hours {inputs['restore_drill_target_hours']!r} must be more than 0 hours")
    delay = rules.number(inputs["restore_drill_wait_delay"])
    if delay is None or delay != int(delay) or delay < 1:
        found.append(f"restore_drill_wait_delay {inputs['restore_drill_wait_delay']!r} must be whole seconds, at least 1")
    instance_class = inputs["restore_drill_instance_class"]
    if instance_class and not _INSTANCE_CLASS.match(str(instance_class)):
        found.append(f"restore_drill_instance_class {instance_class!r} is not a DB instance class (db.m6g.large);"
                     " leave it empty for the source's")
    if not str(inputs["restore_drill_report_root"]).strip():
        found.append("restore_drill_report_root is empty: the drill's record needs a folder")
    try:
        connect = rules.as_bool(inputs["restore_drill_connect"])
    except ValueError as err:
        return found + [f"restore_drill_connect: {err}"]
    if connect:
        found += [f"{name} is empty: the drill connects to the copy to run a query, as {source} gives it"
                  for name, source in _CREDENTIALS.items() if not str(inputs[name] or "").strip()]
    return found
