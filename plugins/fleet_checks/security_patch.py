"""Checks of the security_patch role's input."""

from __future__ import annotations

from . import rules, security_updates


def problems(inputs, host_state=None):
    found = security_updates.origin_problems(inputs["security_patch_origins"], "security_patch_origins")
    for index, unit in rules.indexed(inputs["security_patch_restart_exclude"]):
        if not rules.UNIT_NAME.match(str(unit)):
            found.append(f"security_patch_restart_exclude[{index}] '{unit}' is not a systemd unit name")
    if int(inputs["security_patch_reboot_timeout"]) < 60:
        found.append(f"security_patch_reboot_timeout {inputs['security_patch_reboot_timeout']} is under 60 seconds:"
                     " no server boots that fast")
    return found
