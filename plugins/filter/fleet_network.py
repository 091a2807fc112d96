"""Filters shared by the roles and the bootstrap guards."""

import base64
import binascii
import ipaddress
import struct

from ansible.errors import AnsibleFilterError

# Key types an operator may authorise. DSA and ssh-rsa keys under 2048 bits are refused.
_SSH_KEY_TYPES = {
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
}
_MIN_RSA_BITS = 2048


def _read_string(blob, offset):
    if offset + 4 > len(blob):
        raise ValueError("truncated key")
    (length,) = struct.unpack(">I", blob[offset : offset + 4])
    end = offset + 4 + length
    if end > len(blob):
        raise ValueError("truncated key")
    return blob[offset + 4 : end], end


def ssh_public_key_problem(value):
    """Return why VALUE is not an acceptable OpenSSH public key line, or '' when it is."""
    if not isinstance(value, str):
        return "not a string"
    words = value.strip().split()
    if len(words) < 2:
        return "expected '<type> <base64> [comment]'"
    key_type, encoded = words[0], words[1]
    if key_type not in _SSH_KEY_TYPES:
        return f"key type {key_type!r} is not accepted"
    try:
        blob = base64.b64decode(encoded, validate=True)
        embedded_type, offset = _read_string(blob, 0)
        if embedded_type.decode("ascii", "replace") != key_type:
            return "the key data does not match its type"
        if key_type == "ssh-rsa":
            _exponent, offset = _read_string(blob, offset)
            modulus, offset = _read_string(blob, offset)
            bits = int.from_bytes(modulus, "big").bit_length()
            if bits < _MIN_RSA_BITS:
                return f"RSA key of {bits} bits is shorter than {_MIN_RSA_BITS}"
        else:
            _read_string(blob, offset)
    except (binascii.Error, ValueError) as err:
        return f"the key data is not valid ({err})"
    return ""


def fleet_address_in(address, networks):
    """True when ADDRESS (IPv4 or IPv6, IPv4-mapped allowed) lies in one of NETWORKS."""
    try:
        ip = ipaddress.ip_address(str(address).strip())
    except ValueError as err:
        raise AnsibleFilterError(f"fleet_address_in: {address!r} is not an IP address") from err
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


def fleet_split_family(networks):
    """Split a list of networks into {'ipv4': [...], 'ipv6': [...]}, as nftables needs them."""
    result = {"ipv4": [], "ipv6": []}
    for net in networks:
        parsed = ipaddress.ip_network(net, strict=False)
        result["ipv4" if parsed.version == 4 else "ipv6"].append(str(parsed))
    return result


class FilterModule:
    def filters(self):
        return {
            "fleet_address_in": fleet_address_in,
            "fleet_split_family": fleet_split_family,
            "fleet_ssh_key_problem": ssh_public_key_problem,
        }
