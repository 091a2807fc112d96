"""The configuration backup's document: the inventory and the platform's variables as the run sees
them, templated, with every secret removed, as JSON that is the same text for the same
configuration (so that its SHA-256 says whether anything changed since the last upload).

What is a secret (each such variable, or part of a variable, is removed, never masked):
- a name matching one of the secret patterns (password, secret, token, integration_key, ...,
  and every vault_* variable: the project keeps vaulted values under that prefix);
- a value that came from the vault: an inline !vault value (ansible-core tags the decrypted text),
  a value read from a vault-encrypted file (its origin, which ansible-core records), or text that
  is still vault ciphertext;
- a variable whose text contains a removed secret of MIN_SECRET_LENGTH characters or more (the
  PagerDuty URL that embeds the integration key). Shorter secrets are not searched for inside
  other values: they would match innocent text; their own variables are still removed.

Variables that cannot be templated here (one that needs a host's facts) are listed by name only.
Ansible's omit placeholder differs on every run, so values holding it are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.parsing.vault import VaultHelper, is_encrypted_file

try:
    # Where a value was read from: the one way to see that a value came from a whole-file vault.
    from ansible._internal._datatag._tags import Origin
except ImportError:  # another ansible-core: the name and content rules still apply
    Origin = None

MIN_SECRET_LENGTH = 8
VAULT_HEADER = "$ANSIBLE_VAULT;"
OMIT_PREFIX = "__omit_place_holder__"
FORMAT = 1


class _Removed:
    """Marks a value left out of the document."""


REMOVED = _Removed()


class SecretRules:
    """Which names and values are secrets."""

    def __init__(self, name_patterns):
        try:
            self._names = [re.compile(pattern, re.IGNORECASE) for pattern in name_patterns]
        except (re.error, TypeError) as err:
            raise AnsibleFilterError(f"a secret name pattern is not a regular expression: {err}") from err
        if not self._names:
            raise AnsibleFilterError("no secret name patterns: refusing to back up variables unfiltered")
        self._encrypted_files = {}

    def secret_name(self, name):
        return any(pattern.search(str(name)) for pattern in self._names)

    def secret_value(self, value):
        if isinstance(value, str) and value.lstrip().startswith(VAULT_HEADER):
            return True
        if VaultHelper.get_ciphertext(value, with_tags=False):
            return True
        return self._from_encrypted_file(value)

    def _from_encrypted_file(self, value):
        origin = Origin.get_tag(value) if Origin is not None else None
        path = getattr(origin, "path", None)
        if not path:
            return False
        if path not in self._encrypted_files:
            try:
                with open(path, "rb") as handle:
                    self._encrypted_files[path] = is_encrypted_file(handle)
            except OSError:
                self._encrypted_files[path] = False
        return self._encrypted_files[path]


def _texts(value):
    """Every string (and number) inside VALUE, as text."""
    if isinstance(value, Mapping):
        return [text for key in value for text in _texts(value[key])]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, bool) or value is None:
        return []
    return [str(value)]


def scrub(value, path, rules, removed, secrets):
    """VALUE as plain JSON data without its secret parts (REMOVED when it is a secret itself).
    The paths of removed parts are appended to REMOVED, their text added to SECRETS."""
    if rules.secret_value(value):
        removed.append(path)
        secrets.update(_texts(value))
        return REMOVED
    if isinstance(value, Mapping):
        kept = {}
        for key in value:
            where = f"{path}.{key}"
            if rules.secret_name(key):
                removed.append(where)
                secrets.update(_texts(value[key]))
                continue
            item = scrub(value[key], where, rules, removed, secrets)
            if item is not REMOVED:
                kept[str(key)] = item
        return kept
    if isinstance(value, (list, tuple)):
        kept = []
        for index, item in enumerate(value):
            item = scrub(item, f"{path}[{index}]", rules, removed, secrets)
            if item is not REMOVED:
                kept.append(item)
        return kept
    if isinstance(value, str):
        return REMOVED if value.startswith(OMIT_PREFIX) else str(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def _embeds(value, secrets):
    return any(secret in text for text in _texts(value) for secret in secrets)


# Ansible's own variables: the inventory's structure (read apart), connection settings and facts.
_NOT_CONFIGURATION = ("hostvars", "vars", "groups", "group_names", "omit", "play_hosts", "role_names")


class _Reader:
    """Reads variables from mappings that template on access (the task's vars, a host's
    hostvars), scrubbing each, and gathers the text of every secret met."""

    def __init__(self, rules):
        self.rules = rules
        self.secrets = set()
        self.removed = []
        self.unresolved = []

    def gather_secrets(self, source, name):
        """Add the secrets in NAME, a variable not backed up, to those searched for in the others:
        a backed-up URL may embed a vault value whatever that value's own name."""
        sensitive = self.rules.secret_name(name)
        if not sensitive and (name in _NOT_CONFIGURATION or name.startswith("ansible_")):
            return
        secrets = set()
        try:
            if sensitive:  # ansible_become_password among them
                secrets.update(_texts(source[name]))
            else:
                scrub(source[name], name, self.rules, [], secrets)
        except Exception:  # noqa: BLE001 - a value that cannot be templated here has no text to search for
            return
        self.secrets |= secrets

    def read(self, source, name, where):
        """NAME's scrubbed value in SOURCE: REMOVED when it is a secret, None when unresolved."""
        removed, secrets = [], set()
        try:
            if self.rules.secret_name(name):
                removed.append(where)
                secrets.update(_texts(source[name]))
                value = REMOVED
            else:
                value = scrub(source[name], where, self.rules, removed, secrets)
        except Exception:  # noqa: BLE001 - templating errors come in many types; the name alone is kept
            if removed:  # a secret, whether or not it can be templated
                self.removed += removed
                return REMOVED
            self.unresolved.append(where)
            return None
        self.removed += removed
        self.secrets |= secrets
        return value


def _host_values(reader, host, host_vars, wanted, controller):
    """HOST's included variables that its group and host variables set otherwise than the
    controller sees them, and its ansible_host. A variable the controller has that cannot be
    templated in the host's scope (one that reads hostvars or groups) is taken to be the same."""
    own = {}
    for name in sorted(host_vars):
        if not (wanted(name) or name == "ansible_host"):
            reader.gather_secrets(host_vars, name)
            continue
        probe = _Reader(reader.rules)
        value = probe.read(host_vars, name, f"inventory.hosts.{host}.{name}")
        if name in controller and (value == controller[name] or (value is None and probe.unresolved)):
            continue
        reader.removed += probe.removed
        reader.unresolved += probe.unresolved
        reader.secrets |= probe.secrets
        own[name] = value
    return own


def fleet_config_backup(variables, hostvars, groups, include_patterns, secret_name_patterns, excluded_names=()):
    """The backup document (JSON text, sorted keys, newline-terminated) of the configuration.

    VARIABLES: the controller's variables (the task's `vars`); those whose names match one of
    INCLUDE_PATTERNS (regular expressions) and are not in EXCLUDED_NAMES go under "variables".
    HOSTVARS, GROUPS: the inventory. Under "inventory": each group's hosts (sorted), and for each
    host its ansible_host and the included variables its group and host variables set otherwise
    than the controller sees them. Secrets are removed as the module docstring says; their names
    (paths) are listed under "excluded", with the variables that could not be templated."""
    rules = SecretRules(secret_name_patterns)
    try:
        include = [re.compile(pattern) for pattern in include_patterns]
    except (re.error, TypeError) as err:
        raise AnsibleFilterError(f"an include pattern is not a regular expression: {err}") from err
    excluded = set(excluded_names)

    def wanted(name):
        return name not in excluded and any(pattern.search(name) for pattern in include)

    reader = _Reader(rules)
    controller = {}
    for name in sorted(variables):
        if wanted(name):
            controller[name] = reader.read(variables, name, name)
        else:
            reader.gather_secrets(variables, name)
    hosts = {host: _host_values(reader, host, hostvars[host], wanted, controller) for host in sorted(groups.get("all", []))}

    secrets = {s for s in reader.secrets if len(s) >= MIN_SECRET_LENGTH}
    for where, values in [("", controller)] + [(f"inventory.hosts.{h}.", v) for h, v in hosts.items()]:
        for name in list(values):
            if values[name] is REMOVED or values[name] is None:
                del values[name]
            elif secrets and _embeds(values[name], secrets):
                reader.removed.append(where + name)
                del values[name]

    document = {
        "format": FORMAT,
        "inventory": {"groups": {g: sorted(members) for g, members in groups.items()}, "hosts": hosts},
        "variables": controller,
        "excluded": {"secrets": sorted(set(reader.removed)), "unresolved": sorted(set(reader.unresolved))},
    }
    return render(document)


_PUBLIC_ACCESS_BLOCK = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
_TLS_ONLY = {"Bool": {"aws:SecureTransport": "false"}}


def fleet_config_backup_bucket_policy(name):
    """The bucket policy: every request without TLS refused, so the backups are encrypted in
    transit as well as at rest."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
            "Condition": _TLS_ONLY,
        }],
    }


def _refuses_plain_http(policy_text):
    try:
        statements = json.loads(policy_text or "{}").get("Statement", [])
    except (TypeError, ValueError):
        return False
    return any(s.get("Effect") == "Deny" and s.get("Condition") == _TLS_ONLY for s in statements if isinstance(s, dict))


def fleet_config_backup_bucket_drift(buckets, name, key_arn, tls_only=True):
    """What differs between the bucket as amazon.aws.s3_bucket_info read it (BUCKETS, its
    `buckets`: [] when there is none) and the SOP's: default encryption SSE-KMS with KEY_ARN and a
    bucket key, versioning enabled, every public access block on, ACLs off (BucketOwnerEnforced).
    One sentence per difference; [] when the bucket is as wanted."""
    key = key_arn or "the key this run makes"
    if not buckets:
        return [f"bucket {name} would be made: SSE-KMS with {key}, versioning, public access blocked, ACLs off"]
    bucket = buckets[0]
    found = []
    rule = (((bucket.get("bucket_encryption") or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules") or [{}])[0]
    default = rule.get("ApplyServerSideEncryptionByDefault") or {}
    if default.get("SSEAlgorithm") != "aws:kms" or not key_arn or default.get("KMSMasterKeyID") != key_arn:
        found.append(f"default encryption {default.get('SSEAlgorithm', 'none')} with {default.get('KMSMasterKeyID', 'no key')}"
                     f" would become aws:kms with {key}")
    if not rule.get("BucketKeyEnabled"):
        found.append("the bucket key would be turned on")
    status = (bucket.get("bucket_versioning") or {}).get("Status", "never enabled")
    if status != "Enabled":
        found.append(f"versioning ({status}) would be enabled")
    block = (bucket.get("public_access_block") or {}).get("PublicAccessBlockConfiguration") or {}
    off = [setting for setting in _PUBLIC_ACCESS_BLOCK if not block.get(setting)]
    if off:
        found.append(f"public access block {', '.join(off)} would be turned on")
    rules = ((bucket.get("bucket_ownership_controls") or {}).get("OwnershipControls") or {}).get("Rules") or [{}]
    ownership = rules[0].get("ObjectOwnership", "not set")
    if ownership != "BucketOwnerEnforced":
        found.append(f"object ownership {ownership} would become BucketOwnerEnforced (ACLs off)")
    if tls_only and not _refuses_plain_http((bucket.get("bucket_policy") or {}).get("Policy")):
        found.append("the policy refusing requests without TLS would be set")
    return found


def render(document):
    """DOCUMENT as JSON text that is byte-for-byte the same for the same data."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class FilterModule:
    def filters(self):
        return {
            "fleet_config_backup": fleet_config_backup,
            "fleet_config_backup_bucket_drift": fleet_config_backup_bucket_drift,
            "fleet_config_backup_bucket_policy": fleet_config_backup_bucket_policy,
        }
