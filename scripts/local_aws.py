#!/usr/bin/env python3
"""Create, on the local AWS endpoint (moto_server), what the local fleet's runbook uses: the RDS
instance it snapshots, with the backup policy of inventories/local/group_vars/all/aws.yml, and
the SNS topic it publishes to with an SQS queue subscribed. Idempotent: what exists is kept
(the instance's backup policy is set again). Prints one line per resource.

    python scripts/local_aws.py --endpoint-url http://127.0.0.1:5055

Names and the policy come from the inventory file (plain values; templated ones are derived here
the same way). Credentials are moto's fixed test values, never real ones: the endpoint must be a
loopback URL.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
from pathlib import Path

import boto3
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "inventories" / "local" / "group_vars" / "all" / "aws.yml"


def settings(path=SETTINGS):
    data = yaml.safe_load(Path(path).read_text())
    wanted = ("fleet_aws_region", "fleet_aws_access_key_id", "fleet_aws_secret_access_key", "fleet_sns_topic_name",
              "fleet_sqs_queue_name", "rds_db_identifier", "rds_backup_retention_days", "rds_backup_window",
              "rds_maintenance_window")
    missing = [name for name in wanted if name not in data or "{{" in str(data[name])]
    if missing:
        sys.exit(f"{path}: no plain value for {', '.join(missing)}")
    return data


def clients(endpoint, conf):
    session = boto3.session.Session(
        aws_access_key_id=conf["fleet_aws_access_key_id"],
        aws_secret_access_key=conf["fleet_aws_secret_access_key"],
        region_name=conf["fleet_aws_region"],
    )
    return (session.client(name, endpoint_url=endpoint) for name in ("rds", "sns", "sqs"))


def ensure_instance(rds, conf):
    identifier = conf["rds_db_identifier"]
    policy = dict(
        BackupRetentionPeriod=int(conf["rds_backup_retention_days"]),
        PreferredBackupWindow=conf["rds_backup_window"],
        PreferredMaintenanceWindow=conf["rds_maintenance_window"],
        CopyTagsToSnapshot=True,
        DeletionProtection=True,
    )
    try:
        rds.describe_db_instances(DBInstanceIdentifier=identifier)
    except rds.exceptions.DBInstanceNotFoundFault:
        rds.create_db_instance(
            DBInstanceIdentifier=identifier,
            DBInstanceClass="db.t3.micro",
            Engine="postgres",
            EngineVersion="15.8",
            MasterUsername="dbadmin",
            MasterUserPassword="moto-test-only",
            AllocatedStorage=20,
            MultiAZ=True,
            Tags=[{"Key": "project", "Value": "e1-web-dashboard"}, {"Key": "environment", "Value": "local"}],
            **policy,
        )
        return f"rds instance {identifier}: created (postgres, retention {policy['BackupRetentionPeriod']} days)"
    rds.modify_db_instance(DBInstanceIdentifier=identifier, ApplyImmediately=True, **policy)
    return f"rds instance {identifier}: present (backup policy set)"


def ensure_topic_and_queue(sns, sqs, conf):
    topic = sns.create_topic(Name=conf["fleet_sns_topic_name"])["TopicArn"]
    queue_url = sqs.create_queue(QueueName=conf["fleet_sqs_queue_name"])["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    # The queue takes messages from the topic only (moto does not enforce it; AWS would).
    policy = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": topic}},
        }],
    }
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})
    subscriptions = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic):
        subscriptions += page["Subscriptions"]
    # Subscribed once; an SQS queue only (never an HTTP endpoint, which moto would call).
    if not any(s["Protocol"] == "sqs" and s["Endpoint"] == queue_arn for s in subscriptions):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    return [f"sns topic {topic}", f"sqs queue {queue_url} subscribed to it"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True, help="the local endpoint (moto_server), a loopback URL")
    parser.add_argument("--settings", default=str(SETTINGS),
                        help="YAML file with the names and the policy (default: the local inventory's aws.yml)")
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.endpoint_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"--endpoint-url {args.endpoint_url}: not a loopback URL; this script only talks to moto_server")
    conf = settings(args.settings)
    rds, sns, sqs = clients(args.endpoint_url, conf)
    for line in [ensure_instance(rds, conf), *ensure_topic_and_queue(sns, sqs, conf)]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
