"""Checks of the maintenance_notice role's input: nothing is sent while one fails."""

from __future__ import annotations

import datetime as dt
import ipaddress
from email.utils import parseaddr

from . import rules

try:  # as plugins.fleet_checks (pytest)
    from ..filter import fleet_window
except ImportError:  # as fleet_checks, with plugins/ on sys.path (the validate_input action)
    from filter import fleet_window  # type: ignore[no-redef]


def _is_host(value):
    """A host name (any case) or an IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return rules.hostname_problem(value) == ""
    return True


def _is_loopback(host):
    if str(host).lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


def _is_sender(value):
    """'ops@example.com' or 'E1 Web Dashboard <ops@example.com>'."""
    if not isinstance(value, str) or not value.strip():
        return False
    _phrase, address = parseaddr(value)
    return bool(rules.EMAIL.match(address)) and (address == value.strip() or value.strip().endswith(f"<{address}>"))


def _window_problem(window, now):
    """Why WINDOW (an explicit maintenance_notice_window) cannot be announced, or ''."""
    try:
        start = fleet_window.as_utc(window)
    except ValueError:
        return "is not an ISO 8601 date and time: give the window's start, such as 2026-12-05T19:00:00Z"
    if not fleet_window.is_window_start(start):
        following = fleet_window.windows_after(start, 1)[0].start
        return (
            f"({fleet_window.wib(start)}) is not a maintenance window's start: windows start on the first Sunday"
            f" of a month at {fleet_window.WINDOW_LOCAL_START:%H:%M} {fleet_window.WINDOW_TZ_LABEL}; the next one"
            f" starts at {fleet_window.iso_utc(following)}"
        )
    if start <= now:
        return f"({fleet_window.wib(start)}) has already started: announce a window to come"
    return ""


def problems(inputs, host_state=None):
    found = []
    now = fleet_window.as_utc((host_state or {}).get("now") or dt.datetime.now(dt.timezone.utc))

    recipients = inputs["maintenance_notice_recipients"]
    if not recipients:
        found.append(
            "maintenance_notice_recipients is empty: list the customers' e-mail addresses in the inventory"
            " (group_vars/all/maintenance_notice.yml)"
        )
    for index, address in rules.indexed(recipients):
        if not isinstance(address, str) or not rules.EMAIL.match(address.strip()):
            found.append(f"maintenance_notice_recipients[{index}] '{address}' is not an e-mail address (user@domain)")

    sender = inputs["maintenance_notice_from"]
    if not _is_sender(sender):
        found.append(
            f"maintenance_notice_from '{sender}' is not a sender address: user@domain, or 'Name <user@domain>'"
        )

    host = inputs["maintenance_notice_smtp_host"]
    if not _is_host(host):
        found.append(f"maintenance_notice_smtp_host '{host}' is not a host name or IP address")
    port = inputs["maintenance_notice_smtp_port"]
    if isinstance(port, bool) or not str(port).isdigit() or not 1 <= int(port) <= 65535:
        found.append(f"maintenance_notice_smtp_port {port} is out of range 1-65535")
    timeout = inputs["maintenance_notice_smtp_timeout"]
    if int(timeout) < 1:
        found.append(f"maintenance_notice_smtp_timeout {timeout} is not a positive number of seconds")

    username = inputs["maintenance_notice_smtp_username"]
    if username:
        # The password is read only here, and only to know whether there is one: never shown.
        if not inputs["maintenance_notice_smtp_password"]:
            found.append(
                "maintenance_notice_smtp_password is empty while maintenance_notice_smtp_username is set:"
                " export FLEET_SMTP_PASSWORD or set the password with ansible-vault"
            )
        secure = inputs["maintenance_notice_smtp_secure"]
        if secure == "never" and not _is_loopback(host):
            found.append(
                f"maintenance_notice_smtp_secure is 'never' with maintenance_notice_smtp_username set: the password"
                f" would cross the network to '{host}' unencrypted; use starttls or always"
            )

    window = inputs["maintenance_notice_window"]
    if window not in (None, ""):
        problem = _window_problem(window, now)
        if problem:
            found.append(f"maintenance_notice_window '{window}' {problem}")
    return found
