"""RDS window parsing and the overlap rule, which our modules enforce because moto does not."""

import pytest
import rds_harness  # noqa: F401  (puts module_utils on ansible.module_utils' path)

from ansible.module_utils.rds_windows import (
    WindowError,
    normalize,
    parse_backup_window,
    parse_maintenance_window,
    window_problems,
    windows_overlap,
)


def test_sunday_two_to_four_wib_is_saturday_evening_utc():
    window = parse_maintenance_window("sat:19:00-sat:21:00")
    assert (window.start, window.length) == (5 * 1440 + 19 * 60, 120)


def test_windows_may_cross_midnight_and_the_end_of_the_week():
    assert parse_backup_window("23:45-00:15").length == 30
    assert parse_maintenance_window("sun:23:00-mon:01:00").length == 120


def test_days_are_case_insensitive():
    assert parse_maintenance_window("Sat:19:00-SAT:21:00").text == "sat:19:00-sat:21:00"
    assert normalize("Sat:19:00-Sat:21:00") == "sat:19:00-sat:21:00"


@pytest.mark.parametrize(
    "text",
    ["17:00", "7:00-7:30", "24:00-00:30", "17:60-18:30", "17:00 - 17:30", "sat:17:00-sat:17:30", "", None],
)
def test_malformed_backup_windows_are_refused(text):
    with pytest.raises(WindowError, match="hh24:mi-hh24:mi"):
        parse_backup_window(text)


@pytest.mark.parametrize(
    "text",
    ["sunday 02:00-04:00", "sat:19:00-21:00", "sab:19:00-sab:21:00", "sat:25:00-sun:01:00", "19:00-21:00"],
)
def test_malformed_maintenance_windows_are_refused(text):
    with pytest.raises(WindowError, match="ddd:hh24:mi-ddd:hh24:mi"):
        parse_maintenance_window(text)


@pytest.mark.parametrize(
    "parse, text",
    [
        (parse_backup_window, "17:00-17:29"),
        (parse_backup_window, "17:00-17:00"),
        (parse_maintenance_window, "sat:19:00-sat:19:15"),
    ],
)
def test_windows_shorter_than_thirty_minutes_are_refused(parse, text):
    with pytest.raises(WindowError, match="at least 30"):
        parse(text)


@pytest.mark.parametrize(
    "backup, maintenance, overlap",
    [
        ("17:00-17:30", "sat:19:00-sat:21:00", False),
        ("19:30-20:00", "sat:19:00-sat:21:00", True),
        ("18:30-19:00", "sat:19:00-sat:21:00", False),  # ends as maintenance starts
        ("18:30-19:01", "sat:19:00-sat:21:00", True),
        ("23:30-00:30", "sun:00:00-sun:01:00", True),  # backup across midnight
        ("23:00-23:30", "sun:23:45-mon:00:30", False),
        ("00:00-00:30", "sun:23:45-mon:00:30", True),  # maintenance across the week's end
        ("12:00-12:30", "wed:12:15-wed:13:00", True),  # daily backup meets Wednesday's window
    ],
)
def test_overlap(backup, maintenance, overlap):
    assert windows_overlap(parse_backup_window(backup), parse_maintenance_window(maintenance)) is overlap


def test_problems_lists_every_problem_and_none_for_good_input():
    assert window_problems("17:00-17:30", "sat:19:00-sat:21:00") == []
    assert window_problems(None, None) == []
    problems = window_problems("garbage", "sat:19:00-sat:19:10")
    assert len(problems) == 2 and "backup window 'garbage'" in problems[0] and "at least 30" in problems[1]
    assert "overlaps" in window_problems("19:00-19:30", "sat:19:00-sat:21:00")[0]
