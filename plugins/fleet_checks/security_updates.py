"""Checks of the security_updates role's input."""

from __future__ import annotations

import re

from . import rules

# An unattended-upgrades origin pattern: comma-separated key=value pairs, no quotes.
_ORIGIN_KEY = r"(o|origin|l|label|a|archive|suite|c|component|site|n|codename)"
_ORIGIN = re.compile(rf"^{_ORIGIN_KEY}=[^\",;]+(,{_ORIGIN_KEY}=[^\",;]+)*$")
_BLACKLIST = re.compile(r'^[^ ";]+$')


def origin_problems(patterns, variable):
    """Problems of a list of unattended-upgrades Origins-Pattern entries given as VARIABLE (the
    maintenance runbook's security_patch_origins uses the same syntax)."""
    found = []
    if not patterns:
        found.append(f"{variable} is empty: nothing would be installed")
    for index, pattern in rules.indexed(patterns):
        if not _ORIGIN.match(str(pattern)):
            found.append(
                f"{variable}[{index}] '{pattern}' is not an origin pattern: comma-separated"
                " key=value pairs (origin, codename, label, archive, suite, component, site) without quotes"
            )
    return found


def problems(inputs, host_state=None):
    found = origin_problems(inputs["security_updates_origins_patterns"], "security_updates_origins_patterns")
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
