"""plugins/filter/fleet_window.py: the maintenance window, checked against an independent
computation (the calendar module and fixed-offset arithmetic, no zoneinfo)."""

import calendar
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from plugins.filter import fleet_window as fw
from plugins.filter.fleet_window import FilterModule

UTC = dt.timezone.utc
WIB_OFFSET = dt.timedelta(hours=7)


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def expected_window(year, month):
    """First Sunday of the month at 02:00 local, UTC+7 with no DST: start and end in UTC."""
    day = next(d for d in range(1, 8) if calendar.weekday(year, month, d) == calendar.SUNDAY)
    local_start = dt.datetime(year, month, day, 2, 0)
    start = (local_start - WIB_OFFSET).replace(tzinfo=UTC)
    return start, start + dt.timedelta(hours=2)


MONTHS = [(y, m) for y in (2026, 2027, 2028) for m in range(1, 13)]
# Months whose first Sunday is the 1st: the window starts on the previous month's last day in UTC.
# Written out by hand (and checked against the calendar below), not derived by the code under test.
FIRST_SUNDAY_ON_THE_1ST = {
    (2026, 2): utc(2026, 1, 31, 19),
    (2026, 3): utc(2026, 2, 28, 19),
    (2026, 11): utc(2026, 10, 31, 19),
    (2027, 8): utc(2027, 7, 31, 19),
    (2028, 10): utc(2028, 9, 30, 19),
}


def test_the_36_windows_of_2026_to_2028_match_the_independent_computation():
    windows = fw.windows_after(utc(2025, 12, 31, 0), 36)
    assert len(windows) == 36
    for (year, month), window in zip(MONTHS, windows):
        start, end = expected_window(year, month)
        assert (window.start, window.end) == (start, end), (year, month)
        assert window.start.tzinfo is not None and window.start.utcoffset() == dt.timedelta(0)
        assert window.start.weekday() == calendar.SATURDAY and window.start.hour == 19
        assert fw.window_of_month(year, month) == window


def test_months_whose_window_starts_in_the_previous_month_in_utc():
    found = {
        (y, m): fw.window_of_month(y, m).start
        for y, m in MONTHS
        if fw.window_of_month(y, m).start.month != m
    }
    assert found == FIRST_SUNDAY_ON_THE_1ST
    for (year, month), start in FIRST_SUNDAY_ON_THE_1ST.items():
        assert calendar.weekday(year, month, 1) == calendar.SUNDAY
        assert start == expected_window(year, month)[0]
        assert fw.wib(start) == f"{year}-{month:02d}-01 02:00 WIB"
        assert start.day == calendar.monthrange(start.year, start.month)[1], "the month's last day"


@pytest.mark.parametrize(
    "moment, inside, seconds_left",
    [
        (utc(2026, 12, 5, 18, 59, 59), False, 0),
        (utc(2026, 12, 5, 19, 0, 0), True, 7200),
        (utc(2026, 12, 5, 20, 0, 0), True, 3600),
        (utc(2026, 12, 5, 20, 59, 59), True, 1),
        (utc(2026, 12, 5, 21, 0, 0), False, 0),
        # The window on the previous month's last day in UTC.
        (utc(2027, 7, 31, 18, 59, 59), False, 0),
        (utc(2027, 7, 31, 19, 0, 0), True, 7200),
        (utc(2027, 7, 31, 20, 59, 59), True, 1),
        (utc(2027, 7, 31, 21, 0, 0), False, 0),
    ],
)
def test_inside_and_outside_at_the_edges(moment, inside, seconds_left):
    status = fw.window_status(moment)
    assert status["inside"] is inside
    assert status["seconds_left"] == seconds_left
    assert (fw.window_containing(moment) is not None) is inside


def test_status_inside_a_window():
    status = fw.window_status(utc(2026, 12, 5, 19, 30))
    assert status == {
        "moment": "2026-12-05T19:30:00Z",
        "inside": True,
        "window_id": "2026-12-05T19:00:00Z",
        "start": "2026-12-05T19:00:00Z",
        "end": "2026-12-05T21:00:00Z",
        "start_wib": "2026-12-06 02:00 WIB",
        "end_wib": "2026-12-06 04:00 WIB",
        "seconds_left": 5400,
        "seconds_to_start": 0,
        "next_start": "2027-01-02T19:00:00Z",
        "next_end": "2027-01-02T21:00:00Z",
        "next_start_wib": "2027-01-03 02:00 WIB",
        "next_end_wib": "2027-01-03 04:00 WIB",
        "timezone": "Asia/Jakarta",
    }


def test_status_outside_names_the_next_window():
    status = fw.window_status(utc(2026, 12, 5, 21, 0))
    assert status["inside"] is False
    assert status["window_id"] == status["next_start"] == "2027-01-02T19:00:00Z"
    assert status["seconds_to_start"] == 28 * 86400 - 2 * 3600
    status = fw.window_status(utc(2026, 12, 1, 22, 20))
    assert (status["start"], status["next_start_wib"]) == ("2026-12-05T19:00:00Z", "2026-12-06 02:00 WIB")


def test_window_id_is_the_same_throughout_a_window():
    start = utc(2028, 9, 30, 19)
    ids = {fw.window_status(start + dt.timedelta(seconds=s))["window_id"] for s in range(0, 7200, 97)}
    assert ids == {"2028-09-30T19:00:00Z"}
    # and the same from any representation of the moment
    for moment in ("2028-09-30T20:00:00Z", "2028-10-01T03:00:00+07:00", "2028-09-30T20:00:00",
                   dt.datetime(2028, 9, 30, 20, 0), dt.datetime(2028, 10, 1, 3, 0, tzinfo=fw.WINDOW_TZ)):
        assert fw.window_status(moment)["window_id"] == "2028-09-30T19:00:00Z", moment


def test_windows_after_counts_a_window_in_progress():
    assert fw.windows_after(utc(2026, 12, 5, 20, 59, 59), 1)[0].start == utc(2026, 12, 5, 19)
    assert fw.windows_after(utc(2026, 12, 5, 21), 1)[0].start == utc(2027, 1, 2, 19)
    assert fw.windows_after(utc(2026, 12, 5, 21), 0) == []


@pytest.mark.parametrize("count", [-1, 1.5, "3", True])
def test_windows_after_refuses_a_bad_count(count):
    with pytest.raises(ValueError, match="count"):
        fw.windows_after(utc(2026, 1, 1), count)


@pytest.mark.parametrize("moment", ["yesterday", "", "2026-13-01T00:00:00Z", 42, dt.date(2026, 1, 1)])
def test_a_moment_that_is_not_a_date_and_time_is_refused(moment):
    with pytest.raises(ValueError):
        fw.window_status(moment)


def test_notice_moment_is_seven_days_before_on_the_previous_months_last_sunday():
    for window in fw.windows_after(utc(2025, 12, 31), 36):
        notice = fw.notice_moment(window.start)
        assert window.start - notice == dt.timedelta(days=7)
        local = (notice + WIB_OFFSET).replace(tzinfo=None)
        assert local.weekday() == calendar.SUNDAY and (local.hour, local.minute) == (2, 0)
        # the last Sunday of its month, which is the month before the window's (in WIB)
        assert local.day + 7 > calendar.monthrange(local.year, local.month)[1]
    assert fw.notice_moment("2026-12-05T19:00:00Z") == utc(2026, 11, 28, 19)
    assert fw.notice_moment(utc(2027, 7, 31, 19)) == utc(2027, 7, 24, 19)


def test_notice_window_is_the_next_at_least_six_days_away_or_the_one_given():
    # sent on time, 7 days ahead
    assert fw.notice_window(utc(2026, 12, 26, 19)).start == utc(2027, 1, 2, 19)
    # a day late: still the same window
    assert fw.notice_window(utc(2026, 12, 27, 19)).start == utc(2027, 1, 2, 19)
    # less than 6 days ahead: the one after
    assert fw.notice_window(utc(2026, 12, 27, 19, 0, 1)).start == utc(2027, 2, 6, 19)
    assert fw.notice_window(utc(2026, 12, 1), "2027-07-31T19:00:00Z").start == utc(2027, 7, 31, 19)
    with pytest.raises(ValueError, match="is not the start of a maintenance window"):
        fw.notice_window(utc(2026, 12, 1), "2026-12-12T19:00:00Z")


def test_window_starting_at_accepts_only_window_starts():
    assert fw.window_starting_at("2027-08-01T02:00:00+07:00").start == utc(2027, 7, 31, 19)
    assert fw.is_window_start(utc(2026, 2, 28, 19))
    for moment in (utc(2026, 2, 28, 19, 1), utc(2026, 3, 7, 19), utc(2026, 3, 1, 19), utc(2026, 2, 28, 20)):
        assert not fw.is_window_start(moment), moment


def test_describe_gives_both_time_zones():
    assert fw.describe(fw.window_of_month(2027, 8)) == {
        "id": "2027-07-31T19:00:00Z",
        "start": "2027-07-31T19:00:00Z",
        "end": "2027-07-31T21:00:00Z",
        "start_wib": "2027-08-01 02:00 WIB",
        "end_wib": "2027-08-01 04:00 WIB",
        "wib_text": "Sunday 1 August 2027, 02:00-04:00 WIB",
        "utc_text": "Saturday 31 July 2027, 19:00-21:00 UTC",
        "timezone": "Asia/Jakarta",
    }


def test_oncalendar_expressions():
    assert fw.oncalendar("runbook") == fw.runbook_oncalendar() == "Sun *-*-01..07 02:00:00 Asia/Jakarta"
    assert fw.oncalendar("notice") == fw.notice_oncalendar() == "Sun *-*~01..07 02:00:00 Asia/Jakarta"
    with pytest.raises(ValueError, match="runbook, notice"):
        fw.oncalendar("weekly")


def test_filters():
    filters = FilterModule().filters()
    assert filters["fleet_window_status"]("2026-12-05T19:00:00")["inside"] is True
    assert filters["fleet_window_status"](dt.datetime(2026, 12, 5, 19))["window_id"] == "2026-12-05T19:00:00Z"
    assert filters["fleet_window_oncalendar"]("runbook") == "Sun *-*-01..07 02:00:00 Asia/Jakarta"
    assert [w["start"] for w in filters["fleet_windows_after"]("2026-12-06T00:00:00Z", 2)] == [
        "2027-01-02T19:00:00Z", "2027-02-06T19:00:00Z"]
    notice = filters["fleet_window_notice"]("2026-12-26T19:00:00Z", "")
    assert (notice["start"], notice["notice_at"]) == ("2027-01-02T19:00:00Z", "2026-12-26T19:00:00Z")
    assert filters["fleet_notice_moment"]("2026-12-05T19:00:00Z") == "2026-11-28T19:00:00Z"
    with pytest.raises(AnsibleFilterError, match="fleet_window_status: 'soon' is not an ISO 8601"):
        filters["fleet_window_status"]("soon")
    with pytest.raises(AnsibleFilterError, match="fleet_window_oncalendar: no calendar named 'x'"):
        filters["fleet_window_oncalendar"]("x")


# --- ./fleet windows [N] ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def fleet_windows(*args):
    return subprocess.run([str(ROOT / "fleet"), "windows", *args], capture_output=True, text=True, timeout=60,
                          check=False)


def test_fleet_windows_prints_n_windows_in_utc_and_wib():
    done = fleet_windows("3", "--from", "2027-07-31T20:00:00Z")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "2027-07-31T19:00:00Z 2027-07-31T21:00:00Z  2027-08-01 02:00 WIB - 04:00 WIB",
        "2027-09-04T19:00:00Z 2027-09-04T21:00:00Z  2027-09-05 02:00 WIB - 04:00 WIB",
        "2027-10-02T19:00:00Z 2027-10-02T21:00:00Z  2027-10-03 02:00 WIB - 04:00 WIB",
    ]


def test_fleet_windows_defaults_to_six_from_now():
    before = dt.datetime.now(UTC)
    done = fleet_windows()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 6
    first = fw.as_utc(lines[0].split()[0])
    assert first == fw.windows_after(before, 1)[0].start
    for text in lines:
        start, end, day, start_wib, _wib, _dash, end_wib, _wib2 = text.split()
        start_at = fw.as_utc(start)
        assert fw.as_utc(end) - start_at == dt.timedelta(hours=2)
        assert (start_at + WIB_OFFSET).strftime("%Y-%m-%d %H:%M") == f"{day} {start_wib}"
        assert end_wib == "04:00"


def test_the_script_runs_without_the_project_on_the_path():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "windows.py"), "1", "--from", "2026-02-01"],
                          capture_output=True, text=True, cwd="/", check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "2026-02-28T19:00:00Z 2026-02-28T21:00:00Z  2026-03-01 02:00 WIB - 04:00 WIB\n"


@pytest.mark.parametrize("args", [["0"], ["-3"], ["abc"], ["2.5"], ["1201"], ["3", "--from", "later"]])
def test_fleet_windows_refuses_a_bad_n_with_exit_2(args):
    done = fleet_windows(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "./fleet windows: error: argument" in done.stderr
    assert "is not a whole number from 1 to 1200" in done.stderr or "is not an ISO 8601" in done.stderr
