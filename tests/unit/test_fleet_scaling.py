"""plugins/filter/fleet_scaling.py: the SOP's auto-scaling rules as the policies and alarms the
aws_autoscaling role makes and the audit compares with."""

import pytest
from ansible.errors import AnsibleFilterError

from plugins.filter.fleet_scaling import fleet_scaling, load_balancer_dimension

ARN = "arn:aws:elasticloadbalancing:ap-southeast-3:123456789012:loadbalancer/app/e1-dashboard/50dc6c495c0c9188"
DIMENSION = "app/e1-dashboard/50dc6c495c0c9188"
# The role's defaults: the SOP's numbers.
SOP = dict(min_size=2, max_size=10, scale_out_cpu_percent=70, scale_out_cpu_minutes=5, scale_out_connections=1000,
           scale_out_connections_minutes=5, scale_in_cpu_percent=30, scale_in_connections=200, scale_in_minutes=15,
           scale_out_step=1, scale_in_step=1, scale_out_cooldown=300, scale_in_cooldown=900)


def wanted(**changes):
    return fleet_scaling("e1-app", ARN, "e1-prod", {**SOP, **changes})


def alarms_by_name(found):
    return {alarm["name"]: alarm for alarm in found["metric_alarms"] + found["math_alarms"]}


def test_the_group_keeps_2_to_10_and_the_policies_add_or_remove_one_instance():
    found = wanted()
    assert found["group"] == {"name": "e1-app", "min_size": 2, "max_size": 10}
    assert found["policies"] == [{"name": "e1-prod-scale-out", "adjustment": 1, "cooldown": 300},
                                 {"name": "e1-prod-scale-in", "adjustment": -1, "cooldown": 900}]


def test_scale_out_is_cpu_above_70_for_5_minutes_or_connections_above_1000_for_5_minutes():
    alarms = alarms_by_name(wanted())
    cpu, connections = alarms["e1-prod-scale-out-cpu-high"], alarms["e1-prod-scale-out-connections-high"]
    assert (cpu["namespace"], cpu["metric_name"], cpu["dimensions"], cpu["statistic"]) == (
        "AWS/EC2", "CPUUtilization", {"AutoScalingGroupName": "e1-app"}, "Average")
    assert (cpu["period"], cpu["evaluation_periods"], cpu["datapoints_to_alarm"], cpu["comparison"], cpu["threshold"]) == (
        300, 1, 1, "GreaterThanThreshold", 70.0)
    assert (connections["namespace"], connections["metric_name"], connections["dimensions"], connections["statistic"]) == (
        "AWS/ApplicationELB", "ActiveConnectionCount", {"LoadBalancer": DIMENSION}, "Sum")
    assert (connections["period"], connections["evaluation_periods"], connections["datapoints_to_alarm"],
            connections["comparison"], connections["threshold"]) == (60, 5, 5, "GreaterThanThreshold", 1000.0)
    # The OR: two alarms on one policy.
    assert cpu["policy"] == connections["policy"] == "e1-prod-scale-out"


def test_scale_in_runs_from_a_metric_math_and_of_cpu_below_30_and_connections_below_200_for_15_minutes():
    trigger = alarms_by_name(wanted())["e1-prod-scale-in-trigger"]
    assert trigger["policy"] == "e1-prod-scale-in"
    queries = {query["id"]: query for query in trigger["metrics"]}
    assert [query["id"] for query in trigger["metrics"] if query["return_data"]] == ["quiet"]
    assert queries["quiet"]["expression"] == "IF(cpu < 30 AND FILL(connections, 0) / 5 < 200, 1, 0)"
    assert queries["cpu"]["metric_stat"] == {
        "metric": {"namespace": "AWS/EC2", "metric_name": "CPUUtilization",
                   "dimensions": [{"name": "AutoScalingGroupName", "value": "e1-app"}]},
        "period": 300, "stat": "Average"}
    assert queries["connections"]["metric_stat"] == {
        "metric": {"namespace": "AWS/ApplicationELB", "metric_name": "ActiveConnectionCount",
                   "dimensions": [{"name": "LoadBalancer", "value": DIMENSION}]},
        "period": 300, "stat": "Sum"}
    assert (trigger["comparison_operator"], trigger["threshold"], trigger["evaluation_periods"],
            trigger["datapoints_to_alarm"]) == ("GreaterThanOrEqualToThreshold", 1.0, 3, 3)


def test_the_two_scale_in_conditions_are_alarms_without_action_and_the_composite_is_their_and():
    found = wanted()
    alarms = alarms_by_name(found)
    cpu, connections = alarms["e1-prod-scale-in-cpu-low"], alarms["e1-prod-scale-in-connections-low"]
    assert cpu["policy"] is connections["policy"] is None
    assert (cpu["metric_name"], cpu["period"], cpu["evaluation_periods"], cpu["comparison"], cpu["threshold"]) == (
        "CPUUtilization", 300, 3, "LessThanThreshold", 30.0)
    per_minute = [query for query in connections["metrics"] if query["return_data"]]
    assert [query["expression"] for query in per_minute] == ["FILL(connections, 0) / 5"]
    assert (connections["comparison_operator"], connections["threshold"], connections["evaluation_periods"]) == (
        "LessThanThreshold", 200.0, 3)
    # No datapoint from the load balancer means no connections: low.
    assert connections["treat_missing_data"] == "breaching"
    composite = found["composite_alarm"]
    assert composite["name"] == "e1-prod-scale-in-condition"
    assert composite["alarm_rule"] == 'ALARM("e1-prod-scale-in-cpu-low") AND ALARM("e1-prod-scale-in-connections-low")'
    assert set(composite) == {"name", "alarm_rule", "description"}  # no actions


def test_only_the_three_acting_alarms_run_a_policy_and_every_name_is_distinct():
    found = wanted()
    acting = {alarm["name"]: alarm["policy"] for alarm in found["metric_alarms"] + found["math_alarms"] if alarm["policy"]}
    assert acting == {"e1-prod-scale-out-cpu-high": "e1-prod-scale-out", "e1-prod-scale-out-connections-high": "e1-prod-scale-out",
                      "e1-prod-scale-in-trigger": "e1-prod-scale-in"}
    names = [alarm["name"] for alarm in found["metric_alarms"] + found["math_alarms"]] + [found["composite_alarm"]["name"]]
    assert len(set(names)) == len(names) == 6


def test_other_minutes_and_numbers_follow_the_variables():
    found = wanted(scale_out_cpu_minutes=10, scale_out_connections_minutes=3, scale_in_minutes=30, scale_in_cpu_percent=25,
                   scale_in_connections=150, scale_out_step=2, scale_in_step=3)
    alarms = alarms_by_name(found)
    assert alarms["e1-prod-scale-out-cpu-high"]["evaluation_periods"] == 2
    assert alarms["e1-prod-scale-out-connections-high"]["evaluation_periods"] == 3
    assert alarms["e1-prod-scale-in-cpu-low"]["evaluation_periods"] == alarms["e1-prod-scale-in-trigger"]["evaluation_periods"] == 6
    assert alarms["e1-prod-scale-in-trigger"]["metrics"][-1]["expression"] == "IF(cpu < 25 AND FILL(connections, 0) / 5 < 150, 1, 0)"
    assert [policy["adjustment"] for policy in found["policies"]] == [2, -3]


def test_numbers_given_as_strings_with_e_are_taken():
    assert wanted(min_size="3", max_size="6")["group"] == {"name": "e1-app", "min_size": 3, "max_size": 6}


@pytest.mark.parametrize("given", [ARN, DIMENSION])
def test_the_load_balancer_is_its_arn_or_its_dimension(given):
    assert load_balancer_dimension(given) == DIMENSION


@pytest.mark.parametrize("given", ["", "e1-dashboard", "arn:aws:elasticloadbalancing:ap-southeast-3:1:targetgroup/e1/0123",
                                   "net/e1-dashboard/50dc6c495c0c9188"])
def test_what_is_no_application_load_balancer_is_refused(given):
    with pytest.raises(AnsibleFilterError, match="neither an application load balancer's ARN"):
        fleet_scaling("e1-app", given, "e1-prod", SOP)


def test_a_missing_rule_is_named():
    rules = dict(SOP)
    del rules["scale_in_cooldown"]
    with pytest.raises(AnsibleFilterError, match="rules lacks scale_in_cooldown"):
        fleet_scaling("e1-app", ARN, "e1-prod", rules)


def test_a_rule_that_is_no_number_is_refused():
    with pytest.raises(AnsibleFilterError, match="every rule is a whole number"):
        wanted(max_size="ten")
