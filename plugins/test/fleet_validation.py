"""Jinja tests shared by the roles' input validation.

Each role validates its input before it changes anything; these tests are the one place where
"is this a network" and "is this a port spec" are decided (SSH keys: the fleet_ssh_key_problem
filter).
"""

import ipaddress


def is_cidr(value):
    """A network in CIDR form, IPv4 or IPv6, with no host bits set (10.8.0.0/24, not 10.8.0.1/24)."""
    if not isinstance(value, str) or "/" not in value:
        return False
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError:
        return False
    return True


def is_port_spec(value):
    """A port (1-65535) or an inclusive range 'low-high'."""
    text = str(value)
    parts = text.split("-")
    if len(parts) not in (1, 2) or not all(p.isdigit() for p in parts):
        return False
    numbers = [int(p) for p in parts]
    return all(1 <= n <= 65535 for n in numbers) and numbers == sorted(numbers)


class TestModule:
    def tests(self):
        return {
            "fleet_cidr": is_cidr,
            "fleet_port_spec": is_port_spec,
        }
