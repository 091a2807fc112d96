"""The pre-flight on AWS, inside a whole runbook run: CloudWatch's figures of the load balancer,
the Auto Scaling group's instances and the RDS instance, read from the local endpoint, held
against the SOP's thresholds, and a breach that stops the run before any change.

The local endpoint is moto_server with percentile statistics added (scripts/moto_server.py):
moto 5.2.5 fails GetMetricData for p95. The load balancer, the group and the metrics are made
here with boto3; the group's instances are moto's own, so the hosts the runbook would patch stay
the scenario's containers, behind HAProxy, and none of them is touched.
"""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from conftest import REGION, aws, run_runbook

CPU = [22.0, 31.0, 88.5]


@pytest.fixture(scope="module")
def cloud():
    """A load balancer with a target group and a group of three instances, and 10 minutes of their figures."""
    ec2, elbv2, autoscaling, cloudwatch = (aws(s) for s in ("ec2", "elbv2", "autoscaling", "cloudwatch"))
    suffix = uuid.uuid4().hex[:6]
    vpc = ec2.create_vpc(CidrBlock="10.80.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.80.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
               for n, zone in ((1, "a"), (2, "b"))]
    balancer = elbv2.create_load_balancer(Name=f"mnt-alb-{suffix}", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    group = elbv2.create_target_group(Name=f"mnt-app-{suffix}", Protocol="HTTPS", Port=443, VpcId=vpc)["TargetGroups"][0]
    ec2.create_launch_template(LaunchTemplateName=f"mnt-app-{suffix}",
                               LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.small"})
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=f"mnt-asg-{suffix}", LaunchTemplate={"LaunchTemplateName": f"mnt-app-{suffix}"},
        MinSize=2, MaxSize=10, DesiredCapacity=3, VPCZoneIdentifier=",".join(subnets),
        TargetGroupARNs=[group["TargetGroupArn"]])
    instances = sorted(i["InstanceId"] for i in autoscaling.describe_auto_scaling_groups(
        AutoScalingGroupNames=[f"mnt-asg-{suffix}"])["AutoScalingGroups"][0]["Instances"])
    dimension = balancer.split(":loadbalancer/", 1)[1]
    at = datetime.now(timezone.utc) - timedelta(minutes=2)

    def put(namespace, name, dimensions, values):
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=[
            {"MetricName": name, "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()], "Value": value,
             "Timestamp": at} for value in values])

    for instance, percent in zip(instances, CPU):
        put("AWS/EC2", "CPUUtilization", {"InstanceId": instance}, [percent])
    put("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": dimension}, [2000])
    put("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": dimension}, [4])
    put("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": dimension}, [0])
    # 100 answers of 0.01 .. 1.00 s: the nearest-rank p95 is 0.95 s.
    for first in range(0, 100, 20):
        put("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": dimension}, [(first + n) / 100 for n in range(1, 21)])
    put("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "mnt-dashboard"}, [17])
    return {"load_balancer": balancer, "group": f"mnt-asg-{suffix}", "instances": instances}


@pytest.fixture(scope="module")
def breach_run(cloud):
    return run_runbook("-e", "maintenance_preflight_cloudwatch=true",
                       "-e", f"maintenance_preflight_aws_load_balancer={cloud['load_balancer']}",
                       "-e", f"maintenance_preflight_aws_asg_name={cloud['group']}", reason="fault: cloudwatch cpu breach")


def test_the_busy_instance_stops_the_run_named_with_its_figure_and_threshold(cloud, breach_run):
    rc, output, report = breach_run
    assert rc != 0
    assert report["status"] == "failed"
    busy = cloud["instances"][2]
    assert (f"CloudWatch, {busy}: asg_cpu_percent is 88.5 %, above the threshold of 70 %"
            " (maintenance_preflight_cpu_percent)") in report["failure"]
    assert not any(instance in report["failure"] for instance in cloud["instances"][:2])


def test_the_load_balancers_and_the_databases_figures_are_in_the_report(breach_run):
    figures = breach_run[2]["preflight"]["localhost"]
    assert figures["elb_requests"] == 2000
    assert figures["elb_p95_seconds"] == 0.95
    assert figures["elb_error_percent"] == 0.2
    assert figures["rds_connections"] == 17
    assert figures["rds_max_connections"] > 0
    assert figures["asg_memory"].startswith("not measured")


def test_nothing_was_changed(breach_run, haproxy):
    assert breach_run[2]["hosts"] and all(h["status"] == "not started" for h in breach_run[2]["hosts"].values())
    assert set(haproxy.statuses().values()) == {"UP"}
