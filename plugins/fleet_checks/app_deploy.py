"""Checks of the app_deploy role's input."""

from __future__ import annotations

import re

# Debian policy 5.6.12: [epoch:]upstream_version[-debian_revision]; upstream starts with a digit
# and holds letters, digits and . + ~ - (a hyphen only with a revision).
_VERSION = re.compile(r"^([0-9]+:)?[0-9][A-Za-z0-9.+~-]*$")
_ROLE_VARIABLE = re.compile(r"^[a-z_][a-z0-9_]*$")


def problems(inputs, host_state=None):
    found = []
    version = str(inputs["app_deploy_version"])
    if version and not _VERSION.match(version):
        found.append(f"app_version '{version}' has characters a package version cannot have: letters, digits and"
                     " . + ~ - only, starting with a digit (an epoch such as 1: first is allowed)")
    if not _ROLE_VARIABLE.match(str(inputs["app_deploy_version_variable"])):
        found.append(f"app_deploy_version_variable '{inputs['app_deploy_version_variable']}' is not a variable name")
    return found
