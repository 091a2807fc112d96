"""Checks of the aws_config_backup role's input: no key, bucket or object is touched while one fails."""

from __future__ import annotations

import re

from . import rules

_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:(?P<region>[a-z0-9-]+):\d{12}:key/[A-Za-z0-9-]{1,128}$")
# AWS's alias rule; alias/aws/ is the prefix of the keys AWS manages, which cannot be made.
_ALIAS = re.compile(r"^alias/[A-Za-z0-9/_-]{1,250}$")


def _patterns_problems(name, patterns, what):
    if not isinstance(patterns, list) or not patterns:
        return [f"{name} is empty: {what}"]
    found = []
    for index, pattern in rules.indexed(patterns):
        try:
            re.compile(str(pattern))
        except re.error as err:
            found.append(f"{name}[{index}] {pattern!r} is not a regular expression ({err})")
    return found


def _key_problems(inputs):
    arn = str(inputs["aws_config_backup_kms_key_arn"] or "").strip()
    if not arn:
        alias = str(inputs["aws_config_backup_kms_key_alias"])
        if not _ALIAS.match(alias) or alias.startswith("alias/aws/"):
            return [f"aws_config_backup_kms_key_alias {alias!r} must be 'alias/' and then letters, digits, '/', '_' or '-'"
                    " (at most 256 characters, not under alias/aws/, which AWS keeps for its own keys)"]
        return []
    match = _KEY_ARN.match(arn)
    if not match:
        return [f"aws_config_backup_kms_key_arn {arn!r} is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), or empty to make one"]
    region = inputs.get("fleet_aws_region")
    if region and match["region"] != region:
        return [f"aws_config_backup_kms_key_arn {arn!r} is in {match['region']}, the bucket in {region}"
                " (fleet_aws_region): S3 encrypts only with a key of the bucket's region"]
    return []


def problems(inputs, host_state=None):
    found = []
    bucket = inputs["aws_config_backup_bucket_name"]
    if problem := rules.bucket_name_problem(bucket):
        found.append(f"aws_config_backup_bucket_name {bucket!r} {problem}")
    found += _key_problems(inputs)
    key = str(inputs["aws_config_backup_object_key"])
    if not key.strip() or key.startswith("/") or len(key.encode()) > 1024 or "//" in key:
        found.append(f"aws_config_backup_object_key {key!r} must be a relative S3 key (no leading '/', no empty part,"
                     " at most 1024 bytes); it defaults to FLEET_ENVIRONMENT/configuration.json: is fleet_environment set?")
    found += _patterns_problems("aws_config_backup_variables", inputs["aws_config_backup_variables"],
                                "nothing of the configuration would be backed up")
    found += _patterns_problems("aws_config_backup_sensitive_names", inputs["aws_config_backup_sensitive_names"],
                                "variables would be backed up with no secret taken out by name")
    return found
