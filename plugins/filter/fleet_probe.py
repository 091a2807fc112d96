"""The one convention for the roles' state probes: a read-only Python script run with `raw`, which
prints one JSON object, and one parser for what it prints.

A role re-applied on every run reads, in one round trip, everything its tasks enforce, so that a
converged host costs almost nothing (a `raw` call is about 0.03 s; a module call about 0.25 s).

    - name: Read the state this role acts on
      ansible.builtin.raw: "{{ lookup('ansible.builtin.file', 'probe.py') | fleet_probe_command({'units': [...]}) }}"
      register: __role_probe
      changed_when: false
      check_mode: false

    __role_state: "{{ __role_probe | fleet_probe }}"

The role's probe.py defines `probe(args)`, which returns a dict; `args` is the dict given to
fleet_probe_command. The helpers below (run, output, read_text, file_attributes, package_states,
unit_states) are prepended to every probe, so each role's script holds only what it reads.
"""

from __future__ import annotations

import json
import shlex

from ansible.errors import AnsibleFilterError

# Prepended to every probe: the helpers probes share, then the role's script, then _main().
PROBE_PRELUDE = r'''
import grp
import json
import os
import pwd
import stat
import subprocess
import sys


def run(*argv, input=None, env=None):
    """(exit status, stdout, stderr) of a command; a missing program is status 127."""
    try:
        done = subprocess.run(argv, input=input, capture_output=True, text=True, env=env)
    except FileNotFoundError as err:
        return 127, "", str(err)
    return done.returncode, done.stdout, done.stderr


def output(*argv, input=None):
    """A command's stdout without its trailing newline, or "" when it fails."""
    status, out, _err = run(*argv, input=input)
    return out.rstrip("\n") if status == 0 else ""


def read_text(path):
    """A file's text, or None when it does not exist."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def file_attributes(info):
    """{"mode", "owner", "group"} of an os.stat result; an id without a name as "#ID"
    (the form dpkg-statoverride takes)."""
    try:
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        owner = "#%d" % info.st_uid
    try:
        group = grp.getgrgid(info.st_gid).gr_name
    except KeyError:
        group = "#%d" % info.st_gid
    return {"mode": "%04o" % stat.S_IMODE(info.st_mode), "owner": owner, "group": group}


def package_states(*names):
    """Package name -> dpkg's status word ("installed", "config-files", ...) or "not-installed"."""
    states = dict.fromkeys(names, "not-installed")
    if names:
        _status, out, _err = run("dpkg-query", "--show", "--showformat=${Package} ${db:Status-Status}\n", *names)
        for line in out.splitlines():
            name, _, state = line.partition(" ")
            if name in states and state:
                states[name] = state
    return states


def unit_states(*units):
    """Unit -> {"enabled": UnitFileState (enabled, disabled, masked, static, "" when unknown),
    "active": ActiveState (active, inactive, failed, ...), "loaded": LoadState}."""
    states = {}
    if not units:
        return states
    _status, out, _err = run("systemctl", "show", "--property=LoadState,UnitFileState,ActiveState", "--", *units)
    blocks = out.strip("\n").split("\n\n") if out.strip() else []
    for unit, block in zip(units, blocks + [""] * (len(units) - len(blocks))):
        fields = dict(line.partition("=")[::2] for line in block.splitlines())
        states[unit] = {
            "enabled": fields.get("UnitFileState", ""),
            "active": fields.get("ActiveState", "unknown"),
            "loaded": fields.get("LoadState", "not-found"),
        }
    return states
'''

PROBE_MAIN = r'''

def _main():
    try:
        state = probe(json.loads(sys.argv[1]))
    except Exception as err:  # the parser shows this instead of a traceback on the controller
        json.dump({"probe_error": "%s: %s" % (type(err).__name__, err)}, sys.stdout)
        sys.exit(1)
    json.dump(state, sys.stdout, sort_keys=True)


_main()
'''


def fleet_probe_command(script, args=None, python="/usr/bin/python3"):
    """The `raw` command that runs SCRIPT (a role's probe.py) with ARGS on the host."""
    if not isinstance(script, str) or "def probe(" not in script:
        raise AnsibleFilterError("fleet_probe_command: the script must define probe(args)")
    program = PROBE_PRELUDE + "\n" + script + PROBE_MAIN
    return " ".join(shlex.quote(word) for word in (python, "-c", program, json.dumps(args or {})))


def fleet_probe(result):
    """The JSON object a probe printed, from its registered `raw` result; a clear error otherwise."""
    if not isinstance(result, dict):
        raise AnsibleFilterError("fleet_probe expects a registered raw result")
    stdout = result.get("stdout", "")
    stderr = (result.get("stderr") or "").strip()
    try:
        state = json.loads(stdout)
    except (TypeError, ValueError):
        state = None
    if not isinstance(state, dict):
        raise AnsibleFilterError(
            "the state probe printed no JSON object (rc=%s): %s" % (result.get("rc"), (stderr or stdout or "no output")[-800:])
        )
    if "probe_error" in state:
        raise AnsibleFilterError("the state probe failed on the host: %s" % state["probe_error"])
    return state


class FilterModule:
    def filters(self):
        return {"fleet_probe": fleet_probe, "fleet_probe_command": fleet_probe_command}
