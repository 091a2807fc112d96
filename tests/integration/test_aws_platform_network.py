"""The aws_network role alone (tests/integration/playbooks/aws_role.yml, as playbooks/aws_platform.yml
applies it) through real ansible-playbook runs against moto_server on loopback, in the local
estate's VPC (scripts/local_aws.py): the security groups as the SOP and the host firewall say, a
re-run with 0 changed, a rule opened by hand removed, and bad input refused before any AWS call."""

import ipaddress

import pytest

from tests.integration.aws_playbooks import PREFIX, apply_role, aws, build_estate

# The local inventory's VPN range: the same list the host firewall reads.
VPN = "172.30.77.0/28"
SOP_GROUPS = {
    f"{PREFIX}-lb": {((443, 443), "0.0.0.0/0"), ((443, 443), "::/0")},
    f"{PREFIX}-app": {((443, 443), f"{PREFIX}-lb"), ((22, 22), VPN)},
    f"{PREFIX}-db": {((5432, 5432), f"{PREFIX}-app"), ((5432, 5432), VPN)},
    f"{PREFIX}-cache": {((6379, 6379), f"{PREFIX}-app"), ((6379, 6379), VPN)},
}


@pytest.fixture()
def vpc(aws_env):
    """The local estate; the environment and its VPC's id."""
    return aws_env, build_estate(aws_env).vpc_id


def groups(vpc_id):
    found = aws("ec2").describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]
    return {group["GroupName"]: group for group in found if group["GroupName"] != "default"}


def inbound(group, names_by_id):
    """(port, source) pairs of a group's inbound rules; a group source by its name."""
    found = set()
    for rule in group["IpPermissions"]:
        port = (rule.get("FromPort"), rule.get("ToPort"))
        for source in rule.get("IpRanges", []):
            found.add((port, source["CidrIp"]))
        for source in rule.get("Ipv6Ranges", []):
            found.add((port, source["CidrIpv6"]))
        for source in rule.get("UserIdGroupPairs", []):
            found.add((port, names_by_id[source["GroupId"]]))
    return found


def rules_by_group(vpc_id):
    made = groups(vpc_id)
    names = {group["GroupId"]: name for name, group in made.items()}
    return {name: inbound(group, names) for name, group in made.items()}


def test_the_groups_match_the_sop_a_rerun_changes_nothing_and_a_port_opened_by_hand_is_closed_again(vpc):
    """One lifecycle, each step on the state the one before left: the groups made as the SOP and
    the host firewall say, only 443 open to the world, a re-run with 0 changed, then drift (SSH
    opened to the world on the app servers' group) repaired by the next run."""
    env, vpc_id = vpc
    first = apply_role(env, "aws_network")
    assert first.rc == 0, first.tail
    assert first.changed == 1  # one task, a group per item
    again = apply_role(env, "aws_network")
    assert again.rc == 0 and again.changed == 0, again.tail
    assert rules_by_group(vpc_id) == SOP_GROUPS
    app = groups(vpc_id)[f"{PREFIX}-app"]
    assert app["Tags"] and {t["Key"]: t["Value"] for t in app["Tags"]}["Name"] == f"{PREFIX}-app"
    # Only 443 is open to the world, on the load balancer's group alone (whatever the table above says).
    for name, group in groups(vpc_id).items():
        for rule in group["IpPermissions"]:
            world = [r["CidrIp"] for r in rule.get("IpRanges", []) if ipaddress.ip_network(r["CidrIp"]).prefixlen == 0]
            world += [r["CidrIpv6"] for r in rule.get("Ipv6Ranges", []) if ipaddress.ip_network(r["CidrIpv6"]).prefixlen == 0]
            assert not world or (name == f"{PREFIX}-lb" and rule["FromPort"] == rule["ToPort"] == 443), (name, rule)

    aws("ec2").authorize_security_group_ingress(GroupId=app["GroupId"], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    repaired = apply_role(env, "aws_network")
    assert repaired.rc == 0 and repaired.changed == 1, repaired.tail
    assert rules_by_group(vpc_id)[f"{PREFIX}-app"] == {((443, 443), f"{PREFIX}-lb"), ((22, 22), VPN)}


def test_bad_input_is_refused_before_any_aws_call_naming_every_variable(vpc):
    """The input checks report every problem at once: one run, each message asserted."""
    env, vpc_id = vpc
    done = apply_role(env, "aws_network", "-e", '{"firewall_vpn_cidrs": ["172.30.77.1/28", "0.0.0.0/0"]}',
                      "-e", "aws_network_database_port=6379")
    assert done.rc != 0
    for message in ("aws_network_vpn_cidrs[0] '172.30.77.1/28' is not a network", "aws_network_vpn_cidrs[1] '0.0.0.0/0' is the whole internet",
                    "aws_network_app_port, aws_network_database_port and aws_network_cache_port must differ"):
        assert message in done.said, done.tail
    assert "Find the VPC by its Name tag" not in done.stdout
    assert groups(vpc_id) == {}


def test_a_vpc_name_that_matches_nothing_is_refused_naming_it(vpc):
    env, vpc_id = vpc
    done = apply_role(env, "aws_network", "-e", "aws_network_vpc_name=no-such-vpc")
    assert done.rc != 0 and "aws_network_vpc_name 'no-such-vpc' matches 0 VPCs" in done.said, done.tail
    assert groups(vpc_id) == {}
