"""plugins/fleet_checks/spec.py: sub-option defaults come from the role's argument spec."""

import pytest

from plugins.fleet_checks.spec import with_spec_defaults


def test_defaults_from_the_spec_and_given_values_kept(role_path):
    got = with_spec_defaults([{"name": "a"}, {"name": "b", "state": "absent", "admin": True}],
                             role_path("operator_access"), "operator_access_users")
    assert got[0] == {"name": "a", "keys": [], "admin": False, "state": "present", "comment": "", "shell": "/bin/bash"}
    assert got[1]["state"] == "absent" and got[1]["admin"] is True


@pytest.mark.parametrize("typed, value", [("false", False), ("yes", True), ("True", True)])
def test_booleans_typed_as_strings_become_bools(typed, value, role_path):
    got = with_spec_defaults([{"name": "a", "admin": typed}], role_path("operator_access"), "operator_access_users")
    assert got[0]["admin"] is value


def test_a_word_that_is_no_boolean_is_refused_naming_the_option(role_path):
    with pytest.raises(ValueError, match="operator_access_users: admin 'sometimes' is not a boolean"):
        with_spec_defaults([{"name": "a", "admin": "sometimes"}], role_path("operator_access"), "operator_access_users")


def test_not_a_list_of_dicts_is_refused(role_path):
    with pytest.raises(ValueError, match="must be a list of dictionaries"):
        with_spec_defaults(["a"], role_path("operator_access"), "operator_access_users")


def test_an_option_without_sub_options_is_refused(role_path):
    with pytest.raises(ValueError, match="no sub-options for 'operator_access_admin_group'"):
        with_spec_defaults([], role_path("operator_access"), "operator_access_admin_group")
