"""Checks of the acme_certificates role's input."""

from __future__ import annotations

import re
from pathlib import Path

from . import rules, spec

_LINEAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# A DNS name: lower-case labels of letters, digits and hyphens; a leading "*." only for DNS-01.
_DOMAIN = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")
_HTTPS_URL = re.compile(r"^https://[^/\s]+(/\S*)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def certificates(inputs):
    """acme_certificates_certificates with the argument spec's sub-option defaults (challenge) filled
    in. The role's own path is a sibling of whichever role runs the check (web_front reads it too)."""
    role_path = Path(inputs["role_path"]).parent / "acme_certificates"
    return spec.with_spec_defaults(inputs["acme_certificates_certificates"], role_path, "acme_certificates_certificates")


def _certificate_problems(certificates):
    found = []
    names = [c["name"] for c in certificates]
    for cert_index, certificate in rules.indexed(certificates):
        where = f"acme_certificates_certificates[{cert_index}]"
        name = certificate["name"]
        if not _LINEAGE.match(str(name)):
            found.append(f"{where}.name '{name}' is not a lineage name (letters, digits, dot, dash, underscore)")
        if names.count(name) > 1:
            found.append(f"{where}.name '{name}' is used by more than one certificate")
        domains = certificate["domains"]
        if not domains:
            found.append(f"{where}.domains is empty: give at least one DNS name")
        for index, domain in rules.indexed(domains):
            if not _DOMAIN.match(str(domain)):
                found.append(
                    f"{where}.domains[{index}] '{domain}' is not a DNS name"
                    " (lower-case labels of letters, digits, hyphens)"
                )
            elif str(domain).startswith("*.") and certificate["challenge"] == "http-01":
                found.append(f"{where}.domains[{index}] '{domain}' is a wildcard: it needs challenge dns-01")
    return found


def problems(inputs, host_state=None):
    found = _certificate_problems(certificates(inputs))
    url = inputs["acme_certificates_directory_url"]
    if not _HTTPS_URL.match(str(url)):
        found.append(f"acme_certificates_directory_url '{url}' is not an https:// URL")
    email = inputs["acme_certificates_email"]
    if email and not _EMAIL.match(str(email)):
        found.append(f"acme_certificates_email '{email}' is not an e-mail address (or empty)")
    bundle = inputs["acme_certificates_extra_ca_bundle"]
    if bundle and "-----BEGIN CERTIFICATE-----" not in str(bundle):
        found.append("acme_certificates_extra_ca_bundle holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
    fraction = float(inputs["acme_certificates_renew_fraction"])
    if not 0 < fraction < 1:
        found.append(f"acme_certificates_renew_fraction {fraction} is not between 0 and 1 (exclusive)")
    days = int(inputs["acme_certificates_placeholder_days"])
    if days < 1:
        found.append(f"acme_certificates_placeholder_days {days} must be at least 1")
    delay = int(inputs["acme_certificates_renew_random_delay"])
    if delay < 0:
        found.append(f"acme_certificates_renew_random_delay {delay} is negative")
    port = int(inputs["acme_certificates_expiry_port"])
    if not 1 <= port <= 65535:
        found.append(f"acme_certificates_expiry_port {port} is not a port (1-65535)")
    webroot = inputs["acme_certificates_webroot"]
    if not str(webroot).startswith("/"):
        found.append(f"acme_certificates_webroot '{webroot}' is not an absolute path")
    command = inputs["acme_certificates_failure_command"]
    if command and not str(command[0]).startswith("/"):
        found.append(
            f"acme_certificates_failure_command[0] '{command[0]}' is not an absolute path: the command runs"
            " without a shell or a search path"
        )
    return found
