"""plugins/fleet_checks/aws_health_alarms.py"""

import pytest

from plugins.fleet_checks import aws_health_alarms

GOOD = {
    "aws_health_alarms_name_prefix": "e1-dashboard-production",
    "aws_health_alarms_topic_arn": "arn:aws:sns:ap-southeast-3:123456789012:e1-dashboard-production-alerts",
    "aws_health_alarms_asg_name": "e1-dashboard-production",
    "aws_health_alarms_load_balancer_name": "e1-dashboard-production",
    "aws_health_alarms_db_identifier": "e1-dashboard-production",
    "aws_health_alarms_cpu_percent": 70,
    "aws_health_alarms_memory_percent": 80,
    "aws_health_alarms_db_connections_percent": 80,
    "aws_health_alarms_response_time_p95_seconds": 3,
    "aws_health_alarms_error_rate_percent": 1,
    "fleet_aws_region": "ap-southeast-3",
}


def test_the_sops_numbers_are_accepted():
    assert aws_health_alarms.problems(GOOD) == []


def test_the_topic_may_still_be_unknown_in_the_validation_play():
    """aws_alerting sets it during the run; the role itself refuses an empty one."""
    assert aws_health_alarms.problems({**GOOD, "aws_health_alarms_topic_arn": ""}) == []


def test_numbers_given_with_e_arrive_as_strings_and_are_read_as_numbers():
    assert aws_health_alarms.problems({**GOOD, "aws_health_alarms_cpu_percent": "65.5",
                                       "aws_health_alarms_response_time_p95_seconds": "0.5"}) == []


@pytest.mark.parametrize("change, problem", [
    ({"aws_health_alarms_cpu_percent": 100}, "aws_health_alarms_cpu_percent 100 is not a percentage above 0 and below 100"),
    ({"aws_health_alarms_cpu_percent": 0}, "aws_health_alarms_cpu_percent 0 is not a percentage"),
    ({"aws_health_alarms_memory_percent": 180}, "aws_health_alarms_memory_percent 180 is not a percentage"),
    ({"aws_health_alarms_db_connections_percent": -5}, "aws_health_alarms_db_connections_percent -5 is not a percentage"),
    ({"aws_health_alarms_error_rate_percent": "lots"}, "aws_health_alarms_error_rate_percent 'lots' is not a percentage"),
    ({"aws_health_alarms_response_time_p95_seconds": 0}, "aws_health_alarms_response_time_p95_seconds 0 is not a number of seconds above 0"),
    ({"aws_health_alarms_response_time_p95_seconds": True}, "aws_health_alarms_response_time_p95_seconds True is not a number of seconds"),
    ({"aws_health_alarms_asg_name": ""}, "aws_health_alarms_asg_name is empty: set fleet_aws_asg_name"),
    ({"aws_health_alarms_db_identifier": " "}, "aws_health_alarms_db_identifier is empty: set rds_db_identifier"),
    ({"aws_health_alarms_load_balancer_name": ""}, "aws_health_alarms_load_balancer_name is empty: set fleet_aws_load_balancer_name"),
    ({"aws_health_alarms_load_balancer_name": "internal-e1"}, "aws_health_alarms_load_balancer_name 'internal-e1' is no load balancer name"),
    ({"aws_health_alarms_load_balancer_name": "e1_dashboard"}, "is no load balancer name"),
    ({"aws_health_alarms_name_prefix": "-e1"}, "aws_health_alarms_name_prefix '-e1' is no start of an alarm name"),
    ({"aws_health_alarms_topic_arn": "e1-alerts"}, "aws_health_alarms_topic_arn 'e1-alerts' is not an SNS topic ARN"),
    ({"aws_health_alarms_topic_arn": "arn:aws:sns:us-east-1:123456789012:e1-alerts"},
     "is in us-east-1, the alarms in ap-southeast-3: an alarm notifies only a topic in its own region"),
])
def test_bad_input_is_named(change, problem):
    found = aws_health_alarms.problems({**GOOD, **change})
    assert len(found) == 1 and problem in found[0], found
