"""cloudwatch_composite_alarm against botocore's Stubber: moto 5.2.5 does not implement
PutCompositeAlarm (NotImplementedError), so every CloudWatch answer here is stubbed, in the
shapes of botocore's own model (the Stubber refuses any other)."""

import pytest
from aws_harness import REGION, RecordedCalls, fail_of, run_module
from botocore.stub import ANY

from library import cloudwatch_composite_alarm as module
from tests import aws_module_harness as harness

NAME = "e1-app-scale-in"
RULE = 'ALARM("e1-app-cpu-low") AND ALARM("e1-app-connections-low")'
ARN = "arn:aws:cloudwatch:ap-southeast-3:123456789012:alarm:" + NAME
TOPIC = "arn:aws:sns:ap-southeast-3:123456789012:e1-alerts"
POLICY = "arn:aws:autoscaling:ap-southeast-3:123456789012:scalingPolicy:1f1b:autoScalingGroupName/e1-app:policyName/scale-in"
CHILDREN = ["e1-app-cpu-low", "e1-app-connections-low"]
ARGS = dict(name=NAME, alarm_rule=RULE, description="scale in", alarm_actions=[TOPIC], region=REGION)


@pytest.fixture()
def cloudwatch(monkeypatch):
    yield from harness.stubbed_calls(monkeypatch, "cloudwatch", RecordedCalls())


def children_exist(stub, names=CHILDREN):
    stub.add_response("describe_alarms", {"MetricAlarms": [{"AlarmName": n} for n in names]},
                      {"AlarmNames": CHILDREN, "AlarmTypes": ["MetricAlarm", "CompositeAlarm"]})


def existing(stub, **changes):
    alarm = {"AlarmName": NAME, "AlarmArn": ARN, "AlarmRule": RULE, "AlarmDescription": "scale in", "ActionsEnabled": True,
             "AlarmActions": [TOPIC], "OKActions": [], "InsufficientDataActions": [], **changes}
    stub.add_response("describe_alarms", {"CompositeAlarms": [alarm]}, {"AlarmNames": [NAME], "AlarmTypes": ["CompositeAlarm"]})
    stub.add_response("list_tags_for_resource", {"Tags": [{"Key": "team", "Value": "hosting"}]}, {"ResourceARN": ARN})


def absent(stub):
    stub.add_response("describe_alarms", {"CompositeAlarms": []}, {"AlarmNames": [NAME], "AlarmTypes": ["CompositeAlarm"]})


def test_a_new_alarm_is_put_with_its_rule_actions_and_tags(cloudwatch):
    children_exist(cloudwatch)
    absent(cloudwatch)
    cloudwatch.add_response("put_composite_alarm", {}, {
        "AlarmName": NAME, "AlarmRule": RULE, "AlarmDescription": "scale in", "ActionsEnabled": True,
        "AlarmActions": [TOPIC], "OKActions": [], "InsufficientDataActions": [], "Tags": [{"Key": "team", "Value": "hosting"}]})
    result = run_module(module, dict(ARGS, tags={"team": "hosting"}))
    assert result["changed"] is True and result["children"] == CHILDREN
    assert "alarm_rule" in result["changed_fields"] and "tags" in result["changed_fields"]


def test_an_alarm_as_asked_is_left_alone(cloudwatch):
    children_exist(cloudwatch)
    existing(cloudwatch)
    result = run_module(module, dict(ARGS, tags={"team": "hosting"}))
    assert (result["changed"], result["changed_fields"]) == (False, [])
    assert cloudwatch.calls == ["DescribeAlarms", "DescribeAlarms", "ListTagsForResource"]


def test_actions_in_another_order_are_no_change(cloudwatch):
    other = TOPIC.replace("e1-alerts", "e1-second")
    children_exist(cloudwatch)
    existing(cloudwatch, AlarmActions=[other, TOPIC])
    result = run_module(module, dict(ARGS, alarm_actions=[TOPIC, other]))
    assert (result["changed"], result["changed_fields"]) == (False, [])


def test_a_changed_rule_is_put_again_and_only_that_is_reported(cloudwatch):
    children_exist(cloudwatch)
    existing(cloudwatch, AlarmRule='ALARM("e1-app-cpu-low") OR ALARM("e1-app-connections-low")')
    cloudwatch.add_response("put_composite_alarm", {}, {
        "AlarmName": NAME, "AlarmRule": RULE, "AlarmDescription": "scale in", "ActionsEnabled": True,
        "AlarmActions": [TOPIC], "OKActions": [], "InsufficientDataActions": []})
    result = run_module(module, ARGS)
    assert result["changed_fields"] == ["alarm_rule"]
    assert result["diff"]["before"]["alarm_rule"].endswith('OR ALARM("e1-app-connections-low")')


def test_check_mode_reports_the_change_and_writes_nothing(cloudwatch):
    children_exist(cloudwatch)
    existing(cloudwatch, AlarmActions=[])
    result = run_module(module, ARGS, check_mode=True)
    assert result["changed_fields"] == ["alarm_actions"]
    assert not [call for call in cloudwatch.calls if not call.startswith(("Describe", "List"))]


def test_tags_are_added_and_purged_on_an_existing_alarm(cloudwatch):
    children_exist(cloudwatch)
    existing(cloudwatch)
    cloudwatch.add_response("tag_resource", {}, {"ResourceARN": ARN, "Tags": [{"Key": "owner", "Value": "oncall"}]})
    cloudwatch.add_response("untag_resource", {}, {"ResourceARN": ARN, "TagKeys": ["team"]})
    result = run_module(module, dict(ARGS, tags={"owner": "oncall"}))
    assert result["changed_fields"] == ["tags"] and result["alarm"]["tags"] == {"owner": "oncall"}


def test_a_rule_naming_a_missing_alarm_fails_before_any_write(cloudwatch):
    children_exist(cloudwatch, names=["e1-app-cpu-low"])
    failed = fail_of(module, ARGS)
    assert "names alarms that do not exist: e1-app-connections-low" in failed["msg"]
    assert cloudwatch.calls == ["DescribeAlarms"]


def test_in_check_mode_a_missing_alarm_is_a_warning(cloudwatch):
    children_exist(cloudwatch, names=[])
    absent(cloudwatch)
    result = run_module(module, ARGS, check_mode=True)
    assert result["changed"] is True and "alarm_rule" in result["changed_fields"]


def test_absent_deletes_an_existing_alarm_and_then_changes_nothing(cloudwatch):
    existing_alarm = {"AlarmName": NAME, "AlarmArn": ARN, "AlarmRule": RULE}
    cloudwatch.add_response("describe_alarms", {"CompositeAlarms": [existing_alarm]}, {"AlarmNames": [NAME], "AlarmTypes": ["CompositeAlarm"]})
    cloudwatch.add_response("delete_alarms", {}, {"AlarmNames": [NAME]})
    assert run_module(module, dict(name=NAME, state="absent", region=REGION))["changed"] is True
    absent(cloudwatch)
    assert run_module(module, dict(name=NAME, state="absent", region=REGION))["changed"] is False


def test_an_aws_error_is_a_clear_failure_not_a_traceback(cloudwatch):
    cloudwatch.add_client_error("describe_alarms", service_error_code="AccessDenied", service_message="not allowed",
                                expected_params={"AlarmNames": ANY, "AlarmTypes": ANY})
    failed = fail_of(module, ARGS)
    assert failed["msg"] == "reading the alarms the rule names failed: AccessDenied: not allowed"


@pytest.mark.parametrize("changes, problem", [
    ({"alarm_rule": ""}, "alarm_rule is required"),
    ({"alarm_rule": "TRUE"}, "names no alarm"),
    ({"alarm_rule": "x" * 10241}, "AWS takes at most 10240"),
    ({"name": ""}, "name must be 1 to 255 characters"),
    ({"alarm_actions": ["sns-topic"]}, "alarm_actions: 'sns-topic' is not an ARN"),
    ({"ok_actions": [POLICY] * 6}, "ok_actions has 6 actions"),
    ({"tags": {"aws:owner": "x"}}, "must be 1 to 128 characters and not start with 'aws:'"),
])
def test_bad_input_is_refused_before_any_call(cloudwatch, changes, problem):
    failed = fail_of(module, dict(ARGS, **changes))
    assert problem in failed["msg"]
    assert cloudwatch.calls == []


def test_the_rules_children_are_read_from_every_state_function():
    rule = 'NOT OK(e1-a) OR (INSUFFICIENT_DATA("e1 b") AND ALARM(e1-a))'
    assert module.children_of(rule) == ["e1-a", "e1 b"]


def test_an_auto_scaling_action_is_refused_before_any_call(cloudwatch):
    # CloudWatch runs no Auto Scaling action for a composite alarm: the scale-in acts through a
    # metric math alarm instead. Nothing is stubbed: any call would fail the test.
    failed = fail_of(module, dict(ARGS, alarm_actions=[POLICY]))
    assert "cannot run an Auto Scaling action" in failed["msg"] and "alarm_actions" in failed["msg"]
    assert cloudwatch.calls == []
