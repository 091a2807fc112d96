#!/usr/bin/env python3
"""./fleet windows [N]: the next N maintenance windows (default 6), one a line: start and end in
UTC (ISO 8601 with Z), then in WIB (Asia/Jakarta). A window in progress is the first line.

    2026-12-05T19:00:00Z 2026-12-05T21:00:00Z  2026-12-06 02:00 WIB - 04:00 WIB

--from MOMENT (ISO 8601; naive means UTC) lists them from another moment than now. Needs only
Python 3.11 and the tz database: the window logic is plugins/filter/fleet_window.py.
"""

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from plugins.filter import fleet_window  # noqa: E402  pylint: disable=wrong-import-position

MAX_COUNT = 1200  # a hundred years


def count(text):
    if not re.fullmatch(r"[0-9]{1,6}", text) or not 1 <= int(text) <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to {MAX_COUNT}")
    return int(text)


def moment(text):
    try:
        return fleet_window.as_utc(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def line(window):
    described = fleet_window.describe(window)
    end_time = described["end_wib"].split(" ", 1)[1]
    return f"{described['start']} {described['end']}  {described['start_wib']} - {end_time}"


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="./fleet windows",
        description="The next N maintenance windows: first Sunday of each month, 02:00-04:00 WIB.",
    )
    parser.add_argument("count", metavar="N", nargs="?", type=count, default=6, help="how many (default 6)")
    parser.add_argument("--from", dest="moment", metavar="MOMENT", type=moment,
                        help="list from this moment (ISO 8601, naive is UTC) instead of now")
    args = parser.parse_args(argv)
    start = args.moment or dt.datetime.now(dt.timezone.utc)
    for window in fleet_window.windows_after(start, args.count):
        print(line(window))
    return 0


if __name__ == "__main__":
    sys.exit(main())
