"""Primitive rules shared by the roles' checks. Each returns a problem text, or "" when fine."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import struct

from ansible.module_utils.parsing.convert_bool import boolean



def as_bool(value):
    """VALUE as a bool, accepting the strings an operator types with -e (the words the argument
    specs accept: true/false, yes/no, on/off, 1/0)."""
    try:
        return boolean(value, strict=True)
    except TypeError as err:
        raise ValueError(f"{value!r} is not a boolean (true/false, yes/no)") from err


def is_cidr(value):
    """A network in CIDR form, IPv4 or IPv6, with no host bits set (10.8.0.0/24, not 10.8.0.1/24)."""
    if not isinstance(value, str) or "/" not in value:
        return False
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError:
        return False
    return True


def is_address_or_cidr(value):
    """An IP address, or a network in CIDR form."""
    if is_cidr(value):
        return True
    try:
        ipaddress.ip_address(str(value))
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


def port_range(value):
    """(low, high) of a port spec."""
    parts = [int(p) for p in str(value).split("-")]
    return parts[0], parts[-1]


def address_in(address, networks):
    """True when ADDRESS (IPv4 or IPv6, IPv4-mapped allowed) lies in one of NETWORKS."""
    ip = ipaddress.ip_address(str(address).strip())
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def hostname_problem(name, lower_case=False, wildcard=False):
    """Why NAME is not a DNS host name (RFC 1123 labels, 253 characters, not an IP address)."""
    if not isinstance(name, str) or not name:
        return "is empty"
    labels = name.split(".")
    if wildcard and labels[0] == "*":
        labels = labels[1:]
    if len(name) > 253 or not labels or not all(_LABEL.match(label) for label in labels):
        return "is not a host name: labels of letters, digits and inner hyphens, 1 to 63 characters each, 253 in all"
    if lower_case and name != name.lower():
        return "must be lower case"
    if labels[-1].isdigit():
        return "is an IP address, not a host name"
    return ""


_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# Prefixes and suffixes S3 reserves for its own names (access points, aliases, directory buckets).
_BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def bucket_name_problem(name):
    """Why S3 would refuse NAME for a general purpose bucket, or "" (AWS's naming rules)."""
    if not isinstance(name, str) or not _BUCKET.match(name):
        return ("must be 3 to 63 characters of lower-case letters, digits, dots and hyphens,"
                " starting and ending with a letter or a digit")
    if ".." in name or ".-" in name or "-." in name:
        return "must not have two dots in a row or a dot next to a hyphen"
    if re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", name):
        return "must not look like an IP address"
    if name.startswith(_BUCKET_RESERVED_PREFIXES) or name.endswith(_BUCKET_RESERVED_SUFFIXES):
        return "uses a prefix or suffix S3 reserves (xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, .mrap, --x-s3, --table-s3)"
    return ""


# AWS identifiers several roles take.
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
INSTANCE_ID = re.compile(r"^i-([0-9a-f]{8}|[0-9a-f]{17})$")
ASG_NAME_MAX = 255
SNS_TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
SNS_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:(?P<region>[a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$")

UNIT_NAME = re.compile(r"^[A-Za-z0-9@_.:-]+\.(service|socket|timer|target|mount|path|scope|slice)$")
LOGIN_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
EMAIL = re.compile(r"^[^@\s\"<>,;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def number(value):
    """VALUE as a float, or None when it is no number (a boolean is none either)."""
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def indexed(values):
    """(index, value) pairs of a list; nothing for a value that is not a list."""
    return list(enumerate(values)) if isinstance(values, list) else []


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
    """Why VALUE is not an acceptable OpenSSH public key line, or '' when it is."""
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
