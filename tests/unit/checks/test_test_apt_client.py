"""plugins/fleet_checks/test_apt_client.py"""

import pytest

from plugins.fleet_checks import test_apt_client

GOOD = {
    "test_apt_client_repository_url": "http://172.30.77.40/",
    "test_apt_client_suites": ["fleet-security", "fleet-updates"],
    "test_apt_client_packages": ["fleet-demo-lib", "fleet-demo-tool", "fleet-demo-updates-only"],
    "test_apt_client_pin_priority": 100,
}


def test_defaults_are_accepted():
    assert test_apt_client.problems(GOOD) == []


@pytest.mark.parametrize("url", ["http://repo1/", "http://repo1.fleet.test:8080/apt/", "http://172.29.90.10/"])
def test_a_host_name_a_port_and_a_path_are_accepted(url):
    assert test_apt_client.problems({**GOOD, "test_apt_client_repository_url": url}) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"test_apt_client_repository_url": "https://172.30.77.40/"}, "is not an http:// URL"),
        ({"test_apt_client_repository_url": "172.30.77.40"}, "test_apt_client_repository_url '172.30.77.40' is not an http:// URL"),
        ({"test_apt_client_repository_url": "http://172.30.77.40"}, "must end with '/'"),
        ({"test_apt_client_repository_url": "http://user:secret@repo1/"}, "must hold only a host"),
        ({"test_apt_client_repository_url": "http://repo1:99999/"}, "test_apt_client_repository_url 'http://repo1:99999/' is not a URL"),
        ({"test_apt_client_repository_url": "http://repo1:0/"}, "has a port outside 1-65535"),
        ({"test_apt_client_repository_url": "http://repo_1/"}, "names a host that is neither an IPv4 address nor a host name"),
        ({"test_apt_client_suites": []}, "test_apt_client_suites is empty"),
        ({"test_apt_client_pin_priority": 99}, "test_apt_client_pin_priority 99 is outside 100-499"),
        ({"test_apt_client_pin_priority": 500}, "test_apt_client_pin_priority 500 is outside 100-499"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = test_apt_client.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found
