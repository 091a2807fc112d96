"""Checks of the web_front role's input.

Two of them read other roles' variables, as the validation play sees them (playbooks/web_front.yml
includes the firewall's and acme_certificates' validate entry points with `public: true` first):
whether the firewall opens tcp/80 (firewall_public_tcp_ports, firewall_extra_ports), and which
certificates there are (acme_certificates_certificates).
"""

from __future__ import annotations

import re

from . import acme_certificates, rules

_ADDRESS = re.compile(r"^([A-Za-z0-9.-]+|[0-9A-Fa-f:]+)$")
_HEALTH_PATH = re.compile(r'^/[^\s"]*$')
_SIZE = re.compile(r"^[0-9]+[kKmMgG]?$")
_SERVED = re.compile(r"^/etc/fleet-acme/served/([^/]+)/")

_FIREWALL_VARIABLES = ("firewall_public_tcp_ports", "firewall_extra_ports")


def _not_in_scope(names, role, needed_for):
    return (
        f"{' and '.join(names)} not in scope, which {needed_for} reads: include the {role} role's validate"
        " entry point with public: true before web_front's (playbooks/web_front.yml does)"
    )


def opens_tcp_80(public_tcp_ports, extra_ports):
    """Whether the firewall's input opens tcp/80: a public port or range, or a declared tcp extra port.

    Only port and proto matter here; the sources (a list, or the word any) are the firewall's business,
    as are malformed entries, which its own checks report.
    """
    for spec in public_tcp_ports if isinstance(public_tcp_ports, list) else []:
        if rules.is_port_spec(spec) and rules.port_range(spec)[0] <= 80 <= rules.port_range(spec)[1]:
            return True
    for entry in extra_ports if isinstance(extra_ports, list) else []:
        if not isinstance(entry, dict) or entry.get("proto") != "tcp" or not rules.is_port_spec(entry.get("port")):
            continue
        low, high = rules.port_range(entry["port"])
        if low <= 80 <= high:
            return True
    return False


def name_served(domain, server_names):
    """Whether nginx's server_name list matches DOMAIN (as the expiry check sends it as SNI).

    An exact name matches itself (case aside); "*.example.org" matches every name that ends in
    ".example.org", as in nginx, and so the expiry check's stand-in for a wildcard certificate name.
    """
    wanted = str(domain).lower()
    if wanted.startswith("*."):
        wanted = "wildcard-check." + wanted[2:]
    for name in server_names:
        name = str(name).lower()
        if name == wanted or (name.startswith("*.") and wanted.endswith(name[1:])):
            return True
    return False


def problems(inputs, host_state=None):
    found = []
    upstreams = inputs["web_front_upstream_servers"]
    if not upstreams:
        found.append("web_front_upstream_servers is empty: nginx needs the app's address and port")
    for index, server in rules.indexed(upstreams):
        if not _ADDRESS.match(str(server["address"])):
            found.append(
                f"web_front_upstream_servers[{index}].address '{server['address']}' is not a host name or IP address"
            )
        if not 1 <= int(server["port"]) <= 65535:
            found.append(f"web_front_upstream_servers[{index}].port {server['port']} is not a port (1-65535)")

    server_names = inputs["web_front_server_names"]
    for index, name in rules.indexed(server_names):
        problem = rules.hostname_problem(name, wildcard=True)
        if problem:
            found.append(f"web_front_server_names[{index}] '{name}' {problem}")

    health_path = inputs["web_front_health_path"]
    if not _HEALTH_PATH.match(str(health_path)):
        found.append(f"web_front_health_path '{health_path}' must start with / and hold no spaces or quotes")
    for variable in ("web_front_tls_certificate", "web_front_tls_certificate_key", "web_front_acme_webroot"):
        if not str(inputs[variable]).startswith("/"):
            found.append(f"{variable} '{inputs[variable]}' is not an absolute path")
    if int(inputs["web_front_hsts_max_age"]) < 0:
        found.append(f"web_front_hsts_max_age {inputs['web_front_hsts_max_age']} is negative")
    body_size = inputs["web_front_client_max_body_size"]
    if not _SIZE.match(str(body_size)):
        found.append(f"web_front_client_max_body_size '{body_size}' is not an nginx size (digits with k, m or g)")
    if '"' in str(inputs["web_front_content_security_policy"]):
        found.append("web_front_content_security_policy holds a double quote, which would break the header line")

    http_listen = rules.as_bool(inputs["web_front_http_listen"])
    if http_listen:
        missing = [name for name in _FIREWALL_VARIABLES if name not in inputs]
        if missing:
            found.append(_not_in_scope(missing, "firewall", "the port 80 check"))
        elif not opens_tcp_80(inputs["firewall_public_tcp_ports"], inputs["firewall_extra_ports"]):
            found.append(
                "web_front_http_listen is true but the firewall does not open tcp/80: declare it in"
                " firewall_extra_ports (port 80, proto tcp, sources)"
            )

    if "acme_certificates_certificates" not in inputs:
        found.append(_not_in_scope(["acme_certificates_certificates"], "acme_certificates", "the certificate check"))
        return found
    certificates = acme_certificates.certificates(inputs)

    http01 = [c for c in certificates if c["challenge"] == "http-01"]
    if http01 and not http_listen:
        found.append(
            "web_front_http_listen is false but acme_certificates_certificates"
            f" ({', '.join(c['name'] for c in http01)}) use challenge http-01, which needs port 80"
            " (or use dns-01)"
        )
    if http01 and http_listen and str(inputs["acme_certificates_webroot"]) != str(inputs["web_front_acme_webroot"]):
        found.append(
            f"web_front_acme_webroot '{inputs['web_front_acme_webroot']}' is not acme_certificates_webroot"
            f" '{inputs['acme_certificates_webroot']}': port 80 would not serve the HTTP-01 challenges"
        )

    served = _SERVED.match(str(inputs["web_front_tls_certificate"]))
    if served and served.group(1) not in [c["name"] for c in certificates]:
        found.append(
            f"web_front_tls_certificate '{inputs['web_front_tls_certificate']}': acme_certificates_certificates"
            f" has no certificate named '{served.group(1)}'"
        )

    # With names listed, nginx refuses every other name (the TLS handshake, HTTP-01 on port 80),
    # and the expiry check asks for each certificate name by SNI.
    if server_names:
        for cert_index, certificate in enumerate(certificates):
            for index, domain in rules.indexed(certificate["domains"]):
                if not name_served(domain, server_names):
                    found.append(
                        f"acme_certificates_certificates[{cert_index}].domains[{index}] '{domain}' is not in"
                        " web_front_server_names: nginx refuses the names not listed there, so its"
                        " challenge and the expiry check would fail (list it, or leave the names empty)"
                    )
    return found
