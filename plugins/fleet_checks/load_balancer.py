"""Checks of the load_balancer role's input."""

from __future__ import annotations

import ipaddress
import re

from . import rules, spec

# HAProxy proxy and server names: letters, digits, '-', '_', '.' and ':'.
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.:-]+$")
# HAProxy times: a number, with us, ms, s, m, h or d (milliseconds without a unit).
_TIME = re.compile(r"^[0-9]+(us|ms|s|m|h|d)?$")
_HEALTH_PATH = re.compile(r"^/[^\s\"'#]*$")
_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")
_TIMEOUTS = ("connect", "client", "server", "http_request", "http_keep_alive", "queue", "check")


def servers(inputs):
    """load_balancer_backends with the argument spec's sub-option defaults (port, sni) filled in."""
    return spec.with_spec_defaults(inputs["load_balancer_backends"], inputs["role_path"], "load_balancer_backends")


def _is_ip(value):
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return True


def _server_problems(entries):
    found = []
    if not entries:
        found.append("load_balancer_backends is empty: give at least one server")
    names = [entry["name"] for entry in entries]
    for index, entry in rules.indexed(entries):
        where = f"load_balancer_backends[{index}]"
        name, address, port, sni = entry["name"], entry["address"], entry["port"], entry["sni"]
        if not _IDENTIFIER.match(str(name)):
            found.append(f"{where}.name '{name}' is not an HAProxy server name (letters, digits, '-', '_', '.', ':')")
        elif name in names[:index]:
            found.append(f"{where}.name '{name}' is used by more than one server")
        if not _is_ip(address) and rules.hostname_problem(str(address)):
            found.append(f"{where}.address '{address}' is neither an IP address nor a host name")
        if not 1 <= int(port) <= 65535:
            found.append(f"{where}.port {port} is not a TCP port (1-65535)")
        if sni:
            problem = rules.hostname_problem(str(sni))
            if problem:
                found.append(f"{where}.sni '{sni}' {problem}")
        elif _is_ip(address):
            found.append(
                f"{where}.sni is empty and address '{address}' is an IP address: give the name its certificate"
                " holds (sent as SNI and verified)"
            )
    return found


def _certificates_problem(text):
    if not text.strip():
        return ""
    blocks = _PEM_BLOCK.findall(text)
    if not blocks:
        return "load_balancer_backend_ca_certificates holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
    if _PEM_BLOCK.sub("", text).strip():
        return "load_balancer_backend_ca_certificates holds text besides PEM certificates"
    return ""


def problems(inputs, host_state=None):
    found = _server_problems(servers(inputs))
    backend = inputs["load_balancer_backend_name"]
    if not _IDENTIFIER.match(str(backend)):
        found.append(f"load_balancer_backend_name '{backend}' is not an HAProxy backend name (letters, digits, '-', '_', '.', ':')")
    path = inputs["load_balancer_health_path"]
    if not _HEALTH_PATH.match(str(path)):
        found.append(f"load_balancer_health_path '{path}' is not a path (starts with /, no spaces or quotes)")
    host = inputs["load_balancer_health_host"]
    problem = rules.hostname_problem(str(host))
    if problem:
        found.append(f"load_balancer_health_host '{host}' {problem}")
    problem = _certificates_problem(str(inputs["load_balancer_backend_ca_certificates"]))
    if problem:
        found.append(problem)
    address = str(inputs["load_balancer_frontend_address"])
    if address not in ("*", "::") and not _is_ip(address):
        found.append(f"load_balancer_frontend_address '{address}' is not '*', '::' or an IP address")
    frontend_port = int(inputs["load_balancer_frontend_port"])
    if not 1 <= frontend_port <= 65535:
        found.append(f"load_balancer_frontend_port {frontend_port} is not a TCP port (1-65535)")
    stats_port = int(inputs["load_balancer_stats_port"])
    if not 0 <= stats_port <= 65535:
        found.append(f"load_balancer_stats_port {stats_port} is not a TCP port (1-65535), or 0 for none")
    elif stats_port == frontend_port and address in ("*", "::", "127.0.0.1"):
        found.append(f"load_balancer_stats_port {stats_port} is the frontend's port on the same address")
    for name, low in (("check_interval", 1), ("check_fall", 1), ("check_rise", 1), ("maxconn", 1),
                      ("retries", 0), ("slowstart", 0)):
        value = int(inputs[f"load_balancer_{name}"])
        if value < low:
            found.append(f"load_balancer_{name} {value} is below {low}")
    for name in _TIMEOUTS:
        value = inputs[f"load_balancer_timeout_{name}"]
        if not _TIME.match(str(value)) or not int(re.match(r"[0-9]+", str(value)).group()):
            found.append(
                f"load_balancer_timeout_{name} '{value}' is not an HAProxy time above 0 (a number with us, ms, s, m, h or d)"
            )
    retry_on = inputs["load_balancer_retry_on"]
    if not retry_on:
        found.append("load_balancer_retry_on is empty: give none to never retry")
    elif "none" in retry_on and len(retry_on) > 1:
        found.append("load_balancer_retry_on combines none with other keywords")
    if rules.as_bool(inputs["load_balancer_redispatch"]) and retry_on == ["none"]:
        found.append("load_balancer_redispatch needs retries: load_balancer_retry_on is none")
    socket = str(inputs["load_balancer_socket"])
    if not socket.startswith("/") or any(c in socket for c in " '\"\\$`"):
        found.append(f"load_balancer_socket '{socket}' is not an absolute path without spaces or quotes")
    return found
