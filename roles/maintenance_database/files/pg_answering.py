#!/usr/bin/env python3
"""Watch whether a PostgreSQL server answers, from outside, until told to stop.

  pg_answering.py HOST PORT STOP_FILE [--interval 0.2] [--max-seconds 7200]

Every INTERVAL seconds it opens a connection and sends a startup message. The server answers
when it replies with an authentication request, or with any error but "the database system is
starting up / shutting down" (SQLSTATE 57P03, 57P01), which is what a client sees during a
restart. Stops when STOP_FILE exists; prints one JSON object: checks, unanswered, the seconds
the server did not answer (sum of the gaps between the last answered check before an outage and
the first after it), and each outage.
"""

import argparse
import json
import os
import socket
import struct
import sys
import time

_NOT_ANSWERING = {"57P03", "57P01", "57P02"}


def answers(host, port, timeout):
    payload = struct.pack("!I", 196608) + b"user\0postgres\0database\0postgres\0\0"
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(struct.pack("!I", len(payload) + 4) + payload)
            reply = sock.recv(4096)
    except OSError:
        return False
    if reply[:1] == b"R":
        return True
    if reply[:1] == b"E":
        fields = dict((part[:1], part[1:]) for part in reply[5:].split(b"\0") if part)
        return fields.get(b"C", b"").decode() not in _NOT_ANSWERING
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("stop_file")
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--max-seconds", type=float, default=7200)
    args = parser.parse_args()
    started = time.monotonic()
    checks = unanswered = 0
    outages, down_since, last_up = [], None, started
    while not os.path.exists(args.stop_file) and time.monotonic() - started < args.max_seconds:
        now = time.monotonic()
        up = answers(args.host, args.port, max(args.interval, 0.5))
        checks += 1
        if up:
            if down_since is not None:
                outages.append({"from_second": round(down_since - started, 1), "seconds": round(now - last_up, 1)})
                down_since = None
            last_up = now
        else:
            unanswered += 1
            if down_since is None:
                down_since = now
        time.sleep(max(0.0, args.interval - (time.monotonic() - now)))
    if down_since is not None:
        outages.append({"from_second": round(down_since - started, 1), "seconds": round(time.monotonic() - last_up, 1),
                        "still_down": True})
    json.dump({"checks": checks, "unanswered": unanswered, "seconds_unreachable": round(sum(o["seconds"] for o in outages), 1),
               "outages": outages, "watched_seconds": round(time.monotonic() - started, 1)}, sys.stdout)


if __name__ == "__main__":
    main()
