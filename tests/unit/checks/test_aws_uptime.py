"""plugins/fleet_checks/aws_uptime.py"""

import pytest

from plugins.fleet_checks import aws_uptime

TOPIC = "arn:aws:sns:us-east-1:123456789012:e1-dashboard-production-alerts"
GOOD = {
    "aws_uptime_name_prefix": "e1-dashboard-production",
    "aws_uptime_fqdn": "dashboard.example.com",
    "aws_uptime_port": 443,
    "aws_uptime_path": "/healthz",
    "aws_uptime_request_interval": 30,
    "aws_uptime_failure_threshold": 3,
    "aws_uptime_measure_latency": True,
    "aws_uptime_alarm_evaluation_periods": 2,
    "aws_uptime_target_percent": 99.5,
    "aws_uptime_topic_arn": TOPIC,
}


def test_the_sop_settings_are_accepted():
    assert aws_uptime.problems(GOOD) == []
    assert aws_uptime.problems(GOOD, {"topic_required": True}) == []


def test_an_empty_topic_passes_the_validation_play_but_not_the_role():
    """The validation play runs before aws_alerting has made the topic; the role's own check runs after."""
    unknown = {**GOOD, "aws_uptime_topic_arn": ""}
    assert aws_uptime.problems(unknown) == []
    found = aws_uptime.problems(unknown, {"topic_required": True})
    assert len(found) == 1 and "aws_uptime_topic_arn is empty: the uptime alarm would page nobody" in found[0]


@pytest.mark.parametrize("change, problem", [
    ({"aws_uptime_name_prefix": ""}, "aws_uptime_name_prefix '' must be 1 to 200 printable characters"),
    ({"aws_uptime_fqdn": ""}, "aws_uptime_fqdn is empty"),
    ({"aws_uptime_fqdn": "203.0.113.7"}, "aws_uptime_fqdn '203.0.113.7' is an IP address"),
    ({"aws_uptime_fqdn": "dash_board.example.com"}, "aws_uptime_fqdn 'dash_board.example.com' is not a host name"),
    ({"aws_uptime_port": 0}, "aws_uptime_port 0 is not a port"),
    ({"aws_uptime_port": "80-90"}, "aws_uptime_port '80-90' is not a port"),
    ({"aws_uptime_path": "healthz"}, "aws_uptime_path 'healthz' must start with '/'"),
    ({"aws_uptime_path": "/" + "x" * 255}, "at most 255 characters"),
    ({"aws_uptime_request_interval": 60}, "aws_uptime_request_interval 60 must be 10 or 30"),
    ({"aws_uptime_failure_threshold": 11}, "aws_uptime_failure_threshold 11 must be 1 to 10"),
    ({"aws_uptime_alarm_evaluation_periods": 6}, "aws_uptime_alarm_evaluation_periods 6 must be 1 to 5"),
    ({"aws_uptime_alarm_evaluation_periods": 0}, "aws_uptime_alarm_evaluation_periods 0 must be 1 to 5"),
    ({"aws_uptime_target_percent": 0}, "aws_uptime_target_percent 0 must be a percentage"),
    ({"aws_uptime_target_percent": 100.5}, "aws_uptime_target_percent 100.5 must be a percentage"),
    ({"aws_uptime_measure_latency": "maybe"}, "aws_uptime_measure_latency 'maybe' is not a boolean"),
    ({"aws_uptime_topic_arn": TOPIC.replace("us-east-1", "ap-southeast-3")}, "is not the ARN of an SNS topic in us-east-1"),
    ({"aws_uptime_topic_arn": "e1-alerts"}, "aws_uptime_topic_arn 'e1-alerts' is not the ARN of an SNS topic in us-east-1"),
])
def test_bad_input_is_named(change, problem):
    found = aws_uptime.problems({**GOOD, **change})
    assert len(found) == 1 and problem in found[0], found
