"""plugins/fleet_checks/aws_config_backup.py"""

import pytest

from plugins.fleet_checks import aws_config_backup

KEY = "arn:aws:kms:ap-southeast-3:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
GOOD = {
    "fleet_aws_region": "ap-southeast-3",
    "aws_config_backup_bucket_name": "e1-dashboard-production-config-backup",
    "aws_config_backup_kms_key_arn": "",
    "aws_config_backup_kms_key_alias": "alias/e1-dashboard-production-config-backup",
    "aws_config_backup_object_key": "production/configuration.json",
    "aws_config_backup_variables": ["^fleet_", "^aws_"],
    "aws_config_backup_sensitive_names": ["^vault_", "password"],
}


def test_the_defaults_are_accepted_with_a_key_made_or_given():
    assert aws_config_backup.problems(GOOD) == []
    assert aws_config_backup.problems({**GOOD, "aws_config_backup_kms_key_arn": KEY, "aws_config_backup_kms_key_alias": "ignored"}) == []


def test_a_given_key_is_not_judged_against_a_region_the_inventory_does_not_name():
    inputs = {name: value for name, value in GOOD.items() if name != "fleet_aws_region"}
    assert aws_config_backup.problems({**inputs, "aws_config_backup_kms_key_arn": KEY.replace("ap-southeast-3", "eu-west-1")}) == []


@pytest.mark.parametrize("change, problem", [
    ({"aws_config_backup_bucket_name": "E1_Backups"}, "aws_config_backup_bucket_name 'E1_Backups' must be 3 to 63 characters"),
    ({"aws_config_backup_bucket_name": "e1..backups"}, "aws_config_backup_bucket_name 'e1..backups' must not have two dots"),
    ({"aws_config_backup_bucket_name": "192.168.5.4"}, "must not look like an IP address"),
    ({"aws_config_backup_bucket_name": "xn--e1-backups"}, "uses a prefix or suffix S3 reserves"),
    ({"aws_config_backup_kms_key_alias": "e1-backups"}, "aws_config_backup_kms_key_alias 'e1-backups' must be 'alias/'"),
    ({"aws_config_backup_kms_key_alias": "alias/aws/s3"}, "not under alias/aws/"),
    ({"aws_config_backup_kms_key_arn": "alias/e1"}, "aws_config_backup_kms_key_arn 'alias/e1' is not a KMS key ARN"),
    ({"aws_config_backup_kms_key_arn": KEY.replace("ap-southeast-3", "us-east-1")}, "is in us-east-1, the bucket in ap-southeast-3"),
    ({"aws_config_backup_object_key": "/configuration.json"}, "aws_config_backup_object_key '/configuration.json' must be a relative S3 key"),
    ({"aws_config_backup_object_key": "a//configuration.json"}, "must be a relative S3 key"),
    ({"aws_config_backup_variables": []}, "aws_config_backup_variables is empty"),
    ({"aws_config_backup_variables": ["^fleet_", "(aws"]}, "aws_config_backup_variables[1] '(aws' is not a regular expression"),
    ({"aws_config_backup_sensitive_names": []}, "aws_config_backup_sensitive_names is empty"),
])
def test_bad_input_is_named(change, problem):
    found = aws_config_backup.problems({**GOOD, **change})
    assert len(found) == 1 and problem in found[0], found
