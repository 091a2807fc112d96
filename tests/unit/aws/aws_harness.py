"""Running this project's Auto Scaling modules in-process, against moto or a botocore Stubber
(the shared harness: tests/aws_module_harness.py), and the AWS objects their tests need (a VPC,
a launch template, a target group with a deregistration delay, an Auto Scaling group attached
to it).
"""

import boto3

from tests import aws_module_harness as harness
from tests.aws_module_harness import ROOT, ModuleExit, ModuleFail, fail_of, record_calls, run_module  # noqa: F401

REGION = "ap-southeast-3"
GROUP = "e1-app"


class RecordedCalls(harness.RecordedCalls):
    """Operation names (e.g. SetDesiredCapacity) sent through the clients the modules build."""

    WRITE_PREFIXES = ("Create", "Delete", "Set", "Suspend", "Resume", "Enter", "Exit", "Register", "Deregister", "Terminate",
                      "Put", "Tag", "Untag", "Modify", "Update")


def client(service):
    return boto3.client(service, region_name=REGION)


def make_group(minimum=2, maximum=10, desired=2, delay=5, name=GROUP, target_group=True):
    """A VPC with two subnets, a launch template, a target group with a deregistration delay of
    DELAY seconds and an Auto Scaling group attached to it; returns (group name, target group ARN)."""
    ec2, elbv2 = client("ec2"), client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.{0}.0/24".format(n), AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for n, zone in enumerate(zones)
    ]
    ec2.create_launch_template(
        LaunchTemplateName=name, LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"}
    )
    arn = elbv2.create_target_group(Name=name, Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    elbv2.modify_target_group_attributes(
        TargetGroupArn=arn, Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": str(delay)}]
    )
    client("autoscaling").create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=minimum,
        MaxSize=maximum,
        DesiredCapacity=desired,
        LaunchTemplate={"LaunchTemplateName": name},
        VPCZoneIdentifier=",".join(subnets),
        TargetGroupARNs=[arn] if target_group else [],
    )
    return name, arn


def group(name=GROUP):
    return client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def suspended(name=GROUP):
    return sorted(p["ProcessName"] for p in group(name)["SuspendedProcesses"])


def tags(name=GROUP):
    return {t["Key"]: t["Value"] for t in group(name).get("Tags", [])}
