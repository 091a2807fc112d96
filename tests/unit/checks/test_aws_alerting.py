"""plugins/fleet_checks/aws_alerting.py"""

import pytest

from plugins.fleet_checks import aws_alerting

KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
GOOD = {
    "aws_alerting_topic_name": "e1-dashboard-production-alerts",
    "aws_alerting_extra_regions": ["us-east-1"],
    "aws_alerting_pagerduty_integration_key": KEY,
    "aws_alerting_pagerduty_url": f"https://events.pagerduty.com/integration/{KEY}/enqueue",
    "fleet_aws_region": "ap-southeast-3",
    "fleet_environment": "production",
}


def test_the_defaults_with_a_key_are_accepted():
    assert aws_alerting.problems(GOOD) == []


@pytest.mark.parametrize("url", [f"https://127.0.0.1:8443/integration/{KEY}/enqueue", f"http://127.0.0.1:9/integration/{KEY}/enqueue",
                                 f"http://[::1]:9/{KEY}", f"http://localhost:9/{KEY}"])
def test_a_loopback_receiver_is_accepted_for_tests_and_the_local_endpoint(url):
    assert aws_alerting.problems({**GOOD, "aws_alerting_pagerduty_url": url}) == []


def test_a_missing_key_names_both_variables_and_the_vault_file():
    found = aws_alerting.problems({**GOOD, "aws_alerting_pagerduty_integration_key": "",
                                   "aws_alerting_pagerduty_url": "https://events.pagerduty.com/integration//enqueue"})
    assert len(found) == 1, found
    assert "aws_alerting_pagerduty_integration_key is empty" in found[0]
    assert "vault_pagerduty_integration_key" in found[0]
    assert "ansible-vault encrypted inventories/production/group_vars/all/vault.yml" in found[0]


@pytest.mark.parametrize("change, problem", [
    ({"aws_alerting_pagerduty_url": f"http://events.pagerduty.com/integration/{KEY}/enqueue"}, "is not an https:// URL"),
    ({"aws_alerting_pagerduty_url": f"events.pagerduty.com/integration/{KEY}/enqueue"}, "is not an https:// URL"),
    ({"aws_alerting_pagerduty_url": "https://events.pagerduty.com/integration/other/enqueue"}, "does not hold the integration key"),
    ({"aws_alerting_pagerduty_integration_key": "abc/def", "aws_alerting_pagerduty_url": "https://e.example/abc/def"},
     "is not a PagerDuty integration key"),
    ({"aws_alerting_topic_name": "e1 alerts"}, "aws_alerting_topic_name 'e1 alerts' is no SNS topic name"),
    ({"aws_alerting_topic_name": "x" * 257}, "is no SNS topic name"),
    ({"aws_alerting_extra_regions": ["us-east-1", "useast1"]}, "aws_alerting_extra_regions[1] 'useast1' is no AWS region"),
    ({"fleet_aws_region": ""}, "fleet_aws_region '' is no AWS region"),
])
def test_bad_input_is_named(change, problem):
    found = aws_alerting.problems({**GOOD, **change})
    assert len(found) == 1 and problem in found[0], found


def test_no_message_shows_the_key():
    found = aws_alerting.problems({**GOOD, "aws_alerting_pagerduty_url": f"http://events.pagerduty.com/integration/{KEY}/enqueue",
                                   "aws_alerting_topic_name": "bad name"})
    assert len(found) == 2 and not any(KEY in message for message in found)
    assert "http://events.pagerduty.com/integration/<key>/enqueue" in found[0]
