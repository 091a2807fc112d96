#!/usr/bin/python3
"""Load generator for the load balancer tests: GET URL at RATE requests a second for SECONDS,
each request on its own connection, from a pool of threads (so a slow answer does not lower the
rate). Prints one JSON object: counts, the failures (the first ones in full), the answers per
backend (the last word of the stand-in app's page: "... on HOST") and every request as
[start offset in seconds, backend or null, status or error].

    fleet-loadgen --url http://10.0.0.20/ --host lb.test --rate 25 --seconds 20 [--out FILE]
                  [--stop-file PATH]

With --stop-file it sends until PATH exists (SECONDS is then the longest it runs): a test starts
it before a playbook and stops it after, however long the playbook took.
"""

import argparse
import os
import concurrent.futures
import http.client
import json
import sys
import threading
import time
import urllib.parse


def one_request(url, host, timeout):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        connection.request("GET", parts.path or "/", headers={"Host": host, "Connection": "close"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace").strip()
        if response.status != 200:
            return None, f"HTTP {response.status}: {body[:120]}"
        return body.split()[-1] if body else "", response.status
    except (OSError, http.client.HTTPException) as err:
        return None, f"{type(err).__name__}: {err}"
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--host", required=True, help="Host header")
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--out", help="write the JSON here instead of stdout")
    parser.add_argument("--stop-file", help="stop sending once this file exists")
    args = parser.parse_args()

    requests, lock = [], threading.Lock()
    start = time.monotonic()

    def run(offset):
        backend, status = one_request(args.url, args.host, args.timeout)
        with lock:
            requests.append([round(offset, 3), backend, status])

    total = int(args.rate * args.seconds)
    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        for index in range(total):
            if args.stop_file and index % max(1, int(args.rate)) == 0 and os.path.exists(args.stop_file):
                break
            due = start + index / args.rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pool.submit(run, time.monotonic() - start)
    elapsed = time.monotonic() - start
    requests.sort(key=lambda r: r[0])
    failures = [r for r in requests if r[1] is None]
    by_backend = {}
    for _offset, backend, _status in requests:
        if backend is not None:
            by_backend[backend] = by_backend.get(backend, 0) + 1
    report = {
        "sent": len(requests),
        "ok": len(requests) - len(failures),
        "failed": len(failures),
        "seconds": round(elapsed, 2),
        "rate": round(len(requests) / elapsed, 1) if elapsed else 0,
        "failures": failures[:20],
        "by_backend": by_backend,
        "requests": requests,
    }
    text = json.dumps(report)
    if args.out:
        with open(args.out + ".tmp", "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(args.out + ".tmp", args.out)
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
