#!/usr/bin/python3
"""Sample the load balancer's view of the app backend twice a second until STOP exists: one JSON
line per sample, [seconds since start, {server: status}], written to OUT.

    capacity_sampler.py SOCKET BACKEND STOP OUT
"""

import json
import os
import socket
import sys
import time


def statuses(path, backend):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        sock.connect(path)
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    rows = (dict(zip(header, line.split(","))) for line in lines[1:] if line)
    return {r["svname"]: r["status"] for r in rows if r.get("pxname") == backend and r["svname"] not in ("FRONTEND", "BACKEND")}


def main():
    path, backend, stop, out = sys.argv[1:5]
    started = time.monotonic()
    with open(out, "w", encoding="utf-8") as handle:
        while not os.path.exists(stop):
            handle.write(json.dumps([round(time.monotonic() - started, 2), statuses(path, backend)]) + "\n")
            handle.flush()
            time.sleep(0.5)


if __name__ == "__main__":
    main()
