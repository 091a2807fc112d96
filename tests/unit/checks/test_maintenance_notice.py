"""plugins/fleet_checks/maintenance_notice.py"""

from pathlib import Path

import pytest
import yaml

from plugins.fleet_checks import maintenance_notice

ROOT = Path(__file__).resolve().parents[3]

NOW = {"now": "2026-12-01T22:00:00Z"}
DEFAULTS = yaml.safe_load((ROOT / "roles" / "maintenance_notice" / "defaults" / "main.yml").read_text())
# The defaults, with what the inventory must add (a list and a sender) and the password the
# environment lookup would give.
GOOD = {
    **DEFAULTS,
    "maintenance_notice_recipients": ["customers@fleet.test", "ops@example.com"],
    "maintenance_notice_from": "E1 Web Dashboard <maintenance@fleet.test>",
    "maintenance_notice_smtp_password": "",
}


def test_defaults_with_a_list_and_a_sender_are_accepted():
    assert maintenance_notice.problems(GOOD, NOW) == []


def test_the_local_inventory_is_accepted():
    local = yaml.safe_load((ROOT / "inventories/local/group_vars/all/maintenance_notice.yml").read_text())
    assert maintenance_notice.problems({**GOOD, **local}, NOW) == []


@pytest.mark.parametrize("env", ["production", "staging"])
def test_the_cloud_inventories_are_refused_until_filled_in(env):
    values = yaml.safe_load((ROOT / f"inventories/{env}/group_vars/all/maintenance_notice.yml").read_text())
    found = maintenance_notice.problems({**GOOD, **values}, NOW)
    assert [p.split(" ")[0] for p in found] == ["maintenance_notice_recipients", "maintenance_notice_from"], found


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"maintenance_notice_recipients": []}, "maintenance_notice_recipients is empty"),
        ({"maintenance_notice_recipients": ["customers@fleet.test", "customers"]},
         "maintenance_notice_recipients[1] 'customers' is not an e-mail address (user@domain)"),
        ({"maintenance_notice_recipients": ["a@b@fleet.test"]}, "maintenance_notice_recipients[0] 'a@b@fleet.test'"),
        ({"maintenance_notice_recipients": ["Ops <ops@example.com>"]}, "maintenance_notice_recipients[0] 'Ops <"),
        ({"maintenance_notice_recipients": ["ops@example.com; x@y.z"]}, "maintenance_notice_recipients[0]"),
        ({"maintenance_notice_from": ""}, "maintenance_notice_from '' is not a sender address"),
        ({"maintenance_notice_from": "maintenance"}, "maintenance_notice_from 'maintenance' is not a sender"),
        ({"maintenance_notice_smtp_host": "smtp relay"}, "maintenance_notice_smtp_host 'smtp relay' is not a host name"),
        ({"maintenance_notice_smtp_port": 0}, "maintenance_notice_smtp_port 0 is out of range 1-65535"),
        ({"maintenance_notice_smtp_port": 65536}, "maintenance_notice_smtp_port 65536 is out of range 1-65535"),
        ({"maintenance_notice_smtp_port": -25}, "maintenance_notice_smtp_port -25 is out of range 1-65535"),
        ({"maintenance_notice_smtp_timeout": 0}, "maintenance_notice_smtp_timeout 0 is not a positive number"),
        ({"maintenance_notice_smtp_username": "mailer"},
         "maintenance_notice_smtp_password is empty while maintenance_notice_smtp_username is set"),
        ({"maintenance_notice_smtp_username": "mailer", "maintenance_notice_smtp_password": "s3cret",
          "maintenance_notice_smtp_secure": "never", "maintenance_notice_smtp_host": "smtp.example.com"},
         "maintenance_notice_smtp_secure is 'never' with maintenance_notice_smtp_username set"),
        ({"maintenance_notice_window": "next sunday"},
         "maintenance_notice_window 'next sunday' is not an ISO 8601 date and time"),
        # the second Sunday, and the first Sunday at the wrong hour
        ({"maintenance_notice_window": "2026-12-12T19:00:00Z"},
         "maintenance_notice_window '2026-12-12T19:00:00Z' (2026-12-13 02:00 WIB) is not a maintenance window's"
         " start: windows start on the first Sunday of a month at 02:00 WIB; the next one starts at"
         " 2027-01-02T19:00:00Z"),
        ({"maintenance_notice_window": "2026-12-06T02:00:00Z"}, "is not a maintenance window's start"),
        ({"maintenance_notice_window": "2026-11-28T19:00:00Z"}, "is not a maintenance window's start"),
        ({"maintenance_notice_window": "2026-10-31T19:00:00Z"},
         "maintenance_notice_window '2026-10-31T19:00:00Z' (2026-11-01 02:00 WIB) has already started"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = maintenance_notice.problems({**GOOD, **change}, NOW)
    assert len(found) == 1 and expected in found[0], found


def test_the_password_never_appears_in_a_problem():
    found = maintenance_notice.problems(
        {**GOOD, "maintenance_notice_smtp_username": "mailer", "maintenance_notice_smtp_password": "pa55-w0rd",
         "maintenance_notice_smtp_secure": "never", "maintenance_notice_smtp_host": "203.0.113.5"}, NOW)
    assert len(found) == 1 and "pa55-w0rd" not in found[0]


@pytest.mark.parametrize(
    "change",
    [
        {"maintenance_notice_window": "2026-12-05T19:00:00Z"},
        {"maintenance_notice_window": "2027-08-01T02:00:00+07:00"},
        {"maintenance_notice_smtp_host": "2001:db8::25"},
        {"maintenance_notice_smtp_port": "2525"},
        {"maintenance_notice_from": "maintenance@fleet.test"},
        {"maintenance_notice_smtp_username": "mailer", "maintenance_notice_smtp_password": "x"},
        # a login over a plain connection is accepted on loopback only
        {"maintenance_notice_smtp_username": "mailer", "maintenance_notice_smtp_password": "x",
         "maintenance_notice_smtp_secure": "never", "maintenance_notice_smtp_host": "127.0.0.1"},
    ],
)
def test_good_values_are_accepted(change):
    assert maintenance_notice.problems({**GOOD, **change}, NOW) == []


def test_without_host_state_the_check_uses_the_current_time():
    assert "has already started" in maintenance_notice.problems(
        {**GOOD, "maintenance_notice_window": "2026-01-31T19:00:00Z"})[0]
