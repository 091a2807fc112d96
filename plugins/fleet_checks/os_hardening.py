"""Checks of the os_hardening role's input."""

from __future__ import annotations

import re

from . import rules

# A kernel parameter name: dotted lower-case words (no slashes: interface names with dots are not
# supported). A value: numbers or words separated by single spaces.
_SYSCTL_KEY = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)+")
_SYSCTL_VALUE = re.compile(r"[A-Za-z0-9._:/-]+( [A-Za-z0-9._:/-]+)*")
_UMASK = re.compile(r"0?[0-7]{3}")
_LOGIN_DEFS_KEY = re.compile(r"[A-Z][A-Z0-9_]*")
_LOGIN_DEFS_VALUE = re.compile(r"[A-Za-z0-9._/-]+")
_ABSOLUTE_PATH = re.compile(r"/[^ ]+")
# A tree to search: absolute, without spaces, and not / itself.
_TREE = re.compile(r"/[^ /][^ ]*")
_MODULE = re.compile(r"[A-Za-z0-9_-]+")
_PACKAGE = re.compile(r"[a-z0-9][a-z0-9+.-]+")


def _matches(pattern, value):
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and pattern.fullmatch(str(value))


def _sysctl_problems(sysctls, extra):
    found = []
    # Each key is named in the variable it comes from; a key in both is judged as merged.
    merged = {**(sysctls or {}), **(extra or {})}
    for key, value in merged.items():
        variable = "os_hardening_sysctls_extra" if key in (extra or {}) else "os_hardening_sysctls"
        if not _matches(_SYSCTL_KEY, key):
            found.append(
                f"{variable} key '{key}' is not a kernel parameter name (dotted lower-case words, such as"
                " net.ipv4.tcp_syncookies)"
            )
        elif not _matches(_SYSCTL_VALUE, value):
            found.append(
                f"{variable}['{key}'] '{value}' is not a kernel parameter value (numbers or words separated by single spaces)"
            )
    return found


def _login_problems(umask, login_defs):
    found = []
    if not _matches(_UMASK, umask):
        found.append(f"os_hardening_umask '{umask}' is not an octal umask such as 027")
    for key, value in (login_defs or {}).items():
        if not _matches(_LOGIN_DEFS_KEY, key):
            found.append(f"os_hardening_login_defs key '{key}' is not a login.defs keyword (upper case)")
        elif not _matches(_LOGIN_DEFS_VALUE, value):
            found.append(
                f"os_hardening_login_defs['{key}'] '{value}' is not a login.defs value (letters, digits, dots, slashes,"
                " hyphens)"
            )
    return found


def _list_problems(inputs):
    found = []
    for index, path in rules.indexed(inputs["os_hardening_suid_sgid_denylist"]):
        if not _matches(_ABSOLUTE_PATH, path):
            found.append(f"os_hardening_suid_sgid_denylist[{index}] '{path}' is not an absolute path without spaces")
    for index, tree in rules.indexed(inputs["os_hardening_world_writable_paths"]):
        if not _matches(_TREE, tree):
            found.append(
                f"os_hardening_world_writable_paths[{index}] '{tree}' is not an absolute directory path without spaces"
                " (nor / itself, which holds home and data directories)"
            )
    for index, module in rules.indexed(inputs["os_hardening_disabled_modules"]):
        if not _matches(_MODULE, module):
            found.append(f"os_hardening_disabled_modules[{index}] '{module}' is not a kernel module name (letters, digits, - and _)")
    # The packages are installed only with the audit tools, but a bad name is refused either way.
    for index, package in rules.indexed(inputs["os_hardening_audit_packages"]):
        if not _matches(_PACKAGE, package):
            found.append(f"os_hardening_audit_packages[{index}] '{package}' is not a Debian package name")
    return found


def problems(inputs, host_state=None):
    found = _sysctl_problems(inputs["os_hardening_sysctls"], inputs["os_hardening_sysctls_extra"])
    found += _login_problems(inputs["os_hardening_umask"], inputs["os_hardening_login_defs"])
    found += _list_problems(inputs)
    banner = inputs["os_hardening_banner"]
    if not str(banner).strip():
        found.append("os_hardening_banner is empty")
    if "\\" in str(banner):
        found.append("os_hardening_banner has a backslash, which getty reads as an escape in /etc/issue")
    return found
