"""plugins/fleet_checks/security_updates.py"""

import pytest

from plugins.fleet_checks import security_updates

GOOD = {
    "security_updates_origins_patterns": ["origin=Debian,codename=${distro_codename}-security,label=Debian-Security"],
    "security_updates_package_blacklist": ["linux-image-.*"],
    "security_updates_mail": "",
    "security_updates_autoclean_interval": 7,
}


def test_defaults_are_accepted():
    assert security_updates.problems(GOOD) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"security_updates_origins_patterns": []}, "security_updates_origins_patterns is empty"),
        ({"security_updates_origins_patterns": ['origin="Debian"']}, "security_updates_origins_patterns[0]"),
        ({"security_updates_origins_patterns": ["Debian-Security"]}, "is not an origin pattern"),
        ({"security_updates_package_blacklist": ["a b"]}, "security_updates_package_blacklist[0] 'a b'"),
        ({"security_updates_mail": "ops"}, "security_updates_mail 'ops' is not a mail address"),
        ({"security_updates_autoclean_interval": -1}, "security_updates_autoclean_interval -1 is negative"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = security_updates.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_a_mail_address_is_accepted():
    assert security_updates.problems({**GOOD, "security_updates_mail": "ops@example.com"}) == []
