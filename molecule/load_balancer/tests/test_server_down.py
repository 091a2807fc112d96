"""A server whose nginx stops: the health check takes it out, and no request fails meanwhile."""

from conftest import wait_until


def test_a_server_whose_nginx_stops_is_taken_out_and_no_request_fails(haproxy, apps, load):
    traffic = load(rate=25, seconds=12)
    wait_until(lambda: traffic.elapsed() > 2, 5, "load running")
    apps["app2"].check_output("systemctl stop nginx.service")
    stopped = traffic.elapsed()
    wait_until(lambda: haproxy.status("app2").startswith("DOWN"), 10, "app2 taken out by its health check")
    out_after = traffic.elapsed() - stopped
    report = traffic.result()
    print(f"app2 marked DOWN {out_after:.1f} s after nginx stopped")
    assert report["failed"] == 0, report["failures"]
    assert haproxy.status("app1") == "UP"
    late = [r for r in report["requests"] if r[0] > stopped + out_after + 1 and r[1] and "app2" in r[1]]
    assert late == [], late[:5]


def test_a_server_whose_nginx_comes_back_is_put_back_by_its_health_check(haproxy, apps):
    apps["app2"].check_output("systemctl stop nginx.service")
    wait_until(lambda: haproxy.status("app2").startswith("DOWN"), 10, "app2 taken out")
    apps["app2"].check_output("systemctl start nginx.service")
    wait_until(lambda: haproxy.status("app2") == "UP", 10, "app2 put back by rise 2")
