"""Checks of the database_server role's input."""

from __future__ import annotations

import ipaddress
import re

from . import rules

# Unquoted PostgreSQL identifiers, as the role writes them into pg_hba.conf and SQL: lower case,
# at most 63 bytes.
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_LIBRARY = re.compile(r"^[A-Za-z0-9_-]+$")
_CLUSTER = re.compile(r"^[A-Za-z0-9_.-]+$")
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
_RESERVED_DATABASES = {"postgres", "template0", "template1"}
_MIN_PASSWORD = 12
# PostgreSQL's limits: above superuser_reserved_connections (3), at most 262143.
_MAX_CONNECTIONS = (4, 262143)


def _listen_problem(address):
    text = str(address)
    if text == "*":
        return ""
    try:
        ipaddress.ip_address(text)
        return ""
    except ValueError:
        pass
    problem = rules.hostname_problem(text)
    return f"is not '*', an IP address or a host name ({problem})" if problem else ""


def problems(inputs, host_state=None):
    found = []
    listen = inputs["database_server_listen_addresses"]
    if not listen:
        found.append("database_server_listen_addresses is empty: give at least localhost")
    for index, address in rules.indexed(listen):
        problem = _listen_problem(address)
        if problem:
            found.append(f"database_server_listen_addresses[{index}] '{address}' {problem}")
    port = int(inputs["database_server_port"])
    if not 1 <= port <= 65535:
        found.append(f"database_server_port {port} is not a TCP port (1-65535)")
    connections = int(inputs["database_server_max_connections"])
    if not _MAX_CONNECTIONS[0] <= connections <= _MAX_CONNECTIONS[1]:
        found.append(
            f"database_server_max_connections {connections} is outside {_MAX_CONNECTIONS[0]}-{_MAX_CONNECTIONS[1]}"
            " (PostgreSQL keeps 3 for superusers)"
        )
    for index, library in rules.indexed(inputs["database_server_preload_libraries"]):
        if not _LIBRARY.match(str(library)):
            found.append(f"database_server_preload_libraries[{index}] '{library}' is not a module name"
                         " (letters, digits, '_', '-'; a server that cannot load it does not start)")
    cluster = inputs["database_server_cluster"]
    if not _CLUSTER.match(str(cluster)):
        found.append(f"database_server_cluster '{cluster}' is not a cluster name (letters, digits, '.', '_', '-')")
    user = inputs["database_server_app_user"]
    if not _IDENTIFIER.match(str(user)):
        found.append(f"database_server_app_user '{user}' is not a lower-case PostgreSQL name (a-z, 0-9, _; 63 at most)")
    elif user == "postgres":
        found.append("database_server_app_user 'postgres' is the superuser: give the app its own role")
    database = inputs["database_server_app_database"]
    if not _IDENTIFIER.match(str(database)):
        found.append(
            f"database_server_app_database '{database}' is not a lower-case PostgreSQL name (a-z, 0-9, _; 63 at most)"
        )
    elif database in _RESERVED_DATABASES:
        found.append(f"database_server_app_database '{database}' is one of PostgreSQL's own databases")
    password = inputs["database_server_app_password"]
    if not isinstance(password, str) or len(password) < _MIN_PASSWORD:
        found.append(f"database_server_app_password is shorter than {_MIN_PASSWORD} characters (never shown)")
    elif "\x00" in password or "\n" in password:
        found.append("database_server_app_password holds a NUL or a line break (never shown)")
    for name in ("database_server_app_networks", "database_server_controller_networks"):
        for index, network in rules.indexed(inputs[name]):
            if not rules.is_cidr(network):
                found.append(f"{name}[{index}] '{network}' is not a network in CIDR form")
    remote = inputs["database_server_app_networks"] or inputs["database_server_controller_networks"]
    if remote and listen and all(str(a) in _LOOPBACK_NAMES for a in listen):
        found.append(
            "database_server_listen_addresses listens on the loopback only, yet"
            " database_server_app_networks or database_server_controller_networks allow remote logins:"
            " add the host's address"
        )
    return found
