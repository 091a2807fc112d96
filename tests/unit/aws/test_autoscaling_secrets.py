"""The Auto Scaling modules' secrets are never logged (their documentation is checked with the
other AWS modules' in tests/unit/test_aws_module_docs.py)."""

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from library import autoscaling_capacity, autoscaling_processes

MODULES = [autoscaling_processes, autoscaling_capacity]
SECRETS = {"secret_key": "wJalrXUtnFEMI-not-a-real-key", "session_token": "FwoGZXIvYXdzEBYa-not-a-real-token"}


def module_name(module):
    return module.__name__.rsplit(".", 1)[-1]


@pytest.mark.parametrize("module", MODULES, ids=module_name)
def test_secrets_are_no_log(module):
    spec = module.argument_spec()
    assert [name for name, option in spec.items() if option.get("no_log")] == sorted(SECRETS)
    args = dict(name="g", state="resumed", aws_secret_access_key=SECRETS["secret_key"], aws_session_token=SECRETS["session_token"])
    if module is autoscaling_capacity:
        del args["state"]
    with patch_module_args(args):
        loaded = AnsibleModule(argument_spec=module.argument_spec(), supports_check_mode=True)
    assert set(SECRETS.values()) <= loaded.no_log_values
