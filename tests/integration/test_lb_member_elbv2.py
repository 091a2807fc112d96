"""The AWS path of the rolling maintenance (roles/lb_member, kind elbv2) through real
`ansible-playbook` runs against a real HTTP endpoint (moto_server on loopback): a VPC with two
subnets, a launch template, a target group with a deregistration delay and an Auto Scaling group
attached to it; its instances are the inventory's hosts (connection local), and
tests/integration/playbooks/lb_member_elbv2.yml runs prepare, then host by host drain, a
checkpoint that reads the state with boto3, enable, and finish from always:.

Where moto 5.2.5 differs from AWS, and what that means here:
- A deregistered target is `unused` at once; AWS keeps it `draining` through the target group's
  deregistration delay. The wait itself cannot be observed: the tests check that elb_target was
  given the delay (plus a minute) as its timeout.
- EnterStandby without decrement launches a replacement instance even with Launch suspended (moto
  records suspended processes but never honours them), and re-registers every instance of the
  group, the standby one included, in its target groups (AWS deregisters it). The drain takes the
  target out again after the standby (a no-op on AWS), and the checkpoints show it out.
- Lowering the desired capacity terminates the first instances moto finds that are not protected
  from scale-in, standby ones included; AWS applies the termination policy. The tests protect the
  group's original instances, so that moto removes the instance it added (the replacement, or
  prepare's extra one) and the hosts of the inventory stay.
- A desired capacity above the maximum is accepted (11 with a maximum of 10); AWS refuses it.
  autoscaling_capacity refuses it itself before any write, tested here and in tests/unit/aws.
- ExitStandby raises the desired capacity by one, as on AWS, but never refuses to go above the
  maximum; the enable's step below the maximum is tested with a full group all the same.

Run as a script (`checkpoint FILE HOST ...`) it appends one JSON line with what the endpoint says
about the host's instance: the playbook's checkpoint task calls it.
"""

import json
import os
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import boto3
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
REGION = "ap-southeast-3"
GROUP = "e1-app"
DELAY = 7
MAINTENANCE = sorted(["Launch", "AZRebalance", "ReplaceUnhealthy", "HealthCheck", "AlarmNotification", "ScheduledActions"])
RAISE_TAG = "fleet-maintenance:desired-before-raise"
SUSPEND_TAG = "fleet-maintenance:suspended-processes"

Run = namedtuple("Run", "rc report stats stderr")


# --- the state, read with boto3 ------------------------------------------------------------


def clients(endpoint=None, region=REGION):
    return {s: boto3.client(s, region_name=region, endpoint_url=endpoint) for s in ("autoscaling", "elbv2", "ec2")}


def group_of(aws, name=GROUP):
    return aws["autoscaling"].describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def target_state(aws, arn, instance_id):
    reply = aws["elbv2"].describe_target_health(TargetGroupArn=arn, Targets=[{"Id": instance_id}])
    return reply["TargetHealthDescriptions"][0]["TargetHealth"]["State"]


def instance_tags(aws, instance_id):
    reservations = aws["ec2"].describe_instances(InstanceIds=[instance_id])["Reservations"]
    tags = reservations[0]["Instances"][0].get("Tags", [])
    return {t["Key"]: t["Value"] for t in tags if t["Key"].startswith("fleet-maintenance:")}


def snapshot(aws, arn, instance_id, name=GROUP):
    group = group_of(aws, name)
    lifecycle = {i["InstanceId"]: i["LifecycleState"] for i in group["Instances"]}
    in_service = [
        iid for iid, state in lifecycle.items() if state == "InService" and target_state(aws, arn, iid) == "healthy"
    ]
    return dict(
        lifecycle=lifecycle.get(instance_id),
        target=target_state(aws, arn, instance_id),
        suspended=sorted(p["ProcessName"] for p in group["SuspendedProcesses"]),
        desired=group["DesiredCapacity"],
        in_service=sorted(in_service),
        group_tags={t["Key"]: t["Value"] for t in group.get("Tags", [])},
        instance_tags=instance_tags(aws, instance_id),
    )


def checkpoint(out, host, instance_id, name, arn, endpoint, region):
    aws = clients(endpoint or None, region or REGION)
    with open(out, "a") as handle:
        handle.write(json.dumps(dict(snapshot(aws, arn, instance_id, name), host=host, instance_id=instance_id)) + "\n")


# --- the group, the inventory, the run ---------------------------------------------------


Fleet = namedtuple("Fleet", "aws arn hosts inventory endpoint")


def build(aws_env, tmp_path, minimum=2, maximum=10, desired=2):
    """The VPC, launch template, target group (deregistration delay DELAY) and the group attached
    to it; its instances protected from scale-in (see the module docstring) and written to an
    inventory as hosts app-1, app-2, ..."""
    endpoint = aws_env["AWS_ENDPOINT_URL"]
    aws = clients(endpoint)
    vpc = aws["ec2"].create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    zones = [z["ZoneName"] for z in aws["ec2"].describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [
        aws["ec2"].create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for n, zone in enumerate(zones)
    ]
    aws["ec2"].create_launch_template(
        LaunchTemplateName=GROUP, LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"}
    )
    arn = aws["elbv2"].create_target_group(Name=GROUP, Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    aws["elbv2"].modify_target_group_attributes(
        TargetGroupArn=arn, Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": str(DELAY)}]
    )
    aws["autoscaling"].create_auto_scaling_group(
        AutoScalingGroupName=GROUP,
        MinSize=minimum,
        MaxSize=maximum,
        DesiredCapacity=desired,
        LaunchTemplate={"LaunchTemplateName": GROUP},
        VPCZoneIdentifier=",".join(subnets),
        TargetGroupARNs=[arn],
    )
    ids = [i["InstanceId"] for i in group_of(aws)["Instances"]]
    aws["autoscaling"].set_instance_protection(AutoScalingGroupName=GROUP, InstanceIds=ids, ProtectedFromScaleIn=True)
    hosts = {f"app-{n}": iid for n, iid in enumerate(ids, 1)}
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(
        yaml.safe_dump(
            {
                "all": {
                    "children": {
                        "asg_instances": {
                            "hosts": {host: {"lb_member_instance_id": iid} for host, iid in hosts.items()},
                        }
                    },
                    "vars": {
                        "ansible_connection": "local",
                        "ansible_python_interpreter": sys.executable,
                        "lb_member_kind": "elbv2",
                        "lb_member_target_group_arn": arn,
                        "lb_member_asg_name": GROUP,
                        "lb_member_aws_region": REGION,
                        "lb_member_aws_endpoint_url": endpoint,
                    },
                }
            }
        )
    )
    return Fleet(aws, arn, hosts, inventory, endpoint)


def play(fleet, tmp_path, playbook="lb_member_elbv2.yml", extra=None, *options):
    """Run a playbook; the endpoint reaches the modules only through lb_member_aws_endpoint_url
    (AWS_ENDPOINT_URL is taken out of the environment, so a call that missed it would go to AWS
    with fake credentials and fail)."""
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env.update(ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1", ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    extra = dict(extra or {}, lb_member_test_checkpoints=str(tmp_path / "checkpoints.jsonl"))
    out = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(fleet.inventory), str(PLAYBOOKS / playbook), "-e", json.dumps(extra), *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (tmp_path / "report.json").write_text(out.stdout)
    assert "{" in out.stdout, "ansible-playbook gave no report:\n" + out.stdout + out.stderr
    report, _end = json.JSONDecoder().raw_decode(out.stdout[out.stdout.index("{") :])
    return Run(out.returncode, report, report["stats"], out.stderr)


def results(run, task_name):
    """[(host, result)] of every run of the task named TASK_NAME, in order."""
    found = []
    for one_play in run.report["plays"]:
        for task in one_play["tasks"]:
            # Role tasks are reported as "ROLE : NAME".
            if task["task"]["name"].split(" : ", 1)[-1] == task_name:
                found += list(task["hosts"].items())
    return found


def checkpoints(tmp_path, name="checkpoints.jsonl"):
    path = tmp_path / name
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def failures(run):
    return [
        (host, result.get("msg"))
        for one_play in run.report["plays"]
        for task in one_play["tasks"]
        for host, result in task["hosts"].items()
        if result.get("failed") and not result.get("ignore_errors")
    ]


def assert_back_in_service(fleet, desired):
    group = group_of(fleet.aws)
    assert group["DesiredCapacity"] == desired
    assert group["SuspendedProcesses"] == []
    assert {t["Key"] for t in group.get("Tags", [])} & {RAISE_TAG, SUSPEND_TAG} == set()
    lifecycle = {i["InstanceId"]: i["LifecycleState"] for i in group["Instances"]}
    for host, iid in fleet.hosts.items():
        assert lifecycle[iid] == "InService", host
        assert target_state(fleet.aws, fleet.arn, iid) == "healthy", host
        assert instance_tags(fleet.aws, iid) == {}, host
    # moto removed the instances it added (the originals are protected from scale-in).
    assert sorted(lifecycle) == sorted(fleet.hosts.values())


# --- the rolling maintenance -------------------------------------------------------------


def test_two_instances_raise_by_one_then_each_host_out_in_standby_and_back(aws_env, tmp_path):
    """min = desired = 2: prepare raises to 3 and waits for the new instance, every host is out
    of the target group and in standby during its work with the processes suspended and the
    desired capacity unchanged, and finish lowers to 2 and resumes everything."""
    fleet = build(aws_env, tmp_path, minimum=2, maximum=10, desired=2)
    run = play(fleet, tmp_path)
    assert run.rc == 0, failures(run) or run.stderr
    (raise_host, raised), = results(run, "Raise the desired capacity by one and wait until the new instance is in service")
    assert raise_host == "app-1" and raised["changed"] is True
    assert (raised["desired_before"], raised["desired_after"], raised["recorded"]) == (2, 3, 2)
    assert len(raised["in_service"]) == 3 and len(raised["added"]) == 1
    assert not set(raised["added"]) & set(fleet.hosts.values())

    seen = checkpoints(tmp_path)
    assert [c["host"] for c in seen] == ["app-1", "app-2"], "one checkpoint per host, in order"
    for point in seen:
        assert point["lifecycle"] == "Standby", point
        assert point["target"] == "unused", point
        assert point["suspended"] == MAINTENANCE, point
        assert point["desired"] == 3, "standby without decrement, the raise kept"
        assert point["instance_id"] not in point["in_service"]
        assert len(point["in_service"]) >= 2, "at least 2 in service while a host is out"
        assert point["group_tags"] == {RAISE_TAG: "2", SUSPEND_TAG: ",".join(MAINTENANCE)}
        assert set(point["instance_tags"]) == {"fleet-maintenance:drained"}

    # elb_target waits through the deregistration delay, plus a minute (moto never drains).
    timeouts = {r["invocation"]["module_args"]["target_status_timeout"]
                for _h, r in results(run, "Deregister the target and wait through the deregistration delay")}
    assert timeouts == {DELAY + 60}
    drained = [r["ansible_facts"]["lb_member_drained"] for _h, r in results(run, "Keep what the drain found")]
    assert [d["deregistration_delay"] for d in drained] == [DELAY, DELAY]
    assert [d["target_before"] for d in drained] == ["healthy", "healthy"]
    enabled = [r["ansible_facts"]["lb_member_enabled"] for _h, r in results(run, "Keep what the load balancer said")]
    assert [(e["lifecycle_before"], e["target_after"], e["desired_capacity"]) for e in enabled] == [
        ("Standby", "healthy", 3), ("Standby", "healthy", 3)
    ]
    (_h, finished), = results(run, "Keep what finish did")
    assert finished["ansible_facts"]["lb_member_finished"]["resumed"] == MAINTENANCE
    assert (finished["ansible_facts"]["lb_member_finished"]["desired_before"],
            finished["ansible_facts"]["lb_member_finished"]["desired_after"]) == (3, 2)
    assert_back_in_service(fleet, desired=2)


def test_three_instances_need_no_raise(aws_env, tmp_path):
    fleet = build(aws_env, tmp_path, minimum=2, maximum=10, desired=3)
    run = play(fleet, tmp_path)
    assert run.rc == 0, failures(run) or run.stderr
    (_h, raised), = results(run, "Raise the desired capacity by one and wait until the new instance is in service")
    assert raised.get("skipped") is True
    seen = checkpoints(tmp_path)
    assert [c["host"] for c in seen] == ["app-1", "app-2", "app-3"]
    assert {(c["lifecycle"], c["target"], c["desired"]) for c in seen} == {("Standby", "unused", 3)}
    assert all(c["suspended"] == MAINTENANCE and len(c["in_service"]) >= 2 for c in seen)
    assert all(c["group_tags"] == {SUSPEND_TAG: ",".join(MAINTENANCE)} for c in seen)
    assert_back_in_service(fleet, desired=3)


def test_a_failing_host_stays_out_and_the_processes_are_resumed_all_the_same(aws_env, tmp_path):
    fleet = build(aws_env, tmp_path, minimum=2, maximum=10, desired=2)
    aws = fleet.aws
    # Suspended by someone else before the run: it must stay suspended.
    aws["autoscaling"].suspend_processes(AutoScalingGroupName=GROUP, ScalingProcesses=["AddToLoadBalancer"])
    run = play(fleet, tmp_path, extra={"lb_member_test_fail_host": "app-1"})
    assert run.rc != 0
    assert ("app-1", "stopped at app-1: the maintenance of app-1 failed (test)") in failures(run)
    assert [c["host"] for c in checkpoints(tmp_path)] == ["app-1"], "the hosts after it are not touched"

    group = group_of(aws)
    assert sorted(p["ProcessName"] for p in group["SuspendedProcesses"]) == ["AddToLoadBalancer"]
    assert group["DesiredCapacity"] == 2, "finish lowered the raise"
    assert {t["Key"] for t in group.get("Tags", [])} & {RAISE_TAG, SUSPEND_TAG} == set()
    lifecycle = {i["InstanceId"]: i["LifecycleState"] for i in group["Instances"]}
    failed, untouched = fleet.hosts["app-1"], fleet.hosts["app-2"]
    # As maint left it: deregistered and in standby. Read before finish, whose capacity change
    # makes moto register every instance of the group again, standby ones too (measured with
    # moto 5; AWS keeps a standby instance out of the group's target groups).
    (after_maint,) = checkpoints(tmp_path, "checkpoints.jsonl.maint")
    assert (after_maint["lifecycle"], after_maint["target"]) == ("Standby", "unused")
    assert lifecycle[failed] == "Standby"
    assert set(instance_tags(aws, failed)) == {"fleet-maintenance:failed"}
    assert (lifecycle[untouched], target_state(aws, fleet.arn, untouched)) == ("InService", "healthy")
    assert instance_tags(aws, untouched) == {}
    (_h, kept), = results(run, "Keep which host stays out")
    assert kept["ansible_facts"]["lb_member_maint"]["instance_id"] == failed


def test_check_mode_drains_nothing(aws_env, tmp_path):
    fleet = build(aws_env, tmp_path, minimum=2, maximum=10, desired=2)
    run = play(fleet, tmp_path, "lb_member_elbv2.yml", None, "--check")
    assert run.rc == 0, failures(run) or run.stderr
    seen = checkpoints(tmp_path)
    assert [c["host"] for c in seen] == ["app-1", "app-2"]
    assert {(c["lifecycle"], c["target"], c["desired"]) for c in seen} == {("InService", "healthy", 2)}
    assert all(c["suspended"] == [] and c["group_tags"] == {} and c["instance_tags"] == {} for c in seen)
    (_h, raised), = results(run, "Raise the desired capacity by one and wait until the new instance is in service")
    assert (raised["changed"], raised["desired_after"], raised["waited"]) == (True, 3, 0), "the plan says it would raise"
    assert_back_in_service(fleet, desired=2)
    assert len(group_of(fleet.aws)["Instances"]) == 2


def test_a_desired_capacity_above_the_maximum_is_refused_before_any_change(aws_env, tmp_path):
    """A full group (10 of 10) with lb_member_elbv2_keep_in_service 10: prepare would raise to 11,
    which moto would accept; the module refuses naming the option, and nothing is drained."""
    fleet = build(aws_env, tmp_path, minimum=2, maximum=10, desired=10)
    run = play(fleet, tmp_path, extra={"lb_member_elbv2_keep_in_service": 10})
    assert run.rc != 0
    (_h, raised), = results(run, "Raise the desired capacity by one and wait until the new instance is in service")
    assert raised["msg"] == (
        "desired_capacity 11 is outside the limits of Auto Scaling group 'e1-app': minimum size 2, maximum size 10;"
        " nothing was changed"
    )
    assert checkpoints(tmp_path) == []
    group = group_of(fleet.aws)
    assert group["DesiredCapacity"] == 10 and group["SuspendedProcesses"] == [] and group.get("Tags", []) == []
    assert {i["LifecycleState"] for i in group["Instances"]} == {"InService"}


def test_a_full_group_steps_below_its_maximum_for_the_return_from_standby(aws_env, tmp_path):
    """min 2, max = desired = 3: ExitStandby would take the desired capacity to 4, above the
    maximum (AWS refuses; moto does not), so enable lowers it to 2 first and ExitStandby brings it
    back to 3."""
    fleet = build(aws_env, tmp_path, minimum=2, maximum=3, desired=3)
    run = play(fleet, tmp_path)
    assert run.rc == 0, failures(run) or run.stderr
    made_room = results(run, "Make room below the group's maximum size for the return from standby")
    assert [(h, r["desired_before"], r["desired_after"]) for h, r in made_room] == [
        ("app-1", 3, 2), ("app-2", 3, 2), ("app-3", 3, 2)
    ]
    assert {c["desired"] for c in checkpoints(tmp_path)} == {3}
    assert_back_in_service(fleet, desired=3)


# --- the controller-side entry points ----------------------------------------------------


def test_restore_puts_back_what_an_interrupted_run_left_drained_and_finish_undoes_its_prepare(aws_env, tmp_path):
    """An interrupted run (Ctrl-C, no always:) leaves app-1 in standby, the capacity raised and
    the processes suspended; a failed host from an earlier run stays out. The next run's restore
    and finish, on the controller, undo exactly that."""
    fleet = build(aws_env, tmp_path, minimum=2, maximum=10, desired=3)
    aws = fleet.aws
    asg, ec2 = aws["autoscaling"], aws["ec2"]
    interrupted, failed, healthy = fleet.hosts["app-1"], fleet.hosts["app-2"], fleet.hosts["app-3"]
    asg.create_or_update_tags(Tags=[
        dict(ResourceId=GROUP, ResourceType="auto-scaling-group", Key=RAISE_TAG, Value="2", PropagateAtLaunch=False),
        dict(ResourceId=GROUP, ResourceType="auto-scaling-group", Key=SUSPEND_TAG, Value="HealthCheck,Launch",
             PropagateAtLaunch=False),
    ])
    asg.suspend_processes(AutoScalingGroupName=GROUP, ScalingProcesses=["HealthCheck", "Launch", "AddToLoadBalancer"])
    for iid, mark in ((interrupted, "drained"), (failed, "failed")):
        ec2.create_tags(Resources=[iid], Tags=[{"Key": f"fleet-maintenance:{mark}", "Value": "2026-01-03T19:05:00Z"}])
        aws["elbv2"].deregister_targets(TargetGroupArn=fleet.arn, Targets=[{"Id": iid}])
        asg.enter_standby(AutoScalingGroupName=GROUP, InstanceIds=[iid], ShouldDecrementDesiredCapacity=False)
    # moto re-registered the standby instances and launched replacements (see the docstring).
    aws["elbv2"].deregister_targets(TargetGroupArn=fleet.arn, Targets=[{"Id": interrupted}, {"Id": failed}])

    restored = play(fleet, tmp_path, "lb_member_elbv2_controller.yml", {"lb_member_test_entry": "restore"})
    assert restored.rc == 0, failures(restored) or restored.stderr
    (_h, fact), = results(restored, "Keep which instances were put back")
    assert fact["ansible_facts"]["lb_member_restored"] == [interrupted]
    lifecycle = {i["InstanceId"]: i["LifecycleState"] for i in group_of(aws)["Instances"]}
    assert (lifecycle[interrupted], target_state(aws, fleet.arn, interrupted)) == ("InService", "healthy")
    assert instance_tags(aws, interrupted) == {}
    assert lifecycle[failed] == "Standby" and set(instance_tags(aws, failed)) == {"fleet-maintenance:failed"}
    assert group_of(aws)["DesiredCapacity"] == 3

    finished = play(fleet, tmp_path, "lb_member_elbv2_controller.yml", {"lb_member_test_entry": "finish"})
    assert finished.rc == 0, failures(finished) or finished.stderr
    group = group_of(aws)
    assert sorted(p["ProcessName"] for p in group["SuspendedProcesses"]) == ["AddToLoadBalancer"]
    assert group["DesiredCapacity"] == 2 and group.get("Tags", []) == []
    assert lifecycle[healthy] == "InService"


def test_capacity_reports_the_instances_in_service(aws_env, tmp_path):
    fleet = build(aws_env, tmp_path, minimum=2, maximum=10, desired=3)
    out = fleet.hosts["app-3"]
    fleet.aws["elbv2"].deregister_targets(TargetGroupArn=fleet.arn, Targets=[{"Id": out}])
    run = play(fleet, tmp_path, "lb_member_elbv2_controller.yml", {"lb_member_test_entry": "capacity"})
    assert run.rc == 0, failures(run) or run.stderr
    (_h, kept), = results(run, "Keep how many members are in service")
    capacity = kept["ansible_facts"]["lb_member_capacity"]
    assert capacity["in_service"] == sorted([fleet.hosts["app-1"], fleet.hosts["app-2"]])
    assert capacity["members"][out]["targets"] == {fleet.arn: "unused"} and capacity["raised"] is False


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"lb_member_target_group_arn": "e1-app"}, "lb_member_target_group_arn 'e1-app' is not an ELBv2 target group ARN"),
        ({"lb_member_elbv2_keep_in_service": 1}, "lb_member_elbv2_keep_in_service 1 is under 2"),
        ({"lb_member_elbv2_suspend_processes": ["Launch", "Lunch"]}, "lb_member_elbv2_suspend_processes"),
    ],
)
def test_bad_input_is_refused_before_any_change(aws_env, tmp_path, bad, message):
    fleet = build(aws_env, tmp_path, minimum=2, maximum=10, desired=2)
    run = play(fleet, tmp_path, extra=bad)
    assert run.rc != 0
    assert any(message in (msg or "") for _h, msg in failures(run)), failures(run)
    assert checkpoints(tmp_path) == []
    assert_back_in_service(fleet, desired=2)


if __name__ == "__main__":
    if sys.argv[1:2] != ["checkpoint"] or len(sys.argv) != 9:
        sys.exit("usage: test_lb_member_elbv2.py checkpoint FILE HOST INSTANCE_ID GROUP TARGET_GROUP_ARN ENDPOINT REGION")
    checkpoint(*sys.argv[2:])
