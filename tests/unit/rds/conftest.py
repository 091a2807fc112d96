"""Fixtures for the RDS module tests: module exits as exceptions, no real AWS, two AWS doubles.

AWS is either moto in-process (mock_aws, no network) or, where moto lacks an API or cannot
produce an answer (pending maintenance, engine versions, restore windows, throttling, paging,
a snapshot stuck in `creating`), a botocore Stubber.
"""

import pytest

from tests import aws_module_harness as harness
from tests.aws_module_harness import _module_exits_raise, _offline_aws_env, moto_calls  # noqa: F401 (fixtures)
from rds_harness import RecordedCalls

from ansible.module_utils import fleet_aws


@pytest.fixture(autouse=True)
def backoff_sleeps(monkeypatch):
    """The module-side backoff records its sleeps instead of sleeping."""
    slept = []
    monkeypatch.setattr(fleet_aws, "_sleep", slept.append)
    return slept


@pytest.fixture()
def moto_aws(monkeypatch):
    """moto in-process; yields the list of calls the modules make."""
    yield from moto_calls(monkeypatch, RecordedCalls())


@pytest.fixture()
def rds_stub(monkeypatch):
    """A Stubber on the one RDS client every module run gets, with .calls recorded."""
    yield from harness.stubbed_calls(monkeypatch, "rds", RecordedCalls())
