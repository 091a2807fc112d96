#!/usr/bin/python
"""Documentation of the validate_input action (plugins/action/validate_input.py); it has no module code."""

DOCUMENTATION = r"""
---
module: validate_input
short_description: Check a role's input on the controller, before anything on a host changes
description:
  - Runs the semantic checks of one role, C(plugins/fleet_checks/<checks>.py), against the task's
    variables and fails with every problem found, each naming its variable.
  - Types and choices are checked by the role's argument spec when its entry point starts. This
    action checks what a spec cannot express - networks, SSH keys, values that depend on one
    another or on another role's variables.
  - Runs on the controller only. Nothing is sent to the host, so it is safe in check mode and
    before the first change.
version_added: "1.0.0"
author: Hosting team
options:
  checks:
    description: Name of the check module, normally the role's name.
    type: str
    required: true
  host_state:
    description: What the role's state probe read, for checks that depend on the host, such as the installed OpenSSH's algorithms.
    type: dict
    default: {}
notes:
  - Check mode is supported and changes nothing. The action never contacts the host.
"""

EXAMPLES = r"""
- name: Check the firewall input
  validate_input:
    checks: firewall

- name: Check the sshd input against the installed OpenSSH
  validate_input:
    checks: ssh_hardening
    host_state: "{{ __ssh_hardening_state }}"
"""

RETURN = r"""
checks:
  description: The check module that ran.
  returned: always
  type: str
  sample: firewall
problems:
  description: Every problem found, each naming its variable; empty when the input is accepted.
  returned: always
  type: list
  elements: str
  sample: ["firewall_vpn_cidrs[0] '10.8.0.1/24' is not a network in CIDR form"]
"""
