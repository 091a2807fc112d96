"""Runs a role's semantic input checks (plugins/fleet_checks/ROLE.py) on the controller.

Nothing reaches the host, so it is safe in check mode and before any change. The task fails
with every problem found, each naming its variable; otherwise it reports ok.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from pathlib import Path

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

# The checks package (plugins/fleet_checks) is shared with the fleet_data filters.
_PLUGINS_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_PLUGINS_DIR))


def load_checks(name):
    """plugins/fleet_checks/NAME.py."""
    if not (_PLUGINS_DIR / "fleet_checks" / f"{name}.py").is_file():
        raise AnsibleActionFail(f"validate_input: no checks named {name!r} in {_PLUGINS_DIR / 'fleet_checks'}")
    return importlib.import_module(f"fleet_checks.{name}")


class TemplatedVars(Mapping):
    """The task's variables, each templated when a check first asks for it."""

    def __init__(self, task_vars, templar):
        self._vars = task_vars
        self._templar = templar
        self._done = {}

    def __getitem__(self, name):
        if name not in self._done:
            self._done[name] = self._templar.template(self._vars[name])
        return self._done[name]

    def __iter__(self):
        return iter(self._vars)

    def __len__(self):
        return len(self._vars)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("checks", "host_state"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        name = self._task.args.get("checks")
        if not isinstance(name, str) or not name:
            raise AnsibleActionFail("validate_input: 'checks' names the role whose checks to run")
        inputs = TemplatedVars(task_vars or {}, self._templar)
        host_state = self._task.args.get("host_state") or {}
        problems = load_checks(name).problems(inputs, host_state)
        result.update(changed=False, checks=name, problems=problems)
        if problems:
            result.update(failed=True, msg="; ".join(problems))
        else:
            result["msg"] = f"{name}: input accepted"
        return result
