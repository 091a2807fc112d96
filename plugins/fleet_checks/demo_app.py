"""Checks of the demo_app role's input."""

from __future__ import annotations

import ipaddress
import re

# A Debian package version (Debian policy 5.6.12): [epoch:]upstream_version[-debian_revision].
# The epoch is digits; the upstream version starts with a digit and has letters, digits and
# . + ~ (and - only when a revision follows); the revision has letters, digits and . + ~.
_EPOCH = r"(?:[0-9]+:)?"
_UPSTREAM = r"[0-9][A-Za-z0-9.+~-]*"
_REVISION = r"[A-Za-z0-9.+~]+"
_DEBIAN_VERSION = re.compile(rf"^{_EPOCH}(?:{_UPSTREAM}-{_REVISION}|[0-9][A-Za-z0-9.+~]*)$")


def debian_version_problem(value):
    """Why VALUE cannot be a Debian package version, or '' when it can."""
    text = str(value)
    if not text:
        return "is empty"
    if not _DEBIAN_VERSION.match(text):
        return (
            "has characters a Debian package version cannot have: an optional epoch (digits and ':'),"
            " then a digit, then letters, digits and '. + ~ -' (a '-' only before a revision)"
        )
    return ""


def problems(inputs, host_state=None):
    found = []
    version = inputs["demo_app_version"]
    problem = debian_version_problem(version)
    if problem:
        found.append(f"demo_app_version '{version}' {problem}")
    address = inputs["demo_app_address"]
    try:
        ipaddress.ip_address(str(address))
    except ValueError:
        found.append(f"demo_app_address '{address}' is not an IP address (a systemd socket listens on an address)")
    port = int(inputs["demo_app_port"])
    if not 1 <= port <= 65535:
        found.append(f"demo_app_port {port} is not a TCP port (1-65535)")
    marker = str(inputs["demo_app_marker"])
    if not marker.strip() or "\n" in marker:
        found.append("demo_app_marker must be one line of text")
    return found
