"""Data-shaping filters shared by the roles."""

import sys
from pathlib import Path

from ansible.errors import AnsibleFilterError

# The checks package (plugins/fleet_checks) is shared with the validate_input action.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fleet_checks import spec  # noqa: E402  pylint: disable=wrong-import-position


def fleet_with_spec_defaults(items, role_path, option, entry_point="main"):
    """ITEMS (a list-of-dict option) with the sub-option defaults of the role's argument spec
    filled in and their booleans made bools: one source for those defaults, the spec."""
    try:
        return spec.with_spec_defaults(items, role_path, option, entry_point)
    except ValueError as err:
        raise AnsibleFilterError(str(err)) from err


class FilterModule:
    def filters(self):
        return {"fleet_with_spec_defaults": fleet_with_spec_defaults}
