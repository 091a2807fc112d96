"""Running this project's AWS modules (library/) in-process, against moto or a botocore Stubber:
what the RDS and the Auto Scaling tests share.

The modules import their shared code as `ansible.module_utils.<name>`, which Ansible provides
when it ships a module; importing this puts the project's module_utils/ on that package's search
path (import it before any module under library/).
"""

import json
from pathlib import Path

import ansible.module_utils
import pytest
from ansible.module_utils.testing import patch_module_args

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "module_utils") not in ansible.module_utils.__path__:
    ansible.module_utils.__path__.append(str(ROOT / "module_utils"))


class ModuleExit(Exception):
    """The module called exit_json; .result is what it returned."""

    def __init__(self, result):
        super().__init__(json.dumps(result, default=str))
        self.result = result


class ModuleFail(ModuleExit):
    """The module called fail_json."""


class RecordedCalls(list):
    """Operation names (e.g. DeleteDBSnapshot) sent through the clients the modules build;
    writes() are those starting with one of the subclass's WRITE_PREFIXES."""

    WRITE_PREFIXES = ()

    def writes(self):
        return [name for name in self if name.startswith(self.WRITE_PREFIXES)]


def record_calls(client, calls):
    client.meta.events.register(
        "provide-client-params.*.*", lambda model, **_: calls.append(model.name), unique_id="record-calls"
    )
    return client


def run_module(module, args, check_mode=False):
    """Run a module's main() with `args`; returns its result, raises ModuleFail when it fails."""
    with patch_module_args(dict(args, _ansible_check_mode=check_mode)):
        try:
            module.main()
        except ModuleFail:
            raise
        except ModuleExit as done:
            return done.result
    raise AssertionError("the module returned without exit_json or fail_json")


def fail_of(module, args, check_mode=False):
    """The result of a run that must fail."""
    with pytest.raises(ModuleFail) as failed:
        run_module(module, args, check_mode)
    return failed.value.result


# Fixtures both conftests take (imported there, so that pytest registers them).

@pytest.fixture(autouse=True)
def _module_exits_raise(monkeypatch):
    from ansible.module_utils import basic

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
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-3")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")


def moto_calls(monkeypatch, calls):
    """moto in-process, recording in CALLS the operations the modules' clients send."""
    from moto import mock_aws

    from ansible.module_utils import fleet_aws

    real_create_client = fleet_aws.create_client
    monkeypatch.setattr(fleet_aws, "create_client", lambda *a, **k: record_calls(real_create_client(*a, **k), calls))
    with mock_aws():
        yield calls


def stubbed_calls(monkeypatch, service, calls, region="ap-southeast-3"):
    """A botocore Stubber on the one SERVICE client every module run gets, for the APIs moto
    lacks; the operations sent are recorded in CALLS (the stubber's .calls). Every queued answer
    must have been used by the end of the test."""
    import botocore.session
    from botocore.stub import Stubber

    from ansible.module_utils import fleet_aws

    client = botocore.session.get_session().create_client(
        service, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
    record_calls(client, calls)
    monkeypatch.setattr(fleet_aws, "create_client", lambda *_a, **_k: client)
    with Stubber(client) as stubber:
        stubber.calls = calls
        yield stubber
        stubber.assert_no_pending_responses()
