"""Checks of the test_apt_repo role's input (the local test apt repository's HTTP server)."""

from __future__ import annotations

import ipaddress
import re

# A path the role writes into a systemd unit's ExecStart and serves: no spaces, quotes, "$", "%"
# (systemd specifiers) or "..".
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9._/+-]+$")


def _directory_problem(value):
    text = str(value)
    if not _SAFE_PATH.match(text) or "/../" in f"{text}/" or text.rstrip("/") == "":
        return "is not an absolute directory path (letters, digits and . _ / + - only, no '..', not '/')"
    return ""


def problems(inputs, host_state=None):
    found = []
    source = str(inputs["test_apt_repo_source_dir"])
    if not source.startswith("/"):
        found.append(f"test_apt_repo_source_dir '{source}' is not an absolute path on the controller")
    root = inputs["test_apt_repo_root"]
    problem = _directory_problem(root)
    if problem:
        found.append(f"test_apt_repo_root '{root}' {problem}")
    port = int(inputs["test_apt_repo_port"])
    if not 1 <= port <= 65535:
        found.append(f"test_apt_repo_port {port} is not a TCP port (1-65535)")
    address = str(inputs["test_apt_repo_listen_address"])
    if address:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            found.append(f"test_apt_repo_listen_address '{address}' is not an IP address (or empty for every address)")
    return found
