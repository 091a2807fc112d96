"""The roles' argument specs as data: sub-option defaults and booleans, read from the spec itself
so that no role, check or filter keeps its own copy of them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from ansible.module_utils.parsing.convert_bool import boolean


@lru_cache(maxsize=None)
def _specs(role_path):
    with open(Path(role_path) / "meta" / "argument_specs.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["argument_specs"]


def suboptions(role_path, option, entry_point="main"):
    """The sub-option specs of OPTION (a list of dicts) in ROLE_PATH's argument spec."""
    try:
        return _specs(str(role_path))[entry_point]["options"][option]["options"]
    except KeyError as err:
        raise ValueError(f"{role_path}: the argument spec of {entry_point!r} has no sub-options for {option!r}") from err


def with_spec_defaults(items, role_path, option, entry_point="main"):
    """Each dict of ITEMS with the sub-option defaults filled in and its booleans made bools.

    Role argument specs validate list-of-dict options but do not fill in their sub-option
    defaults, and a value given with -e arrives as a string ("false")."""
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError(f"{option} must be a list of dictionaries")
    specs = suboptions(role_path, option, entry_point)
    defaults = {name: spec["default"] for name, spec in specs.items() if "default" in spec}
    booleans = [name for name, spec in specs.items() if spec.get("type") == "bool"]
    filled = []
    for item in items:
        entry = {**defaults, **item}
        for name in booleans:
            if name in entry:
                try:
                    entry[name] = boolean(entry[name], strict=True)
                except TypeError as err:
                    raise ValueError(f"{option}: {name} {entry[name]!r} is not a boolean (true/false, yes/no)") from err
        filled.append(entry)
    return filled
