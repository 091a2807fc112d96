"""Checks of the http_probe role's input."""

from __future__ import annotations

import urllib.parse


def problems(inputs, host_state=None):
    found = []
    url = urllib.parse.urlparse(str(inputs["http_probe_url"]))
    if url.scheme not in ("http", "https") or not url.netloc:
        found.append(f"http_probe_url '{inputs['http_probe_url']}' is not an http or https URL")
    for name, least in (("http_probe_seconds", 0.1), ("http_probe_rate", 0.1), ("http_probe_timeout", 0.1)):
        if float(inputs[name]) < least:
            found.append(f"{name} {inputs[name]} must be {least} or more")
    return found
