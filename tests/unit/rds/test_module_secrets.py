"""No RDS module logs the AWS secrets it is given: each one's argument spec marks the secret
key and the session token no_log, so Ansible masks their values in results and logs."""

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
import rds_harness  # noqa: F401  (puts module_utils on ansible.module_utils' path)

from library import rds_backup_policy, rds_manual_snapshot, rds_pending_maintenance

MODULES = [rds_manual_snapshot, rds_backup_policy, rds_pending_maintenance]
SECRETS = {"secret_key": "wJalrXUtnFEMI-not-a-real-key", "session_token": "FwoGZXIvYXdzEBYa-not-a-real-token"}


def module_name(module):
    return module.__name__.rsplit(".", 1)[-1]


@pytest.mark.parametrize("module", MODULES, ids=module_name)
def test_secrets_are_no_log_in_the_argument_spec(module):
    spec = module.argument_spec()
    for option in SECRETS:
        assert spec[option]["no_log"] is True, option
    assert [name for name, option in spec.items() if option.get("no_log")] == sorted(SECRETS)


@pytest.mark.parametrize("module", MODULES, ids=module_name)
def test_secret_values_are_masked_also_when_given_by_their_aliases(module):
    args = dict(
        db_identifier="e1-db", aws_secret_access_key=SECRETS["secret_key"], aws_session_token=SECRETS["session_token"]
    )
    with patch_module_args(args):
        loaded = AnsibleModule(argument_spec=module.argument_spec(), supports_check_mode=True)
    assert set(SECRETS.values()) <= loaded.no_log_values
