"""roles/memory_metrics/files/memory_publisher.py, the memory_metrics role's publisher.

The request's shape is checked with botocore's Stubber: it compares the parameters of
PutMetricData with what CloudWatch is asked, without an endpoint. That the request is accepted
and stored, read back as a metric, and agrees with the host's /proc/meminfo is the end-to-end
check of molecule/memory_metrics (the publisher on a Debian host, against moto_server).
"""

import datetime
import importlib.util
import io
import json
import socket
from pathlib import Path

import botocore.session
import pytest
from botocore.stub import Stubber

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("memory_publisher", ROOT / "roles/memory_metrics/files/memory_publisher.py")
publisher = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(publisher)

NOW = datetime.datetime(2025, 1, 5, 19, 0, tzinfo=datetime.timezone.utc)
SETTINGS = {"region": "ap-southeast-3", "endpoint_url": "", "instance_id": "i-0123456789abcdef0",
            "auto_scaling_group": "e1-dashboard-production-app"}
# /proc/meminfo of a 6.1 kernel (Debian 12), abridged: 1/4 of the memory available.
MEMINFO = """MemTotal:        8000000 kB
MemFree:          500000 kB
MemAvailable:    2000000 kB
Buffers:          100000 kB
Cached:          1500000 kB
SwapCached:            0 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
"""


def meminfo_file(tmp_path, text=MEMINFO):
    path = tmp_path / "meminfo"
    path.write_text(text)
    return str(path)


def stubbed_client():
    client = botocore.session.get_session().create_client(
        "cloudwatch", region_name="ap-southeast-3", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    return client, Stubber(client)


def run(tmp_path, client, settings=SETTINGS, meminfo=MEMINFO, argv=()):
    return publisher.main(list(argv), stdin=io.StringIO(json.dumps(settings)), meminfo=meminfo_file(tmp_path, meminfo),
                          client_factory=lambda _settings: client, now=NOW)


# The percentage


def test_used_percent_is_total_less_available_over_total():
    assert publisher.used_percent(MEMINFO) == 75.0


def test_used_percent_is_rounded_to_hundredths():
    assert publisher.used_percent("MemTotal: 3 kB\nMemAvailable: 2 kB\n") == 33.33


def test_the_caches_do_not_count_as_used():
    """MemFree alone would say 93.75 % here; the agent's definition counts reclaimable cache as available."""
    assert publisher.used_percent(MEMINFO) != round(100 * (8000000 - 500000) / 8000000, 2)


def test_a_kernel_without_memavailable_is_refused_not_estimated():
    """Before 3.14 only (Debian 12 runs 6.1, 13 runs 6.12): a guess would be another metric under the agent's name."""
    with pytest.raises(publisher.PublishError, match="no MemAvailable"):
        publisher.used_percent("MemTotal: 8000000 kB\nMemFree: 500000 kB\nCached: 1500000 kB\n")


def test_meminfo_without_a_total_is_refused():
    with pytest.raises(publisher.PublishError, match="no MemTotal"):
        publisher.used_percent("MemAvailable: 1 kB\n")


# The request


def expected_datum(name, value):
    return {"MetricName": "mem_used_percent", "Dimensions": [{"Name": name, "Value": value}],
            "Timestamp": NOW, "Value": 75.0, "Unit": "Percent"}


def test_one_request_with_a_datum_per_dimension_set_in_the_agents_namespace(tmp_path, capsys):
    client, stubber = stubbed_client()
    stubber.add_response("put_metric_data", {}, {
        "Namespace": "CWAgent",
        "MetricData": [expected_datum("InstanceId", "i-0123456789abcdef0"),
                       expected_datum("AutoScalingGroupName", "e1-dashboard-production-app")],
    })
    with stubber:
        assert run(tmp_path, client) == 0
    stubber.assert_no_pending_responses()
    out = capsys.readouterr()
    assert out.out == ("mem_used_percent 75.0 published"
                       " (InstanceId=i-0123456789abcdef0, AutoScalingGroupName=e1-dashboard-production-app)\n")
    assert out.err == ""


def test_without_a_group_only_the_instance_datum_is_put(tmp_path):
    client, stubber = stubbed_client()
    stubber.add_response("put_metric_data", {}, {
        "Namespace": "CWAgent", "MetricData": [expected_datum("InstanceId", "i-0123456789abcdef0")],
    })
    with stubber:
        assert run(tmp_path, client, settings={**SETTINGS, "auto_scaling_group": ""}) == 0
    stubber.assert_no_pending_responses()


def test_the_client_gets_the_settings_region_and_endpoint_and_bounded_retries():
    client = publisher.cloudwatch_client({**SETTINGS, "endpoint_url": "http://127.0.0.1:5086"})
    assert client.meta.region_name == "ap-southeast-3"
    assert client.meta.endpoint_url == "http://127.0.0.1:5086"
    assert client.meta.config.retries["total_max_attempts"] == publisher.MAX_ATTEMPTS
    assert (client.meta.config.connect_timeout, client.meta.config.read_timeout) == (5, 10)


def test_an_empty_endpoint_means_the_regions_own():
    assert publisher.cloudwatch_client(SETTINGS).meta.endpoint_url == "https://monitoring.ap-southeast-3.amazonaws.com"


def test_dry_run_prints_the_request_and_sends_nothing(tmp_path, capsys):
    client, stubber = stubbed_client()
    with stubber:  # no response queued: any call would fail the run
        assert run(tmp_path, client, argv=["--dry-run"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["Namespace"] == "CWAgent"
    assert [d["Dimensions"][0]["Name"] for d in printed["MetricData"]] == ["InstanceId", "AutoScalingGroupName"]


def test_settings_from_a_file(tmp_path, capsys):
    settings = tmp_path / "memory-metrics.json"
    settings.write_text(json.dumps(SETTINGS))
    code = publisher.main(["--config", str(settings), "--dry-run"], meminfo=meminfo_file(tmp_path), now=NOW)
    assert code == 0 and json.loads(capsys.readouterr().out)["MetricData"][0]["Value"] == 75.0


# Failures: status 1, one line on standard error, nothing on standard output


def assert_failed_in_one_line(code, capsys, expected):
    out = capsys.readouterr()
    assert code == 1
    assert out.out == ""
    assert "Traceback" not in out.err and out.err.count("\n") == 1, out.err
    assert out.err.startswith("fleet-memory-metrics: ") and expected in out.err, out.err


def test_a_refused_request_fails_with_the_services_message(tmp_path, capsys):
    client, stubber = stubbed_client()
    stubber.add_client_error("put_metric_data", "AccessDenied", "not authorized to perform cloudwatch:PutMetricData", 403)
    with stubber:
        code = run(tmp_path, client)
    assert_failed_in_one_line(code, capsys, "CloudWatch refused PutMetricData: AccessDenied: not authorized")


def test_an_endpoint_that_does_not_answer_fails_in_one_line(tmp_path, capsys):
    """A real client against a closed loopback port: the connection error, after the bounded retry."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = {**SETTINGS, "endpoint_url": f"http://127.0.0.1:{port}"}
    code = publisher.main([], stdin=io.StringIO(json.dumps(settings)), meminfo=meminfo_file(tmp_path), now=NOW,
                          client_factory=lambda s: botocore.session.get_session().create_client(
                              "cloudwatch", region_name=s["region"], endpoint_url=s["endpoint_url"],
                              aws_access_key_id="testing", aws_secret_access_key="testing",
                              config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})))
    assert_failed_in_one_line(code, capsys, "PutMetricData failed: Could not connect to the endpoint URL")


def test_missing_credentials_fail_in_one_line(tmp_path, capsys, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    # No instance metadata service on loopback or anywhere: the chain ends without credentials.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = botocore.session.get_session().create_client("cloudwatch", region_name="ap-southeast-3")
    code = run(tmp_path, client)
    assert_failed_in_one_line(code, capsys, "Unable to locate credentials")


@pytest.mark.parametrize(
    "settings, expected",
    [
        ("not json", "the settings are not JSON"),
        ("[]", "must be a JSON object"),
        (json.dumps({**SETTINGS, "namespace": "Custom"}), "unknown settings: namespace"),
        (json.dumps({**SETTINGS, "instance_id": ""}), "need region and instance_id"),
        (json.dumps({**SETTINGS, "region": 1}), "every setting must be a string"),
    ],
)
def test_bad_settings_fail_in_one_line(tmp_path, capsys, settings, expected):
    code = publisher.main([], stdin=io.StringIO(settings), meminfo=meminfo_file(tmp_path), client_factory=None)
    assert_failed_in_one_line(code, capsys, expected)


def test_an_unreadable_meminfo_fails_in_one_line(tmp_path, capsys):
    code = publisher.main([], stdin=io.StringIO(json.dumps(SETTINGS)), meminfo=str(tmp_path / "absent"), client_factory=None)
    assert_failed_in_one_line(code, capsys, "absent: No such file or directory")


def test_an_unexpected_error_is_reported_not_raised(tmp_path, capsys):
    def broken_factory(_settings):
        raise ValueError("Invalid endpoint: http://[")

    code = publisher.main([], stdin=io.StringIO(json.dumps(SETTINGS)), meminfo=meminfo_file(tmp_path),
                          client_factory=broken_factory)
    assert_failed_in_one_line(code, capsys, "ValueError: Invalid endpoint")


def test_under_systemd_a_failure_is_logged_at_error_level(tmp_path, capsys, monkeypatch):
    """systemd names the journal stream in JOURNAL_STREAM; <3> is the error priority it reads."""
    stderr = tmp_path / "stderr"
    with open(stderr, "w") as handle:
        info = Path(stderr).stat()
        monkeypatch.setattr("sys.stderr", handle)
        monkeypatch.setenv("JOURNAL_STREAM", f"{info.st_dev}:{info.st_ino}")
        publisher.report_failure("boom")
    assert stderr.read_text() == "<3>fleet-memory-metrics: boom\n"
