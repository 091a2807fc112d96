"""Checks of the base_system role's input."""

from __future__ import annotations

import ipaddress
import re

from . import rules

# A journald size: a whole number with an optional K, M, G or T suffix.
_SIZE = re.compile(r"[0-9]+[KMGT]?")
_SIZES = ("base_system_journal_max_use", "base_system_journal_keep_free", "base_system_journal_max_file_size")


def _is_ntp_server(value):
    """A host name (any case) or an IPv4 or IPv6 address."""
    if not isinstance(value, str):
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return rules.hostname_problem(value) == ""
    return True


def problems(inputs, host_state=None):
    found = []
    hostname = inputs["base_system_hostname"]
    if rules.hostname_problem(hostname, lower_case=True):
        found.append(
            f"base_system_hostname '{hostname}' is not a host name: lower-case labels of letters, digits and inner"
            " hyphens (1 to 63 characters each, 253 in all), and not an IP address"
        )
    servers = inputs["base_system_ntp_servers"]
    if not servers:
        found.append("base_system_ntp_servers is empty: timesyncd needs at least one server")
    for index, server in rules.indexed(servers):
        if not _is_ntp_server(server):
            found.append(f"base_system_ntp_servers[{index}] '{server}' is not a host name or IP address")
    for name in _SIZES:
        size = inputs[name]
        if isinstance(size, bool) or not _SIZE.fullmatch(str(size)):
            found.append(f"{name} '{size}' is not a size: a whole number with an optional K, M, G or T suffix, such as 500M")
    return found
