"""Checks of the aws_network role's input: no security group is touched while one fails."""

from __future__ import annotations

import ipaddress
import re

from . import rules

# What AWS takes in a security group's name: 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*
_GROUP_NAME = re.compile(r"^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,249}$")
_PORTS = ("aws_network_app_port", "aws_network_database_port", "aws_network_cache_port")


def _vpn_problems(cidrs):
    if not isinstance(cidrs, list) or not cidrs:
        return ["aws_network_vpn_cidrs is empty: SSH, PostgreSQL and Redis would be open to no operator"
                " (it defaults to the host firewall's firewall_vpn_cidrs: set that in the inventory)"]
    found = []
    for index, cidr in rules.indexed(cidrs):
        if not rules.is_cidr(cidr):
            found.append(f"aws_network_vpn_cidrs[{index}] {cidr!r} is not a network in CIDR form with no host bits set (10.8.0.0/24)")
        elif ipaddress.ip_network(cidr).prefixlen == 0:
            found.append(f"aws_network_vpn_cidrs[{index}] {cidr!r} is the whole internet: only 443 may be open to it")
    return found


def problems(inputs, host_state=None):
    found = []
    if not str(inputs["aws_network_vpc_name"]).strip():
        found.append("aws_network_vpc_name is empty: name the VPC (its Name tag) the groups belong in")
    prefix = str(inputs["aws_network_name_prefix"])
    if not _GROUP_NAME.match(prefix) or prefix.lower().startswith("sg-"):
        found.append(f"aws_network_name_prefix {prefix!r} is no start of a security group name"
                     " (up to 249 characters of letters, digits, spaces and ._-:/()#,@[]+=&;{{}}!$*; not 'sg-' first)")
    found += _vpn_problems(inputs["aws_network_vpn_cidrs"])
    ports = {name: inputs[name] for name in _PORTS}
    for name, port in ports.items():
        if not rules.is_port_spec(port) or "-" in str(port):
            found.append(f"{name} {port!r} is not a port (1-65535)")
    if len({str(port) for port in ports.values()}) < len(ports):
        found.append("aws_network_app_port, aws_network_database_port and aws_network_cache_port must differ")
    if 22 in {int(p) for p in ports.values() if str(p).isdigit()}:
        found.append("a service port is 22: SSH is reachable from the VPN only, never through the service groups")
    return found
