"""plugins/filter/fleet_health_alarms.py: the SOP's health alarms, computed once for the role and the audit."""

import pytest
from ansible.errors import AnsibleFilterError

from plugins.filter.fleet_health_alarms import (fleet_health_alarm_prefix, fleet_health_alarms,
                                                fleet_load_balancer_dimension)

TOPIC = "arn:aws:sns:ap-southeast-3:123456789012:e1-dashboard-production-alerts"
LB = "app/e1-dashboard-production/50dc6c495c0c9188"
SOP = {"cpu_percent": 70, "memory_percent": 80, "db_connections_percent": 80, "response_time_p95_seconds": 3,
       "error_rate_percent": 1}
TAGS = {"project": "e1-web-dashboard", "managed_by": "ansible", "environment": "production"}
INSTANCES = ["i-0bbbbbbbbbbbbbbbb", "i-0aaaaaaaaaaaaaaaa"]


def alarms(**change):
    args = dict(prefix="e1-dashboard-production", thresholds=SOP, topic_arn=TOPIC, instance_ids=INSTANCES,
                group_name="e1-dashboard-production", db_identifier="e1-dashboard-production", max_connections=450,
                load_balancer=LB, tags=TAGS)
    args.update(change)
    return {alarm["name"]: alarm for alarm in fleet_health_alarms(**args)}


def test_every_sop_threshold_is_one_alarm_per_instance_and_per_group_in_a_stable_order():
    names = [alarm["name"] for alarm in fleet_health_alarms("e1", SOP, TOPIC, INSTANCES, "grp", "db", 450, LB)]
    assert names == ["e1-health-cpu-i-0aaaaaaaaaaaaaaaa", "e1-health-memory-i-0aaaaaaaaaaaaaaaa",
                     "e1-health-cpu-i-0bbbbbbbbbbbbbbbb", "e1-health-memory-i-0bbbbbbbbbbbbbbbb",
                     "e1-health-cpu-group", "e1-health-memory-group", "e1-health-db-connections",
                     "e1-health-response-time-p95", "e1-health-5xx-rate"]
    assert all(name.startswith(fleet_health_alarm_prefix("e1")) for name in names)


def test_each_alarm_holds_the_sops_number_over_one_5_minute_period_and_pages_on_alarm_and_ok():
    found = alarms()
    plain = {name: (a["namespace"], a["metric_name"], a["dimensions"], a["statistic"] or a["extended_statistic"], a["threshold"])
             for name, a in found.items() if a["module"] == "amazon.aws.cloudwatch_metric_alarm"}
    prefix = "e1-dashboard-production-health-"
    assert plain == {
        prefix + "cpu-i-0aaaaaaaaaaaaaaaa": ("AWS/EC2", "CPUUtilization", {"InstanceId": "i-0aaaaaaaaaaaaaaaa"}, "Average", 70.0),
        prefix + "cpu-i-0bbbbbbbbbbbbbbbb": ("AWS/EC2", "CPUUtilization", {"InstanceId": "i-0bbbbbbbbbbbbbbbb"}, "Average", 70.0),
        prefix + "memory-i-0aaaaaaaaaaaaaaaa": ("CWAgent", "mem_used_percent", {"InstanceId": "i-0aaaaaaaaaaaaaaaa"}, "Average", 80.0),
        prefix + "memory-i-0bbbbbbbbbbbbbbbb": ("CWAgent", "mem_used_percent", {"InstanceId": "i-0bbbbbbbbbbbbbbbb"}, "Average", 80.0),
        prefix + "cpu-group": ("AWS/EC2", "CPUUtilization", {"AutoScalingGroupName": "e1-dashboard-production"}, "Average", 70.0),
        prefix + "memory-group": ("CWAgent", "mem_used_percent", {"AutoScalingGroupName": "e1-dashboard-production"}, "Average", 80.0),
        prefix + "db-connections": ("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "e1-dashboard-production"}, "Maximum", 360.0),
        prefix + "response-time-p95": ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "p95", 3.0),
    }
    for alarm in found.values():
        assert (alarm["evaluation_periods"], alarm["datapoints_to_alarm"], alarm["comparison"]) == (1, 1, "GreaterThanThreshold")
        assert alarm["alarm_actions"] == alarm["ok_actions"] == [TOPIC]
        assert alarm["tags"] == TAGS
        assert alarm["period"] == 300 or all(m["metric_stat"]["period"] == 300 for m in alarm["metrics"] if "metric_stat" in m)


def test_the_p95_alarm_uses_an_extended_statistic_and_no_plain_one():
    p95 = alarms()["e1-dashboard-production-health-response-time-p95"]
    assert (p95["statistic"], p95["extended_statistic"], p95["evaluate_low_sample_count_percentile"]) == (None, "p95", "evaluate")
    assert p95["treat_missing_data"] == "notBreaching"


def test_the_error_rate_is_metric_math_over_both_5xx_counts_and_the_requests():
    rate = alarms()["e1-dashboard-production-health-5xx-rate"]
    assert rate["module"] == "cloudwatch_metric_math_alarm" and rate["threshold"] == 1.0
    assert rate["treat_missing_data"] == "notBreaching"
    queries = {m["id"]: m for m in rate["metrics"]}
    assert [m["id"] for m in rate["metrics"] if m["return_data"]] == ["rate"]
    assert {i: (m["metric_stat"]["metric"]["metric_name"], m["metric_stat"]["stat"], m["metric_stat"]["metric"]["dimensions"])
            for i, m in queries.items() if "metric_stat" in m} == {
        "target5xx": ("HTTPCode_Target_5XX_Count", "Sum", [{"name": "LoadBalancer", "value": LB}]),
        "elb5xx": ("HTTPCode_ELB_5XX_Count", "Sum", [{"name": "LoadBalancer", "value": LB}]),
        "requests": ("RequestCount", "Sum", [{"name": "LoadBalancer", "value": LB}]),
    }
    assert queries["errors"]["expression"] == "FILL(target5xx, 0) + FILL(elb5xx, 0)"
    assert "100 * errors / FILL(requests, 0)" in queries["rate"]["expression"]


@pytest.mark.parametrize("max_connections, percent, threshold", [(450, 80, 360.0), (5000, 80, 4000.0), (451, 80, 360.8), (100, 75.5, 75.5)])
def test_the_connections_threshold_is_the_share_of_max_connections(max_connections, percent, threshold):
    found = alarms(max_connections=max_connections, thresholds=dict(SOP, db_connections_percent=percent))
    assert found["e1-dashboard-production-health-db-connections"]["threshold"] == threshold


def test_thresholds_given_as_strings_with_e_are_numbers():
    found = alarms(thresholds={name: str(value) for name, value in dict(SOP, cpu_percent=65).items()})
    assert found["e1-dashboard-production-health-cpu-group"]["threshold"] == 65.0


def test_no_instance_in_service_leaves_the_group_and_service_alarms():
    assert len(alarms(instance_ids=[])) == 5


@pytest.mark.parametrize("change, message", [
    ({"topic_arn": ""}, "topic_arn '' is not an SNS topic ARN"),
    ({"load_balancer": "e1-dashboard"}, "is not an ALB dimension"),
    ({"max_connections": None}, "max_connections None is not a number"),
    ({"max_connections": 0}, "max_connections 0 must be above 0"),
    ({"thresholds": {"cpu_percent": 70}}, "thresholds has no 'memory_percent'"),
    ({"thresholds": dict(SOP, cpu_percent="high")}, "thresholds['cpu_percent'] 'high' is not a number"),
    ({"db_identifier": ""}, "db_identifier is empty"),
])
def test_what_cannot_make_an_alarm_is_refused(change, message):
    with pytest.raises(AnsibleFilterError, match=message.replace("[", r"\[").replace("(", r"\(")):
        alarms(**change)


def test_the_load_balancer_dimension_is_the_arns_tail():
    arn = "arn:aws:elasticloadbalancing:ap-southeast-3:123456789012:loadbalancer/app/e1-dashboard/50dc6c495c0c9188"
    assert fleet_load_balancer_dimension(arn) == "app/e1-dashboard/50dc6c495c0c9188"
    with pytest.raises(AnsibleFilterError, match="not the ARN of an application load balancer"):
        fleet_load_balancer_dimension(arn.replace("/app/", "/net/"))
