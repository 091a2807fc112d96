"""The whole playbooks/aws_platform.yml, every role in one run, against the local estate
(scripts/local_aws.py) on moto_server on loopback, with the local inventory: one apply, a
re-apply with 0 changed, a check-mode run with 0 changed, then every kind of resource read back
with boto3 and held against the SOP's numbers at a summary level (each role's own test,
test_aws_platform_<concern>.py, checks the details, drift and bad input).

moto is named only by -e fleet_aws_endpoint_url (the caller's endpoint is a closed loopback port,
its region unset), so every AWS module of every role is shown to take its region and endpoint
from the play's environment, as on AWS.

What the local endpoint lacks, as the local inventory switches it off (each measured in the
role's test): composite alarms (the scale-in AND is the metric math alarm here), the cache's
maintenance window (moto describes no member cluster), the bucket's TLS-only policy (moto_server
answers plain HTTP). moto never evaluates alarms nor probes the health check, and confirms the
HTTPS subscription at once; it points at the loopback's port 9, where nothing listens.
"""

import ipaddress

import pytest

from tests.integration.aws_playbooks import (PLATFORM_PLAYBOOK, PREFIX, REGION, ROUTE53_REGION, alerting_subscriptions, aws, build_estate,
                                             run_playbook)

# The local inventory's subscription (aws_alerting.yml), with its fake key (aws.yml).
PAGERDUTY_URL = "https://127.0.0.1:9/integration/local0000000000000000000000000000/enqueue"
GROUPS = {f"{PREFIX}-lb", f"{PREFIX}-app", f"{PREFIX}-db", f"{PREFIX}-cache"}
# db.t3.micro (the local estate's): max_connections LEAST(1 GiB / 9531392, 5000) = 112, 80 % of it.
DB_CONNECTIONS = 89.6
BUCKET, BACKUP = f"{PREFIX}-config-backup", "local/configuration.json"


def apply(env, *options):
    return run_playbook(env, PLATFORM_PLAYBOOK, *options, play_environment_only=True)


@pytest.fixture()
def estate(aws_env):
    return aws_env, build_estate(aws_env)


def world_open(vpc_id):
    """(group name, port) of every inbound rule open to 0.0.0.0/0 or ::/0, and the groups' names."""
    found = aws("ec2").describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]
    names = {group["GroupName"] for group in found} - {"default"}
    world = {(group["GroupName"], rule.get("FromPort"), rule.get("ToPort")) for group in found for rule in group["IpPermissions"]
             for source in [r["CidrIp"] for r in rule.get("IpRanges", [])] + [r["CidrIpv6"] for r in rule.get("Ipv6Ranges", [])]
             if ipaddress.ip_network(source).prefixlen == 0}
    return names, world


def thresholds(region):
    """{alarm name: (comparison, threshold, its actions)} of the platform's metric alarms in REGION."""
    alarms = aws("cloudwatch", region).describe_alarms(AlarmNamePrefix=PREFIX)["MetricAlarms"]
    return {a["AlarmName"]: (a["ComparisonOperator"], a["Threshold"], tuple(a["AlarmActions"])) for a in alarms}


def test_the_whole_platform_applies_then_reapplies_and_checks_with_0_changed_and_matches_the_sop(estate):
    env, built = estate
    first = apply(env)
    assert first.rc == 0 and first.failed == 0 and first.changed > 0, first.tail
    again = apply(env)
    assert again.rc == 0 and again.changed == 0, again.tail
    checked = apply(env, "--check", "--diff")
    assert checked.rc == 0 and checked.changed == 0, checked.tail

    # Alerting: the topic in the main region and in Route 53's, each with its one HTTPS subscription.
    topic, route53_topic = (f"arn:aws:sns:{region}:123456789012:{PREFIX}-alerts" for region in (REGION, ROUTE53_REGION))
    assert alerting_subscriptions(REGION) == {topic: [("https", PAGERDUTY_URL)]}
    assert alerting_subscriptions(ROUTE53_REGION) == {route53_topic: [("https", PAGERDUTY_URL)]}

    # Network: the four groups; only the load balancer's 443 open to the world.
    names, world = world_open(built.vpc_id)
    assert names == GROUPS and world == {(f"{PREFIX}-lb", 443, 443)}

    # Database: Multi-AZ, deletion protection, 30 days of backups.
    db = aws("rds").describe_db_instances(DBInstanceIdentifier=built.db_identifier)["DBInstances"][0]
    assert (db["MultiAZ"], db["DeletionProtection"], db["BackupRetentionPeriod"]) == (True, True, 30)

    # Cache: automatic failover, encryption in transit and at rest.
    redis = aws("elasticache").describe_replication_groups(ReplicationGroupId=f"{PREFIX}-redis")["ReplicationGroups"][0]
    assert (redis["AutomaticFailover"], redis["TransitEncryptionEnabled"], redis["AtRestEncryptionEnabled"]) == ("enabled", True, True)

    # Scaling: 2 to 10 instances, a scale-out and a scale-in policy.
    group = aws("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[built.asg_name])["AutoScalingGroups"][0]
    assert (group["MinSize"], group["MaxSize"]) == (2, 10)
    policies = aws("autoscaling").describe_policies(AutoScalingGroupName=built.asg_name)["ScalingPolicies"]
    policy_arns = {p["PolicyName"]: p["PolicyARN"] for p in policies}
    assert set(policy_arns) == {f"{PREFIX}-scale-out", f"{PREFIX}-scale-in"}

    # Health alarms (paging the topic) and scaling alarms (running the policies), with the SOP's thresholds.
    instances = sorted(i["InstanceId"] for i in group["Instances"])
    page, out, scale_in = (topic,), (policy_arns[f"{PREFIX}-scale-out"],), (policy_arns[f"{PREFIX}-scale-in"],)
    above, below = "GreaterThanThreshold", "LessThanThreshold"
    assert len(instances) == 2 and thresholds(REGION) == {
        **{f"{PREFIX}-health-cpu-{i}": (above, 70.0, page) for i in instances},
        **{f"{PREFIX}-health-memory-{i}": (above, 80.0, page) for i in instances},
        f"{PREFIX}-health-cpu-group": (above, 70.0, page),
        f"{PREFIX}-health-memory-group": (above, 80.0, page),
        f"{PREFIX}-health-db-connections": (above, DB_CONNECTIONS, page),
        f"{PREFIX}-health-response-time-p95": (above, 3.0, page),
        f"{PREFIX}-health-5xx-rate": (above, 1.0, page),
        f"{PREFIX}-scale-out-cpu-high": (above, 70.0, out),
        f"{PREFIX}-scale-out-connections-high": (above, 1000.0, out),
        f"{PREFIX}-scale-in-trigger": ("GreaterThanOrEqualToThreshold", 1.0, scale_in),
        f"{PREFIX}-scale-in-cpu-low": (below, 30.0, ()),
        f"{PREFIX}-scale-in-connections-low": (below, 200.0, ()),
    }

    # Uptime: the Route 53 health check of the public name, its alarm in us-east-1 paging that region's topic.
    (check,) = aws("route53", ROUTE53_REGION).list_health_checks()["HealthChecks"]
    config = check["HealthCheckConfig"]
    assert (config["Type"], config["FullyQualifiedDomainName"], config["ResourcePath"]) == ("HTTPS", "fleet.test", "/healthz")
    assert thresholds(ROUTE53_REGION) == {f"{PREFIX}-uptime-unhealthy": (below, 1.0, (route53_topic,))}
    alarm = aws("cloudwatch", ROUTE53_REGION).describe_alarms(AlarmNames=[f"{PREFIX}-uptime-unhealthy"])["MetricAlarms"][0]
    assert alarm["Dimensions"] == [{"Name": "HealthCheckId", "Value": check["Id"]}]

    # Configuration backup: SSE-KMS, versioning, public access blocked, one object (the first run's).
    s3 = aws("s3")
    rule = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    assert s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    assert len(s3.list_object_versions(Bucket=BUCKET).get("Versions", [])) == 1
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == [BACKUP]
