"""The alerting topic and the SOP's health alarms (roles aws_alerting and aws_health_alarms)
through real ansible-playbook runs against moto_server on loopback: check mode on a new account
makes nothing; an apply makes every alarm with the SOP's numbers and the topics with their one
PagerDuty subscription (never showing the key, even with -v); a re-run changes nothing; drift is
repaired; bad input is refused before any AWS call.

What the local endpoint does not do, measured here: it never evaluates alarms (so no test waits
for a page), it confirms an HTTPS subscription at once without calling the endpoint (AWS keeps it
PendingConfirmation until PagerDuty answers), and it accepts any metric math expression (AWS
checks the syntax). The subscription points at a loopback port where nothing listens, as moto
POSTs published messages to it.
"""

import re
import secrets
import socket

import pytest

from tests.integration.aws_playbooks import PREFIX, REGION, ROOT, ROUTE53_REGION, alerting_subscriptions, aws, build_estate, run_playbook

PLAYBOOK = ROOT / "tests" / "integration" / "playbooks" / "aws_alerting_health_alarms.yml"
# The local inventory's names (inventories/local/group_vars/all/aws.yml).
GROUP, DATABASE = "e1-dashboard-local-app", "e1-dashboard-local"
TOPIC = f"arn:aws:sns:{REGION}:123456789012:{PREFIX}-alerts"
# The local estate's db.t3.micro: RDS's default for PostgreSQL, LEAST({DBInstanceClassMemory/9531392}, 5000),
# with its nominal 1 GiB is int(1073741824 / 9531392) = 112 connections; 80 % of that is 89.6.
DB_THRESHOLD = 89.6


def in_service():
    group = aws("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[GROUP])["AutoScalingGroups"][0]
    return sorted(i["InstanceId"] for i in group["Instances"] if i["LifecycleState"] == "InService")


def loopback_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def estate(aws_env):
    """The local estate (the roles find its Auto Scaling group, load balancer and database by
    name), and a fresh PagerDuty key and loopback subscription URL for the run."""
    built = build_estate(aws_env)
    assert aws("rds").describe_db_instances(DBInstanceIdentifier=DATABASE)["DBInstances"][0]["DBInstanceClass"] == "db.t3.micro"
    key = secrets.token_hex(16)
    url = f"https://127.0.0.1:{loopback_port()}/integration/{key}/enqueue"
    return {"env": aws_env, "key": key, "url": url, "dimension": built.load_balancer_dimension}


def apply(estate, *extra, key=None):
    """One run of both roles with the test's key and subscription URL."""
    url = estate["url"].replace(estate["key"], "{{ aws_alerting_pagerduty_integration_key }}")
    return run_playbook(estate["env"], PLAYBOOK, "-e", f"vault_pagerduty_integration_key={estate['key'] if key is None else key}",
                        "-e", f"aws_alerting_pagerduty_url={url}", *extra)


def alarms():
    """Every metric alarm in the main region, in the shape the SOP's numbers are compared in."""
    found = {}
    cloudwatch = aws("cloudwatch")
    for alarm in cloudwatch.describe_alarms(AlarmTypes=["MetricAlarm"])["MetricAlarms"]:
        metrics = alarm.get("Metrics") or []
        found[alarm["AlarmName"]] = {
            "metric": (alarm.get("Namespace"), alarm.get("MetricName")) if not metrics else None,
            "dimensions": {d["Name"]: d["Value"] for d in alarm.get("Dimensions") or []},
            "statistic": alarm.get("Statistic") or alarm.get("ExtendedStatistic"),
            "period": alarm.get("Period"),
            "evaluation": (alarm["EvaluationPeriods"], alarm.get("DatapointsToAlarm")),
            "threshold": (alarm["ComparisonOperator"], alarm["Threshold"]),
            "missing": alarm["TreatMissingData"],
            "actions": (alarm["AlarmActions"], alarm["OKActions"], alarm["ActionsEnabled"]),
            "math": {m["Id"]: (m.get("Expression") or (m["MetricStat"]["Metric"]["MetricName"], m["MetricStat"]["Period"],
                                                        m["MetricStat"]["Stat"], m["MetricStat"]["Metric"]["Dimensions"]))
                     for m in metrics},
            "returns": [m["Id"] for m in metrics if m.get("ReturnData")],
            "tags": {t["Key"]: t["Value"] for t in cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]},
        }
    return found


def sop_alarms(instances, dimension):
    """What the SOP asks for, written out here by hand: CPU 70 %, memory 80 %, connections 80 % of
    max_connections, p95 3 s, 5xx 1 %, each over one 5-minute period, paging on ALARM and OK."""
    def plain(namespace, metric, dimensions, statistic, threshold, missing="missing"):
        return {"metric": (namespace, metric), "dimensions": dimensions, "statistic": statistic, "period": 300,
                "evaluation": (1, 1), "threshold": ("GreaterThanThreshold", threshold), "missing": missing,
                "actions": ([TOPIC], [TOPIC], True), "math": {}, "returns": [], "tags": {}}

    wanted = {}
    for instance in instances:
        wanted[f"{PREFIX}-health-cpu-{instance}"] = plain("AWS/EC2", "CPUUtilization", {"InstanceId": instance}, "Average", 70.0)
        wanted[f"{PREFIX}-health-memory-{instance}"] = plain("CWAgent", "mem_used_percent", {"InstanceId": instance}, "Average", 80.0)
    lb = [{"Name": "LoadBalancer", "Value": dimension}]
    wanted.update({
        f"{PREFIX}-health-cpu-group": plain("AWS/EC2", "CPUUtilization", {"AutoScalingGroupName": GROUP}, "Average", 70.0),
        f"{PREFIX}-health-memory-group": plain("CWAgent", "mem_used_percent", {"AutoScalingGroupName": GROUP}, "Average", 80.0),
        f"{PREFIX}-health-db-connections": plain("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DATABASE},
                                                 "Maximum", DB_THRESHOLD),
        f"{PREFIX}-health-response-time-p95": plain("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": dimension},
                                                    "p95", 3.0, "notBreaching"),
        f"{PREFIX}-health-5xx-rate": {
            "metric": None, "dimensions": {}, "statistic": None, "period": None, "evaluation": (1, 1),
            "threshold": ("GreaterThanThreshold", 1.0), "missing": "notBreaching", "actions": ([TOPIC], [TOPIC], True),
            "math": {"rate": "IF(FILL(requests, 0) > 0, 100 * errors / FILL(requests, 0), IF(errors > 0, 100, 0))",
                     "errors": "FILL(target5xx, 0) + FILL(elb5xx, 0)",
                     "target5xx": ("HTTPCode_Target_5XX_Count", 300, "Sum", lb),
                     "elb5xx": ("HTTPCode_ELB_5XX_Count", 300, "Sum", lb),
                     "requests": ("RequestCount", 300, "Sum", lb)},
            "returns": ["rate"],
            "tags": {"project": "e1-web-dashboard", "managed_by": "ansible", "environment": "local"}},
    })
    return wanted


def test_check_mode_makes_nothing_then_the_sops_alarms_page_through_the_topic_and_drift_is_repaired(estate):
    dimension = estate["dimension"]
    checked = apply(estate, "--check", "--diff")
    assert checked.rc == 0 and checked.changed == 3, checked.tail  # topics, single-metric alarms, metric math
    assert alarms() == {} and alerting_subscriptions(REGION) == {} and alerting_subscriptions(ROUTE53_REGION) == {}

    first = apply(estate, "-v")
    assert first.rc == 0 and first.changed == 3, first.tail
    # -v shows every result that is not no_log: the facts and what each role noted, never the key.
    assert estate["key"] not in first.stdout + first.process.stderr
    assert f"aws_alerting_topic_arn: {TOPIC}" in first.stdout
    assert re.search(r"fleet_platform_changes:\s*- aws_alerting\s*- aws_health_alarms\s", first.stdout)
    again = apply(estate)
    assert again.rc == 0 and again.changed == 0, again.tail

    instances = in_service()
    assert len(instances) == 2 and alarms() == sop_alarms(instances, dimension)
    for region in (REGION, ROUTE53_REGION):
        assert alerting_subscriptions(region) == {f"arn:aws:sns:{region}:123456789012:{PREFIX}-alerts": [("https", estate["url"])]}

    # Drift: an alarm deleted, a threshold changed, an instance gone from the group (moto
    # launches its replacement), a second subscriber added by hand.
    cloudwatch = aws("cloudwatch")
    cloudwatch.delete_alarms(AlarmNames=[f"{PREFIX}-health-cpu-group"])
    cloudwatch.put_metric_alarm(AlarmName=f"{PREFIX}-health-db-connections", Namespace="AWS/RDS", MetricName="DatabaseConnections",
                                Dimensions=[{"Name": "DBInstanceIdentifier", "Value": DATABASE}], Statistic="Maximum", Period=300,
                                EvaluationPeriods=1, DatapointsToAlarm=1, Threshold=999.0, ComparisonOperator="GreaterThanThreshold",
                                TreatMissingData="missing", AlarmActions=[TOPIC], OKActions=[TOPIC])
    aws("autoscaling").detach_instances(AutoScalingGroupName=GROUP, InstanceIds=[instances[0]], ShouldDecrementDesiredCapacity=False)
    aws("sns", ROUTE53_REGION).subscribe(TopicArn=f"arn:aws:sns:{ROUTE53_REGION}:123456789012:{PREFIX}-alerts",
                                            Protocol="email", Endpoint="someone@example.com")
    repaired = apply(estate)
    assert repaired.rc == 0 and repaired.changed == 3, repaired.tail  # topics, single-metric alarms, deletion
    now = in_service()
    assert instances[0] not in now and alarms() == sop_alarms(now, dimension)
    assert alerting_subscriptions(ROUTE53_REGION) == {TOPIC.replace(REGION, ROUTE53_REGION): [("https", estate["url"])]}


@pytest.mark.parametrize("extra, key, message", [
    (["-e", "aws_health_alarms_cpu_percent=170"], None, "aws_health_alarms_cpu_percent '170' is not a percentage above 0 and below 100"),
    ([], "", "aws_alerting_pagerduty_integration_key is empty: put the on-call engineer's PagerDuty CloudWatch integration key"
             " in vault_pagerduty_integration_key, in an ansible-vault encrypted inventories/local/group_vars/all/vault.yml"),
])
def test_bad_input_is_refused_before_any_aws_call(estate, extra, key, message):
    done = apply(estate, *extra, key=key)
    assert done.rc != 0 and message in done.said, done.tail
    assert alarms() == {} and alerting_subscriptions(REGION) == {} and alerting_subscriptions(ROUTE53_REGION) == {}
