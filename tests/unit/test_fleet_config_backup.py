"""plugins/filter/fleet_config_backup.py: the backup document's secret removal and its
deterministic text, and the bucket comparison."""

import json
from pathlib import Path

import pytest
import yaml
from ansible._internal._datatag._tags import Origin, VaultedValue

from plugins.filter.fleet_config_backup import (
    MIN_SECRET_LENGTH,
    fleet_config_backup,
    fleet_config_backup_bucket_drift,
    fleet_config_backup_bucket_policy,
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = yaml.safe_load((ROOT / "roles" / "aws_config_backup" / "defaults" / "main.yml").read_text())
INCLUDE = DEFAULTS["aws_config_backup_variables"]
SENSITIVE = DEFAULTS["aws_config_backup_sensitive_names"]
EXCLUDED = DEFAULTS["aws_config_backup_excluded_variables"]
CIPHERTEXT = "$ANSIBLE_VAULT;1.1;AES256\n6131323334353637383930616263646566\n"


class Unresolvable(dict):
    """A mapping whose NAMES raise on access, as Ansible's lazy templating does for an undefined variable."""

    def __init__(self, values, names):
        super().__init__(values)
        self._names = names

    def __getitem__(self, name):
        if name in self._names:
            raise RuntimeError(f"'{name}' could not be templated")
        return super().__getitem__(name)


def backup(variables, hostvars=None, groups=None):
    return json.loads(fleet_config_backup(variables, hostvars or {}, groups or {"all": []}, INCLUDE, SENSITIVE, EXCLUDED))


def test_vault_values_passwords_and_vault_variables_are_removed_and_the_rest_kept():
    document = backup({
        "fleet_public_name": "dashboard.example.com",
        "rds_backup_retention_days": 30,
        "fleet_smtp_relay": VaultedValue(ciphertext=CIPHERTEXT).tag("relay-pass-from-inline-vault"),
        "fleet_pasted_ciphertext": CIPHERTEXT,
        "maintenance_notice_smtp_password": "plain-password-1",
        "vault_pagerduty_integration_key": "pd0123456789abcdef",
        "aws_alerting_pagerduty_integration_key": "pd0123456789abcdef",
    })
    assert document["variables"] == {"fleet_public_name": "dashboard.example.com", "rds_backup_retention_days": 30}
    assert document["excluded"]["secrets"] == [
        "aws_alerting_pagerduty_integration_key", "fleet_pasted_ciphertext", "fleet_smtp_relay", "maintenance_notice_smtp_password"]


def test_a_value_that_embeds_a_secret_is_removed_whatever_its_name():
    key = "pd0123456789abcdef"
    document = backup({
        "vault_pagerduty_integration_key": key,
        "aws_alerting_pagerduty_url": f"https://events.pagerduty.com/integration/{key}/enqueue",
        "fleet_webhooks": [{"url": f"https://hooks.example/{key}"}],
        "fleet_public_name": "dashboard.example.com",
    })
    assert document["variables"] == {"fleet_public_name": "dashboard.example.com"}
    assert document["excluded"]["secrets"] == ["aws_alerting_pagerduty_url", "fleet_webhooks"]


def test_a_secret_of_ansible_s_own_is_searched_for_too():
    document = backup({"ansible_become_password": "become-pw-31415", "fleet_note": "sudo with become-pw-31415"})
    assert document["variables"] == {} and document["excluded"]["secrets"] == ["fleet_note"]


def test_a_short_secret_is_not_searched_for_inside_other_values():
    """Looked for everywhere, 'testing' (moto's fixed key) would take innocent text with it."""
    document = backup({"fleet_aws_secret_access_key": "testing", "fleet_note": "load testing weekly"})
    assert len("testing") < MIN_SECRET_LENGTH
    assert document["variables"] == {"fleet_note": "load testing weekly"}


def test_secret_keys_and_vault_values_inside_a_variable_are_removed_and_the_rest_of_it_kept():
    document = backup({"fleet_smtp": {"host": "smtp.example.com", "password": "s3cret-smtp-pw",
                                      "relays": ["a.example.com", VaultedValue(ciphertext=CIPHERTEXT).tag("hidden-relay-host")]}})
    assert document["variables"] == {"fleet_smtp": {"host": "smtp.example.com", "relays": ["a.example.com"]}}
    assert document["excluded"]["secrets"] == ["fleet_smtp.password", "fleet_smtp.relays[1]"]


def test_a_value_read_from_a_vault_encrypted_file_is_removed(tmp_path):
    vault_file = tmp_path / "vault.yml"
    vault_file.write_text(CIPHERTEXT)  # what ansible-vault writes: its header, then the ciphertext
    plain_file = tmp_path / "main.yml"
    plain_file.write_text("fleet_region: x\n")
    document = backup({
        "fleet_database_dsn": Origin(path=str(vault_file), line_num=2).tag("postgres://app@db/app"),
        "fleet_region": Origin(path=str(plain_file), line_num=1).tag("ap-southeast-3"),
    })
    assert document["variables"] == {"fleet_region": "ap-southeast-3"}
    assert document["excluded"]["secrets"] == ["fleet_database_dsn"]


def test_variables_outside_the_platform_and_the_run_s_own_facts_are_left_out():
    document = backup({
        "fleet_public_name": "dashboard.example.com",
        "fleet_platform_changes": ["aws_network"],
        "fleet_aws_module_defaults": {"region": "ap-southeast-3"},
        "ansible_python_interpreter": "/usr/bin/python3",
        "playbook_dir": "/srv/fleet/playbooks",
    })
    assert document["variables"] == {"fleet_public_name": "dashboard.example.com"}


def test_the_omit_placeholder_which_differs_on_every_run_is_left_out():
    document = backup({"aws_things": {"endpoint_url": "__omit_place_holder__5c8a1b", "region": "ap-southeast-3"}})
    assert document["variables"] == {"aws_things": {"region": "ap-southeast-3"}}


def test_a_variable_that_cannot_be_templated_is_named_not_included():
    document = backup(Unresolvable({"fleet_public_name": "dashboard.example.com", "fleet_roots_file": "x"}, {"fleet_roots_file"}))
    assert document["variables"] == {"fleet_public_name": "dashboard.example.com"}
    assert document["excluded"]["unresolved"] == ["fleet_roots_file"]


def test_an_unresolvable_secret_is_still_counted_as_removed():
    document = backup(Unresolvable({"fleet_db_password": "x"}, {"fleet_db_password"}))
    assert document["excluded"] == {"secrets": ["fleet_db_password"], "unresolved": []}


def test_the_inventory_lists_groups_and_what_each_host_sets_differently():
    controller = {"fleet_environment": "production", "fleet_distro": "debian12", "firewall_vpn_cidrs": ["10.8.0.0/24"]}
    hostvars = {
        "app1": {"ansible_host": "10.0.1.11", "fleet_environment": "production", "fleet_distro": "debian12",
                 "firewall_vpn_cidrs": ["10.8.0.0/24"], "web_front_server_names": ["app1.example.com"],
                 "database_server_app_password": "per-host-db-password", "ansible_facts": {"os": "Debian"}},
        "app2": {"ansible_host": "10.0.1.12", "fleet_environment": "production", "fleet_distro": "debian13",
                 "firewall_vpn_cidrs": ["10.8.0.0/24"]},
    }
    groups = {"all": ["app2", "app1"], "app_servers": ["app2", "app1"], "ungrouped": []}
    document = backup(controller, hostvars, groups)
    assert document["inventory"] == {
        "groups": {"all": ["app1", "app2"], "app_servers": ["app1", "app2"], "ungrouped": []},
        "hosts": {"app1": {"ansible_host": "10.0.1.11", "web_front_server_names": ["app1.example.com"]},
                  "app2": {"ansible_host": "10.0.1.12", "fleet_distro": "debian13"}},
    }
    assert document["excluded"]["secrets"] == ["inventory.hosts.app1.database_server_app_password"]


def test_a_secret_set_only_for_a_host_is_still_searched_for_in_the_rest():
    hostvars = {"db1": {"vault_db_password": "per-host-secret-42", "fleet_dsn": "postgres://app:per-host-secret-42@db1/app"}}
    document = backup({"fleet_dsn_template": "postgres://app@db/app"}, hostvars, {"all": ["db1"]})
    assert document["inventory"]["hosts"] == {"db1": {}}
    assert document["excluded"]["secrets"] == ["inventory.hosts.db1.fleet_dsn"]


def test_the_same_configuration_is_the_same_text():
    first = {"fleet_b": {"y": 1, "x": [3, 1]}, "fleet_a": "é", "rds_c": None}
    second = {"rds_c": None, "fleet_a": "é", "fleet_b": {"x": [3, 1], "y": 1}}
    text = fleet_config_backup(first, {}, {"all": []}, INCLUDE, SENSITIVE, EXCLUDED)
    assert text == fleet_config_backup(second, {}, {"all": []}, INCLUDE, SENSITIVE, EXCLUDED)
    assert text.endswith("}\n") and '"fleet_a": "é"' in text
    assert text != fleet_config_backup({**first, "fleet_a": "e"}, {}, {"all": []}, INCLUDE, SENSITIVE, EXCLUDED)


def test_no_sensitive_name_pattern_is_refused():
    from ansible.errors import AnsibleFilterError

    with pytest.raises(AnsibleFilterError, match="no secret name patterns"):
        fleet_config_backup({}, {}, {"all": []}, INCLUDE, [], EXCLUDED)


COMPLIANT = {
    "bucket_encryption": {"ServerSideEncryptionConfiguration": {"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:key"}, "BucketKeyEnabled": True}]}},
    "bucket_versioning": {"Status": "Enabled"},
    "public_access_block": {"PublicAccessBlockConfiguration": {
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}},
    "bucket_ownership_controls": {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
    "bucket_policy": {"Policy": json.dumps(fleet_config_backup_bucket_policy("b"))},
}


def test_the_policy_refuses_every_request_without_tls_on_the_bucket_and_its_objects():
    statement = fleet_config_backup_bucket_policy("e1-backups")["Statement"][0]
    assert (statement["Effect"], statement["Principal"], statement["Action"]) == ("Deny", "*", "s3:*")
    assert statement["Resource"] == ["arn:aws:s3:::e1-backups", "arn:aws:s3:::e1-backups/*"]
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_a_compliant_bucket_has_no_drift_and_a_missing_one_would_be_made():
    assert fleet_config_backup_bucket_drift([COMPLIANT], "b", "arn:key") == []
    assert fleet_config_backup_bucket_drift([{**COMPLIANT, "bucket_policy": {}}], "b", "arn:key", tls_only=False) == []
    assert fleet_config_backup_bucket_drift([], "b", "") == [
        "bucket b would be made: SSE-KMS with the key this run makes, versioning, public access blocked, ACLs off"]


@pytest.mark.parametrize("change, drift", [
    ({"bucket_encryption": {"ServerSideEncryptionConfiguration": {"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}]}}},
     "default encryption AES256 with no key would become aws:kms with arn:key"),
    ({"bucket_versioning": {"Status": "Suspended"}}, "versioning (Suspended) would be enabled"),
    ({"bucket_versioning": {}}, "versioning (never enabled) would be enabled"),
    ({"public_access_block": {"PublicAccessBlockConfiguration": {
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": True}}},
     "public access block BlockPublicPolicy would be turned on"),
    ({"bucket_ownership_controls": {}}, "object ownership not set would become BucketOwnerEnforced (ACLs off)"),
    ({"bucket_policy": {}}, "the policy refusing requests without TLS would be set"),
])
def test_each_bucket_difference_is_named(change, drift):
    assert fleet_config_backup_bucket_drift([{**COMPLIANT, **change}], "b", "arn:key") == [drift]
