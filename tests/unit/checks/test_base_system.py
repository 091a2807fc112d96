"""plugins/fleet_checks/base_system.py"""

import pytest

from plugins.fleet_checks import base_system

# The role's defaults, with the inventory name the default host name templates to.
GOOD = {
    "base_system_hostname": "app1.fleet.internal",
    "base_system_ntp_servers": ["169.254.169.123", "0.debian.pool.ntp.org", "1.debian.pool.ntp.org", "2.debian.pool.ntp.org"],
    "base_system_journal_max_use": "500M",
    "base_system_journal_keep_free": "1G",
    "base_system_journal_max_file_size": "50M",
}


def test_defaults_are_accepted():
    assert base_system.problems(GOOD) == []


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"base_system_hostname": "app1"}, id="a short name"),
        pytest.param({"base_system_ntp_servers": ["fd00::123", "NTP.Example.org"]}, id="IPv6 and mixed case servers"),
        pytest.param({"base_system_journal_max_use": 1048576}, id="a size in bytes"),
        pytest.param({"base_system_journal_keep_free": "2T"}, id="terabytes"),
    ],
)
def test_good_input_is_accepted(change):
    assert base_system.problems({**GOOD, **change}) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"base_system_hostname": "10.0.0.5"}, "base_system_hostname '10.0.0.5' is not a host name"),
        ({"base_system_hostname": "App1"}, "base_system_hostname 'App1' is not a host name: lower-case labels"),
        ({"base_system_hostname": "app_1.example.org"}, "base_system_hostname 'app_1.example.org' is not a host name"),
        ({"base_system_hostname": "-app"}, "base_system_hostname '-app' is not a host name"),
        ({"base_system_hostname": "app."}, "base_system_hostname 'app.' is not a host name"),
        ({"base_system_hostname": "a" * 64}, "is not a host name"),
        ({"base_system_hostname": ""}, "base_system_hostname '' is not a host name"),
        ({"base_system_ntp_servers": []}, "base_system_ntp_servers is empty: timesyncd needs at least one server"),
        (
            {"base_system_ntp_servers": ["ntp.example.org", "bad server"]},
            "base_system_ntp_servers[1] 'bad server' is not a host name or IP address",
        ),
        ({"base_system_ntp_servers": ["ntp..example.org"]}, "base_system_ntp_servers[0] 'ntp..example.org'"),
        ({"base_system_journal_max_use": "500MB"}, "base_system_journal_max_use '500MB' is not a size"),
        ({"base_system_journal_keep_free": "1.5G"}, "base_system_journal_keep_free '1.5G' is not a size"),
        ({"base_system_journal_max_file_size": "-50M"}, "base_system_journal_max_file_size '-50M' is not a size"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = base_system.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_every_problem_is_reported():
    found = base_system.problems(
        {**GOOD, "base_system_hostname": "x_y", "base_system_ntp_servers": ["a b", "c d"], "base_system_journal_max_use": "big"}
    )
    assert [problem.split(" ")[0] for problem in found] == [
        "base_system_hostname",
        "base_system_ntp_servers[0]",
        "base_system_ntp_servers[1]",
        "base_system_journal_max_use",
    ]
