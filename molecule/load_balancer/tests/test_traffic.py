"""What a client sees through the load balancer, and what HAProxy reports of its servers."""

from conftest import LB_ADDRESS, PUBLIC_NAME, SERVERS, SOCKET


def test_requests_through_the_load_balancer_reach_both_app_servers(load):
    report = load(rate=20, seconds=3).result()
    assert report["failed"] == 0, report["failures"]
    assert {name.split("-")[1] for name in report["by_backend"]} == set(SERVERS), report["by_backend"]


def test_every_server_passes_its_https_health_check(haproxy):
    stat = haproxy.stat()
    assert {name: (row["status"], row["check_status"]) for name, row in stat.items()} == {
        name: ("UP", "L7OK") for name in SERVERS
    }


def test_the_client_host_reaches_the_app_and_a_foreign_host_is_refused_by_the_app_servers(client):
    page = client.check_output(f"curl -fsS --max-time 5 -H 'Host: {PUBLIC_NAME}' http://{LB_ADDRESS}/")
    assert page.startswith("fleet demo app 1.0 on lb-app")
    foreign = client.check_output(
        f"curl -sS --max-time 5 -o /dev/null -w '%{{http_code}}' -H 'Host: intranet.example.test' http://{LB_ADDRESS}/"
    )
    assert foreign == "421"


def test_the_runtime_api_socket_is_group_only_at_admin_level(lb, haproxy):
    socket = lb.file(SOCKET)
    # Made by the master process, as root: root and the haproxy group may use it, nobody else.
    assert (socket.is_socket, socket.mode, socket.user, socket.group) == (True, 0o660, "root", "haproxy")
    assert haproxy.api("show cli level").strip() == "admin"


def test_the_statistics_page_answers_on_the_loopback_only(lb, client):
    assert "Statistics Report" in lb.check_output("curl -fsS --max-time 5 http://127.0.0.1:8404/")
    outside = client.run(f"curl -sS --max-time 5 http://{LB_ADDRESS}:8404/")
    assert outside.rc == 7, outside.stderr
