"""plugins/fleet_checks/aws_autoscaling.py"""

import pytest

from plugins.fleet_checks import aws_autoscaling

GOOD = {
    "aws_autoscaling_group_name": "e1-dashboard-production",
    "aws_autoscaling_load_balancer_name": "e1-dashboard-production",
    "aws_autoscaling_name_prefix": "e1-dashboard-production",
    "aws_autoscaling_min_size": 2,
    "aws_autoscaling_max_size": 10,
    "aws_autoscaling_desired_capacity": None,
    "aws_autoscaling_scale_out_cpu_percent": 70,
    "aws_autoscaling_scale_out_cpu_minutes": 5,
    "aws_autoscaling_scale_out_connections": 1000,
    "aws_autoscaling_scale_out_connections_minutes": 5,
    "aws_autoscaling_scale_in_cpu_percent": 30,
    "aws_autoscaling_scale_in_connections": 200,
    "aws_autoscaling_scale_in_minutes": 15,
    "aws_autoscaling_scale_out_step": 1,
    "aws_autoscaling_scale_in_step": 1,
    "aws_autoscaling_scale_out_cooldown": 300,
    "aws_autoscaling_scale_in_cooldown": 900,
    "aws_autoscaling_composite_alarms": True,
    "aws_autoscaling_tags": {"project": "e1-web-dashboard", "managed_by": "ansible", "environment": "production"},
}


def test_the_sop_defaults_are_accepted():
    assert aws_autoscaling.problems(GOOD) == []


@pytest.mark.parametrize("change", [
    {"aws_autoscaling_desired_capacity": 10},
    {"aws_autoscaling_desired_capacity": "2"},  # -e gives strings
    {"aws_autoscaling_min_size": "3", "aws_autoscaling_max_size": "3"},
    {"aws_autoscaling_scale_out_cooldown": 0},
    {"aws_autoscaling_composite_alarms": "false"},
    {"aws_autoscaling_scale_in_minutes": 30, "aws_autoscaling_scale_out_connections_minutes": 1},
])
def test_other_sound_values_are_accepted(change):
    assert aws_autoscaling.problems({**GOOD, **change}) == []


@pytest.mark.parametrize("change, problem", [
    ({"aws_autoscaling_group_name": " "}, "aws_autoscaling_group_name is empty"),
    ({"aws_autoscaling_group_name": "g" * 256}, "aws_autoscaling_group_name has 256 characters"),
    ({"aws_autoscaling_load_balancer_name": ""}, "aws_autoscaling_load_balancer_name is empty"),
    ({"aws_autoscaling_load_balancer_name": "internal-e1"}, "aws_autoscaling_load_balancer_name 'internal-e1' is no load balancer name"),
    ({"aws_autoscaling_load_balancer_name": "e1_lb"}, "aws_autoscaling_load_balancer_name 'e1_lb' is no load balancer name"),
    ({"aws_autoscaling_name_prefix": ""}, "aws_autoscaling_name_prefix is empty"),
    ({"aws_autoscaling_name_prefix": "p" * 240}, "aws_autoscaling_name_prefix has 240 characters"),
    ({"aws_autoscaling_min_size": 1}, "aws_autoscaling_min_size 1 is below 2: the SOP keeps at least two app servers"),
    ({"aws_autoscaling_max_size": 3, "aws_autoscaling_min_size": 4}, "aws_autoscaling_max_size 3 is below aws_autoscaling_min_size 4"),
    ({"aws_autoscaling_desired_capacity": 11},
     "aws_autoscaling_desired_capacity 11 is outside aws_autoscaling_min_size 2 .. aws_autoscaling_max_size 10"),
    ({"aws_autoscaling_desired_capacity": "two"}, "aws_autoscaling_desired_capacity 'two' is not a whole number"),
    ({"aws_autoscaling_max_size": "ten"}, "aws_autoscaling_max_size 'ten' is not a whole number"),
    ({"aws_autoscaling_scale_out_cpu_percent": 100}, "aws_autoscaling_scale_out_cpu_percent 100 must be a percentage from 1 to 99"),
    ({"aws_autoscaling_scale_in_cpu_percent": 0}, "aws_autoscaling_scale_in_cpu_percent 0 must be a percentage"),
    ({"aws_autoscaling_scale_in_cpu_percent": 70},
     "aws_autoscaling_scale_in_cpu_percent 70 must be below aws_autoscaling_scale_out_cpu_percent 70"),
    ({"aws_autoscaling_scale_in_connections": 1000},
     "aws_autoscaling_scale_in_connections 1000 must be below aws_autoscaling_scale_out_connections 1000"),
    ({"aws_autoscaling_scale_in_connections": 0}, "aws_autoscaling_scale_in_connections 0 must be 1 or more"),
    ({"aws_autoscaling_scale_out_cpu_minutes": 3}, "aws_autoscaling_scale_out_cpu_minutes 3 must be a multiple of 5"),
    ({"aws_autoscaling_scale_in_minutes": 1445}, "aws_autoscaling_scale_in_minutes 1445 must be a multiple of 5 from 5 to 1440"),
    ({"aws_autoscaling_scale_out_connections_minutes": 0}, "aws_autoscaling_scale_out_connections_minutes 0 must be 1 to 1440"),
    ({"aws_autoscaling_scale_in_step": 0}, "aws_autoscaling_scale_in_step 0 must be 1 or more"),
    ({"aws_autoscaling_scale_in_cooldown": -1}, "aws_autoscaling_scale_in_cooldown -1 must be 0 to 86400 seconds"),
    ({"aws_autoscaling_tags": {"aws:owner": "x"}}, "aws_autoscaling_tags: key 'aws:owner'"),
    ({"aws_autoscaling_tags": ["project"]}, "aws_autoscaling_tags must be a dictionary"),
    ({"aws_autoscaling_composite_alarms": "maybe"}, "aws_autoscaling_composite_alarms 'maybe' is not a boolean"),
])
def test_bad_input_is_named(change, problem):
    found = aws_autoscaling.problems({**GOOD, **change})
    assert len(found) == 1 and problem in found[0], found


def test_every_problem_is_named_at_once():
    found = aws_autoscaling.problems({**GOOD, "aws_autoscaling_min_size": 1, "aws_autoscaling_max_size": 0,
                                      "aws_autoscaling_desired_capacity": 11})
    assert [problem.split(" ")[0] for problem in found] == [
        "aws_autoscaling_min_size", "aws_autoscaling_max_size", "aws_autoscaling_desired_capacity"]
