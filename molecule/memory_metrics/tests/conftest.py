"""Shared fixtures of the memory_metrics scenario's testinfra tests.

The app server is reached with testinfra's docker backend (docker exec as root); the local
CloudWatch (moto_server on the scenario network's gateway, MEMORY_METRICS_ENDPOINT) with boto3
from the controller, as the alarms would read the metric. Ansible runs (drift, check mode,
turning the role off) use the scenario's own inventory, which Molecule passes to the verifier
in the environment.
"""

import datetime
import os
import sys
from pathlib import Path

import boto3
import pytest
import testinfra

# The helpers every testinfra scenario shares (molecule/_shared/fleet_testinfra.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "_shared"))
from fleet_testinfra import wait_until  # noqa: E402

DISTRO = os.environ.get("MOLECULE_DISTRO", "debian12")
SCENARIO = Path(__file__).resolve().parent.parent
ENDPOINT = os.environ["MEMORY_METRICS_ENDPOINT"]
REGION = "ap-southeast-3"
INSTANCE_ID = "i-0123456789abcdef0"
GROUP = "memory-metrics-asg"
TIMER = "fleet-memory-metrics.timer"
SETTINGS = "/etc/fleet/memory-metrics.json"
SERVICE = "fleet-memory-metrics.service"
# The first run is 10 s after the timer starts, then every 60 s: two periods and some slack.
FIRST_DATA_WITHIN = 150


@pytest.fixture(scope="session")
def app():
    return testinfra.get_host(f"docker://memory-metrics-app-{DISTRO}")


@pytest.fixture(scope="session")
def cloudwatch():
    return boto3.client("cloudwatch", endpoint_url=ENDPOINT, region_name=REGION,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def used_percent(host):
    """100 * (MemTotal - MemAvailable) / MemTotal from the host's /proc/meminfo, now."""
    fields = dict(line.split()[:2] for line in host.check_output("cat /proc/meminfo").replace(":", "").splitlines())
    total, available = int(fields["MemTotal"]), int(fields["MemAvailable"])
    return 100.0 * (total - available) / total


def datapoints(cloudwatch, dimension, value, start, end, period=60):
    """CWAgent/mem_used_percent datapoints of one dimension set between START and END, in Percent."""
    return cloudwatch.get_metric_statistics(
        Namespace="CWAgent", MetricName="mem_used_percent", Dimensions=[{"Name": dimension, "Value": value}],
        StartTime=start, EndTime=end, Period=period, Statistics=["Minimum", "Maximum", "SampleCount"], Unit="Percent",
    )["Datapoints"]


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


@pytest.fixture(scope="session")
def first_data(cloudwatch):
    """Wait (bounded) until the endpoint holds the timer's datapoints for both dimension sets."""
    start = utc_now() - datetime.timedelta(minutes=30)

    def both():
        end = utc_now() + datetime.timedelta(minutes=1)
        found = {name: datapoints(cloudwatch, name, value, start, end)
                 for name, value in (("InstanceId", INSTANCE_ID), ("AutoScalingGroupName", GROUP))}
        return found if all(found.values()) else None

    return wait_until(both, FIRST_DATA_WITHIN, "mem_used_percent datapoints for InstanceId and AutoScalingGroupName",
                      interval=2)


def changed_tasks(report, host):
    """Names of the tasks that changed HOST in an ansible.posix.json report, in run order."""
    return [task["task"]["name"] for play in report.get("plays", []) for task in play["tasks"]
            if task["hosts"].get(host, {}).get("changed")]


def unit_properties(host, unit, *names):
    out = host.check_output(f"systemctl show --property {','.join(names)} {unit}")
    return dict(line.split("=", 1) for line in out.splitlines())


def point_at_a_refusing_endpoint(host):
    """Edit the publisher's settings: its endpoint becomes a closed port on the host's own loopback."""
    host.check_output(f"sed -i 's|\"endpoint_url\": \"[^\"]*\"|\"endpoint_url\": \"http://127.0.0.1:9\"|' {SETTINGS}")
