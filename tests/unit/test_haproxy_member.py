"""roles/lb_member/files/haproxy_member.py: the capacity reading waits out members whose health
checks are in transition, and no longer than asked. `show stat` is replaced by a scripted
sequence of readings; the drain and return paths run against a real HAProxy in the
load_balancer and maintenance scenarios."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "roles" / "lb_member" / "files" / "haproxy_member.py"


@pytest.fixture()
def helper(monkeypatch):
    spec = importlib.util.spec_from_file_location("haproxy_member", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module.time, "sleep", lambda seconds: None)
    return module


def row(name, status):
    return {"pxname": "app", "svname": name, "status": status, "scur": "0", "qcur": "0", "check_status": "L7OK",
            "lastchg": "1", "hrsp_2xx": "5", "hrsp_5xx": "0"}


def script_readings(monkeypatch, helper, readings):
    """`show stat` answers READINGS in turn (the last one from then on); returns the call count."""
    calls = []

    def rows(path, backend):
        calls.append(backend)
        statuses = readings[min(len(calls), len(readings)) - 1]
        return {**{name: row(name, status) for name, status in statuses.items()}, "BACKEND": row("BACKEND", "UP")}

    monkeypatch.setattr(helper, "rows", rows)
    return calls


def test_a_member_coming_up_is_waited_for(monkeypatch, helper):
    calls = script_readings(monkeypatch, helper, [{"app1": "UP", "app2": "DOWN 1/2"}, {"app1": "UP", "app2": "UP"}])
    found = helper.capacity("/run/haproxy/admin.sock", "app", 10)
    assert found["up"] == ["app1", "app2"] and found["in_transition"] == [] and len(calls) == 2


def test_a_member_down_for_good_is_not_waited_for(monkeypatch, helper):
    calls = script_readings(monkeypatch, helper, [{"app1": "UP", "app2": "DOWN"}])
    found = helper.capacity("/run/haproxy/admin.sock", "app", 10)
    assert found["up"] == ["app1"] and found["in_transition"] == [] and len(calls) == 1


def test_the_wait_ends_at_settle_and_names_the_member_still_in_transition(monkeypatch, helper):
    clock = iter(range(100))
    monkeypatch.setattr(helper.time, "monotonic", lambda: next(clock))
    script_readings(monkeypatch, helper, [{"app1": "UP 2/3", "app2": "UP"}])
    found = helper.capacity("/run/haproxy/admin.sock", "app", 3)
    assert found["in_transition"] == ["app1"] and found["up"] == ["app1", "app2"] and found["waited"] >= 3


def test_zero_settle_reads_once(monkeypatch, helper):
    calls = script_readings(monkeypatch, helper, [{"app1": "DOWN 1/2"}, {"app1": "UP"}])
    found = helper.capacity("/run/haproxy/admin.sock", "app", 0)
    assert found["up"] == [] and found["in_transition"] == ["app1"] and len(calls) == 1
