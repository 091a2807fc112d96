"""plugins/fleet_checks/memory_metrics.py"""

import pytest

from plugins.fleet_checks import memory_metrics

GOOD = {
    "memory_metrics_enabled": True,
    "memory_metrics_instance_id": "i-0123456789abcdef0",
    "memory_metrics_auto_scaling_group": "e1-dashboard-production-app",
    "memory_metrics_region": "ap-southeast-3",
    "memory_metrics_endpoint_url": "",
    "memory_metrics_interval": 60,
    "memory_metrics_environment": {},
}


def test_good_input_is_accepted():
    assert memory_metrics.problems(GOOD) == []


@pytest.mark.parametrize(
    "change",
    [
        {"memory_metrics_instance_id": "i-0123abcd"},
        {"memory_metrics_auto_scaling_group": ""},
        {"memory_metrics_endpoint_url": "http://172.29.100.1:5086"},
        {"memory_metrics_endpoint_url": "https://monitoring.ap-southeast-3.amazonaws.com/"},
        {"memory_metrics_interval": 300},
        {"memory_metrics_interval": "120"},
        {"memory_metrics_region": "us-gov-west-1"},
        {"memory_metrics_environment": {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "a/b+c$d\"e"}},
    ],
)
def test_other_good_values_are_accepted(change):
    assert memory_metrics.problems({**GOOD, **change}) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"memory_metrics_instance_id": ""}, "memory_metrics_instance_id '' is not an EC2 instance id"),
        ({"memory_metrics_instance_id": "i-0123456789ABCDEF0"}, "memory_metrics_instance_id 'i-0123456789ABCDEF0'"),
        ({"memory_metrics_instance_id": "i-0123456789abcde"}, "i- and 8 or 17 hexadecimal digits"),
        ({"memory_metrics_auto_scaling_group": "a" * 256}, "memory_metrics_auto_scaling_group is 256 characters long"),
        ({"memory_metrics_auto_scaling_group": "app\nx"}, "memory_metrics_auto_scaling_group 'app\\nx' holds a control"),
        ({"memory_metrics_region": ""}, "memory_metrics_region '' is not an AWS region"),
        ({"memory_metrics_region": "Asia Pacific (Jakarta)"}, "memory_metrics_region 'Asia Pacific (Jakarta)'"),
        ({"memory_metrics_endpoint_url": "ftp://moto:5000"}, "memory_metrics_endpoint_url 'ftp://moto:5000' is not an http(s)"),
        ({"memory_metrics_endpoint_url": "172.29.100.1:5086"}, "memory_metrics_endpoint_url '172.29.100.1:5086'"),
        ({"memory_metrics_endpoint_url": "https://x.test/?a=1"}, "must not carry a query"),
        ({"memory_metrics_interval": 30}, "memory_metrics_interval 30 must be 60 to 300 seconds"),
        ({"memory_metrics_interval": 600}, "memory_metrics_interval 600 must be 60 to 300 seconds"),
        ({"memory_metrics_environment": ["AWS_ACCESS_KEY_ID=x"]}, "memory_metrics_environment must be a mapping"),
        ({"memory_metrics_environment": {"AWS KEY": "x"}}, "memory_metrics_environment: 'AWS KEY' is not an environment"),
        ({"memory_metrics_environment": {"1A": "x"}}, "'1A' is not an environment variable name"),
        ({"memory_metrics_environment": {"A": ["x"]}}, "memory_metrics_environment.A must be a string"),
        ({"memory_metrics_environment": {"A": "x\ny"}}, "memory_metrics_environment.A holds a line break"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = memory_metrics.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_no_message_shows_an_environment_value():
    secret = "wJalrXUtnFEMI/K7MDENG\nsecret"
    found = memory_metrics.problems({**GOOD, "memory_metrics_environment": {"AWS_SECRET_ACCESS_KEY": secret}})
    assert found and not any("wJalr" in message for message in found), found


@pytest.mark.parametrize("enabled", [False, "false", "no"])
def test_turned_off_nothing_else_is_checked(enabled):
    """A host that never had AWS facts (no instance id, no region) can still have it removed."""
    bad = {**GOOD, "memory_metrics_instance_id": "", "memory_metrics_region": "", "memory_metrics_interval": 1}
    assert memory_metrics.problems({**bad, "memory_metrics_enabled": enabled}) == []


def test_every_problem_is_reported_at_once():
    found = memory_metrics.problems({**GOOD, "memory_metrics_instance_id": "x", "memory_metrics_region": "x",
                                     "memory_metrics_interval": 59})
    assert [m.split()[0] for m in found] == ["memory_metrics_instance_id", "memory_metrics_region", "memory_metrics_interval"]
