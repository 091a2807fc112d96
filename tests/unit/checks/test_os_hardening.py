"""plugins/fleet_checks/os_hardening.py"""

from pathlib import Path

import pytest
import yaml

from plugins.fleet_checks import os_hardening

# The role's own defaults, as the role reads them.
GOOD = yaml.safe_load((Path(__file__).resolve().parents[3] / "roles/os_hardening/defaults/main.yml").read_text())


def test_defaults_are_accepted():
    assert os_hardening.problems(GOOD) == []


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"os_hardening_sysctls_extra": {"net.ipv4.ip_forward": 1}}, id="a router"),
        pytest.param({"os_hardening_sysctls_extra": {"net.ipv4.ip_local_port_range": "32768 60999"}}, id="a two-word value"),
        pytest.param({"os_hardening_umask": "0077"}, id="a four-digit umask"),
        pytest.param({"os_hardening_login_defs": {"ENCRYPT_METHOD": "SHA512", "HOME_MODE": "0750"}}, id="other login.defs"),
        pytest.param({"os_hardening_world_writable_paths": ["/srv/app"]}, id="a deeper tree"),
        pytest.param({"os_hardening_audit_packages": ["g++", "libc6.1"]}, id="package names with + and ."),
    ],
)
def test_good_input_is_accepted(change):
    assert os_hardening.problems({**GOOD, **change}) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"os_hardening_sysctls": {"Net.IPv4.ip_forward": 0}}, "os_hardening_sysctls key 'Net.IPv4.ip_forward' is not a kernel parameter name"),
        ({"os_hardening_sysctls": {"kernel": 1}}, "os_hardening_sysctls key 'kernel' is not a kernel parameter name"),
        ({"os_hardening_sysctls": {"net/ipv4/ip_forward": 0}}, "os_hardening_sysctls key 'net/ipv4/ip_forward'"),
        ({"os_hardening_sysctls": {"kernel.x": "1; reboot"}}, "os_hardening_sysctls['kernel.x'] '1; reboot' is not a kernel parameter value"),
        ({"os_hardening_sysctls": {"kernel.x": "1  2"}}, "os_hardening_sysctls['kernel.x'] '1  2' is not a kernel parameter value"),
        ({"os_hardening_sysctls_extra": {"kernel.x": True}}, "os_hardening_sysctls_extra['kernel.x'] 'True' is not a kernel parameter value"),
        ({"os_hardening_sysctls_extra": {"kernel x": 1}}, "os_hardening_sysctls_extra key 'kernel x'"),
        ({"os_hardening_umask": "0999"}, "os_hardening_umask '0999' is not an octal umask"),
        ({"os_hardening_umask": "27"}, "os_hardening_umask '27' is not an octal umask such as 027"),
        ({"os_hardening_login_defs": {"umask": "027"}}, "os_hardening_login_defs key 'umask' is not a login.defs keyword (upper case)"),
        ({"os_hardening_login_defs": {"UMASK": "0 27"}}, "os_hardening_login_defs['UMASK'] '0 27' is not a login.defs value"),
        ({"os_hardening_suid_sgid_denylist": ["/usr/bin/chfn", "chsh"]}, "os_hardening_suid_sgid_denylist[1] 'chsh' is not an absolute path"),
        ({"os_hardening_suid_sgid_denylist": ["/usr/bin/my prog"]}, "os_hardening_suid_sgid_denylist[0] '/usr/bin/my prog'"),
        ({"os_hardening_world_writable_paths": ["/usr", "/"]}, "os_hardening_world_writable_paths[1] '/' is not an absolute directory path"),
        ({"os_hardening_world_writable_paths": ["etc"]}, "os_hardening_world_writable_paths[0] 'etc' is not an absolute directory path"),
        ({"os_hardening_world_writable_paths": ["//etc"]}, "os_hardening_world_writable_paths[0] '//etc'"),
        ({"os_hardening_disabled_modules": ["cramfs", "usb storage"]}, "os_hardening_disabled_modules[1] 'usb storage' is not a kernel module name"),
        ({"os_hardening_audit_packages": ["acct", "Sysstat"]}, "os_hardening_audit_packages[1] 'Sysstat' is not a Debian package name"),
        ({"os_hardening_banner": "  "}, "os_hardening_banner is empty"),
        ({"os_hardening_banner": "Private \\n"}, "os_hardening_banner has a backslash"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = os_hardening.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_a_key_in_both_dicts_is_named_in_the_extra_one():
    found = os_hardening.problems({**GOOD, "os_hardening_sysctls_extra": {"kernel.dmesg_restrict": "on off!"}})
    assert found == [
        "os_hardening_sysctls_extra['kernel.dmesg_restrict'] 'on off!' is not a kernel parameter value"
        " (numbers or words separated by single spaces)"
    ]
