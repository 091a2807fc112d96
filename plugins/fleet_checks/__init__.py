"""Semantic input checks of the roles: one module per role, each with `problems(inputs)`.

Types and choices are the argument specs' business (meta/argument_specs.yml), checked by Ansible
when a role's entry point starts. What a spec cannot say (a network in CIDR form, a valid SSH
key, a window that ends after it starts, a value that depends on another role's) is checked here,
once, in plain Python with pytest cases (tests/unit/checks/). The validate_input action plugin
runs a role's checks on the controller and fails the task with every problem found, each naming
its variable.

`inputs` is a read-only mapping of variable name to templated value; a check asks only for the
variables it judges. `rules` holds the primitives several roles share.
"""
