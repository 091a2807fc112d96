#!/usr/bin/python3 -I
"""Publish this host's memory use to CloudWatch once, as the CloudWatch agent names it:
CWAgent / mem_used_percent = 100 * (MemTotal - MemAvailable) / MemTotal, unit Percent, one
datum per dimension set ([InstanceId], and [AutoScalingGroupName] when the host is in a group),
so that the alarms on the agent's metric work with either publisher.

Installed by the memory_metrics role and run by fleet-memory-metrics.timer (every minute). The
settings are a JSON object on standard input (systemd opens the root-only file for the service's
unprivileged dynamic user), or in the file given with --config:

    {"region": "ap-southeast-3", "endpoint_url": "", "instance_id": "i-0123456789abcdef0",
     "auto_scaling_group": "e1-dashboard-production-app"}

Credentials come from boto3's default chain: the environment (tests), else the instance profile
through the instance metadata service. --dry-run prints the request instead of sending it.
Exit status 0 when published, 1 when not (one line on standard error, no traceback): the next
run a minute later tries again.
"""

import argparse
import datetime
import json
import os
import sys

NAMESPACE = "CWAgent"
METRIC_NAME = "mem_used_percent"
MEMINFO = "/proc/meminfo"
SETTINGS = ("region", "endpoint_url", "instance_id", "auto_scaling_group")
# Two attempts in all, each bounded, so that a run ends well inside its minute (the unit's
# TimeoutStartSec) instead of queueing behind a hung connection.
CONNECT_TIMEOUT, READ_TIMEOUT, MAX_ATTEMPTS = 5, 10, 2


class PublishError(Exception):
    """A reason not to publish, said in one line."""


def used_percent(meminfo_text):
    """100 * (MemTotal - MemAvailable) / MemTotal from the text of /proc/meminfo."""
    fields = {}
    for line in meminfo_text.splitlines():
        name, _, rest = line.partition(":")
        words = rest.split()
        if words and words[0].isdigit():
            fields[name.strip()] = int(words[0])
    total = fields.get("MemTotal")
    if not total:
        raise PublishError(f"{MEMINFO} has no MemTotal")
    if "MemAvailable" not in fields:
        # Kernels before 3.14 only; an estimate from MemFree and the caches would be a different
        # metric under the agent's name, and the alarm would act on it.
        raise PublishError(f"{MEMINFO} has no MemAvailable (a kernel before 3.14): mem_used_percent is not published")
    return round(100.0 * (total - fields["MemAvailable"]) / total, 2)


def read_settings(stream):
    """The settings object from STREAM, with every key present and each value a string."""
    try:
        settings = json.load(stream)
    except ValueError as err:
        raise PublishError(f"the settings are not JSON: {err}") from None
    if not isinstance(settings, dict):
        raise PublishError("the settings must be a JSON object")
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        raise PublishError(f"unknown settings: {', '.join(unknown)}")
    settings = {key: settings.get(key) or "" for key in SETTINGS}
    if not all(isinstance(value, str) for value in settings.values()):
        raise PublishError("every setting must be a string")
    if not settings["region"] or not settings["instance_id"]:
        raise PublishError("the settings need region and instance_id")
    return settings


def metric_data(settings, percent, timestamp):
    """The PutMetricData entries: the same value once per dimension set."""
    dimension_sets = [[{"Name": "InstanceId", "Value": settings["instance_id"]}]]
    if settings["auto_scaling_group"]:
        dimension_sets.append([{"Name": "AutoScalingGroupName", "Value": settings["auto_scaling_group"]}])
    return [
        {"MetricName": METRIC_NAME, "Dimensions": dimensions, "Timestamp": timestamp, "Value": percent, "Unit": "Percent"}
        for dimensions in dimension_sets
    ]


def cloudwatch_client(settings):
    """A CloudWatch client for the settings' region and endpoint (boto3 imported here, so that
    a host without it fails with this program's message, not an import traceback)."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError as err:
        raise PublishError(f"boto3 is not installed (Debian: python3-boto3): {err}") from None
    config = Config(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                    retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"})
    return boto3.session.Session().client(
        "cloudwatch", region_name=settings["region"], endpoint_url=settings["endpoint_url"] or None, config=config
    )


def publish(client, data):
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        client.put_metric_data(Namespace=NAMESPACE, MetricData=data)
    except ClientError as err:
        error = err.response.get("Error", {})
        raise PublishError(f"CloudWatch refused PutMetricData: {error.get('Code', '?')}: {error.get('Message', err)}") from None
    except BotoCoreError as err:
        raise PublishError(f"PutMetricData failed: {err}") from None


def report_failure(message):
    """MESSAGE on standard error; at error level in the journal when stderr is the journal
    (systemd sets JOURNAL_STREAM to that stream's device:inode), else plain."""
    prefix = ""
    journal = os.environ.get("JOURNAL_STREAM", "")
    try:
        info = os.fstat(sys.stderr.fileno())
        if journal == f"{info.st_dev}:{info.st_ino}":
            prefix = "<3>"
    except (OSError, ValueError, AttributeError):
        pass
    print(f"{prefix}fleet-memory-metrics: {message}", file=sys.stderr)


def main(argv=None, stdin=None, meminfo=MEMINFO, client_factory=cloudwatch_client, now=None):
    parser = argparse.ArgumentParser(description="Publish CWAgent/mem_used_percent once.")
    parser.add_argument("--config", help="settings file (JSON); default: standard input")
    parser.add_argument("--dry-run", action="store_true", help="print the request instead of sending it")
    args = parser.parse_args(argv)
    try:
        if args.config:
            with open(args.config, encoding="utf-8") as handle:
                settings = read_settings(handle)
        else:
            settings = read_settings(stdin or sys.stdin)
        with open(meminfo, encoding="ascii") as handle:
            percent = used_percent(handle.read())
        data = metric_data(settings, percent, now or datetime.datetime.now(datetime.timezone.utc))
        if args.dry_run:
            print(json.dumps({"Namespace": NAMESPACE, "MetricData": data}, default=str, indent=2))
            return 0
        publish(client_factory(settings), data)
    except PublishError as err:
        report_failure(str(err))
        return 1
    except OSError as err:
        report_failure(f"{err.filename or ''}: {err.strerror or err}".lstrip(": "))
        return 1
    except Exception as err:  # a timer's run reports and ends; the next one retries
        report_failure(f"{type(err).__name__}: {err}")
        return 1
    dimensions = ", ".join(f"{d['Name']}={d['Value']}" for datum in data for d in datum["Dimensions"])
    print(f"{METRIC_NAME} {percent} published ({dimensions})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
