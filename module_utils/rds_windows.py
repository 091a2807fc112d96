# -*- coding: utf-8 -*-
"""RDS backup and maintenance windows: parsing, and the checks AWS makes (and moto does not).

RDS windows are in UTC. The backup window repeats daily (`hh24:mi-hh24:mi`); the maintenance
window weekly (`ddd:hh24:mi-ddd:hh24:mi`). Either may run past midnight or past the end of
the week. Both must last at least 30 minutes and must not overlap.
"""

from __future__ import annotations

import re
from collections import namedtuple

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
MIN_WINDOW_MINUTES = 30

_CLOCK = r"([01][0-9]|2[0-3]):([0-5][0-9])"
_DAILY = re.compile(r"^{0}-{0}$".format(_CLOCK))
_WEEKLY = re.compile(r"^({0}):{1}-({0}):{1}$".format("|".join(DAYS), _CLOCK))

# start: minutes after Monday 00:00 UTC (weekly) or after 00:00 UTC (daily); length in minutes.
Window = namedtuple("Window", "text start length period")


class WindowError(ValueError):
    pass


def _window(text, start, end, period, kind):
    length = (end - start) % period
    if length < MIN_WINDOW_MINUTES:
        raise WindowError(
            "{0} window {1!r} lasts {2} minutes; RDS needs at least {3}".format(kind, text, length, MIN_WINDOW_MINUTES)
        )
    return Window(text, start, length, period)


def parse_backup_window(text):
    """`hh24:mi-hh24:mi` (UTC, daily) -> Window; WindowError when malformed or too short."""
    match = _DAILY.match(str(text).strip())
    if not match:
        raise WindowError("backup window {0!r} is not of the form hh24:mi-hh24:mi (UTC), e.g. 17:00-17:30".format(text))
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return _window(match.group(0), h1 * 60 + m1, h2 * 60 + m2, MINUTES_PER_DAY, "backup")


def parse_maintenance_window(text):
    """`ddd:hh24:mi-ddd:hh24:mi` (UTC, weekly) -> Window; WindowError when malformed or too short."""
    match = _WEEKLY.match(str(text).strip().lower())
    if not match:
        raise WindowError(
            "maintenance window {0!r} is not of the form ddd:hh24:mi-ddd:hh24:mi (UTC, days mon..sun), "
            "e.g. sat:19:00-sat:21:00".format(text)
        )
    d1, h1, m1, d2, h2, m2 = match.groups()
    start = DAYS.index(d1) * MINUTES_PER_DAY + int(h1) * 60 + int(m1)
    end = DAYS.index(d2) * MINUTES_PER_DAY + int(h2) * 60 + int(m2)
    return _window(match.group(0), start, end, MINUTES_PER_WEEK, "maintenance")


def _circular_overlap(a_start, a_length, b_start, b_length, period):
    return (b_start - a_start) % period < a_length or (a_start - b_start) % period < b_length


def windows_overlap(backup, maintenance):
    """True when any daily occurrence of the backup window meets the weekly maintenance window."""
    return any(
        _circular_overlap(
            day * MINUTES_PER_DAY + backup.start, backup.length, maintenance.start, maintenance.length, MINUTES_PER_WEEK
        )
        for day in range(7)
    )


def window_problems(backup_window=None, maintenance_window=None):
    """Every problem with a pair of windows (either may be None), as sentences; [] when fine."""
    problems, parsed = [], {}
    for key, text, parse in (
        ("backup", backup_window, parse_backup_window),
        ("maintenance", maintenance_window, parse_maintenance_window),
    ):
        if text is None:
            continue
        try:
            parsed[key] = parse(text)
        except WindowError as exc:
            problems.append(str(exc))
    if len(parsed) == 2 and windows_overlap(parsed["backup"], parsed["maintenance"]):
        problems.append(
            "backup window {0} overlaps maintenance window {1}; RDS needs them apart".format(
                parsed["backup"].text, parsed["maintenance"].text
            )
        )
    return problems


def normalize(text):
    """The form RDS reports a window in (lower-case days), for comparing with its answer."""
    return str(text).strip().lower() if text is not None else None
