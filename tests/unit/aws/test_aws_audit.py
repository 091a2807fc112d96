"""aws_audit against moto in-process: each check passes on what the SOP asks for and fails naming
what was broken, one thing at a time. moto 5.2.5 answers every read used here; what it lacks
(composite alarms: DescribeAlarms answers none; the month of Route 53 metrics: none unless put)
is given to the module as not asked, or put with put_metric_data, said in each test."""

import datetime as dt

import boto3
import pytest
from aws_harness import REGION, client, fail_of, make_group, run_module

from library import aws_audit as module
from plugins.filter.fleet_network import fleet_security_groups

NOW = dt.datetime.now(dt.timezone.utc)
VPN = ["10.8.0.0/24"]
PREFIX = "e1-audit"
TOPIC = "arn:aws:sns:ap-southeast-3:123456789012:e1-alerts"


def audit(checks, **extra):
    return {r["check"]: r for r in run_module(module, dict(checks=checks, region=REGION, **extra))["results"]}


# --- security groups ------------------------------------------------------------------------


def make_security_groups(wanted):
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": PREFIX}])
    ids = {}
    for group in wanted:
        ids[group["name"]] = ec2.create_security_group(GroupName=group["name"], Description="d", VpcId=vpc)["GroupId"]
        permissions = []
        for rule in group["rules"]:
            for port in rule["ports"]:
                permission = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
                if rule.get("group_name"):
                    permission["UserIdGroupPairs"] = [{"GroupId": ids[rule["group_name"]]}]
                if rule.get("cidr_ip"):
                    permission["IpRanges"] = [{"CidrIp": c} for c in rule["cidr_ip"]]
                if rule.get("cidr_ipv6"):
                    permission["Ipv6Ranges"] = [{"CidrIpv6": c} for c in rule["cidr_ipv6"]]
                permissions.append(permission)
        ec2.authorize_security_group_ingress(GroupId=ids[group["name"]], IpPermissions=permissions)
    return ec2, ids


def group_checks(wanted):
    return {"security_groups": {"vpc_name": PREFIX, "groups": wanted, "world_allowed": f"{PREFIX}-lb"}}


def test_security_groups_as_the_sop_says_pass(moto_aws):
    wanted = fleet_security_groups(PREFIX, VPN, 443, 5432, 6379)
    make_security_groups(wanted)
    assert audit(group_checks(wanted))["security_groups"]["status"] == "passed"


def test_ssh_opened_to_the_world_fails_naming_the_group_and_the_rule(moto_aws):
    wanted = fleet_security_groups(PREFIX, VPN, 443, 5432, 6379)
    ec2, ids = make_security_groups(wanted)
    ec2.authorize_security_group_ingress(GroupId=ids[f"{PREFIX}-app"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    found = audit(group_checks(wanted))["security_groups"]
    assert found["status"] == "failed"
    assert found["detail"] == f"{PREFIX}-app: open to the internet: tcp 22 from 0.0.0.0/0"


def test_a_rule_removed_by_hand_is_missing(moto_aws):
    wanted = fleet_security_groups(PREFIX, VPN, 443, 5432, 6379)
    ec2, ids = make_security_groups(wanted)
    ec2.revoke_security_group_ingress(GroupId=ids[f"{PREFIX}-db"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.8.0.0/24"}]}])
    assert audit(group_checks(wanted))["security_groups"]["detail"] == f"{PREFIX}-db: rule missing: tcp 5432 from 10.8.0.0/24"


# --- backups --------------------------------------------------------------------------------


def make_database():
    client("rds").create_db_instance(DBInstanceIdentifier="e1-db", DBInstanceClass="db.t3.micro", Engine="postgres",
                                     MasterUsername="dbadmin", MasterUserPassword="moto-test-only", AllocatedStorage=20,
                                     BackupRetentionPeriod=30)


def backup_checks():
    return {"backups": {"db_identifier": "E1-DB", "backup_window": "17:00-17:30"}}


def test_the_backup_of_a_new_instance_passes(moto_aws):
    # moto, like RDS, makes an automated snapshot when the instance is created.
    make_database()
    found = audit(backup_checks())["backups"]
    assert found["status"] == "passed" and found["detail"].startswith("1 of 1 days")


def test_a_deleted_backup_fails_naming_its_day(moto_aws):
    make_database()
    rds = client("rds")
    (snapshot,) = rds.describe_db_snapshots(DBInstanceIdentifier="e1-db", SnapshotType="automated")["DBSnapshots"]
    # moto deletes an automated snapshot when asked (RDS keeps them to their retention).
    rds.delete_db_snapshot(DBSnapshotIdentifier=snapshot["DBSnapshotIdentifier"])
    found = audit(backup_checks())["backups"]
    assert found["status"] == "failed" and found["detail"].startswith(f"no available automated backup on {NOW.date().isoformat()}")


def test_a_missing_instance_fails_naming_it(moto_aws):
    assert audit(backup_checks())["backups"]["detail"] == "DB instance 'e1-db' not found"


# --- autoscaling ----------------------------------------------------------------------------


def make_scaling():
    name, _arn = make_group(minimum=2, maximum=10, desired=2, target_group=False)
    autoscaling = client("autoscaling")
    autoscaling.put_scaling_policy(AutoScalingGroupName=name, PolicyName="scale-out", PolicyType="SimpleScaling",
                                   AdjustmentType="ChangeInCapacity", ScalingAdjustment=1)
    # moto's PutScalingPolicy answers no PolicyARN; DescribePolicies has it.
    (policy,) = [p["PolicyARN"] for p in autoscaling.describe_policies(AutoScalingGroupName=name)["ScalingPolicies"]]
    client("cloudwatch").put_metric_alarm(
        AlarmName="cpu-high", Namespace="AWS/EC2", MetricName="CPUUtilization", Statistic="Average", Period=300,
        EvaluationPeriods=1, Threshold=70, ComparisonOperator="GreaterThanThreshold", AlarmActions=[policy],
        Dimensions=[{"Name": "AutoScalingGroupName", "Value": name}])
    return name


CPU_HIGH = {"name": "cpu-high", "policy": "scale-out", "namespace": "AWS/EC2", "metric_name": "CPUUtilization",
            "statistic": "Average", "dimensions": {"AutoScalingGroupName": "e1-app"}, "period": 300, "evaluation_periods": 1,
            "comparison": "GreaterThanThreshold", "threshold": 70}


def scaling_checks(name, **change):
    return {"autoscaling": dict({"group_name": name, "min_size": 2, "max_size": 10, "policies": ["scale-out"],
                                 "alarms": [CPU_HIGH]}, **change)}


def test_a_group_within_its_limits_with_its_policies_and_alarms_passes(moto_aws):
    found = audit(scaling_checks(make_scaling()))["autoscaling"]
    assert found["status"] == "passed" and found["detail"].startswith("2 in service of 2-10")


def test_limits_changed_by_hand_fail(moto_aws):
    name = make_scaling()
    client("autoscaling").update_auto_scaling_group(AutoScalingGroupName=name, MaxSize=4)
    assert audit(scaling_checks(name))["autoscaling"]["detail"] == "limits 2-4, asked 2-10"


def test_an_alarm_that_scales_nothing_fails(moto_aws):
    name = make_scaling()
    client("cloudwatch").put_metric_alarm(
        AlarmName="cpu-high", Namespace="AWS/EC2", MetricName="CPUUtilization", Statistic="Average", Period=300,
        EvaluationPeriods=1, Threshold=70, ComparisonOperator="GreaterThanThreshold", AlarmActions=[TOPIC],
        Dimensions=[{"Name": "AutoScalingGroupName", "Value": name}])
    assert audit(scaling_checks(name))["autoscaling"]["detail"] == "alarm 'cpu-high' does not run scaling policy 'scale-out' of the group"


def test_a_scaling_threshold_changed_by_hand_fails_naming_it(moto_aws):
    name = make_scaling()
    (policy,) = [p["PolicyARN"] for p in client("autoscaling").describe_policies(AutoScalingGroupName=name)["ScalingPolicies"]]
    client("cloudwatch").put_metric_alarm(
        AlarmName="cpu-high", Namespace="AWS/EC2", MetricName="CPUUtilization", Statistic="Average", Period=300,
        EvaluationPeriods=1, Threshold=95, ComparisonOperator="GreaterThanThreshold", AlarmActions=[policy],
        Dimensions=[{"Name": "AutoScalingGroupName", "Value": name}])
    assert audit(scaling_checks(name))["autoscaling"]["detail"] == "cpu-high: threshold is 95.0, the SOP's is 70.0"


def test_composite_alarms_the_endpoint_lacks_make_it_not_available_never_passed(moto_aws):
    found = audit(scaling_checks(make_scaling(), composite_alarms=["scale-in-condition"], composite_available=False))["autoscaling"]
    assert found["status"] == "not_available" and "scale-in-condition" in found["detail"]


# --- alarms ---------------------------------------------------------------------------------


CPU = {"name": "e1-cpu-high", "namespace": "AWS/EC2", "metric_name": "CPUUtilization", "statistic": "Average",
       "dimensions": {"AutoScalingGroupName": "e1-app"}, "period": 300, "evaluation_periods": 1,
       "comparison": "GreaterThanThreshold", "threshold": 70.0, "alarm_actions": [TOPIC], "ok_actions": [TOPIC]}
RATE = {"name": "e1-5xx-rate", "threshold": 1, "comparison": "GreaterThanThreshold", "evaluation_periods": 1,
        "alarm_actions": [TOPIC], "ok_actions": [TOPIC],
        "metrics": [{"id": "rate", "expression": "100 * errors / requests", "return_data": True},
                    {"id": "errors", "metric_stat": {"metric": {"namespace": "AWS/ApplicationELB", "metric_name": "HTTPCode_Target_5XX_Count",
                                                                 "dimensions": [{"name": "LoadBalancer", "value": "app/e1/1"}]},
                                                      "period": 300, "stat": "Sum"}},
                    {"id": "requests", "metric_stat": {"metric": {"namespace": "AWS/ApplicationELB", "metric_name": "RequestCount",
                                                                   "dimensions": [{"name": "LoadBalancer", "value": "app/e1/1"}]},
                                                        "period": 300, "stat": "Sum"}}]}


def put_alarms(cpu_threshold=70, actions=(TOPIC,)):
    cloudwatch = client("cloudwatch")
    cloudwatch.put_metric_alarm(AlarmName="e1-cpu-high", Namespace="AWS/EC2", MetricName="CPUUtilization", Statistic="Average",
                                Period=300, EvaluationPeriods=1, Threshold=cpu_threshold, ComparisonOperator="GreaterThanThreshold",
                                Dimensions=[{"Name": "AutoScalingGroupName", "Value": "e1-app"}], AlarmActions=list(actions),
                                OKActions=[TOPIC])
    queries = []
    for query in RATE["metrics"]:
        if "expression" in query:
            queries.append({"Id": query["id"], "Expression": query["expression"], "ReturnData": True})
        else:
            metric = query["metric_stat"]["metric"]
            queries.append({"Id": query["id"], "ReturnData": False, "MetricStat": {
                "Metric": {"Namespace": metric["namespace"], "MetricName": metric["metric_name"],
                           "Dimensions": [{"Name": "LoadBalancer", "Value": "app/e1/1"}]}, "Period": 300, "Stat": "Sum"}})
    cloudwatch.put_metric_alarm(AlarmName="e1-5xx-rate", Threshold=1, EvaluationPeriods=1, ComparisonOperator="GreaterThanThreshold",
                                Metrics=queries, AlarmActions=[TOPIC], OKActions=[TOPIC])


def test_alarms_as_asked_pass(moto_aws):
    put_alarms()
    assert audit({"alarms": {"alarms": [CPU, RATE]}})["alarms"]["status"] == "passed"


def test_a_changed_threshold_fails_naming_the_alarm_and_both_values(moto_aws):
    put_alarms(cpu_threshold=90)
    assert audit({"alarms": {"alarms": [CPU, RATE]}})["alarms"]["detail"] == "e1-cpu-high: threshold is 90.0, the SOP's is 70.0"


def test_a_removed_alarm_fails_as_missing(moto_aws):
    put_alarms()
    client("cloudwatch").delete_alarms(AlarmNames=["e1-5xx-rate"])
    assert audit({"alarms": {"alarms": [CPU, RATE]}})["alarms"]["detail"] == "alarm 'e1-5xx-rate' missing"


def test_an_alarm_that_pages_nobody_fails(moto_aws):
    put_alarms(actions=())
    assert audit({"alarms": {"alarms": [CPU]}})["alarms"]["detail"] == f"e1-cpu-high: alarm_actions lacks {TOPIC}"


# --- uptime ---------------------------------------------------------------------------------


def make_health_check(name="e1-https"):
    route53 = boto3.client("route53", region_name=REGION)
    check = route53.create_health_check(CallerReference=name, HealthCheckConfig={
        "Type": "HTTPS", "FullyQualifiedDomainName": "dashboard.example.com", "Port": 443, "ResourcePath": "/healthz",
        "RequestInterval": 30, "FailureThreshold": 3})["HealthCheck"]["Id"]
    route53.change_tags_for_resource(ResourceType="healthcheck", ResourceId=check, AddTags=[{"Key": "Name", "Value": name}])
    return check


def put_status(check, values):
    # Route 53 publishes HealthCheckStatus in us-east-1 only; moto keeps what is put there.
    boto3.client("cloudwatch", region_name="us-east-1").put_metric_data(Namespace="AWS/Route53", MetricData=[
        {"MetricName": "HealthCheckStatus", "Dimensions": [{"Name": "HealthCheckId", "Value": check}],
         "Timestamp": NOW - dt.timedelta(minutes=5 + minute), "Value": value} for minute, value in enumerate(values)])


def test_uptime_above_the_target_passes_with_its_figure(moto_aws):
    put_status(make_health_check(), [1] * 400)
    found = audit({"uptime": {"health_checks": ["e1-https"]}})["uptime"]
    assert found["status"] == "passed" and found["detail"].startswith("e1-https: 100.000 %")


def test_uptime_below_the_target_fails_naming_the_check(moto_aws):
    put_status(make_health_check(), [1] * 195 + [0] * 5)
    found = audit({"uptime": {"health_checks": ["e1-https"]}})["uptime"]
    assert found["status"] == "failed" and found["detail"].startswith("e1-https: 97.500 % healthy since")


def test_no_datapoints_is_not_available_never_passed(moto_aws):
    make_health_check()
    assert audit({"uptime": {"health_checks": ["e1-https"]}})["uptime"]["status"] == "not_available"


def test_a_missing_health_check_fails(moto_aws):
    assert audit({"uptime": {"health_checks": ["e1-https"]}})["uptime"]["detail"] == "health checks missing: e1-https"


@pytest.mark.parametrize("checks, expected", [
    ({"backups": {"db_identifier": "e1", "backup_window": "5pm"}}, "checks.backups.backup_window '5pm' is not hh24:mi-hh24:mi"),
    ({"autoscaling": {"group_name": "g", "min_size": 3, "max_size": 2}}, "min_size 3 and max_size 2 are no limits"),
    ({"uptime": {"health_checks": ["x"], "target_percent": 120}}, "target_percent 120.0 is not a percentage"),
])
def test_bad_input_is_refused_before_any_call(moto_aws, checks, expected):
    assert expected in fail_of(module, dict(checks=checks, region=REGION))["msg"]
    assert moto_aws == []


def test_the_results_come_in_the_report_s_order(moto_aws):
    make_database()
    results = run_module(module, dict(checks={**backup_checks(), "uptime": {"health_checks": ["e1-https"]}}, region=REGION))["results"]
    assert [r["check"] for r in results] == ["backups", "uptime"]


def test_an_alarm_of_another_region_is_read_there(moto_aws):
    boto3.client("cloudwatch", region_name="us-east-1").put_metric_alarm(
        AlarmName="e1-uptime-unhealthy", Namespace="AWS/Route53", MetricName="HealthCheckStatus", Statistic="Minimum",
        Period=60, EvaluationPeriods=2, Threshold=1, ComparisonOperator="LessThanThreshold",
        Dimensions=[{"Name": "HealthCheckId", "Value": "abc"}], AlarmActions=[TOPIC], OKActions=[TOPIC])
    uptime = {"name": "e1-uptime-unhealthy", "region": "us-east-1", "namespace": "AWS/Route53", "metric_name": "HealthCheckStatus",
              "statistic": "Minimum", "dimensions": {"HealthCheckId": "abc"}, "period": 60, "evaluation_periods": 2,
              "comparison": "LessThanThreshold", "threshold": 1, "alarm_actions": [TOPIC], "ok_actions": [TOPIC]}
    assert audit({"alarms": {"alarms": [uptime]}})["alarms"]["status"] == "passed"
    assert audit({"alarms": {"alarms": [dict(uptime, region=None)]}})["alarms"]["detail"] == "alarm 'e1-uptime-unhealthy' missing"
