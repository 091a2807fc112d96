"""Data-shaping filters shared by the roles."""

from ansible.errors import AnsibleFilterError


def fleet_with_defaults(items, defaults):
    """Each dict of ITEMS on top of DEFAULTS: role argument specs validate list-of-dict options
    but do not fill in their sub-option defaults, so roles normalise them once with this."""
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise AnsibleFilterError("fleet_with_defaults expects a list of dictionaries")
    return [{**defaults, **item} for item in items]


class FilterModule:
    def filters(self):
        return {"fleet_with_defaults": fleet_with_defaults}
