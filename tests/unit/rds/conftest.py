"""Fixtures for the RDS module tests: module exits as exceptions, no real AWS, two AWS doubles.

AWS is either moto in-process (mock_aws, no network) or, where moto lacks an API or cannot
produce an answer (pending maintenance, engine versions, restore windows, throttling, paging,
a snapshot stuck in `creating`), a botocore Stubber.
"""

import botocore.session
import pytest
from ansible.module_utils import basic
from botocore.stub import Stubber
from rds_harness import REGION, ModuleExit, ModuleFail, RecordedCalls, record_calls

from ansible.module_utils import fleet_aws


@pytest.fixture(autouse=True)
def _module_exits_raise(monkeypatch):
    def exit_json(self, **result):
        raise ModuleExit(result)

    def fail_json(self, msg, **result):
        raise ModuleFail(dict(result, msg=msg, failed=True))

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)


@pytest.fixture(autouse=True)
def _offline_aws_env(monkeypatch):
    """No test may reach a real endpoint or read the developer's credentials."""
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")


@pytest.fixture(autouse=True)
def backoff_sleeps(monkeypatch):
    """The module-side backoff records its sleeps instead of sleeping."""
    slept = []
    monkeypatch.setattr(fleet_aws, "_sleep", slept.append)
    return slept


@pytest.fixture()
def moto_aws(monkeypatch):
    """moto in-process; yields the list of calls the modules make."""
    from moto import mock_aws

    calls = RecordedCalls()
    real_create_client = fleet_aws.create_client
    monkeypatch.setattr(fleet_aws, "create_client", lambda *a, **k: record_calls(real_create_client(*a, **k), calls))
    with mock_aws():
        yield calls


@pytest.fixture()
def rds_stub(monkeypatch):
    """A Stubber on the one RDS client every module run gets, with .calls recorded."""
    client = botocore.session.get_session().create_client(
        "rds", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    calls = RecordedCalls()
    record_calls(client, calls)
    monkeypatch.setattr(fleet_aws, "create_client", lambda *a, **k: client)
    with Stubber(client) as stubber:
        stubber.calls = calls
        yield stubber
        stubber.assert_no_pending_responses()
