"""The aws_config_backup role through real ansible-playbook runs against moto_server on loopback
(tests/integration/playbooks/aws_role.yml, as playbooks/aws_platform.yml applies it): the KMS
key, the bucket (SSE-KMS by that key, versioning, public access blocked, ACLs off) and one
object holding the configuration and inventory with every secret removed - neither in the
object nor in the run's output; a re-run with nothing changed uploads nothing and reports 0
changed; check mode says what it would upload and uploads nothing; a run that changed something
uploads a new version that names what changed; a bad bucket name is refused before any AWS call."""

import hashlib
import json
import subprocess

import pytest

from tests.integration.aws_playbooks import ANSIBLE_PLAYBOOK, ROOT, apply_role, aws

BUCKET = "e1-dashboard-local-config-backup"
ALIAS = "alias/e1-dashboard-local-config-backup"
OBJECT = "local/configuration.json"
# Secrets handed to the run, each a way a secret reaches the configuration.
VAULT_VARIABLE = "VaultOnly-7f3a9c21"  # vault_* by name
PASSWORD_VARIABLE = "PasswordInExtraVars-42e1"  # *_password by name
INLINE_VAULT = "InlineVaulted-5d2e8b07"  # an inline !vault value under an innocent name
# The local inventory's fake PagerDuty key: aws_alerting_pagerduty_url embeds it once resolvable.
PAGERDUTY_KEY = "local0000000000000000000000000000"
SECRETS = (VAULT_VARIABLE, PASSWORD_VARIABLE, INLINE_VAULT, PAGERDUTY_KEY)


@pytest.fixture()
def apply_with_secrets(aws_env, tmp_path):
    """A run of the role with extra vars carrying the secrets, one of them vault-encrypted inline as
    in a vaulted inventory; called with the run's own options."""
    password_file = tmp_path / "vault-password"
    password_file.write_text("local-test-vault-password\n")
    vaulted = subprocess.run(
        [str(ANSIBLE_PLAYBOOK.with_name("ansible-vault")), "encrypt_string", "--vault-password-file", str(password_file),
         "--name", "fleet_smtp_relay_login", INLINE_VAULT],
        capture_output=True, text=True, check=True, env={**aws_env, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")})
    extra_file = tmp_path / "secrets.yml"
    extra_file.write_text(vaulted.stdout)
    options = ["--vault-password-file", str(password_file), "-e", f"@{extra_file}",
               "-e", f"vault_backup_test_secret={VAULT_VARIABLE}", "-e", f"fleet_database_password={PASSWORD_VARIABLE}",
               # what the aws_alerting role's defaults say, so that the URL with the key in it resolves
               "-e", "aws_alerting_pagerduty_integration_key={{ vault_pagerduty_integration_key }}"]
    return lambda *extra: apply_role(aws_env, "aws_config_backup", *options, *extra)


def versions(s3):
    found = s3.list_object_versions(Bucket=BUCKET, Prefix=OBJECT).get("Versions", [])
    return sorted(found, key=lambda v: v["LastModified"])


def test_the_backup_is_encrypted_private_versioned_and_free_of_secrets_and_uploads_only_on_change(apply_with_secrets):
    apply = apply_with_secrets
    s3, kms = aws("s3"), aws("kms")
    dry = apply("--check")
    assert dry.rc == 0 and dry.changed == 3, dry.tail  # the key, the bucket (read instead), the upload
    assert "Would upload the configuration" in dry.said and "there is no backup yet" in dry.said
    assert s3.list_buckets()["Buckets"] == [] and kms.list_keys()["Keys"] == []

    first = apply("-v")
    assert first.rc == 0 and first.changed == 3, first.tail  # the key, the bucket, the upload
    assert not [s for s in SECRETS if s in first.stdout + first.process.stderr]

    key = kms.describe_key(KeyId=ALIAS)["KeyMetadata"]["Arn"]
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True
    rule = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}
    assert rule["BucketKeyEnabled"] is True
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    assert s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    assert s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    # moto_server answers plain HTTP and enforces the TLS-only policy's deny: the local inventory
    # switches that policy off, and the run says so (its content: tests/unit/test_fleet_config_backup.py).
    assert "The policy refusing requests without TLS is not available on this endpoint" in first.said
    with pytest.raises(s3.exceptions.ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=BUCKET)

    assert len(versions(s3)) == 1
    stored = s3.get_object(Bucket=BUCKET, Key=OBJECT)
    text = stored["Body"].read().decode()
    assert (stored["ServerSideEncryption"], stored["SSEKMSKeyId"]) == ("aws:kms", key)
    assert stored["Metadata"] == {"sha256": hashlib.sha256(text.encode()).hexdigest(), "changed-roles": "none"}
    assert not [s for s in SECRETS if s in text]
    document = json.loads(text)
    assert document["variables"]["fleet_public_name"] == "fleet.test"  # the rest is kept
    assert document["inventory"]["groups"]["app_servers"] == ["app1", "app2", "app3"]
    assert document["inventory"]["hosts"]["app1"]["ansible_host"] == "172.30.77.11"
    assert {"fleet_database_password", "fleet_smtp_relay_login", "aws_alerting_pagerduty_integration_key",
            "aws_alerting_pagerduty_url", "fleet_aws_secret_access_key"} <= set(document["excluded"]["secrets"])
    assert not [name for name in document["variables"] if name.startswith("vault_")]

    again = apply()
    assert again.rc == 0 and again.changed == 0, again.tail
    assert "holds this configuration" in again.said and len(versions(s3)) == 1

    dry = apply("-e", "fleet_public_name=status.fleet.test", "--check")
    assert dry.rc == 0 and dry.changed == 1, dry.tail
    assert "Would upload the configuration" in dry.said and "the configuration differs from the newest backup" in dry.said
    assert len(versions(s3)) == 1

    after_change = apply("-e", '{"fleet_platform_changes": ["aws_network", "aws_uptime"]}')
    assert after_change.rc == 0 and after_change.changed == 1, after_change.tail
    assert "this run changed aws_network, aws_uptime" in after_change.said
    assert len(versions(s3)) == 2
    newest = s3.get_object(Bucket=BUCKET, Key=OBJECT)
    assert newest["Metadata"]["changed-roles"] == "aws_network,aws_uptime"
    assert newest["Body"].read().decode() == text  # the same configuration, kept again because the run changed something


def test_a_bucket_name_s3_would_refuse_is_refused_before_any_aws_call(aws_env):
    done = apply_role(aws_env, "aws_config_backup", "-e", "aws_config_backup_bucket_name=E1_Config_Backups")
    assert done.rc != 0 and "aws_config_backup_bucket_name 'E1_Config_Backups' must be 3 to 63 characters" in done.said, done.tail
    assert aws("s3").list_buckets()["Buckets"] == []
    assert aws("kms").list_keys()["Keys"] == []
