"""Checks of the ssh_hardening role: its input against the installed OpenSSH, and, after a change,
what sshd really runs with against what the role wrote.

host_state is what roles/ssh_hardening/files/probe.py read. tasks/validate.yml passes the whole
reading: problems() checks the input. tasks/main.yml passes {"check": "effective", "login": ...,
"effective": ...} after the change: problems() then compares the effective configuration (sshd -T
with the drop-ins and their Match blocks) with what the role set.

The lists the role writes (the variable when set, else the profile for the installed OpenSSH
filtered by what it supports) are derived in the role's vars/main.yml and read here as
__ssh_hardening_kex, __ssh_hardening_ciphers, __ssh_hardening_macs,
__ssh_hardening_host_key_algorithms and __ssh_hardening_host_key_order.
"""

from __future__ import annotations

import json
import re

from . import rules

_GROUP = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*[$]?$")
_MAX_STARTUPS = re.compile(r"^[0-9]+(:[0-9]+:[0-9]+)?$")

# Variable, list the role writes, `ssh -Q` query.
_ALGORITHMS = [
    ("ssh_hardening_kex_algorithms", "__ssh_hardening_kex", "kex"),
    ("ssh_hardening_ciphers", "__ssh_hardening_ciphers", "cipher"),
    ("ssh_hardening_macs", "__ssh_hardening_macs", "mac"),
    ("ssh_hardening_host_key_algorithms", "__ssh_hardening_host_key_algorithms", "key-sig"),
]

# Integer settings and their least value.
_MINIMUMS = {
    "ssh_hardening_max_auth_tries": 1,
    "ssh_hardening_login_grace_time": 1,
    "ssh_hardening_max_sessions": 1,
    "ssh_hardening_client_alive_interval": 0,
    "ssh_hardening_client_alive_count_max": 1,
}

_EFFECTIVE_DIFFERS = (
    "The effective sshd configuration differs from what ssh_hardening set (a drop-in in"
    " /etc/ssh/sshd_config.d, or a Match block in one, overrides it); got / expected: "
)


def version_tuple(version):
    """'9.2' -> (9, 2); anything else -> (0, 0)."""
    found = re.match(r"^([0-9]+)\.([0-9]+)", str(version or ""))
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def penalties_supported(version):
    """PerSourcePenalties came with OpenSSH 9.8."""
    return version_tuple(version) >= (9, 8)


def problems(inputs, host_state=None):
    host_state = host_state or {}
    if host_state.get("check") == "effective":
        return effective_problems(inputs, host_state)
    return input_problems(inputs, host_state)


def input_problems(inputs, host_state):
    openssh = host_state.get("openssh") or {}
    version = openssh.get("version") or ""
    if openssh.get("package") != "installed" or not version:
        return ["openssh-server is not installed: ssh_hardening hardens an existing sshd"]
    found = []
    groups = inputs["ssh_hardening_allow_groups"]
    if not groups:
        found.append("ssh_hardening_allow_groups is empty: nobody could log in")
    for index, group in rules.indexed(groups):
        if not _GROUP.match(str(group)):
            found.append(f"ssh_hardening_allow_groups[{index}] '{group}' is not a group name")
    for name, minimum in _MINIMUMS.items():
        if int(inputs[name]) < minimum:
            found.append(f"{name} is {inputs[name]}; it must be {minimum} or more")
    found += _max_startups_problems(str(inputs["ssh_hardening_max_startups"]))
    order = inputs["ssh_hardening_host_key_order"]
    if len(set(order)) != len(order):
        found.append(f"ssh_hardening_host_key_order {json.dumps(order)} lists a key type twice")
    found += _algorithm_problems(inputs, host_state.get("supported") or {}, version)
    exempt = inputs["ssh_hardening_penalty_exempt_sources"]
    for index, source in rules.indexed(exempt):
        if not rules.is_address_or_cidr(source):
            found.append(f"ssh_hardening_penalty_exempt_sources[{index}] '{source}' is not an address or a network in CIDR form")
    if exempt and not penalties_supported(version):
        found.append(f"ssh_hardening_penalty_exempt_sources is set, but OpenSSH {version} has no PerSourcePenalties (9.8 or later)")
    return found


def _max_startups_problems(startups):
    fine = _MAX_STARTUPS.match(startups)
    if fine and ":" in startups:
        start, rate, full = (int(part) for part in startups.split(":"))
        fine = rate <= 100 and start <= full
    if fine:
        return []
    return [f"ssh_hardening_max_startups '{startups}' is not 'start:rate:full' (start <= full, rate <= 100) or a number"]


def _algorithm_problems(inputs, supported, version):
    found = []
    key_types = inputs["__ssh_hardening_host_key_order"]
    for name, written, query in _ALGORITHMS:
        for index, algorithm in rules.indexed(inputs[name]):
            if algorithm not in supported.get(query, []):
                found.append(f"{name}[{index}] '{algorithm}' is not supported by the installed OpenSSH {version} (ssh -Q {query})")
            elif query == "key-sig" and not any(key_type in algorithm for key_type in key_types):
                found.append(
                    f"{name}[{index}] '{algorithm}' has no host key: the role keeps only"
                    f" {' and '.join(key_types)} keys (ssh_hardening_host_key_order)"
                )
        if not inputs[written]:
            found.append(f"{name} is empty and the installed OpenSSH {version} supports none of its profile's algorithms: set {name}")
    return found


def expected_effective(inputs, login_user):
    """Context ("global", "user=root", "user=LOGIN") -> sshd -T key -> the values sshd must
    print there, in order, for what the role wrote."""
    settings = {
        "passwordauthentication": ["no"],
        "kbdinteractiveauthentication": ["no"],
        "permitrootlogin": ["no"],
        "pubkeyauthentication": ["yes"],
        "permitemptypasswords": ["no"],
        "authenticationmethods": ["publickey"],
        "allowgroups": list(inputs["ssh_hardening_allow_groups"]),
        "kexalgorithms": [",".join(inputs["__ssh_hardening_kex"])],
        "ciphers": [",".join(inputs["__ssh_hardening_ciphers"])],
        "macs": [",".join(inputs["__ssh_hardening_macs"])],
        "hostkeyalgorithms": [",".join(inputs["__ssh_hardening_host_key_algorithms"])],
        "hostkey": [f"/etc/ssh/ssh_host_{key_type}_key" for key_type in inputs["__ssh_hardening_host_key_order"]],
    }
    contexts = ["global"] + sorted({"user=root", f"user={login_user}"})
    return {context: settings for context in contexts}


def effective_problems(inputs, host_state):
    effective = host_state.get("effective")
    if not isinstance(effective, dict):
        error = host_state.get("effective_error") or "no reading"
        return [f"sshd refuses its configuration, so the effective configuration cannot be checked: {error}"]
    lines = []
    for context, settings in expected_effective(inputs, host_state["login"]["user"]).items():
        got_settings = effective.get(context, {})
        for key, wanted in settings.items():
            got = got_settings.get(key, [])
            lines += [f"got {context} {key} {value}" for value in got if value not in wanted]
            lines += [f"expected {context} {key} {value}" for value in wanted if value not in got]
    if not lines:
        return []
    gots = [line for line in lines if line.startswith("got ")]
    return [_EFFECTIVE_DIFFERS + "; ".join(gots + [line for line in lines if not line.startswith("got ")])]
