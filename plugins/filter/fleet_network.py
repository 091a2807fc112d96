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


class FilterModule:
    def filters(self):
        return {"fleet_split_family": fleet_split_family}
