"""Checks of the security_updates role's input."""

from __future__ import annotations

import re

from . import rules

# An unattended-upgrades origin pattern: comma-separated key=value pairs, no quotes.
_ORIGIN_KEY = r"(o|origin|l|label|a|archive|suite|c|component|site|n|codename)"
_ORIGIN = re.compile(rf"^{_ORIGIN_KEY}=[^\",;]+(,{_ORIGIN_KEY}=[^\",;]+)*$")
_BLACKLIST = re.compile(r'^[^ ";]+$')


def problems(inputs, host_state=None):
    found = []
    patterns = inputs["security_updates_origins_patterns"]
    if not patterns:
        found.append("security_updates_origins_patterns is empty: unattended-upgrades would install nothing")
    for index, pattern in rules.indexed(patterns):
        if not _ORIGIN.match(str(pattern)):
            found.append(
                f"security_updates_origins_patterns[{index}] '{pattern}' is not an origin pattern: comma-separated"
                " key=value pairs (origin, codename, label, archive, suite, component, site) without quotes"
            )
    for index, pattern in rules.indexed(inputs["security_updates_package_blacklist"]):
        if not _BLACKLIST.match(str(pattern)):
            found.append(
                f"security_updates_package_blacklist[{index}] '{pattern}' is not a package name pattern"
                " (no spaces, quotes or semicolons)"
            )
    mail = inputs["security_updates_mail"]
    if mail and not rules.EMAIL.match(mail):
        found.append(f"security_updates_mail '{mail}' is not a mail address (user@domain) or empty")
    interval = inputs["security_updates_autoclean_interval"]
    if int(interval) < 0:
        found.append(f"security_updates_autoclean_interval {interval} is negative: give days, or 0 for never")
    return found
