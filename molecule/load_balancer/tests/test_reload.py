"""Reloads (what a configuration change does) refuse no connection and drop no request."""

from conftest import wait_until


def test_reloads_under_load_drop_nothing(lb, load):
    traffic = load(rate=25, seconds=10)
    for second in (2, 4, 6):
        wait_until(lambda second=second: traffic.elapsed() > second, 8, f"load running {second} s")
        lb.check_output("systemctl reload haproxy.service")
    report = traffic.result()
    assert report["failed"] == 0, report["failures"]
