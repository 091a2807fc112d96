"""plugins/fleet_checks/lb_member.py"""

import pytest
import yaml

from plugins.fleet_checks import lb_member

# --- elbv2 -------------------------------------------------------------------------------

ARN = "arn:aws:elasticloadbalancing:ap-southeast-3:123456789012:targetgroup/e1-app/2e14b22088450ff8"
ELBV2 = {
    "inventory_hostname": "app-1",
    "lb_member_kind": "elbv2",
    "lb_member_instance_id": "i-0123456789abcdef0",
    "lb_member_target_group_arn": ARN,
    "lb_member_asg_name": "e1-app-production",
    "lb_member_aws_region": "ap-southeast-3",
    "lb_member_aws_endpoint_url": "",
    "lb_member_elbv2_keep_in_service": 2,
    "lb_member_enable_timeout": 300,
    "lb_member_elbv2_capacity_timeout": 600,
}


def test_the_role_defaults_are_accepted_with_the_required_elbv2_values(role_path):
    with open(f"{role_path('lb_member')}/defaults/main.yml") as handle:
        defaults = yaml.safe_load(handle)
    given = {"lb_member_instance_id": "i-0123456789abcdef0", "lb_member_target_group_arn": ARN,
             "lb_member_asg_name": "e1-app", "lb_member_aws_region": ""}
    assert lb_member.problems({**defaults, "inventory_hostname": "app-1", "lb_member_kind": "elbv2", **given}) == []


def test_elbv2_accepted():
    assert lb_member.problems(ELBV2) == []


@pytest.mark.parametrize(
    "change",
    [
        {"lb_member_instance_id": "i-1234abcd"},
        {"lb_member_aws_region": ""},
        {"lb_member_aws_endpoint_url": "http://127.0.0.1:5000"},
        {"lb_member_target_group_arn": "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:targetgroup/a/0123456789abcdef",
         "lb_member_aws_region": "us-gov-west-1"},
        # The controller runs prepare, finish, capacity and restore: no instance of its own.
        {"inventory_hostname": "localhost", "lb_member_instance_id": ""},
    ],
)
def test_elbv2_variants_accepted(change):
    assert lb_member.problems({**ELBV2, **change}) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"lb_member_instance_id": ""}, "lb_member_instance_id is empty: with lb_member_kind elbv2 every app server"),
        ({"lb_member_instance_id": "i-xyz"}, "lb_member_instance_id 'i-xyz' is not an EC2 instance id"),
        ({"lb_member_instance_id": "app1"}, "lb_member_instance_id 'app1' is not an EC2 instance id"),
        ({"lb_member_target_group_arn": ""}, "lb_member_target_group_arn is empty"),
        ({"lb_member_target_group_arn": "arn:aws:elasticloadbalancing:ap-southeast-3:123456789012:loadbalancer/app/x/0123456789abcdef"},
         "is not an ELBv2 target group ARN"),
        ({"lb_member_target_group_arn": "e1-app"}, "lb_member_target_group_arn 'e1-app' is not an ELBv2 target group ARN"),
        ({"lb_member_aws_region": "ap-southeast-1"},
         "lb_member_target_group_arn is in region ap-southeast-3, but lb_member_aws_region is ap-southeast-1"),
        ({"lb_member_aws_region": "Jakarta"}, "lb_member_aws_region 'Jakarta' is not an AWS region name"),
        ({"lb_member_asg_name": ""}, "lb_member_asg_name is empty"),
        ({"lb_member_asg_name": "a" * 256}, "lb_member_asg_name has 256 characters"),
        ({"lb_member_aws_endpoint_url": "127.0.0.1:5000"}, "lb_member_aws_endpoint_url '127.0.0.1:5000' is not an http:// or https:// URL"),
        ({"lb_member_elbv2_keep_in_service": 1}, "lb_member_elbv2_keep_in_service 1 is under 2"),
        ({"lb_member_enable_timeout": 0}, "lb_member_enable_timeout 0 is not a positive number of seconds"),
        ({"lb_member_elbv2_capacity_timeout": -5}, "lb_member_elbv2_capacity_timeout -5 is not a positive number of seconds"),
    ],
)
def test_each_elbv2_problem_names_its_variable(change, expected):
    found = lb_member.problems({**ELBV2, **change})
    assert len(found) == 1 and expected in found[0], found


def test_the_elbv2_values_are_not_required_with_haproxy(monkeypatch):
    monkeypatch.setattr(lb_member, "haproxy_problems", lambda inputs: [])
    blank = {k: "" for k in ("lb_member_instance_id", "lb_member_target_group_arn", "lb_member_asg_name")}
    assert lb_member.problems({**ELBV2, **blank, "lb_member_kind": "haproxy"}) == []


# --- haproxy -----------------------------------------------------------------------------


def test_haproxy_capacity_settle_accepts_zero_and_seconds():
    for seconds in (0, 10, "30"):
        assert lb_member.problems({"lb_member_kind": "haproxy", "lb_member_capacity_settle": seconds}) == []


def test_haproxy_capacity_settle_refuses_negative_seconds():
    (problem,) = lb_member.problems({"lb_member_kind": "haproxy", "lb_member_capacity_settle": -1})
    assert problem.startswith("lb_member_capacity_settle -1 ")
