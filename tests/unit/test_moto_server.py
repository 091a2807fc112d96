"""scripts/moto_server.py: moto_server with percentile statistics in GetMetricData."""

import importlib.util
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "moto_server.py"
DIMENSIONS = [{"Name": "LoadBalancer", "Value": "app/e1-dashboard/50dc6c495c0c9188"}]


@pytest.fixture(scope="module")
def moto_server():
    spec = importlib.util.spec_from_file_location("moto_server", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [([], 95, None), ([0.4], 95, 0.4), (list(range(1, 21)), 95, 19), (list(range(1, 21)), 100, 20),
     ([5, 1, 3], 50, 3), (list(range(1, 1001)), 99.9, 999)],
)
def test_nearest_rank(moto_server, values, percent, expected):
    assert moto_server.nearest_rank(values, percent) == expected


def metric_data(stat):
    cloudwatch = boto3.client("cloudwatch", region_name="ap-southeast-3")
    now = datetime.now(timezone.utc)
    cloudwatch.put_metric_data(
        Namespace="AWS/ApplicationELB",
        MetricData=[{"MetricName": "TargetResponseTime", "Dimensions": DIMENSIONS, "Value": v / 100, "Timestamp": now}
                    for v in range(1, 41)],
    )
    query = {"Id": "q", "MetricStat": {"Period": 900, "Stat": stat, "Metric": {
        "Namespace": "AWS/ApplicationELB", "MetricName": "TargetResponseTime", "Dimensions": DIMENSIONS}}}
    reply = cloudwatch.get_metric_data(MetricDataQueries=[query], StartTime=now - timedelta(minutes=15),
                                       EndTime=now + timedelta(minutes=1))
    return reply["MetricDataResults"][0]["Values"]


@mock_aws
def test_a_percentile_is_answered(moto_server):
    assert metric_data("p95") == [0.38]


@mock_aws
def test_the_statistics_moto_has_are_unchanged(moto_server):
    assert metric_data("Maximum") == [0.4]
    assert metric_data("SampleCount") == [80.0]
