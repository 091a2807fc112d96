"""plugins/fleet_checks/test_apt_repo.py"""

import pytest

from plugins.fleet_checks import test_apt_repo

GOOD = {
    "test_apt_repo_source_dir": "/work/main/.fleet/apt-repo",
    "test_apt_repo_build": True,
    "test_apt_repo_root": "/srv/fleet-test-apt",
    "test_apt_repo_port": 80,
    "test_apt_repo_listen_address": "",
}


def test_defaults_are_accepted():
    assert test_apt_repo.problems(GOOD) == []


def test_a_listen_address_is_accepted():
    assert test_apt_repo.problems({**GOOD, "test_apt_repo_listen_address": "172.30.77.40"}) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"test_apt_repo_source_dir": ".fleet/apt-repo"}, "test_apt_repo_source_dir '.fleet/apt-repo' is not an absolute path"),
        ({"test_apt_repo_root": "srv/repo"}, "test_apt_repo_root 'srv/repo' is not an absolute directory path"),
        ({"test_apt_repo_root": "/"}, "test_apt_repo_root '/' is not an absolute directory path"),
        ({"test_apt_repo_root": "/srv/../etc"}, "test_apt_repo_root '/srv/../etc' is not an absolute directory path"),
        ({"test_apt_repo_root": "/srv/my repo"}, "test_apt_repo_root '/srv/my repo' is not an absolute directory path"),
        ({"test_apt_repo_port": 0}, "test_apt_repo_port 0 is not a TCP port (1-65535)"),
        ({"test_apt_repo_port": 65536}, "test_apt_repo_port 65536 is not a TCP port"),
        ({"test_apt_repo_listen_address": "repo1"}, "test_apt_repo_listen_address 'repo1' is not an IP address"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = test_apt_repo.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found
