"""Checks of the firewall role's input.

The argument spec has already refused what it can say: types, `proto` outside tcp/udp, a
`firewall_forward_policy` other than accept/drop, an extra port without `port`, `proto` or
`sources`. What is left is checked here.
"""

from __future__ import annotations

import re

from . import rules

# The one word for "from anywhere" in firewall_extra_ports sources: 0.0.0.0/0 and ::/0.
ANYWHERE = "any"
_ECHO_RATE = re.compile(r"[1-9][0-9]*/(second|minute)")
# The reconnect must give up this long before the rollback fires.
_ROLLBACK_MARGIN = 15


def _int(value):
    """VALUE as an int (the spec has checked it converts), or None."""
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _vpn_problems(cidrs):
    if not isinstance(cidrs, list) or not cidrs:
        return ["firewall_vpn_cidrs is empty: list the VPN networks (CIDR, IPv4 and/or IPv6) allowed to reach SSH"]
    return [
        f"firewall_vpn_cidrs[{index}] '{cidr}' is not a network in CIDR form"
        for index, cidr in rules.indexed(cidrs)
        if not rules.is_cidr(cidr)
    ]


def _source_problems(where, sources):
    found = []
    for index, source in rules.indexed(sources):
        if source == ANYWHERE and len(sources) == 1:
            continue
        if source == ANYWHERE:
            found.append(
                f"{where}.sources[{index}] '{source}' is not a network in CIDR form: '{ANYWHERE}' means every IPv4"
                f" and IPv6 source and stands alone (sources: [{ANYWHERE}]), it cannot be mixed with other sources"
            )
        elif not rules.is_cidr(source):
            found.append(f"{where}.sources[{index}] '{source}' is not a network in CIDR form")
    return found


def _extra_port_problems(extra_ports):
    found = []
    for index, extra in rules.indexed(extra_ports):
        where = f"firewall_extra_ports[{index}]"
        port, proto, sources = extra.get("port"), extra.get("proto"), extra.get("sources")
        if not rules.is_port_spec(port):
            found.append(f"{where}.port '{port}' is not a port (1-65535) or a range 'low-high'")
        if not sources:
            found.append(
                f"{where} ({port}/{proto}) has no sources: list them explicitly, or [{ANYWHERE}] for every IPv4 and"
                " IPv6 source"
            )
        else:
            found.extend(_source_problems(where, sources))
    return found


def problems(inputs, host_state=None):
    found = _vpn_problems(inputs["firewall_vpn_cidrs"])
    ssh_port = _int(inputs["firewall_ssh_port"])
    if ssh_port is None or not 1 <= ssh_port <= 65535:
        found.append(f"firewall_ssh_port '{inputs['firewall_ssh_port']}' is not a port (1-65535)")
    for index, port in rules.indexed(inputs["firewall_public_tcp_ports"]):
        if not rules.is_port_spec(port):
            found.append(f"firewall_public_tcp_ports[{index}] '{port}' is not a port (1-65535) or a range 'low-high'")
    found.extend(_extra_port_problems(inputs["firewall_extra_ports"]))
    rate = inputs["firewall_icmp_echo_rate"]
    if not _ECHO_RATE.fullmatch(str(rate)):
        found.append(f"firewall_icmp_echo_rate '{rate}' is not of the form N/second or N/minute")
    reconnect, rollback = _int(inputs["firewall_reconnect_timeout"]), _int(inputs["firewall_rollback_seconds"])
    if reconnect is None or reconnect < 1:
        found.append(f"firewall_reconnect_timeout ({inputs['firewall_reconnect_timeout']}) must be 1 s or more")
    elif rollback is None or rollback < reconnect + _ROLLBACK_MARGIN:
        found.append(
            f"firewall_rollback_seconds ({inputs['firewall_rollback_seconds']}) must exceed firewall_reconnect_timeout"
            f" ({inputs['firewall_reconnect_timeout']}) by {_ROLLBACK_MARGIN} s or more, so the run confirms or gives up"
            " before the rollback fires"
        )
    return found
