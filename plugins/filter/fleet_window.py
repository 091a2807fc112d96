"""The monthly maintenance window: one definition for the runbook's guard, the systemd schedule,
the customer notice and `./fleet windows`.

SOP "Maintenance Windows": the first Sunday of each month, 02:00-04:00 WIB (Asia/Jakarta, UTC+7,
no daylight saving), which is 19:00-21:00 UTC on the Saturday before: in the previous month
whenever the first Sunday is the 1st. The customer notice goes out 7 days before the window
starts, which is the same time on the last Sunday of the month before.

Pure Python (the standard library's zoneinfo); importable as `plugins.filter.fleet_window` and
loaded by Ansible as a filter plugin (FilterModule at the end). Every datetime this module
returns is timezone-aware UTC; a naive datetime it is given is read as UTC.
"""

from __future__ import annotations

import datetime as _dt
from collections import namedtuple
from zoneinfo import ZoneInfo

try:
    from ansible.errors import AnsibleFilterError
except ImportError:  # pragma: no cover - only outside Ansible's environment
    AnsibleFilterError = ValueError

UTC = _dt.timezone.utc
# The window's time zone, as systemd and the tz database name it.
WINDOW_TZ_NAME = "Asia/Jakarta"
WINDOW_TZ = ZoneInfo(WINDOW_TZ_NAME)
# Its abbreviation in what people read.
WINDOW_TZ_LABEL = "WIB"
# Local start time and length: 02:00-04:00 WIB.
WINDOW_LOCAL_START = _dt.time(2, 0)
WINDOW_LENGTH = _dt.timedelta(hours=2)
# The n-th weekday of the month that holds the window: the first Sunday (Monday is 0).
WINDOW_WEEKDAY = 6
# Customers are e-mailed this long before the window starts (SOP: 7 days in advance).
NOTICE_LEAD = _dt.timedelta(days=7)
# The notice announces the next window that starts at least this far ahead, so a notice sent a
# little late (up to a day) still names the window it was meant for, and never one about to start.
NOTICE_MIN_LEAD = _dt.timedelta(days=6)

Window = namedtuple("Window", "start end")
Window.__doc__ = "A maintenance window: START and END, aware UTC datetimes (END excluded)."

_SYSTEMD_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --- moments ------------------------------------------------------------------------------


def as_utc(moment):
    """MOMENT (a datetime, or an ISO 8601 string such as '2026-12-05T19:00:00Z' or
    '2026-12-06T02:00:00+07:00') as an aware UTC datetime. Naive means UTC."""
    if isinstance(moment, str):
        text = moment.strip()
        if text[-1:] in ("Z", "z"):
            text = text[:-1] + "+00:00"
        try:
            moment = _dt.datetime.fromisoformat(text)
        except ValueError as err:
            raise ValueError(f"{moment!r} is not an ISO 8601 date and time (e.g. 2026-12-05T19:00:00Z)") from err
    elif isinstance(moment, _dt.date) and not isinstance(moment, _dt.datetime):
        raise ValueError(f"{moment!r} is a date without a time: give a date and time")
    if not isinstance(moment, _dt.datetime):
        raise ValueError(f"{moment!r} is not a date and time")
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso_utc(moment):
    """'2026-12-05T19:00:00Z': ISO 8601 in UTC with Z, to the second."""
    return as_utc(moment).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def wib(moment):
    """'2026-12-06 02:00 WIB': the moment in the window's time zone, to the minute."""
    return as_utc(moment).astimezone(WINDOW_TZ).strftime(f"%Y-%m-%d %H:%M {WINDOW_TZ_LABEL}")


def _long_date(moment):
    """'Sunday 6 December 2026' (English names, whatever the locale)."""
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
    return f"{days[moment.weekday()]} {moment.day} {months[moment.month - 1]} {moment.year}"


# --- windows ------------------------------------------------------------------------------


def window_local_date(year, month):
    """The date (in WIB) of the window of YEAR-MONTH: that month's first Sunday."""
    first = _dt.date(year, month, 1)
    return first + _dt.timedelta(days=(WINDOW_WEEKDAY - first.weekday()) % 7)


def window_of_month(year, month):
    """The Window of YEAR-MONTH (the month of its first Sunday, in WIB)."""
    local = _dt.datetime.combine(window_local_date(year, month), WINDOW_LOCAL_START, tzinfo=WINDOW_TZ)
    start = local.astimezone(UTC)
    return Window(start, start + WINDOW_LENGTH)


def _months_from(year, month):
    while True:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def windows_after(moment, count):
    """The next COUNT windows whose end is after MOMENT, in order: a window in progress at MOMENT
    is the first. A list of Window(start, end), aware UTC datetimes."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError(f"count {count!r} is not a whole number")
    if count < 0:
        raise ValueError(f"count {count} is negative")
    moment = as_utc(moment)
    # The window of the month before (in WIB) can still be in progress only in theory (it ends by
    # the 8th); starting one month early costs nothing and keeps this obviously right.
    local = moment.astimezone(WINDOW_TZ)
    year, month = (local.year - 1, 12) if local.month == 1 else (local.year, local.month - 1)
    found = []
    for y, m in _months_from(year, month):
        if len(found) == count:
            return found
        window = window_of_month(y, m)
        if window.end > moment:
            found.append(window)
    return found  # pragma: no cover - the generator never ends


def window_containing(moment):
    """The Window in progress at MOMENT (start <= MOMENT < end), or None."""
    moment = as_utc(moment)
    window = windows_after(moment, 1)[0]
    return window if window.start <= moment else None


def window_starting_at(start):
    """The Window that starts exactly at START; ValueError naming the rule when START is not the
    start of a window."""
    start = as_utc(start)
    local = start.astimezone(WINDOW_TZ)
    window = window_of_month(local.year, local.month)
    if window.start != start:
        raise ValueError(
            f"{iso_utc(start)} ({wib(start)}) is not the start of a maintenance window: windows start on"
            f" the first Sunday of a month at {WINDOW_LOCAL_START:%H:%M} {WINDOW_TZ_LABEL}, the next one being"
            f" {iso_utc(windows_after(start, 1)[0].start)}"
        )
    return window


def is_window_start(moment):
    """True when MOMENT is exactly the start of a window."""
    try:
        window_starting_at(moment)
    except ValueError:
        return False
    return True


def window_id(window):
    """A window's stable identifier: its start, ISO 8601 UTC with Z ('2026-12-05T19:00:00Z')."""
    return iso_utc(window.start)


def describe(window):
    """A Window as plain data for templates, reports and the CLI:
    id, start, end (ISO UTC with Z), start_wib, end_wib ('2026-12-06 02:00 WIB'),
    and the long forms people read: wib_text ('Sunday 6 December 2026, 02:00-04:00 WIB'),
    utc_text ('Saturday 5 December 2026, 19:00-21:00 UTC')."""
    local_start, local_end = window.start.astimezone(WINDOW_TZ), window.end.astimezone(WINDOW_TZ)
    return {
        "id": window_id(window),
        "start": iso_utc(window.start),
        "end": iso_utc(window.end),
        "start_wib": wib(window.start),
        "end_wib": wib(window.end),
        "wib_text": f"{_long_date(local_start)}, {local_start:%H:%M}-{local_end:%H:%M} {WINDOW_TZ_LABEL}",
        "utc_text": f"{_long_date(window.start)}, {window.start:%H:%M}-{window.end:%H:%M} UTC",
        "timezone": WINDOW_TZ_NAME,
    }


def window_status(moment):
    """Where MOMENT stands against the windows, as plain data:

    - moment: MOMENT, ISO UTC with Z;
    - inside: True when a window is in progress (start <= MOMENT < end);
    - window_id, start, end, start_wib, end_wib: the window in progress, or when outside, the
      next one;
    - seconds_left: whole seconds until the window in progress ends (0 outside);
    - seconds_to_start: whole seconds until that window starts (0 inside);
    - next_start, next_end, next_start_wib, next_end_wib: the next window that starts after
      MOMENT (inside a window: the one after it; outside: the same as start/end).
    """
    moment = as_utc(moment)
    current, following = windows_after(moment, 2)
    inside = current.start <= moment
    upcoming = following if inside else current
    return {
        "moment": iso_utc(moment),
        "inside": inside,
        "window_id": window_id(current),
        "start": iso_utc(current.start),
        "end": iso_utc(current.end),
        "start_wib": wib(current.start),
        "end_wib": wib(current.end),
        "seconds_left": int((current.end - moment).total_seconds()) if inside else 0,
        "seconds_to_start": 0 if inside else int((current.start - moment).total_seconds()),
        "next_start": iso_utc(upcoming.start),
        "next_end": iso_utc(upcoming.end),
        "next_start_wib": wib(upcoming.start),
        "next_end_wib": wib(upcoming.end),
        "timezone": WINDOW_TZ_NAME,
    }


# --- the notice ---------------------------------------------------------------------------


def notice_moment(window_start):
    """When the customer notice for the window starting at WINDOW_START goes out: 7 days before."""
    return as_utc(window_start) - NOTICE_LEAD


def notice_window(moment, window=None):
    """The Window a notice sent at MOMENT announces: WINDOW (its start, ISO string or datetime)
    when given, which must be a window start (ValueError otherwise); else the next window whose
    start is at least NOTICE_MIN_LEAD (6 days) after MOMENT."""
    if window not in (None, ""):
        return window_starting_at(window)
    earliest = as_utc(moment) + NOTICE_MIN_LEAD
    return next(w for w in windows_after(earliest, 2) if w.start >= earliest)


# --- systemd calendars --------------------------------------------------------------------


def _local_time_spec():
    return f"{WINDOW_LOCAL_START:%H:%M:%S}"


def runbook_oncalendar():
    """systemd OnCalendar= of the window's start: the first Sunday (days 1-7) at 02:00 WIB,
    'Sun *-*-01..07 02:00:00 Asia/Jakarta'."""
    return f"{_SYSTEMD_WEEKDAYS[WINDOW_WEEKDAY]} *-*-01..07 {_local_time_spec()} {WINDOW_TZ_NAME}"


def notice_oncalendar():
    """systemd OnCalendar= of the notice: one week before the first Sunday is the last Sunday of
    the month before (one of its last 7 days: '~01..07' counts from the month's end), at the
    window's local time: 'Sun *-*~01..07 02:00:00 Asia/Jakarta'."""
    if NOTICE_LEAD != _dt.timedelta(weeks=1):  # pragma: no cover - guards an edit of NOTICE_LEAD
        raise ValueError("the notice calendar is written for a lead of exactly one week")
    return f"{_SYSTEMD_WEEKDAYS[WINDOW_WEEKDAY]} *-*~01..07 {_local_time_spec()} {WINDOW_TZ_NAME}"


ONCALENDAR = {"runbook": runbook_oncalendar, "notice": notice_oncalendar}


def oncalendar(kind):
    """OnCalendar= for KIND: 'runbook' (the window's start) or 'notice' (7 days earlier)."""
    if kind not in ONCALENDAR:
        raise ValueError(f"no calendar named {kind!r}: choose one of {', '.join(ONCALENDAR)}")
    return ONCALENDAR[kind]()


# --- AWX / Automation Platform schedules (RFC 5545 RRULE) ------------------------------------

_RRULE_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The n-th weekday of the month in RRULE terms: the window's first Sunday, and one week before
# it, which is always the last Sunday of the month before.
_RRULE_BYDAY = {"runbook": "1", "notice": "-1", "restore-drill": "1", "audit": "1"}
# The month's restore drill and audit, after the window on the same Sunday (WIB): the drill once
# the window's changes are done, the audit once the drill is recorded, so that it finds this
# month's runbook report and drill.
AFTER_WINDOW = {"restore-drill": _dt.timedelta(minutes=30), "audit": _dt.timedelta(hours=2)}


def rrule(kind, first=None):
    """AWX's schedule rule for KIND ('runbook', 'notice', 'restore-drill' or 'audit'): DTSTART in
    Asia/Jakarta at the window's local start (the runbook), 7 days before it (the notice) or after
    its end by AFTER_WINDOW (the drill, the audit), on FIRST's date (default: the first such day of
    2027; AWX counts from DTSTART, so any past occurrence will do), then monthly on the first Sunday
    (the last one for the notice), e.g. 'DTSTART;TZID=Asia/Jakarta:20270103T020000 RRULE:FREQ=MONTHLY;BYDAY=1SU'."""
    if kind not in _RRULE_BYDAY:
        raise ValueError(f"no schedule named {kind!r}: choose one of {', '.join(_RRULE_BYDAY)}")
    if NOTICE_LEAD != _dt.timedelta(weeks=1):  # pragma: no cover - guards an edit of NOTICE_LEAD
        raise ValueError("the notice schedule is written for a lead of exactly one week")
    window = window_of_month(2027, 1) if first is None else window_starting_at(first)
    start = {"runbook": window.start, "notice": notice_moment(window.start)}.get(kind) or window.end + AFTER_WINDOW[kind]
    local = start.astimezone(WINDOW_TZ)
    return (f"DTSTART;TZID={WINDOW_TZ_NAME}:{local:%Y%m%dT%H%M%S} "
            f"RRULE:FREQ=MONTHLY;BYDAY={_RRULE_BYDAY[kind]}{_RRULE_WEEKDAYS[WINDOW_WEEKDAY]}")


# --- Ansible filters ----------------------------------------------------------------------


def _filter(function):
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValueError as err:
            raise AnsibleFilterError(f"{function.__name__}: {err}") from None

    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


def fleet_window_status(moment):
    """`{{ now(utc=true).isoformat() | fleet_window_status }}`: window_status(MOMENT)."""
    return window_status(moment)


def fleet_windows_after(moment, count=6):
    """`{{ now(utc=true).isoformat() | fleet_windows_after(3) }}`: the next COUNT windows (a window
    in progress first), each as describe() gives it."""
    return [describe(w) for w in windows_after(moment, int(count))]


def fleet_window_oncalendar(kind):
    """`{{ 'runbook' | fleet_window_oncalendar }}` / `'notice'`: the systemd calendar."""
    return oncalendar(kind)


def fleet_window_notice(moment, window=""):
    """`{{ now(utc=true).isoformat() | fleet_window_notice(maintenance_notice_window) }}`: the
    window a notice sent at MOMENT announces (describe() plus notice_at, ISO UTC with Z)."""
    chosen = notice_window(moment, window)
    return dict(describe(chosen), notice_at=iso_utc(notice_moment(chosen.start)))


def fleet_window_rrule(kind):
    """`{{ 'runbook' | fleet_window_rrule }}` / `'notice'`: AWX's schedule rule."""
    return rrule(kind)


def fleet_notice_moment(window_start):
    """`{{ '2026-12-05T19:00:00Z' | fleet_notice_moment }}`: when its notice goes out, ISO UTC Z."""
    return iso_utc(notice_moment(window_start))


class FilterModule:
    def filters(self):
        return {
            function.__name__: _filter(function)
            for function in (
                fleet_window_status,
                fleet_windows_after,
                fleet_window_oncalendar,
                fleet_window_notice,
                fleet_window_rrule,
                fleet_notice_moment,
            )
        }
