"""The shared AWS plumbing: client options, backoff on throttling, check mode, waiters, errors.

Throttling, a snapshot that never leaves `creating` and unparsable answers cannot be produced
with moto, so these tests use botocore's Stubber (the `rds_stub` fixture).
"""

import datetime

import botocore.parsers
import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from botocore.exceptions import EndpointConnectionError
from rds_harness import ModuleFail

from ansible.module_utils import fleet_aws

NOW = datetime.datetime(2025, 6, 1, tzinfo=datetime.timezone.utc)


def connection(args=None, check_mode=False):
    with patch_module_args(dict(args or {}, _ansible_check_mode=check_mode)):
        module = AnsibleModule(argument_spec=fleet_aws.aws_argument_spec(), supports_check_mode=True)
    return fleet_aws.AwsConnection(module, "rds")


def snapshot(status):
    return {"DBSnapshots": [{"DBSnapshotIdentifier": "s1", "Status": status, "SnapshotCreateTime": NOW}]}


def test_secrets_are_never_logged():
    spec = fleet_aws.aws_argument_spec()
    assert spec["secret_key"]["no_log"] is True
    assert spec["session_token"]["no_log"] is True


def test_client_uses_the_connection_options(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    conn = connection(
        dict(
            region="ap-southeast-1",
            endpoint_url="https://rds.internal.example",
            ca_bundle=str(bundle),
            retry_mode="adaptive",
            max_attempts=7,
        )
    )
    client = conn.client
    assert client.meta.region_name == "ap-southeast-1"
    assert client.meta.endpoint_url == "https://rds.internal.example"
    assert client._endpoint.http_session._verify == str(bundle)
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 7}


def test_region_falls_back_to_the_environment():
    assert connection().region == "ap-southeast-3"


def test_throttling_is_retried_with_jittered_backoff(rds_stub, backoff_sleeps):
    for _ in range(2):
        rds_stub.add_client_error("describe_db_snapshots", service_error_code="Throttling", http_status_code=400)
    rds_stub.add_response("describe_db_snapshots", snapshot("available"))
    reply = connection().call("describing", "describe_db_snapshots")
    assert reply["DBSnapshots"][0]["Status"] == "available"
    assert len(backoff_sleeps) == 2
    assert 0 <= backoff_sleeps[0] <= fleet_aws.BACKOFF_BASE_SECONDS
    assert 0 <= backoff_sleeps[1] <= 2 * fleet_aws.BACKOFF_BASE_SECONDS


def test_throttling_that_does_not_stop_fails_clearly(rds_stub, backoff_sleeps):
    for _ in range(fleet_aws.BACKOFF_TRIES):
        rds_stub.add_client_error(
            "describe_db_snapshots", service_error_code="ThrottlingException", http_status_code=400
        )
    with pytest.raises(ModuleFail) as failed:
        connection().call("listing snapshots", "describe_db_snapshots")
    assert failed.value.result["msg"].startswith("listing snapshots failed: ThrottlingException")
    assert len(backoff_sleeps) == fleet_aws.BACKOFF_TRIES - 1


def test_other_errors_are_not_retried_and_name_what_failed(rds_stub, backoff_sleeps):
    rds_stub.add_client_error(
        "describe_db_snapshots",
        service_error_code="AccessDenied",
        service_message="no rds:Describe*",
        http_status_code=403,
    )
    with pytest.raises(ModuleFail) as failed:
        connection().call("listing snapshots", "describe_db_snapshots")
    result = failed.value.result
    assert result["msg"] == "listing snapshots failed: AccessDenied: no rds:Describe*"
    assert result["error"]["code"] == "AccessDenied"
    assert backoff_sleeps == []


@pytest.mark.parametrize(
    "exc, shown",
    [
        (EndpointConnectionError(endpoint_url="https://rds.example"), "EndpointConnectionError: Could not connect"),
        (botocore.parsers.ResponseParserError("invalid XML received"), "ResponseParserError: invalid XML"),
    ],
)
def test_local_botocore_failures_become_fail_json(monkeypatch, exc, shown):
    conn = connection()

    def broken(**_):
        raise exc

    monkeypatch.setattr(conn.client, "describe_db_snapshots", broken)
    with pytest.raises(ModuleFail) as failed:
        conn.call("listing snapshots", "describe_db_snapshots")
    assert failed.value.result["msg"].startswith("listing snapshots failed: " + shown)


def test_check_mode_sends_no_write(rds_stub):
    assert connection(check_mode=True).change("deleting", "delete_db_snapshot", DBSnapshotIdentifier="s1") is None
    assert rds_stub.calls == []


def test_find_returns_none_only_for_the_not_found_codes(rds_stub):
    rds_stub.add_client_error("describe_db_snapshots", service_error_code="DBSnapshotNotFound", http_status_code=404)
    rds_stub.add_client_error("describe_db_snapshots", service_error_code="InvalidParameterValue", http_status_code=400)
    conn = connection()
    assert conn.find("describing", "describe_db_snapshots", "DBSnapshots", ("DBSnapshotNotFound",)) is None
    with pytest.raises(ModuleFail, match="InvalidParameterValue"):
        conn.find("describing", "describe_db_snapshots", "DBSnapshots", ("DBSnapshotNotFound",))


def test_paginate_reads_every_page_and_counts_them(rds_stub):
    rds_stub.add_response("describe_db_snapshots", dict(snapshot("available"), Marker="p2"), {"MaxRecords": 100})
    rds_stub.add_response("describe_db_snapshots", snapshot("creating"), {"MaxRecords": 100, "Marker": "p2"})
    conn = connection()
    items = conn.paginate("listing", "describe_db_snapshots", "DBSnapshots")
    assert [i["Status"] for i in items] == ["available", "creating"]
    assert conn.pages_read == 2


def test_wait_gives_up_within_the_timeout(rds_stub, monkeypatch):
    """A snapshot stuck in `creating`: the waiter's sleeps add up to the timeout, not more."""
    waiter_sleeps = []
    monkeypatch.setattr("botocore.waiter.time.sleep", waiter_sleeps.append)
    for _ in range(4):
        rds_stub.add_response("describe_db_snapshots", snapshot("creating"))
    with pytest.raises(ModuleFail) as failed:
        connection().wait("waiting for s1", "db_snapshot_available", timeout=30, delay=10, DBSnapshotIdentifier="s1")
    assert failed.value.result["msg"] == "waiting for s1 failed: still not done after 30 seconds"
    assert sum(waiter_sleeps) <= 30 and len(waiter_sleeps) == 3
    assert failed.value.result["last_response"]["DBSnapshots"][0]["SnapshotCreateTime"] == NOW.isoformat()


def test_wait_stops_at_a_terminal_state(rds_stub, monkeypatch):
    monkeypatch.setattr("botocore.waiter.time.sleep", lambda _: None)
    rds_stub.add_response("describe_db_snapshots", snapshot("failed"))
    with pytest.raises(ModuleFail, match="reached a state it cannot leave"):
        connection().wait("waiting for s1", "db_snapshot_available", timeout=600, DBSnapshotIdentifier="s1")


def test_wait_delay_never_exceeds_the_timeout(rds_stub, monkeypatch):
    waiter_sleeps = []
    monkeypatch.setattr("botocore.waiter.time.sleep", waiter_sleeps.append)
    rds_stub.add_response("describe_db_snapshots", snapshot("creating"))
    rds_stub.add_response("describe_db_snapshots", snapshot("available"))
    connection().wait("waiting for s1", "db_snapshot_available", timeout=5, delay=15, DBSnapshotIdentifier="s1")
    assert waiter_sleeps == [5]
