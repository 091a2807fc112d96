"""Checks of the aws_alerting role's input: no topic is touched while one fails.

The PagerDuty integration key is a secret: no message here shows it, nor the URL as given (the
key is replaced by <key> wherever it appears)."""

from __future__ import annotations

import ipaddress
import re
import urllib.parse

from . import rules

# SNS's rule for a standard topic's name.
# PagerDuty's integration keys are 32 letters and digits; anything else would not sit in a URL path as it is.
_KEY = re.compile(r"^[A-Za-z0-9]+$")
_LOOPBACK_NAMES = ("localhost",)


def _is_loopback(host):
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _masked(text, key):
    return text.replace(key, "<key>") if key else text


def _key_problems(key, environment):
    where = f"inventories/{environment or '<env>'}/group_vars/all/vault.yml"
    if not key.strip():
        return [f"aws_alerting_pagerduty_integration_key is empty: put the on-call engineer's PagerDuty CloudWatch integration"
                f" key in vault_pagerduty_integration_key, in an ansible-vault encrypted {where}"
                f" (ansible-vault create {where}), or set aws_alerting_pagerduty_integration_key"]
    if not _KEY.match(key):
        return ["aws_alerting_pagerduty_integration_key (vault_pagerduty_integration_key) is not a PagerDuty integration key:"
                " letters and digits only (the value is not shown: it is a secret)"]
    return []


def _url_problems(url, key):
    shown = _masked(url, key)
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        pass
    elif parts.scheme == "http" and _is_loopback(host):
        pass
    else:
        return [f"aws_alerting_pagerduty_url {shown!r} is not an https:// URL (plain http only to a loopback address,"
                " for tests and the local endpoint): the key travels in it"]
    if key and key not in url:
        return [f"aws_alerting_pagerduty_url {shown!r} does not hold the integration key: PagerDuty tells its"
                " integrations apart by it (https://events.pagerduty.com/integration/<key>/enqueue)"]
    return []


def problems(inputs, host_state=None):
    found = []
    key = str(inputs["aws_alerting_pagerduty_integration_key"] or "")
    found += _key_problems(key, inputs.get("fleet_environment"))
    found += _url_problems(str(inputs["aws_alerting_pagerduty_url"] or ""), key)
    name = str(inputs["aws_alerting_topic_name"])
    if not rules.SNS_TOPIC_NAME.match(name):
        found.append(f"aws_alerting_topic_name {name!r} is no SNS topic name (1 to 256 letters, digits, hyphens and underscores)")
    main_region = str(inputs.get("fleet_aws_region") or "")
    if not rules.REGION.match(main_region):
        found.append(f"fleet_aws_region {main_region!r} is no AWS region (ap-southeast-3): the inventory names the main region")
    for index, region in rules.indexed(inputs["aws_alerting_extra_regions"]):
        if not rules.REGION.match(str(region)):
            found.append(f"aws_alerting_extra_regions[{index}] {region!r} is no AWS region (us-east-1)")
    return found
