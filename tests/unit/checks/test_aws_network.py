"""plugins/fleet_checks/aws_network.py"""

import pytest

from plugins.fleet_checks import aws_network

GOOD = {
    "aws_network_vpc_name": "e1-production",
    "aws_network_name_prefix": "e1-dashboard-production",
    "aws_network_vpn_cidrs": ["10.8.0.0/24", "fd00:8::/64"],
    "aws_network_app_port": 443,
    "aws_network_database_port": 5432,
    "aws_network_cache_port": 6379,
}


def test_the_defaults_with_a_vpc_and_a_vpn_are_accepted():
    assert aws_network.problems(GOOD) == []


@pytest.mark.parametrize("change, problem", [
    ({"aws_network_vpc_name": " "}, "aws_network_vpc_name is empty"),
    ({"aws_network_name_prefix": "sg-e1"}, "aws_network_name_prefix 'sg-e1' is no start of a security group name"),
    ({"aws_network_name_prefix": "e1|prod"}, "aws_network_name_prefix 'e1|prod'"),
    ({"aws_network_vpn_cidrs": []}, "aws_network_vpn_cidrs is empty"),
    ({"aws_network_vpn_cidrs": ["10.8.0.1/24"]}, "aws_network_vpn_cidrs[0] '10.8.0.1/24' is not a network"),
    ({"aws_network_vpn_cidrs": ["10.8.0.0/24", "::/0"]}, "aws_network_vpn_cidrs[1] '::/0' is the whole internet"),
    ({"aws_network_vpn_cidrs": ["0.0.0.0/0"]}, "aws_network_vpn_cidrs[0] '0.0.0.0/0' is the whole internet"),
    ({"aws_network_app_port": 70000}, "aws_network_app_port 70000 is not a port"),
    ({"aws_network_cache_port": 5432}, "must differ"),
    ({"aws_network_database_port": 22}, "a service port is 22"),
])
def test_bad_input_is_named(change, problem):
    found = aws_network.problems({**GOOD, **change})
    assert len(found) == 1 and problem in found[0], found
