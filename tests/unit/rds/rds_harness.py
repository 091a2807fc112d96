"""Running this project's RDS modules in-process, against moto or a botocore Stubber (the shared
harness: tests/aws_module_harness.py), and the RDS objects their tests need."""

import boto3

from tests import aws_module_harness as harness
from tests.aws_module_harness import ROOT, ModuleExit, ModuleFail, fail_of, record_calls, run_module  # noqa: F401
from tests.rds_databases import create_postgres_instance

REGION = "ap-southeast-3"
DR_REGION = "ap-southeast-1"
ACCOUNT = "123456789012"


class RecordedCalls(harness.RecordedCalls):
    """Operation names (e.g. DeleteDBSnapshot) sent through the clients the modules build."""

    WRITE_PREFIXES = ("Create", "Delete", "Modify", "Copy", "Apply", "Add", "Remove", "Restore")


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
