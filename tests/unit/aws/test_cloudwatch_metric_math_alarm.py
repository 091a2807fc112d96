"""cloudwatch_metric_math_alarm against moto in-process (moto 5.2.5 stores metric math alarms,
their tags, and describes them back as AWS does), and botocore's Stubber for an AWS error."""

import copy

import boto3
import botocore.session
import pytest
from aws_harness import REGION, fail_of, run_module
from botocore.stub import Stubber

from ansible.module_utils import fleet_aws
from library import cloudwatch_metric_math_alarm as module

NAME = "e1-dashboard-test-5xx-rate"
TOPIC = "arn:aws:sns:ap-southeast-3:123456789012:e1-alerts"
OTHER_TOPIC = "arn:aws:sns:ap-southeast-3:123456789012:e1-other"
LB = [{"name": "LoadBalancer", "value": "app/e1-dashboard/50dc6c495c0c9188"}]


def sum_of(query_id, metric):
    return {"id": query_id, "metric_stat": {"metric": {"namespace": "AWS/ApplicationELB", "metric_name": metric, "dimensions": LB},
                                            "period": 300, "stat": "Sum"}}


ARGS = dict(
    name=NAME, region=REGION, description="5xx above 1 % of requests", threshold=1, treat_missing_data="notBreaching",
    metrics=[{"id": "rate", "expression": "100 * (FILL(target, 0) + FILL(elb, 0)) / requests", "return_data": True},
             sum_of("target", "HTTPCode_Target_5XX_Count"), sum_of("elb", "HTTPCode_ELB_5XX_Count"),
             sum_of("requests", "RequestCount")],
    alarm_actions=[TOPIC], ok_actions=[TOPIC], tags={"project": "e1-web-dashboard"})


def described():
    return boto3.client("cloudwatch", region_name=REGION).describe_alarms(AlarmNames=[NAME])["MetricAlarms"]


def tags_of(alarm):
    reply = boto3.client("cloudwatch", region_name=REGION).list_tags_for_resource(ResourceARN=alarm["AlarmArn"])
    return {tag["Key"]: tag["Value"] for tag in reply["Tags"]}


def test_a_new_alarm_is_made_with_its_expression_metrics_actions_and_tags(moto_aws):
    result = run_module(module, ARGS)
    (alarm,) = described()
    assert result["changed"] is True and "metrics" in result["changed_fields"]
    assert [query["Id"] for query in alarm["Metrics"]] == ["rate", "target", "elb", "requests"]
    assert alarm["Metrics"][0]["Expression"].startswith("100 * (FILL(target, 0)")
    assert alarm["Threshold"] == 1.0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["EvaluationPeriods"] == 1 and alarm["DatapointsToAlarm"] == 1
    assert alarm["AlarmActions"] == [TOPIC] and alarm["OKActions"] == [TOPIC]
    assert tags_of(alarm) == {"project": "e1-web-dashboard"}


def test_a_second_run_changes_nothing_and_writes_nothing(moto_aws):
    run_module(module, ARGS)
    moto_aws.clear()
    result = run_module(module, ARGS)
    assert result["changed"] is False and result["changed_fields"] == []
    assert moto_aws.writes() == []


def test_a_changed_expression_is_found_and_written(moto_aws):
    run_module(module, ARGS)
    changed = copy.deepcopy(ARGS)
    changed["metrics"][0]["expression"] = "100 * FILL(target, 0) / requests"
    result = run_module(module, changed)
    assert result["changed_fields"] == ["metrics"]
    assert described()[0]["Metrics"][0]["Expression"] == "100 * FILL(target, 0) / requests"


def test_a_threshold_changed_by_hand_is_put_back(moto_aws):
    run_module(module, ARGS)
    boto3.client("cloudwatch", region_name=REGION).put_metric_alarm(
        AlarmName=NAME, Threshold=5.0, EvaluationPeriods=1, DatapointsToAlarm=1, ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching", AlarmDescription="5xx above 1 % of requests", AlarmActions=[TOPIC], OKActions=[TOPIC],
        Metrics=described()[0]["Metrics"])
    result = run_module(module, ARGS)
    assert result["changed_fields"] == ["threshold"] and described()[0]["Threshold"] == 1.0


def test_dimension_order_and_action_order_are_no_change(moto_aws):
    run_module(module, dict(ARGS, alarm_actions=[TOPIC, OTHER_TOPIC]))
    reordered = copy.deepcopy(ARGS)
    reordered["alarm_actions"] = [OTHER_TOPIC, TOPIC]
    reordered["metrics"][1]["metric_stat"]["metric"]["dimensions"] = list(reversed(LB + [{"name": "AvailabilityZone", "value": "a"}]))
    run_module(module, reordered)
    again = copy.deepcopy(reordered)
    again["metrics"][1]["metric_stat"]["metric"]["dimensions"] = LB + [{"name": "AvailabilityZone", "value": "a"}]
    assert run_module(module, again)["changed"] is False


def test_tags_are_added_and_purged(moto_aws):
    run_module(module, ARGS)
    result = run_module(module, dict(ARGS, tags={"team": "hosting"}))
    assert result["changed_fields"] == ["tags"] and tags_of(described()[0]) == {"team": "hosting"}


def test_check_mode_reports_the_change_and_writes_nothing(moto_aws):
    run_module(module, ARGS)
    moto_aws.clear()
    result = run_module(module, dict(ARGS, threshold=2), check_mode=True)
    assert result["changed_fields"] == ["threshold"] and result["diff"]["before"]["threshold"] == 1.0
    assert moto_aws.writes() == [] and described()[0]["Threshold"] == 1.0


def test_a_plain_alarm_of_the_same_name_becomes_the_metric_math_one(moto_aws):
    boto3.client("cloudwatch", region_name=REGION).put_metric_alarm(
        AlarmName=NAME, Namespace="AWS/ApplicationELB", MetricName="HTTPCode_Target_5XX_Count", Statistic="Sum", Period=300,
        EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold")
    assert "metrics" in run_module(module, ARGS)["changed_fields"]
    assert [query["Id"] for query in described()[0]["Metrics"]][0] == "rate"


def test_absent_deletes_then_changes_nothing(moto_aws):
    run_module(module, ARGS)
    assert run_module(module, dict(name=NAME, region=REGION, state="absent"))["changed"] is True
    assert described() == []
    assert run_module(module, dict(name=NAME, region=REGION, state="absent"))["changed"] is False


@pytest.mark.parametrize("change, expected", [
    ({"metrics": []}, "metrics is required"),
    ({"threshold": None}, "threshold is required"),
    ({"metrics": [{"id": "rate", "expression": "1", "return_data": False}]}, "exactly one entry has return_data true"),
    ({"metrics": [{"id": "Rate", "expression": "1", "return_data": True}]}, "must start with a lower-case letter"),
    ({"metrics": [{"id": "a", "expression": "1", "return_data": True}, {"id": "a", "expression": "2"}]}, "'a' is used more than once"),
    ({"metrics": [{"id": "a", "return_data": True}]}, "give an expression or a metric_stat"),
    ({"metrics": [dict(sum_of("a", "RequestCount"), return_data=True)]}, None),
    ({"evaluation_periods": 3, "datapoints_to_alarm": 4}, "datapoints_to_alarm 4 must be 1 to evaluation_periods (3)"),
    ({"alarm_actions": ["e1-alerts"]}, "'e1-alerts' is not an ARN"),
    ({"tags": {"aws:owner": "x"}}, "must be 1 to 128 characters and not start with 'aws:'"),
])
def test_bad_input_is_refused_before_any_call(moto_aws, change, expected):
    args = dict(ARGS, **change)
    if expected is None:  # a metric alone, returning its own data, is a valid alarm
        assert run_module(module, args)["changed"] is True
        return
    assert expected in fail_of(module, args)["msg"]
    assert moto_aws == []


def test_a_period_cloudwatch_does_not_take_is_refused(moto_aws):
    metrics = copy.deepcopy(ARGS["metrics"])
    metrics[1]["metric_stat"]["period"] = 90
    assert "period 90 is not 10, 30 or a multiple of 60" in fail_of(module, dict(ARGS, metrics=metrics))["msg"]


def test_an_aws_error_is_a_clear_failure_not_a_traceback(monkeypatch):
    # botocore's Stubber: an access refusal is an answer moto never gives.
    client = botocore.session.get_session().create_client(
        "cloudwatch", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
    monkeypatch.setattr(fleet_aws, "create_client", lambda *_a, **_k: client)
    with Stubber(client) as stub:
        stub.add_client_error("describe_alarms", "AccessDenied", "not allowed to describe alarms")
        failed = fail_of(module, ARGS)
    assert failed["msg"] == "reading alarm 'e1-dashboard-test-5xx-rate' failed: AccessDenied: not allowed to describe alarms"
