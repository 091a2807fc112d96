"""Drain and ready through the runtime API (socat on the socket), as the runbook does it."""

from conftest import wait_until


def test_a_drain_under_load_drops_nothing_and_empties_the_server(haproxy, load):
    traffic = load(rate=25, seconds=20)
    wait_until(lambda: traffic.elapsed() > 3, 6, "load running")
    haproxy.set_state("app1", "drain")
    drained_at = traffic.elapsed()
    samples = []

    def empty():
        row = haproxy.stat()["app1"]
        samples.append((row["status"], int(row["scur"]), int(row["qcur"])))
        return row["status"] == "DRAIN" and row["scur"] == "0" and row["qcur"] == "0"

    wait_until(empty, 10, "app1 drained to 0 sessions and 0 queued")
    print(f"app1 after the drain (status, scur, qcur): {samples}")
    report = traffic.result()
    assert report["failed"] == 0, report["failures"]
    assert report["rate"] >= 20 and report["seconds"] >= 19.5, report["rate"]
    after = [r for r in report["requests"] if r[0] > drained_at + 1]
    assert after and all("app2" in r[1] for r in after), [r for r in after if "app2" not in r[1]][:5]


def test_ready_puts_a_drained_server_back_in_rotation(haproxy, load):
    haproxy.set_state("app1", "drain")
    wait_until(lambda: haproxy.status("app1") == "DRAIN", 5, "app1 drained")
    haproxy.set_state("app1", "ready")
    wait_until(lambda: haproxy.status("app1") == "UP", 5, "app1 ready again")
    report = load(rate=20, seconds=2).result()
    assert report["failed"] == 0 and any("app1" in name for name in report["by_backend"]), report["by_backend"]


def test_show_servers_state_reports_the_drain_in_the_admin_state(haproxy):
    haproxy.set_state("app2", "drain")
    state = haproxy.servers_state()
    # srv_admin_state is a bit field: 0x08 is a drain forced through the runtime API.
    assert int(state["app2"]["srv_admin_state"]) & 0x08 and not int(state["app1"]["srv_admin_state"]) & 0x08, state


def worker_pid(haproxy):
    """The Pid line of show info: the worker process answering the runtime API."""
    try:
        info = haproxy.api("show info")
    except AssertionError:
        return None
    return next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Pid:")), None)


def test_a_reload_keeps_a_drained_server_drained(lb, haproxy):
    haproxy.set_state("app2", "drain")
    before = worker_pid(haproxy)
    lb.check_output("systemctl reload haproxy.service")
    wait_until(lambda: worker_pid(haproxy) not in (None, before), 10, "a new worker answering after the reload")
    assert haproxy.status("app2") == "DRAIN"


def test_a_restart_begins_from_the_configuration_alone(lb, haproxy):
    haproxy.set_state("app2", "drain")
    lb.check_output("systemctl restart haproxy.service")
    wait_until(lambda: worker_pid(haproxy), 10, "runtime API back after the restart")
    wait_until(lambda: haproxy.status("app2") == "UP", 10, "app2 UP, not drained, after the restart")
