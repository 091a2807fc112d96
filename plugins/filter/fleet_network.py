"""Network filters for the roles' templates. (Whether a value is a network, an address or a
port is decided once, in plugins/fleet_checks/rules.py.)"""

import ipaddress


def fleet_split_family(networks):
    """Split a list of networks into {'ipv4': [...], 'ipv6': [...]}, as nftables needs them."""
    result = {"ipv4": [], "ipv6": []}
    for net in networks:
        parsed = ipaddress.ip_network(net, strict=False)
        result["ipv4" if parsed.version == 4 else "ipv6"].append(str(parsed))
    return result


def _sources(ports, networks, group=None, description=""):
    """ec2_security_group rules for PORTS from NETWORKS (split by family) or from GROUP."""
    split = fleet_split_family(networks)
    found = [{"proto": "tcp", "ports": list(ports), "group_name": group, "rule_desc": description}] if group else []
    for family, key in (("ipv4", "cidr_ip"), ("ipv6", "cidr_ipv6")):
        if split[family]:
            found.append({"proto": "tcp", "ports": list(ports), key: split[family], "rule_desc": description})
    return found


def fleet_security_groups(prefix, vpn_cidrs, app_port, database_port, cache_port):
    """The SOP's security groups, in an order where each refers only to those before it:
    443 from anywhere to the load balancer only; the app port from the load balancer's group and
    22 from the VPN to the app servers; PostgreSQL and Redis from the app servers' group and the
    VPN. The one place that says which source may reach which port (the audit reads it too)."""
    world = ["0.0.0.0/0", "::/0"]
    lb, app = f"{prefix}-lb", f"{prefix}-app"
    return [
        {"name": lb, "description": "E1 load balancer: HTTPS from anywhere",
         "rules": _sources([443], world, description="HTTPS from anywhere")},
        {"name": app, "description": "E1 app servers: the app port from the load balancer, SSH from the VPN",
         "rules": _sources([app_port], [], lb, "the app from the load balancer") + _sources([22], vpn_cidrs, description="SSH from the VPN")},
        {"name": f"{prefix}-db", "description": "E1 database: PostgreSQL from the app servers and the VPN",
         "rules": _sources([database_port], vpn_cidrs, app, "PostgreSQL from the app servers and the VPN")},
        {"name": f"{prefix}-cache", "description": "E1 cache: Redis from the app servers and the VPN",
         "rules": _sources([cache_port], vpn_cidrs, app, "Redis from the app servers and the VPN")},
    ]


class FilterModule:
    def filters(self):
        return {"fleet_split_family": fleet_split_family, "fleet_security_groups": fleet_security_groups}
