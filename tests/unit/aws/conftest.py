"""Fixtures for the Auto Scaling module tests: module exits as exceptions, no real AWS, two AWS
doubles - moto in-process, and botocore's Stubber where moto cannot produce the answer (said
in each test that uses it)."""

import botocore.session
import pytest
from aws_harness import REGION, RecordedCalls, record_calls
from botocore.stub import Stubber

from tests.aws_module_harness import _module_exits_raise, _offline_aws_env, moto_calls  # noqa: F401 (fixtures)

from ansible.module_utils import fleet_autoscaling, fleet_aws


class FakeClock:
    """Time for the modules' waits: each sleep advances it, nothing really sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self):
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(fleet_autoscaling, "_sleep", fake.sleep)
    monkeypatch.setattr(fleet_autoscaling, "_clock", fake)
    monkeypatch.setattr(fleet_aws, "_sleep", fake.sleep)
    return fake


@pytest.fixture()
def moto_aws(monkeypatch):
    """moto in-process; yields the list of calls the modules make."""
    yield from moto_calls(monkeypatch, RecordedCalls())


@pytest.fixture()
def stubbed(monkeypatch):
    """Stubbers on the autoscaling and elbv2 clients the modules get: {service: Stubber}."""
    session = botocore.session.get_session()
    clients = {
        service: session.create_client(
            service, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        for service in ("autoscaling", "elbv2")
    }
    calls = RecordedCalls()
    for one in clients.values():
        record_calls(one, calls)
    monkeypatch.setattr(fleet_aws, "create_client", lambda module, service, region=None: clients[service])
    stubbers = {service: Stubber(one) for service, one in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    stubbers["calls"] = calls
    yield stubbers
    for service in ("autoscaling", "elbv2"):
        stubbers[service].assert_no_pending_responses()
        stubbers[service].deactivate()
