"""The restore drills' records (reports/<env>/restore-drill/<UTC timestamp>/report.json, written by
roles/restore_drill), read for the audit: plain Python, importable without Ansible."""

from __future__ import annotations

import json
from pathlib import Path


def fleet_drills(report_root, environment):
    """Every readable drill record of ENVIRONMENT under REPORT_ROOT, newest first, each with its
    folder as report_dir. A folder without a readable report.json (a drill stopped before it
    wrote one) is left out: it proves no restore."""
    folder = Path(str(report_root)) / str(environment) / "restore-drill"
    if not folder.is_dir():
        return []
    records = []
    # The folders are UTC timestamps (YYYYMMDDTHHMMSSZ): their names sort as their times.
    for run in sorted((entry for entry in folder.iterdir() if entry.is_dir()), key=lambda entry: entry.name, reverse=True):
        try:
            record = json.loads((run / "report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and record.get("kind") == "restore-drill":
            records.append(dict(record, report_dir=str(run)))
    return records


def fleet_last_drill(report_root, environment, succeeded_only=False):
    """The newest drill record of ENVIRONMENT (with SUCCEEDED_ONLY, the newest that succeeded), or None."""
    return next((record for record in fleet_drills(report_root, environment)
                 if not succeeded_only or record.get("status") == "succeeded"), None)


class FilterModule:
    def filters(self):
        return {"fleet_drills": fleet_drills, "fleet_last_drill": fleet_last_drill}
