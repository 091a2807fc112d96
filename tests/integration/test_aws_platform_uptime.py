"""The aws_uptime role through real ansible-playbook runs against moto_server on loopback
(tests/integration/playbooks/aws_role.yml, as playbooks/aws_platform.yml applies it): the Route 53
health check and its us-east-1 alarm as the SOP says, a re-run with 0 changed, check mode
changing nothing, a check changed or deleted by hand repaired, bad input refused before any AWS
call.

moto keeps health checks as records and never probes the endpoint (nor evaluates the alarm):
what is compared is the configuration. Measured here, moto 5.2.5 reports EnableSNI false for an
HTTPS check where AWS defaults it to true, and keeps HealthCheckVersion at 1 after updates;
neither is something the role sets or reads."""

import pytest

from tests.integration.aws_playbooks import PREFIX, REGION, ROUTE53_REGION, apply_role, aws

CHECK = f"{PREFIX}-uptime"
ALARM = f"{CHECK}-unhealthy"


@pytest.fixture()
def alerting_topic(aws_env):
    """The us-east-1 topic the aws_alerting role would make (its fact aws_alerting_topic_arns);
    the environment and the topic's ARN."""
    return aws_env, aws("sns", ROUTE53_REGION).create_topic(Name=f"{PREFIX}-alerts")["TopicArn"]


def apply(env, topic_arn, *extra):
    """The aws_uptime role, handed the us-east-1 topic (None: no topic) as aws_alerting's fact."""
    topics = [] if topic_arn is None else ["-e", f'{{"aws_alerting_topic_arns": {{"us-east-1": "{topic_arn}"}}}}']
    return apply_role(env, "aws_uptime", *topics, *extra)


def health_checks():
    route53 = aws("route53", ROUTE53_REGION)
    found = {}
    for check in route53.list_health_checks()["HealthChecks"]:
        tags = route53.list_tags_for_resource(ResourceType="healthcheck", ResourceId=check["Id"])["ResourceTagSet"]["Tags"]
        found[{t["Key"]: t["Value"] for t in tags}.get("Name")] = {**check, "Tags": {t["Key"]: t["Value"] for t in tags}}
    return found


def alarms(region):
    return {a["AlarmName"]: a for a in aws("cloudwatch", region).describe_alarms()["MetricAlarms"]}


def test_the_health_check_and_its_alarm_match_the_sop_a_rerun_changes_nothing_and_drift_is_repaired(alerting_topic):
    """One lifecycle, each step on the state the one before left: check mode, the apply, a re-run
    with 0 changed, the read-back; then the check changed by hand, then deleted by hand, each
    repaired by the next run, its alarm following the new check."""
    env, topic = alerting_topic
    dry = apply(env, topic, "--check")
    assert dry.rc == 0 and dry.changed == 2, dry.tail
    assert health_checks() == {} and alarms(ROUTE53_REGION) == {}

    first = apply(env, topic)
    assert first.rc == 0 and first.changed == 2, first.tail
    again = apply(env, topic)
    assert again.rc == 0 and again.changed == 0, again.tail

    checks = health_checks()
    assert list(checks) == [CHECK]
    config = checks[CHECK]["HealthCheckConfig"]
    assert {k: config[k] for k in ("Type", "FullyQualifiedDomainName", "Port", "ResourcePath", "RequestInterval",
                                   "FailureThreshold", "MeasureLatency", "Disabled")} == {
        "Type": "HTTPS", "FullyQualifiedDomainName": "fleet.test", "Port": 443, "ResourcePath": "/healthz",
        "RequestInterval": 30, "FailureThreshold": 3, "MeasureLatency": True, "Disabled": False}
    assert checks[CHECK]["Tags"] == {"Name": CHECK, "project": "e1-web-dashboard", "managed_by": "ansible", "environment": "local"}

    alarm = alarms(ROUTE53_REGION)[ALARM]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Dimensions"]) == (
        "AWS/Route53", "HealthCheckStatus", [{"Name": "HealthCheckId", "Value": checks[CHECK]["Id"]}])
    assert (alarm["Statistic"], alarm["ComparisonOperator"], alarm["Threshold"], alarm["Period"]) == ("Minimum", "LessThanThreshold", 1.0, 60)
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (2, 2)
    assert alarm["AlarmActions"] == alarm["OKActions"] == [topic] and topic.startswith("arn:aws:sns:us-east-1:")
    assert alarms(REGION) == {}  # Route 53's metrics exist only in us-east-1

    route53 = aws("route53", ROUTE53_REGION)
    first_id = health_checks()[CHECK]["Id"]
    route53.update_health_check(HealthCheckId=first_id, ResourcePath="/", Disabled=True)
    repaired = apply(env, topic)
    assert repaired.rc == 0 and repaired.changed == 1, repaired.tail
    config = health_checks()[CHECK]["HealthCheckConfig"]
    assert (config["ResourcePath"], config["Disabled"]) == ("/healthz", False)

    route53.delete_health_check(HealthCheckId=first_id)
    remade = apply(env, topic)
    assert remade.rc == 0 and remade.changed == 2, remade.tail
    checks = health_checks()
    assert list(checks) == [CHECK] and checks[CHECK]["Id"] != first_id
    assert alarms(ROUTE53_REGION)[ALARM]["Dimensions"] == [{"Name": "HealthCheckId", "Value": checks[CHECK]["Id"]}]


def test_bad_input_is_refused_before_any_aws_call_naming_every_variable(alerting_topic):
    """The input checks report every problem at once: one run, each message asserted."""
    env, topic = alerting_topic
    done = apply(env, topic, "-e", "aws_uptime_path=healthz", "-e", "aws_uptime_alarm_evaluation_periods=9")
    assert done.rc != 0, done.tail
    for message in ("aws_uptime_path 'healthz' must start with '/'", "aws_uptime_alarm_evaluation_periods '9' must be 1 to 5"):
        assert message in done.said, done.tail
    assert health_checks() == {} and alarms(ROUTE53_REGION) == {}


def test_no_alerting_topic_is_refused_before_any_health_check_is_made(aws_env):
    done = apply(aws_env, None)
    assert done.rc != 0 and "aws_uptime_topic_arn is empty: the uptime alarm would page nobody" in done.said, done.tail
    assert health_checks() == {}
