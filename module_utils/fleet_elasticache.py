# -*- coding: utf-8 -*-
"""ElastiCache's rules for a replication group's identifier and its two windows, as sentences.

ElastiCache windows are in UTC. The snapshot window repeats daily (`hh24:mi-hh24:mi`), the
maintenance window weekly (`ddd:hh24:mi-ddd:hh24:mi`); either may run past midnight or past the
end of the week, and each lasts at least 60 minutes (RDS's rules in rds_windows.py allow 30).

Standard library only, on purpose: besides the elasticache_replication_group module (which gets
it as ansible.module_utils.fleet_elasticache), the aws_cache role's input check
(plugins/fleet_checks/aws_cache.py) loads this file by its path on the controller, where the
project's module_utils are no package, so that the role and the module refuse the same things in
the same words.
"""

from __future__ import annotations

import re
from collections import namedtuple

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
MIN_WINDOW_MINUTES = 60
RETENTION_RANGE = (0, 35)
GROUP_ID_MAX = 40
# A cluster-mode-disabled group: a primary and up to 5 replicas.
CLUSTERS_RANGE = (1, 6)

_CLOCK = r"([01][0-9]|2[0-3]):([0-5][0-9])"
_DAILY = re.compile(r"^{0}-{0}$".format(_CLOCK))
_WEEKLY = re.compile(r"^({0}):{1}-({0}):{1}$".format("|".join(DAYS), _CLOCK))
_GROUP_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_NODE_TYPE = re.compile(r"^cache\.[a-z0-9-]+\.[a-z0-9]+$")
_ENGINE_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,2}$")

# start: minutes after 00:00 UTC (daily) or after Monday 00:00 UTC (weekly); length in minutes;
# period: the minutes after which the window comes back.
Window = namedtuple("Window", "text start length period")


class WindowError(ValueError):
    pass


def _window(text, start, end, period, kind, minimum=MIN_WINDOW_MINUTES):
    length = (end - start) % period
    if length < minimum:
        raise WindowError("{0} window {1!r} lasts {2} minutes; ElastiCache needs at least {3}".format(
            kind, text, length, minimum))
    return Window(text, start, length, period)


def parse_daily_window(text, kind, minimum=1):
    """`hh24:mi-hh24:mi` (UTC, daily) -> Window; WindowError when malformed or shorter than
    MINIMUM minutes. Also reads other services' daily windows (RDS's backup window)."""
    match = _DAILY.match(str(text).strip())
    if not match:
        raise WindowError("{0} window {1!r} is not of the form hh24:mi-hh24:mi (UTC), e.g. 17:45-18:45".format(kind, text))
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    return _window(match.group(0), h1 * 60 + m1, h2 * 60 + m2, MINUTES_PER_DAY, kind, minimum)


def parse_snapshot_window(text):
    """The snapshot window -> Window; WindowError when malformed or shorter than 60 minutes."""
    return parse_daily_window(text, "snapshot", MIN_WINDOW_MINUTES)


def parse_maintenance_window(text):
    """`ddd:hh24:mi-ddd:hh24:mi` (UTC, weekly) -> Window; WindowError when malformed or too short."""
    match = _WEEKLY.match(str(text).strip().lower())
    if not match:
        raise WindowError("maintenance window {0!r} is not of the form ddd:hh24:mi-ddd:hh24:mi (UTC, days mon..sun),"
                          " e.g. sat:19:00-sat:21:00".format(text))
    d1, h1, m1, d2, h2, m2 = match.groups()
    start = DAYS.index(d1) * MINUTES_PER_DAY + int(h1) * 60 + int(m1)
    end = DAYS.index(d2) * MINUTES_PER_DAY + int(h2) * 60 + int(m2)
    return _window(match.group(0), start, end, MINUTES_PER_WEEK, "maintenance")


def _meet(a_start, a_length, b_start, b_length, period):
    return (b_start - a_start) % period < a_length or (a_start - b_start) % period < b_length


def overlap(first, second):
    """True when any occurrence of one window meets the other (daily or weekly, in any mix)."""
    if first.period == second.period:
        return _meet(first.start, first.length, second.start, second.length, first.period)
    daily, weekly = (first, second) if first.period == MINUTES_PER_DAY else (second, first)
    return any(_meet(day * MINUTES_PER_DAY + daily.start, daily.length, weekly.start, weekly.length, MINUTES_PER_WEEK)
               for day in range(7))


def inside(window, outer_start, outer_length):
    """True when the weekly WINDOW lies wholly within the weekly span OUTER_START (minutes after
    Monday 00:00 UTC) + OUTER_LENGTH minutes."""
    return (window.start - outer_start) % MINUTES_PER_WEEK + window.length <= outer_length


def weekly_text(start, length):
    """`sat:19:00-sat:21:00` for a weekly span."""
    def clock(minute):
        minute %= MINUTES_PER_WEEK
        return "{0}:{1:02d}:{2:02d}".format(DAYS[minute // MINUTES_PER_DAY], minute % MINUTES_PER_DAY // 60, minute % 60)
    return "{0}-{1}".format(clock(start), clock(start + length))


def window_problems(snapshot_window=None, maintenance_window=None):
    """Every problem with the two windows (either may be None), as sentences; [] when fine."""
    problems, parsed = [], []
    for text, parse in ((snapshot_window, parse_snapshot_window), (maintenance_window, parse_maintenance_window)):
        if text is None:
            continue
        try:
            parsed.append(parse(text))
        except WindowError as exc:
            problems.append(str(exc))
    if len(parsed) == 2 and overlap(*parsed):
        problems.append("snapshot window {0} overlaps maintenance window {1}; keep them apart, so that no snapshot"
                        " runs while ElastiCache patches or fails over".format(parsed[0].text, parsed[1].text))
    return problems


def group_id_problem(option, group_id):
    """Why GROUP_ID is no replication group identifier (ElastiCache's rules), or ''. ElastiCache
    stores it in lower case, so any case is accepted."""
    text = str(group_id or "").lower()
    if not (1 <= len(text) <= GROUP_ID_MAX and _GROUP_ID.match(text)) or "--" in text or text.endswith("-"):
        return ("{0} {1!r} is no replication group id: 1 to {2} letters, digits or hyphens, a letter first,"
                " no two hyphens in a row, no hyphen last".format(option, group_id, GROUP_ID_MAX))
    return ""


def node_type_problem(option, node_type):
    if not _NODE_TYPE.match(str(node_type or "")):
        return "{0} {1!r} is no ElastiCache node type, such as cache.t4g.small".format(option, node_type)
    return ""


def engine_version_problem(option, version):
    if version not in (None, "") and not _ENGINE_VERSION.match(str(version)):
        return "{0} {1!r} is no engine version, such as 7.1".format(option, version)
    return ""


def clusters_problem(option, clusters, failover):
    low, high = CLUSTERS_RANGE
    if isinstance(clusters, bool) or not isinstance(clusters, int) or not low <= clusters <= high:
        return "{0} is {1!r}; a group has {2} to {3} cache clusters (a primary and up to 5 replicas)".format(option, clusters, low, high)
    if failover and clusters < 2:
        return "{0} is {1}; automatic failover needs a primary and at least one replica (2 or more)".format(option, clusters)
    return ""


def retention_problem(option, days):
    low, high = RETENTION_RANGE
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        return "{0} is {1!r}; ElastiCache keeps automatic snapshots {2} to {3} days".format(option, days, low, high)
    return ""


def normalize(text):
    """The form ElastiCache reports a window in (lower-case days), for comparing with its answer."""
    return str(text).strip().lower() if text is not None else None
