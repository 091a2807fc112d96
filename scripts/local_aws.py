#!/usr/bin/env python3
"""Create, on the local AWS endpoint (moto_server), what the local fleet's playbooks find there:
the RDS instance the runbook snapshots, with the backup policy of
inventories/local/group_vars/all/aws.yml, and the SNS topic it publishes to with an SQS queue
subscribed; and, when the settings name them (fleet_aws_vpc_name ...), the estate that
playbooks/aws_platform.yml configures as an AWS account would have it before: a VPC with two
subnets in two zones, the application load balancer with its target group, and the app servers'
launch template and Auto Scaling group (2 instances, in the target group), and the cache's subnet group. Idempotent: what
exists is kept (the instance's backup policy is set again). Prints one line per resource. The
integration tests build the same estate through `estate()`.

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


SERVICES = ("rds", "sns", "sqs", "ec2", "elbv2", "autoscaling", "elasticache")


def clients(endpoint, conf):
    session = boto3.session.Session(
        aws_access_key_id=conf["fleet_aws_access_key_id"],
        aws_secret_access_key=conf["fleet_aws_secret_access_key"],
        region_name=conf["fleet_aws_region"],
    )
    return {name: session.client(name, endpoint_url=endpoint) for name in SERVICES}


def ensure_db_subnets(rds, subnets, name):
    """The DB subnet group over the estate's subnets, as the instance has on AWS."""
    try:
        rds.describe_db_subnet_groups(DBSubnetGroupName=name)
    except rds.exceptions.DBSubnetGroupNotFoundFault:
        rds.create_db_subnet_group(DBSubnetGroupName=name, DBSubnetGroupDescription="E1 database", SubnetIds=subnets)
    return name


def ensure_instance(rds, conf, subnet_group=None):
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
            **({"DBSubnetGroupName": subnet_group} if subnet_group else {}),
            **policy,
        )
        return f"rds instance {identifier}: created (postgres, retention {policy['BackupRetentionPeriod']} days)"
    rds.modify_db_instance(DBInstanceIdentifier=identifier, ApplyImmediately=True,
                           **({"DBSubnetGroupName": subnet_group} if subnet_group else {}), **policy)
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


def ensure_network(ec2, name):
    """The VPC tagged Name=NAME (AWS's VPC ids are not known ahead; the inventory names it), with a
    subnet in each of two zones; returns (vpc id, subnet ids, lines)."""
    found = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [name]}])["Vpcs"]
    if found:
        vpc, line = found[0]["VpcId"], f"vpc {name}: present"
    else:
        vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
        ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": name}])
        line = f"vpc {name}: created"
    subnets = {s["CidrBlock"]: s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]}
    zones = [zone["ZoneName"] for zone in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    for number, zone in enumerate(zones):
        cidr = f"10.30.{number}.0/24"
        if cidr not in subnets:
            subnets[cidr] = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
    return vpc, sorted(subnets.values()), [f"{line} ({vpc}, subnets in {', '.join(zones)})"]


def ensure_load_balancer(elbv2, vpc, subnets, conf):
    """The application load balancer and the app servers' target group (HTTPS health checks on
    /healthz, as the app servers' nginx answers them), with a listener; returns the group's ARN."""
    name, group = conf["fleet_aws_load_balancer_name"], conf["fleet_aws_target_group_name"]
    try:
        balancer = elbv2.describe_load_balancers(Names=[name])["LoadBalancers"][0]["LoadBalancerArn"]
        line = f"load balancer {name}: present"
    except elbv2.exceptions.LoadBalancerNotFoundException:
        balancer = elbv2.create_load_balancer(Name=name, Subnets=subnets, Scheme="internet-facing", Type="application")[
            "LoadBalancers"][0]["LoadBalancerArn"]
        line = f"load balancer {name}: created"
    try:
        target_group = elbv2.describe_target_groups(Names=[group])["TargetGroups"][0]["TargetGroupArn"]
    except elbv2.exceptions.TargetGroupNotFoundException:
        target_group = elbv2.create_target_group(
            Name=group, Protocol="HTTPS", Port=443, VpcId=vpc, TargetType="instance", HealthCheckProtocol="HTTPS",
            HealthCheckPath="/healthz")["TargetGroups"][0]["TargetGroupArn"]
    if not elbv2.describe_listeners(LoadBalancerArn=balancer)["Listeners"]:
        elbv2.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80,
                              DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group}])
    return target_group, [f"{line}, target group {group}"]


def ensure_app_group(ec2, autoscaling, subnets, target_group, conf):
    """The app servers' launch template and Auto Scaling group: 2 to 10 instances, 2 running, in the
    target group."""
    name = conf["fleet_aws_asg_name"]
    if not ec2.describe_launch_templates(Filters=[{"Name": "launch-template-name", "Values": [name]}])["LaunchTemplates"]:
        ec2.create_launch_template(LaunchTemplateName=name,
                                   LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.small"})
    if autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"]:
        return [f"auto scaling group {name}: present"]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name, MinSize=2, MaxSize=10, DesiredCapacity=2, LaunchTemplate={"LaunchTemplateName": name},
        VPCZoneIdentifier=",".join(subnets), TargetGroupARNs=[target_group], HealthCheckType="ELB", HealthCheckGracePeriod=300)
    return [f"auto scaling group {name}: created (2 instances, 2-10)"]


def ensure_cache_subnets(elasticache, subnets, name):
    """The cache subnet group over the estate's subnets, where playbooks/aws_platform.yml makes the
    Redis replication group."""
    try:
        elasticache.describe_cache_subnet_groups(CacheSubnetGroupName=name)
        return [f"cache subnet group {name}: present"]
    except elasticache.exceptions.CacheSubnetGroupNotFoundFault:
        elasticache.create_cache_subnet_group(CacheSubnetGroupName=name, CacheSubnetGroupDescription="E1 Redis", SubnetIds=subnets)
        return [f"cache subnet group {name}: created"]


def estate(endpoint, conf):
    """Everything above on ENDPOINT; returns the lines main() prints."""
    aws = clients(endpoint, conf)
    if not conf.get("fleet_aws_vpc_name"):
        return [ensure_instance(aws["rds"], conf), *ensure_topic_and_queue(aws["sns"], aws["sqs"], conf)]
    vpc, subnets, lines = ensure_network(aws["ec2"], conf["fleet_aws_vpc_name"])
    # The database in its subnet group over the VPC's subnets, as on AWS (amazon.aws.rds_instance
    # expects an instance to have one).
    subnet_group = ensure_db_subnets(aws["rds"], subnets, conf["fleet_aws_vpc_name"] + "-db")
    lines += [ensure_instance(aws["rds"], conf, subnet_group), *ensure_topic_and_queue(aws["sns"], aws["sqs"], conf)]
    target_group, balancer = ensure_load_balancer(aws["elbv2"], vpc, subnets, conf)
    lines += balancer + ensure_app_group(aws["ec2"], aws["autoscaling"], subnets, target_group, conf)
    if conf.get("fleet_aws_cache_subnet_group"):
        lines += ensure_cache_subnets(aws["elasticache"], subnets, conf["fleet_aws_cache_subnet_group"])
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True, help="the local endpoint (moto_server), a loopback URL")
    parser.add_argument("--settings", default=str(SETTINGS),
                        help="YAML file with the names and the policy (default: the local inventory's aws.yml)")
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.endpoint_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"--endpoint-url {args.endpoint_url}: not a loopback URL; this script only talks to moto_server")
    for line in estate(args.endpoint_url, settings(args.settings)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
