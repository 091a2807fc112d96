#!/usr/bin/env python3
"""Benchmark: prune 1,000 expired manual RDS snapshots through rds_manual_snapshot's own code.

Starts moto_server on loopback, creates one DB instance (with its automated snapshot), N expired
manual snapshots with the project's tags, untagged manual snapshots and the newest tagged ones
(all of which must stay), then runs the module's main() in-process and prints the wall time and
the API calls by operation, counted with botocore event hooks on the module's own client.
The calls must be the listing pages plus one per deletion, nothing more.

Run with the project's virtual environment:
    .venv/bin/python bench/rds_prune.py [--snapshots 1000] [--untagged 50] [--keep 3]
"""

import argparse
import collections
import contextlib
import datetime
import io
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
REGION = "ap-southeast-3"
TAGS = [{"Key": "project", "Value": "e1-web-dashboard"}, {"Key": "managed_by", "Value": "ansible"}]
AWS_PAGE_SIZE = 100


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def moto_server(snapshot_limit):
    port = free_port()
    url = "http://127.0.0.1:{0}".format(port)
    env = dict(os.environ, MOTO_RDS_SNAPSHOT_LIMIT=str(snapshot_limit))
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log, env=env
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(url + "/moto-api/", timeout=1)
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError("moto_server did not start: " + log.read().decode(errors="replace"))
                    time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def point_boto_at(url):
    os.environ.update(
        AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION
    )
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(key, None)


def seed(rds, expired, untagged, recent):
    """Returns the reference time that makes exactly the first batch older than 30 days."""
    rds.create_db_instance(
        DBInstanceIdentifier="e1-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-secret-1",
        AllocatedStorage=20,
        BackupRetentionPeriod=7,
    )
    for number in range(expired):
        rds.create_db_snapshot(
            DBInstanceIdentifier="e1-db", DBSnapshotIdentifier="e1-db-old-{0:04d}".format(number), Tags=TAGS
        )
    for number in range(untagged):
        rds.create_db_snapshot(
            DBInstanceIdentifier="e1-db", DBSnapshotIdentifier="e1-db-untagged-{0:03d}".format(number)
        )
    gap_start = datetime.datetime.now(datetime.timezone.utc)
    time.sleep(1.1)  # moto stamps snapshots with the real time; the gap separates the batches
    for number in range(recent):
        rds.create_db_snapshot(
            DBInstanceIdentifier="e1-db", DBSnapshotIdentifier="e1-db-new-{0}".format(number), Tags=TAGS
        )
    return gap_start + datetime.timedelta(days=30, seconds=0.5)


def run_prune(module, fleet_aws, patch_module_args, reference, keep):
    """main() of the module, its result, wall seconds, and calls by operation/HTTP attempts."""
    calls, attempts = collections.Counter(), collections.Counter()
    real_create_client = fleet_aws.create_client

    def counting_client(*args, **kwargs):
        client = real_create_client(*args, **kwargs)
        client.meta.events.register("before-call.*.*", lambda model, **_: calls.update([model.name]))
        client.meta.events.register("before-send.*.*", lambda request, **_: attempts.update(["http"]))
        return client

    fleet_aws.create_client = counting_client
    args = dict(
        state="pruned",
        db_identifier="e1-db",
        match_tags={t["Key"]: t["Value"] for t in TAGS},
        older_than_days=30,
        keep_newest=keep,
        reference_time=reference.isoformat(),
    )
    output = io.StringIO()
    started = time.perf_counter()
    with patch_module_args(args), contextlib.redirect_stdout(output):
        try:
            module.main()
        except SystemExit:
            pass
    elapsed = time.perf_counter() - started
    fleet_aws.create_client = real_create_client
    return json.loads(output.getvalue()), elapsed, calls, attempts["http"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshots", type=int, default=1000, help="expired tagged manual snapshots (pruned)")
    parser.add_argument("--untagged", type=int, default=50, help="expired untagged manual snapshots (stay)")
    parser.add_argument("--keep", type=int, default=3, help="keep_newest; as many recent tagged snapshots are made")
    options = parser.parse_args()

    import ansible.module_utils
    import boto3

    ansible.module_utils.__path__.append(str(ROOT / "module_utils"))
    sys.path.insert(0, str(ROOT))
    from ansible.module_utils.testing import patch_module_args

    from ansible.module_utils import fleet_aws
    from library import rds_manual_snapshot

    total = options.snapshots + options.untagged + options.keep + 1
    with moto_server(snapshot_limit=total + 100) as url:
        point_boto_at(url)
        rds = boto3.client("rds", region_name=REGION)
        started = time.perf_counter()
        reference = seed(rds, options.snapshots, options.untagged, options.keep)
        seeded = time.perf_counter() - started
        before = {s["DBSnapshotIdentifier"]: s["SnapshotType"] for s in rds.describe_db_snapshots()["DBSnapshots"]}
        result, elapsed, calls, http = run_prune(
            rds_manual_snapshot, fleet_aws, patch_module_args, reference, options.keep
        )
        if result.get("failed"):
            sys.exit("prune failed: " + result["msg"])
        after = {s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots()["DBSnapshots"]}

    deleted, pages = len(result["deleted"]), result["listing_pages"]
    listed = sum(1 for kind in before.values() if kind == "manual")
    must_stay = {name for name in before if not name.startswith("e1-db-old-")}
    print("moto_server {0} on loopback; {1} snapshots seeded in {2:.1f} s".format(url, len(before), seeded))
    print(
        "  expired tagged: {0}, expired untagged: {1}, newest tagged: {2}, automated: {3}".format(
            options.snapshots, options.untagged, options.keep, sum(1 for k in before.values() if k == "automated")
        )
    )
    print("prune (rds_manual_snapshot main(), in-process): {0:.2f} s wall".format(elapsed))
    print(
        "  deleted: {0}; still there of those that must stay: {1}/{2}; expired tagged left: {3}".format(
            deleted, len(must_stay & after), len(must_stay), sum(1 for n in after if n.startswith("e1-db-old-"))
        )
    )
    print("API calls by operation (botocore before-call hook on the module's client):")
    for name, count in sorted(calls.items()):
        print("  {0:<24} {1:>6}".format(name, count))
    print("  {0:<24} {1:>6}   (HTTP requests sent, retries included: {2})".format("total", sum(calls.values()), http))
    print(
        "expected = listing pages + deletions = {0} + {1} = {2}; actual = {3}  -> {4}".format(
            pages,
            deleted,
            pages + deleted,
            sum(calls.values()),
            "OK" if pages + deleted == sum(calls.values()) else "MISMATCH",
        )
    )
    print(
        "note: moto ignores MaxRecords and answers every listing in 1 page; AWS pages by {0}, so there the same prune"
        " would read {1} pages: {1} + {2} = {3} calls".format(
            AWS_PAGE_SIZE, math.ceil(listed / AWS_PAGE_SIZE), deleted, math.ceil(listed / AWS_PAGE_SIZE) + deleted
        )
    )
    if pages + deleted != sum(calls.values()) or must_stay - after or deleted != options.snapshots:
        sys.exit(1)


if __name__ == "__main__":
    main()
