"""What a run's end means, as an exit code (README "Operator CLI" lists them).

A failed task is sorted by what it is, read from its job event:
  - bad input: the input checks (validate_input, or an argument spec), before any change;
  - a refusal: a guard that stops a run on purpose, whose task name starts with "Refuse"
    (the window, the window budget, the access guard, the pre-flight verdict);
  - anything else, an unreachable host, and Ansible's own errors: a failed run (1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

OK = 0
FAILED_HOST = 1
BAD_INPUT = 2
REFUSED = 3
INTERRUPTED = 130

MEANING = {
    OK: "success",
    FAILED_HOST: ("failed: a host's task failed or the host was unreachable, a check of the audit failed, or Ansible"
                  " stopped with an error (the record's stdout says)"),
    BAD_INPUT: "bad input: refused before any change (names the variable)",
    REFUSED: "refused by a guard: the window, the access guard, a pre-flight threshold, or a name that names nothing in AWS",
    INTERRUPTED: "interrupted (Ctrl-C): the cleanup ran, no host is left drained",
}


class BadInput(Exception):
    """Input the CLI itself refuses, before any record or run (exit 2)."""


_INPUT_ACTIONS = {"validate_input", "validate_argument_spec", "ansible.builtin.validate_argument_spec"}


def message(event_data, limit=600):
    """The failed or unreachable result's message, one line's worth."""
    return str((event_data.get("res") or {}).get("msg", "")).strip()[:limit]


def kind_of_failure(event_data):
    """'bad_input', 'refused' or 'failed_host' for a runner_on_failed event's data."""
    task = str(event_data.get("task") or "")
    name = task.split(" : ", 1)[-1]
    if name.startswith("Refuse"):
        return "refused"
    if str(event_data.get("task_action") or event_data.get("resolved_action") or "") in _INPUT_ACTIONS:
        return "bad_input"
    return "failed_host"


@dataclass
class Failures:
    """The failures a run's events showed, first one kept per host."""

    by_host: dict = field(default_factory=dict)

    def add(self, host, kind, task, message):
        self.by_host.setdefault(host, {"kind": kind, "task": task, "msg": message})

    def exit_code(self, interrupted, runner_rc):
        if interrupted:
            return INTERRUPTED
        kinds = {failure["kind"] for failure in self.by_host.values()}
        if "bad_input" in kinds:
            return BAD_INPUT
        if "refused" in kinds:
            return REFUSED
        if kinds or runner_rc not in (0, None):
            return FAILED_HOST
        return OK
