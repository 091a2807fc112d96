"""plugins/fleet_checks/firewall.py"""

import pytest

from plugins.fleet_checks import firewall

# The role's defaults, with the one variable that has none.
GOOD = {
    "firewall_vpn_cidrs": ["10.8.0.0/24", "fd00:8::/64"],
    "firewall_ssh_port": 22,
    "firewall_public_tcp_ports": [443],
    "firewall_extra_ports": [],
    "firewall_forward_policy": "drop",
    "firewall_icmp_echo_rate": "10/second",
    "firewall_rollback_seconds": 90,
    "firewall_reconnect_timeout": 30,
}


def extra(**entry):
    return {"firewall_extra_ports": [{"port": 9100, "proto": "tcp", "sources": ["10.20.0.0/16"], **entry}]}


def test_defaults_are_accepted():
    assert firewall.problems(GOOD) == []


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(extra(), id="a declared extra port"),
        pytest.param(extra(port="9000-9001", sources=["10.0.0.5/32", "fd00::5/128"]), id="a range, both families"),
        pytest.param(extra(sources=["any"]), id="any alone"),
        pytest.param(extra(sources=["0.0.0.0/0", "::/0"]), id="anywhere written out"),
        pytest.param({"firewall_public_tcp_ports": [443, "8000-8080"]}, id="a public range"),
        pytest.param({"firewall_icmp_echo_rate": "5/minute"}, id="a rate per minute"),
        # Operators pass -e values as strings.
        pytest.param({"firewall_rollback_seconds": "45", "firewall_reconnect_timeout": "30"}, id="numbers as strings"),
        pytest.param({"firewall_ssh_port": "2222"}, id="an ssh port as a string"),
    ],
)
def test_good_input_is_accepted(change):
    assert firewall.problems({**GOOD, **change}) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"firewall_vpn_cidrs": []}, "firewall_vpn_cidrs is empty"),
        ({"firewall_vpn_cidrs": ["10.8.0.0/24", "10.0.0.1/33"]}, "firewall_vpn_cidrs[1] '10.0.0.1/33' is not a network in CIDR form"),
        ({"firewall_vpn_cidrs": ["fd00::1/64"]}, "firewall_vpn_cidrs[0] 'fd00::1/64' is not a network in CIDR form"),
        ({"firewall_vpn_cidrs": ["10.8.0.5"]}, "firewall_vpn_cidrs[0] '10.8.0.5' is not a network in CIDR form"),
        ({"firewall_ssh_port": 70000}, "firewall_ssh_port '70000' is not a port (1-65535)"),
        ({"firewall_ssh_port": 0}, "firewall_ssh_port '0' is not a port"),
        ({"firewall_public_tcp_ports": [443, "https"]}, "firewall_public_tcp_ports[1] 'https' is not a port"),
        (extra(port="8000-7000"), "firewall_extra_ports[0].port '8000-7000' is not a port (1-65535) or a range"),
        (extra(port=0), "firewall_extra_ports[0].port '0' is not a port"),
        (extra(port=8080, sources=[]), "firewall_extra_ports[0] (8080/tcp) has no sources"),
        (extra(sources=["10.0.0.0/8", "10.1.0.1/16"]), "firewall_extra_ports[0].sources[1] '10.1.0.1/16' is not a network in CIDR form"),
        (extra(sources=["anywhere"]), "firewall_extra_ports[0].sources[0] 'anywhere' is not a network in CIDR form"),
        (extra(sources=["0.0.0.0/0", "any"]), "firewall_extra_ports[0].sources[1] 'any' is not a network in CIDR form"),
        (extra(sources=["any", "10.0.0.0/8"]), "'any' means every IPv4 and IPv6 source and stands alone"),
        ({"firewall_icmp_echo_rate": "10/hour"}, "firewall_icmp_echo_rate '10/hour' is not of the form N/second or N/minute"),
        ({"firewall_icmp_echo_rate": "0/second"}, "firewall_icmp_echo_rate '0/second'"),
        ({"firewall_rollback_seconds": 30}, "firewall_rollback_seconds (30) must exceed firewall_reconnect_timeout (30) by 15 s"),
        ({"firewall_rollback_seconds": 44}, "firewall_rollback_seconds (44) must exceed"),
        ({"firewall_reconnect_timeout": 0}, "firewall_reconnect_timeout (0) must be 1 s or more"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = firewall.problems({**GOOD, **change})
    assert len(found) == 1 and expected in found[0], found


def test_every_problem_of_an_entry_is_reported():
    found = firewall.problems({**GOOD, **extra(port="http", sources=["any", "any"])})
    assert found == [
        "firewall_extra_ports[0].port 'http' is not a port (1-65535) or a range 'low-high'",
        *[
            f"firewall_extra_ports[0].sources[{index}] 'any' is not a network in CIDR form: 'any' means every IPv4"
            " and IPv6 source and stands alone (sources: [any]), it cannot be mixed with other sources"
            for index in (0, 1)
        ],
    ]


def test_problems_of_several_variables_are_all_reported():
    found = firewall.problems({**GOOD, "firewall_vpn_cidrs": [], "firewall_public_tcp_ports": ["x"], "firewall_rollback_seconds": 1})
    assert [problem.split()[0] for problem in found] == [
        "firewall_vpn_cidrs",
        "firewall_public_tcp_ports[0]",
        "firewall_rollback_seconds",
    ]
