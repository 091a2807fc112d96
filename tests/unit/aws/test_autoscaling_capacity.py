"""autoscaling_capacity: report, set within the limits, wait for instances in service, record and
restore a raise; set the size limits and the simple scaling policies (moto in-process).

moto accepts a desired capacity above the group's maximum and a maximum below the minimum (AWS
answers ValidationError to both) and launches instances InService, Healthy and healthy in the
target group at once: the limits are checked by the module itself, and the wait that has to wait
uses botocore's Stubber. Like AWS, moto moves the desired capacity into new limits.
"""

import datetime

import pytest
from aws_harness import GROUP, REGION, client, fail_of, group, make_group, run_module, suspended, tags

from library import autoscaling_capacity as module

TAG = "fleet-maintenance:desired-before-raise"


def test_report_reads_limits_instances_and_target_health(moto_aws):
    _name, arn = make_group(desired=2)
    result = run_module(module, dict(name=GROUP))
    assert result["changed"] is False
    assert result["group"]["min_size"] == 2 and result["group"]["max_size"] == 10
    assert result["desired_before"] == result["desired_after"] == 2
    assert len(result["in_service"]) == 2 and result["added"] == []
    one = result["instances"][result["in_service"][0]]
    assert one["lifecycle_state"] == "InService" and one["targets"] == {arn: "healthy"} and one["in_service"]
    assert moto_aws.writes() == []


def test_an_instance_out_of_its_target_group_is_not_in_service(moto_aws):
    _name, arn = make_group(desired=2)
    first = group()["Instances"][0]["InstanceId"]
    client("elbv2").deregister_targets(TargetGroupArn=arn, Targets=[{"Id": first}])
    result = run_module(module, dict(name=GROUP))
    assert first not in result["in_service"] and result["instances"][first]["targets"] == {arn: "unused"}


def test_raise_waits_for_the_new_instance_and_records_the_level_before(moto_aws):
    make_group(desired=2)
    result = run_module(module, dict(name=GROUP, desired_capacity=3, wait_in_service=3, record_tag=TAG, poll_interval=1))
    assert result["changed"] is True
    assert (result["desired_before"], result["desired_after"], result["recorded"]) == (2, 3, 2)
    assert len(result["in_service"]) == 3 and len(result["added"]) == 1
    assert moto_aws.writes() == ["CreateOrUpdateTags", "SetDesiredCapacity"]
    assert group()["DesiredCapacity"] == 3 and tags()[TAG] == "2"


def test_a_second_raise_keeps_the_first_record(moto_aws):
    make_group(desired=2)
    run_module(module, dict(name=GROUP, desired_capacity=3, record_tag=TAG))
    again = run_module(module, dict(name=GROUP, desired_capacity=4, record_tag=TAG))
    assert again["recorded"] == 2 and tags()[TAG] == "2"


def test_restore_lowers_to_the_record_and_drops_it(moto_aws):
    make_group(desired=2)
    run_module(module, dict(name=GROUP, desired_capacity=3, record_tag=TAG))
    moto_aws.clear()
    result = run_module(module, dict(name=GROUP, restore=True, record_tag=TAG))
    assert (result["changed"], result["desired_before"], result["desired_after"], result["recorded"]) == (True, 3, 2, None)
    assert moto_aws.writes() == ["SetDesiredCapacity", "DeleteTags"]
    assert group()["DesiredCapacity"] == 2 and TAG not in tags()
    moto_aws.clear()
    again = run_module(module, dict(name=GROUP, restore=True, record_tag=TAG))
    assert (again["changed"], moto_aws.writes()) == (False, [])


def test_restore_never_raises(moto_aws):
    make_group(desired=3)
    client("autoscaling").create_or_update_tags(
        Tags=[dict(ResourceId=GROUP, ResourceType="auto-scaling-group", Key=TAG, Value="4", PropagateAtLaunch=False)]
    )
    result = run_module(module, dict(name=GROUP, restore=True, record_tag=TAG))
    assert result["desired_after"] == 3 and moto_aws.writes() == ["DeleteTags"]


def test_setting_the_same_capacity_changes_nothing(moto_aws):
    make_group(desired=2)
    result = run_module(module, dict(name=GROUP, desired_capacity=2, record_tag=TAG))
    assert (result["changed"], moto_aws.writes(), result["recorded"]) == (False, [], None)


def test_check_mode_makes_no_write_and_does_not_wait(moto_aws, clock):
    make_group(desired=2)
    result = run_module(module, dict(name=GROUP, desired_capacity=3, wait_in_service=3, record_tag=TAG), check_mode=True)
    assert result["changed"] is True and result["desired_after"] == 3 and result["group"]["desired_capacity"] == 3
    assert result["recorded"] == 2 and result["waited"] == 0 and clock.sleeps == []
    assert moto_aws.writes() == [] and group()["DesiredCapacity"] == 2 and TAG not in tags()


def test_above_the_maximum_is_refused_naming_the_option_before_any_write(moto_aws):
    """moto would accept 11 with a maximum of 10 (AWS refuses it): the module refuses first."""
    make_group(minimum=2, maximum=10, desired=10)
    result = fail_of(module, dict(name=GROUP, desired_capacity=11, record_tag=TAG))
    assert result["msg"] == (
        "desired_capacity 11 is outside the limits of Auto Scaling group 'e1-app': minimum size 2, maximum size 10;"
        " nothing was changed"
    )
    assert moto_aws == ["DescribeAutoScalingGroups"]
    assert group()["DesiredCapacity"] == 10 and TAG not in tags()


def test_below_the_minimum_is_refused(moto_aws):
    make_group(minimum=2, maximum=10, desired=2)
    result = fail_of(module, dict(name=GROUP, desired_capacity=1))
    assert "desired_capacity 1 is outside the limits" in result["msg"] and moto_aws.writes() == []


def test_a_wait_beyond_the_maximum_is_refused(moto_aws):
    make_group(minimum=2, maximum=3, desired=2)
    result = fail_of(module, dict(name=GROUP, desired_capacity=3, wait_in_service=4))
    assert result["msg"] == "wait_in_service 4 can never be reached: Auto Scaling group 'e1-app' has a maximum size of 3"
    assert moto_aws.writes() == []


def test_a_record_outside_the_limits_is_refused(moto_aws):
    make_group(minimum=3, maximum=10, desired=4)
    client("autoscaling").create_or_update_tags(
        Tags=[dict(ResourceId=GROUP, ResourceType="auto-scaling-group", Key=TAG, Value="2", PropagateAtLaunch=False)]
    )
    result = fail_of(module, dict(name=GROUP, restore=True, record_tag=TAG))
    assert result["msg"] == (
        "tag 'fleet-maintenance:desired-before-raise' records desired capacity 2 is outside the limits of"
        " Auto Scaling group 'e1-app': minimum size 3, maximum size 10: correct or remove the tag"
    )
    assert moto_aws.writes() == []


def test_a_record_that_is_no_number_is_refused(moto_aws):
    make_group()
    client("autoscaling").create_or_update_tags(
        Tags=[dict(ResourceId=GROUP, ResourceType="auto-scaling-group", Key=TAG, Value="two", PropagateAtLaunch=False)]
    )
    result = fail_of(module, dict(name=GROUP, restore=True, record_tag=TAG))
    assert "holds 'two', not a desired capacity" in result["msg"]


@pytest.mark.parametrize(
    "args, expected",
    [
        (dict(name=" "), "name is empty"),
        (dict(name=GROUP, desired_capacity=-1), "desired_capacity -1 is negative"),
        (dict(name=GROUP, restore=True), "restore needs record_tag"),
        (dict(name=GROUP, wait_in_service=-2), "wait_in_service -2 is negative"),
        (dict(name=GROUP, wait_timeout=0), "wait_timeout 0 is under 1 second"),
        (dict(name=GROUP, poll_interval=0), "poll_interval 0 is under 1 second"),
        (dict(name=GROUP, desired_capacity=3, restore=True, record_tag=TAG), "mutually exclusive"),
    ],
)
def test_bad_input_is_refused_before_any_call(moto_aws, args, expected):
    result = fail_of(module, args)
    assert expected in result["msg"]
    assert moto_aws == []


def test_a_missing_group_is_a_clear_error(moto_aws):
    result = fail_of(module, dict(name="nope", desired_capacity=3))
    assert result["msg"] == "Auto Scaling group 'nope' not found in region ap-southeast-3"


# --- waits moto cannot produce: botocore's Stubber ----------------------------------------

ARN = "arn:aws:elasticloadbalancing:{0}:123456789012:targetgroup/e1-app/0123456789abcdef".format(REGION)
CREATED = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)


def described(desired, instances):
    return {
        "AutoScalingGroups": [
            dict(
                AutoScalingGroupName=GROUP, MinSize=2, MaxSize=10, DesiredCapacity=desired, DefaultCooldown=300,
                AvailabilityZones=["ap-southeast-3a"], HealthCheckType="ELB", CreatedTime=CREATED,
                TargetGroupARNs=[ARN], SuspendedProcesses=[],
                Instances=[
                    dict(InstanceId=iid, AvailabilityZone="ap-southeast-3a", LifecycleState=state, HealthStatus="Healthy",
                         ProtectedFromScaleIn=False)
                    for iid, state in instances
                ],
            )
        ]
    }


def health(states):
    return {"TargetHealthDescriptions": [{"Target": {"Id": iid, "Port": 80}, "TargetHealth": {"State": s}} for iid, s in states]}


OLD = [("i-0000000000000000a", "InService"), ("i-0000000000000000b", "InService")]
NEW = "i-0000000000000000c"


def expect(stubbed, desired, instances, states):
    stubbed["autoscaling"].add_response("describe_auto_scaling_groups", described(desired, instances), {"AutoScalingGroupNames": [GROUP]})
    stubbed["elbv2"].add_response(
        "describe_target_health", health(states), {"TargetGroupArn": ARN, "Targets": [{"Id": i} for i, _s in instances]}
    )


def test_the_wait_reads_until_the_new_instance_is_healthy_in_the_target_group(stubbed, clock):
    """A new instance that is Pending, then InService but 'initial' at the target group, then
    healthy: moto launches it healthy at once, so the readings are stubbed."""
    old_states = [(i, "healthy") for i, _s in OLD]
    stubbed["autoscaling"].add_response("describe_auto_scaling_groups", described(2, OLD), {"AutoScalingGroupNames": [GROUP]})
    stubbed["elbv2"].add_response(
        "describe_target_health", health(old_states), {"TargetGroupArn": ARN, "Targets": [{"Id": i} for i, _s in OLD]}
    )
    stubbed["autoscaling"].add_response(
        "set_desired_capacity", {}, {"AutoScalingGroupName": GROUP, "DesiredCapacity": 3, "HonorCooldown": False}
    )
    expect(stubbed, 3, OLD + [(NEW, "Pending")], old_states + [(NEW, "unused")])
    expect(stubbed, 3, OLD + [(NEW, "InService")], old_states + [(NEW, "initial")])
    expect(stubbed, 3, OLD + [(NEW, "InService")], old_states + [(NEW, "healthy")])
    result = run_module(module, dict(name=GROUP, desired_capacity=3, wait_in_service=3, poll_interval=10))
    assert result["in_service"] == sorted([i for i, _s in OLD] + [NEW]) and result["added"] == [NEW]
    assert clock.sleeps == [10, 10] and result["waited"] == 20
    assert stubbed["calls"].writes() == ["SetDesiredCapacity"]


def test_a_wait_that_times_out_fails_saying_how_many_are_in_service(stubbed, clock):
    old_states = [(i, "healthy") for i, _s in OLD]
    expect(stubbed, 3, OLD + [(NEW, "Pending")], old_states + [(NEW, "unused")])
    for _ in range(3):
        expect(stubbed, 3, OLD + [(NEW, "InService")], old_states + [(NEW, "unhealthy")])
    result = fail_of(module, dict(name=GROUP, wait_in_service=3, wait_timeout=20, poll_interval=10))
    assert result["msg"] == "Auto Scaling group 'e1-app' has 2 of the 3 instances wanted in service after 20 seconds"
    assert result["instances"][NEW]["targets"] == {ARN: "unhealthy"}
    assert clock.sleeps == [10, 10]


# --- size limits and simple scaling policies (the aws_autoscaling role) ------------------------

OUT = dict(name="e1-app-scale-out", adjustment=1, cooldown=300)
IN = dict(name="e1-app-scale-in", adjustment=-1, cooldown=900)


def policies():
    found = client("autoscaling").describe_policies(AutoScalingGroupName=GROUP)["ScalingPolicies"]
    return {p["PolicyName"]: (p["PolicyType"], p["AdjustmentType"], p["ScalingAdjustment"], p["Cooldown"]) for p in found}


def test_limits_are_set_alone_and_a_suspended_process_stays_suspended(moto_aws):
    """UpdateAutoScalingGroup with MinSize and MaxSize only: amazon.aws.autoscaling_group would
    resume the maintenance run's suspended processes."""
    make_group(minimum=1, maximum=3, desired=2)
    client("autoscaling").suspend_processes(AutoScalingGroupName=GROUP, ScalingProcesses=["Launch"])
    result = run_module(module, dict(name=GROUP, min_size=2, max_size=10))
    assert result["changed"] is True and moto_aws.writes() == ["UpdateAutoScalingGroup"]
    assert (group()["MinSize"], group()["MaxSize"], group()["DesiredCapacity"]) == (2, 10, 2)
    assert suspended() == ["Launch"] and result["capacity_effect"] == ""
    assert result["diff"]["before"]["max_size"] == 3 and result["diff"]["after"]["max_size"] == 10
    moto_aws.clear()
    again = run_module(module, dict(name=GROUP, min_size=2, max_size=10))
    assert (again["changed"], moto_aws.writes()) == (False, [])


def test_limits_in_check_mode_write_nothing_and_report_the_group_after(moto_aws):
    make_group(minimum=1, maximum=3, desired=2)
    result = run_module(module, dict(name=GROUP, min_size=2, max_size=10), check_mode=True)
    assert result["changed"] is True and (result["group"]["min_size"], result["group"]["max_size"]) == (2, 10)
    assert moto_aws.writes() == [] and (group()["MinSize"], group()["MaxSize"]) == (1, 3)


def test_a_desired_capacity_above_a_lowered_maximum_is_lowered_by_aws_and_the_module_says_so(moto_aws):
    make_group(minimum=2, maximum=10, desired=4)
    result = run_module(module, dict(name=GROUP, max_size=3))
    assert result["capacity_effect"] == (
        "the desired capacity 4 of Auto Scaling group 'e1-app' is above the new maximum size 3:"
        " AWS lowers it to 3, terminating 1 instance(s)")
    assert result["desired_after"] == 3 and group()["DesiredCapacity"] == 3
    assert moto_aws.writes() == ["UpdateAutoScalingGroup"]


def test_a_desired_capacity_below_a_raised_minimum_is_raised_by_aws_and_the_module_says_so(moto_aws):
    make_group(minimum=1, maximum=10, desired=1)
    result = run_module(module, dict(name=GROUP, min_size=2), check_mode=True)
    assert "is below the new minimum size 2: AWS raises it to 2, launching 1 instance(s)" in result["capacity_effect"]
    assert result["desired_after"] == 2 and group()["DesiredCapacity"] == 1


def test_limits_and_a_desired_capacity_go_in_one_call(moto_aws):
    make_group(minimum=1, maximum=3, desired=2)
    run_module(module, dict(name=GROUP, min_size=2, max_size=10, desired_capacity=4))
    assert moto_aws.writes() == ["UpdateAutoScalingGroup"]
    assert (group()["MinSize"], group()["MaxSize"], group()["DesiredCapacity"]) == (2, 10, 4)


@pytest.mark.parametrize("args, expected", [
    (dict(min_size=3, max_size=2), "max_size 2 is below min_size 3"),
    (dict(min_size=2, max_size=10, desired_capacity=11), "desired_capacity 11 is outside the limits given: min_size 2, max_size 10"),
    (dict(min_size=2, desired_capacity=1), "desired_capacity 1 is outside the limits given: min_size 2, max_size (the group's)"),
    (dict(max_size=-1), "max_size -1 is negative"),
    (dict(max_size=3, wait_in_service=4), "wait_in_service 4 can never be reached with max_size 3"),
    (dict(scaling_policies=[dict(OUT, adjustment=0)]), "scaling_policies[0].adjustment is 0"),
    (dict(scaling_policies=[OUT, OUT]), "scaling_policies[1].name 'e1-app-scale-out' names more than one policy"),
    (dict(scaling_policies=[dict(OUT, name=" ")]), "scaling_policies[0].name must be 1 to 255 characters"),
    (dict(scaling_policies=[dict(IN, cooldown=-5)]), "scaling_policies[0].cooldown -5 is negative"),
])
def test_bad_limits_and_policies_are_refused_before_any_call(moto_aws, args, expected):
    result = fail_of(module, dict(name=GROUP, **args))
    assert expected in result["msg"]
    assert moto_aws == []


def test_a_desired_capacity_outside_the_new_limits_is_refused_before_any_write(moto_aws):
    """moto takes a desired capacity of 11 with a maximum of 10; AWS does not. The maximum is the
    group's, read first; the minimum is the one given."""
    make_group(minimum=2, maximum=10, desired=2)
    result = fail_of(module, dict(name=GROUP, min_size=3, desired_capacity=11))
    assert result["msg"] == (
        "desired_capacity 11 is outside the limits of Auto Scaling group 'e1-app': minimum size 3, maximum size 10;"
        " nothing was changed")
    assert moto_aws.writes() == [] and group()["DesiredCapacity"] == 2


@pytest.mark.parametrize("args, expected", [
    (dict(min_size=11), "min_size 11 is above the maximum size 10 of Auto Scaling group 'e1-app'; nothing was changed"),
    (dict(max_size=1), "max_size 1 is below the minimum size 2 of Auto Scaling group 'e1-app'; nothing was changed"),
])
def test_one_limit_crossing_the_groups_other_is_refused_before_any_write(moto_aws, args, expected):
    make_group(minimum=2, maximum=10, desired=2)
    assert fail_of(module, dict(name=GROUP, **args))["msg"] == expected
    assert moto_aws.writes() == []


def test_policies_are_made_then_left_alone_and_reported_with_their_arns(moto_aws):
    make_group()
    result = run_module(module, dict(name=GROUP, scaling_policies=[OUT, IN]))
    assert result["changed"] is True and result["policies_changed"] == ["e1-app-scale-out", "e1-app-scale-in"]
    assert moto_aws.writes() == ["PutScalingPolicy", "PutScalingPolicy"]
    assert policies() == {"e1-app-scale-out": ("SimpleScaling", "ChangeInCapacity", 1, 300),
                          "e1-app-scale-in": ("SimpleScaling", "ChangeInCapacity", -1, 900)}
    arn = result["policies"]["e1-app-scale-in"]["arn"]
    assert arn.startswith("arn:aws:autoscaling:") and arn.endswith(":policyName/e1-app-scale-in")
    moto_aws.clear()
    again = run_module(module, dict(name=GROUP, scaling_policies=[OUT, IN]))
    assert (again["changed"], again["policies_changed"], moto_aws.writes()) == (False, [], [])
    assert again["policies"]["e1-app-scale-in"]["arn"] == arn


def test_a_policy_changed_by_hand_is_put_back_and_others_are_left_alone(moto_aws):
    make_group()
    run_module(module, dict(name=GROUP, scaling_policies=[OUT, IN]))
    scaling = client("autoscaling")
    scaling.put_scaling_policy(AutoScalingGroupName=GROUP, PolicyName="e1-app-scale-in", PolicyType="SimpleScaling",
                               AdjustmentType="ChangeInCapacity", ScalingAdjustment=-3, Cooldown=60)
    scaling.put_scaling_policy(AutoScalingGroupName=GROUP, PolicyName="by-hand", PolicyType="SimpleScaling",
                               AdjustmentType="ExactCapacity", ScalingAdjustment=5)
    moto_aws.clear()
    result = run_module(module, dict(name=GROUP, scaling_policies=[OUT, IN]))
    assert result["policies_changed"] == ["e1-app-scale-in"] and moto_aws.writes() == ["PutScalingPolicy"]
    assert result["diff"]["before"]["policies"]["e1-app-scale-in"]["adjustment"] == -3
    assert policies()["e1-app-scale-in"] == ("SimpleScaling", "ChangeInCapacity", -1, 900)
    assert policies()["by-hand"][1:3] == ("ExactCapacity", 5) and "by-hand" in result["policies"]


def test_policies_in_check_mode_write_nothing_and_a_new_one_has_no_arn_yet(moto_aws):
    make_group()
    run_module(module, dict(name=GROUP, scaling_policies=[OUT]))
    moto_aws.clear()
    result = run_module(module, dict(name=GROUP, scaling_policies=[dict(OUT, cooldown=600), IN]), check_mode=True)
    assert result["changed"] is True and result["policies_changed"] == ["e1-app-scale-out", "e1-app-scale-in"]
    assert result["policies"]["e1-app-scale-in"]["arn"] is None
    assert result["policies"]["e1-app-scale-out"]["arn"] and result["policies"]["e1-app-scale-out"]["cooldown"] == 600
    assert moto_aws.writes() == [] and set(policies()) == {"e1-app-scale-out"}


def test_an_empty_policy_list_only_reports(moto_aws):
    make_group()
    run_module(module, dict(name=GROUP, scaling_policies=[OUT]))
    moto_aws.clear()
    result = run_module(module, dict(name=GROUP, scaling_policies=[]))
    assert (result["changed"], moto_aws.writes(), list(result["policies"])) == (False, [], ["e1-app-scale-out"])


def test_without_scaling_policies_no_policy_is_read(moto_aws):
    make_group()
    result = run_module(module, dict(name=GROUP, min_size=2, max_size=10))
    assert "policies" not in result and "DescribePolicies" not in moto_aws
