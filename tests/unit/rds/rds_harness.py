"""Running this project's RDS modules in-process, against moto or a botocore Stubber.

The modules import their shared code as `ansible.module_utils.<name>`, which Ansible provides
when it ships a module; here the project's module_utils/ joins that package's search path
(import this before any module under library/).
"""

import json
from pathlib import Path

import ansible.module_utils
import boto3
import pytest
from ansible.module_utils.testing import patch_module_args

from tests.rds_databases import create_postgres_instance

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT / "module_utils") not in ansible.module_utils.__path__:
    ansible.module_utils.__path__.append(str(ROOT / "module_utils"))

REGION = "ap-southeast-3"
DR_REGION = "ap-southeast-1"
ACCOUNT = "123456789012"
WRITE_PREFIXES = ("Create", "Delete", "Modify", "Copy", "Apply", "Add", "Remove", "Restore")


class ModuleExit(Exception):
    """The module called exit_json; .result is what it returned."""

    def __init__(self, result):
        super().__init__(json.dumps(result, default=str))
        self.result = result


class ModuleFail(ModuleExit):
    """The module called fail_json."""


class RecordedCalls(list):
    """Operation names (e.g. DeleteDBSnapshot) sent through the clients the modules build."""

    def writes(self):
        return [name for name in self if name.startswith(WRITE_PREFIXES)]


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


def rds_client(region=REGION):
    return boto3.client("rds", region_name=region)


def make_instance(identifier="e1-db", retention=7, region=REGION):
    return create_postgres_instance(rds_client(region), identifier, retention)


def make_cluster(identifier="e1-aurora", retention=7):
    return rds_client().create_db_cluster(
        DBClusterIdentifier=identifier,
        Engine="aurora-postgresql",
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-secret-1",
        BackupRetentionPeriod=retention,
    )["DBCluster"]
