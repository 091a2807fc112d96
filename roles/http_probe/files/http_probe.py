#!/usr/bin/env python3
"""Send requests to a URL for a while and measure what clients would see: error rate and latency.

  http_probe.py URL --seconds S --rate R [--host HEADER] [--timeout T] [--cafile FILE] [--insecure]

A request fails when it gets no answer, or a 5xx status. Prints one JSON object: requests, failed,
error_percent, p50/p95/max seconds, statuses, the first errors. Uses the standard library only,
so it runs on any controller.
"""

import argparse
import collections
import concurrent.futures
import json
import ssl
import sys
import time
import urllib.error
import urllib.request


def one(url, host, timeout, context):
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as err:
        status = err.code
    except (urllib.error.URLError, OSError) as err:
        return time.monotonic() - started, None, str(getattr(err, "reason", err))
    return time.monotonic() - started, status, None


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))], 4)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rate", type=float, default=10, help="requests per second")
    parser.add_argument("--host", default="", help="Host header (the public name behind a load balancer)")
    parser.add_argument("--timeout", type=float, default=5)
    parser.add_argument("--cafile")
    parser.add_argument("--insecure", action="store_true")
    args = parser.parse_args()
    context = ssl.create_default_context(cafile=args.cafile)
    if args.insecure:
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    total = max(1, int(args.seconds * args.rate))
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(32, max(2, int(args.rate)))) as pool:
        started = time.monotonic()
        pending = []
        for index in range(total):
            delay = started + index / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pending.append(pool.submit(one, args.url, args.host, args.timeout, context))
        results = [future.result() for future in pending]
    latencies = [seconds for seconds, status, _error in results if status is not None]
    failed = [(status, error) for _seconds, status, error in results if status is None or status >= 500]
    statuses = collections.Counter(str(status) if status is not None else "no answer" for _s, status, _e in results)
    json.dump({
        "url": args.url,
        "requests": len(results),
        "failed": len(failed),
        "error_percent": round(100.0 * len(failed) / len(results), 3),
        "p50_seconds": percentile(latencies, 0.50),
        "p95_seconds": percentile(latencies, 0.95),
        "max_seconds": round(max(latencies), 4) if latencies else None,
        "statuses": dict(statuses),
        "errors": [error or "HTTP %s" % status for status, error in failed[:5]],
    }, sys.stdout)


if __name__ == "__main__":
    main()
