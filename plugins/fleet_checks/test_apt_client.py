"""Checks of the test_apt_client role's input (a host pointed at the local test apt repository)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from . import rules

# apt_preferences(5): from 100 a newer version of an installed package is a candidate (below 100,
# only packages not installed at all); below 500, Debian's own archive (500) wins for a package
# both have.
_PIN_LOW, _PIN_HIGH = 100, 499


def _url_problem(url):
    text = str(url)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return "is not a URL"
    if parts.scheme != "http" or not parts.hostname:
        return "is not an http:// URL (the repository is served over plain HTTP)"
    if parts.username or parts.password or parts.query or parts.fragment or any(c in text for c in " \"'[]"):
        return "must hold only a host, an optional port and a path (no user, query, quotes or brackets)"
    if not text.endswith("/"):
        return "must end with '/' (apt appends dists/SUITE/ to it)"
    if port is not None and not 1 <= port <= 65535:
        return "has a port outside 1-65535"
    try:
        ipaddress.ip_address(parts.hostname)
    except ValueError:
        if rules.hostname_problem(parts.hostname):
            return "names a host that is neither an IPv4 address nor a host name"
    return ""


def problems(inputs, host_state=None):
    found = []
    url = inputs["test_apt_client_repository_url"]
    problem = _url_problem(url)
    if problem:
        found.append(f"test_apt_client_repository_url '{url}' {problem}")
    if not inputs["test_apt_client_suites"]:
        found.append("test_apt_client_suites is empty: list fleet-security, fleet-updates or both")
    priority = int(inputs["test_apt_client_pin_priority"])
    if not _PIN_LOW <= priority <= _PIN_HIGH:
        found.append(
            f"test_apt_client_pin_priority {priority} is outside {_PIN_LOW}-{_PIN_HIGH}: below {_PIN_LOW} apt never"
            f" upgrades an installed package from the test repository, from 500 it competes with Debian's archive"
        )
    return found
