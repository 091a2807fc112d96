"""plugins/fleet_checks/demo_app.py"""

import pytest

from plugins.fleet_checks import demo_app

GOOD = {
    "demo_app_address": "127.0.0.1",
    "demo_app_port": 8080,
    "demo_app_marker": "fleet demo app",
    "demo_app_version": "1.0",
}


def test_defaults_are_accepted():
    assert demo_app.problems(GOOD) == []


@pytest.mark.parametrize("version", ["1.0", "1.1", "2:1.0-3", "1.0~rc1", "1.0+git20260101-1", "10", "1.0-1.1~bpo12+1", "0.9a"])
def test_package_versions_are_accepted(version):
    assert demo_app.problems({**GOOD, "demo_app_version": version}) == []


@pytest.mark.parametrize("version", ["", "v1.0", "1.0 beta", "1.0;rm -rf", "1.0-", "a:1.0", "1.0_1", "1.0-1-", "1:", "1.0/2", "1.0-re_v"])
def test_a_version_a_package_cannot_have_is_refused(version):
    found = demo_app.problems({**GOOD, "demo_app_version": version})
    assert len(found) == 1 and found[0].startswith(f"demo_app_version '{version}' "), found


def test_the_version_message_says_which_characters():
    found = demo_app.problems({**GOOD, "demo_app_version": "1.0 beta"})
    assert found == [
        "demo_app_version '1.0 beta' has characters a Debian package version cannot have: an optional epoch"
        " (digits and ':'), then a digit, then letters, digits and '. + ~ -' (a '-' only before a revision)"
    ]


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"demo_app_address": "localhost"}, "demo_app_address 'localhost' is not an IP address"),
        ({"demo_app_port": 0}, "demo_app_port 0 is not a TCP port"),
        ({"demo_app_port": 70000}, "demo_app_port 70000 is not a TCP port"),
        ({"demo_app_marker": "two\nlines"}, "demo_app_marker must be one line"),
        ({"demo_app_marker": " "}, "demo_app_marker must be one line"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = demo_app.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_an_ipv6_address_is_accepted():
    assert demo_app.problems({**GOOD, "demo_app_address": "::1"}) == []
