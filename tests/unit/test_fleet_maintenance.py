"""plugins/filter/fleet_maintenance.py: figures against thresholds, phase durations."""

import pytest
from ansible.errors import AnsibleFilterError

from plugins.filter.fleet_maintenance import fleet_breaches, fleet_out_of_service, fleet_phase_durations, fleet_preflight_verdict

LIMITS = [
    {"metric": "cpu_percent", "limit": 70, "unit": " %", "variable": "maintenance_preflight_cpu_percent"},
    {"metric": "p95_seconds", "limit": "3", "unit": " s", "variable": "maintenance_preflight_p95_seconds"},
]


def test_a_breach_names_host_metric_value_threshold_and_variable():
    assert fleet_breaches({"cpu_percent": 85.2, "p95_seconds": 0.2}, LIMITS, "app2") == [
        "app2: cpu_percent is 85.2 %, above the threshold of 70 % (maintenance_preflight_cpu_percent)"
    ]


def test_at_the_threshold_is_no_breach_and_unmeasured_figures_are_left_out():
    assert fleet_breaches({"cpu_percent": 70, "p95_seconds": None}, LIMITS, "app1") == []


def test_every_breach_is_listed():
    assert len(fleet_breaches({"cpu_percent": 99, "p95_seconds": 4.5}, LIMITS, "lb")) == 2


def test_a_figure_per_item_names_each_item_above_the_limit():
    figures = {"cpu_percent": {"i-0b": 92.5, "i-0a": 71, "i-0c": 20.0, "i-0d": None}}
    assert fleet_breaches(figures, LIMITS, "CloudWatch") == [
        "CloudWatch, i-0a: cpu_percent is 71 %, above the threshold of 70 % (maintenance_preflight_cpu_percent)",
        "CloudWatch, i-0b: cpu_percent is 92.5 %, above the threshold of 70 % (maintenance_preflight_cpu_percent)",
    ]


def test_bad_arguments_are_refused():
    with pytest.raises(AnsibleFilterError):
        fleet_breaches([], LIMITS, "x")


def test_phase_durations_end_where_the_next_phase_starts():
    marks = [["drain", 100.0], ["upgrade", 103.5], ["health", 140.25], ["done", 141.0]]
    assert fleet_phase_durations(marks) == {"drain": 3.5, "upgrade": 36.8, "health": 0.8}
    assert fleet_phase_durations([]) == {}
    with pytest.raises(AnsibleFilterError):
        fleet_phase_durations([["drain"]])


def test_the_verdict_lists_every_hosts_breaches_and_the_hosts_not_measured():
    verdict = fleet_preflight_verdict({"app1": [], "app2": ["app2: cpu_percent is 85 %"], "db1": None})
    assert verdict == ["app2: cpu_percent is 85 %", "db1: not measured (its pre-flight failed or it was unreachable)"]


def test_a_clean_verdict_is_empty():
    assert fleet_preflight_verdict({"app1": [], "localhost": []}) == []


def test_out_of_service_names_each_member_the_load_balancer_does_not_count():
    capacity = {"in_service": ["app1"], "in_transition": ["app2"],
                "members": {"app1": {"status": "UP", "check_status": "L7OK"},
                            "app2": {"status": "DOWN 1/2", "check_status": "L7OK"},
                            "app3": {"status": "DOWN", "check_status": "L4CON"}}}
    assert fleet_out_of_service(capacity) == ["app2 DOWN 1/2 (check L7OK; its health checks had not settled)",
                                              "app3 DOWN (check L4CON)"]


def test_out_of_service_says_nothing_of_an_elbv2_reading():
    assert fleet_out_of_service({"in_service": ["i-1"], "members": [{"instance_id": "i-2"}]}) == []
