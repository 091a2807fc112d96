"""The production and staging inventories find tagged, running app servers through the
amazon.aws.aws_ec2 plugin, against a real HTTP endpoint (moto_server on loopback)."""

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_INVENTORY = Path(sys.executable).parent / "ansible-inventory"
REGION = "ap-southeast-3"


def _launch(ec2, ami, count, **tags):
    tag_list = [{"Key": k, "Value": v} for k, v in tags.items()]
    reply = ec2.run_instances(
        ImageId=ami,
        MinCount=count,
        MaxCount=count,
        InstanceType="t3.small",
        TagSpecifications=[{"ResourceType": "instance", "Tags": tag_list}],
    )
    return [i["InstanceId"] for i in reply["Instances"]]


def _inventory(env_name, env):
    out = subprocess.run(
        [str(ANSIBLE_INVENTORY), "-i", str(ROOT / "inventories" / env_name), "--list"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def _hosts(inventory, group):
    """Hosts of a group, including those of its child groups."""
    entry = inventory.get(group, {})
    hosts = set(entry.get("hosts", []))
    for child in entry.get("children", []):
        hosts |= _hosts(inventory, child)
    return hosts


@pytest.fixture()
def fleet(aws_env):
    ec2 = boto3.client("ec2", region_name=REGION)
    ami = ec2.describe_images()["Images"][0]["ImageId"]
    made = {
        "prod_app": _launch(ec2, ami, 3, role="app", environment="production"),
        "prod_bastion": _launch(ec2, ami, 1, role="bastion", environment="production"),
        "staging_app": _launch(ec2, ami, 2, role="app", environment="staging"),
        "stopped_prod_app": _launch(ec2, ami, 1, role="app", environment="production"),
    }
    ec2.stop_instances(InstanceIds=made["stopped_prod_app"])
    return made


def test_production_groups_running_app_servers_by_tag(fleet, aws_env):
    inventory = _inventory("production", aws_env)
    app = _hosts(inventory, "app_servers")
    assert app == set(fleet["prod_app"]), "app_servers must be exactly the running production app instances"
    assert _hosts(inventory, "role_app") == app
    assert _hosts(inventory, "role_bastion") == set(fleet["prod_bastion"])
    assert _hosts(inventory, "env_production") == app | set(fleet["prod_bastion"])
    assert not _hosts(inventory, "env_staging")


def test_staging_sees_only_staging(fleet, aws_env):
    inventory = _inventory("staging", aws_env)
    assert _hosts(inventory, "app_servers") == set(fleet["staging_app"])
    assert not _hosts(inventory, "env_production")


def test_hosts_are_reached_on_their_private_address(fleet, aws_env):
    inventory = _inventory("production", aws_env)
    hostvars = inventory["_meta"]["hostvars"]
    for host in fleet["prod_app"]:
        assert hostvars[host]["ansible_host"] == hostvars[host]["private_ip_address"]


def test_scaling_out_is_seen_on_the_next_run(fleet, aws_env):
    ec2 = boto3.client("ec2", region_name=REGION)
    ami = ec2.describe_images()["Images"][0]["ImageId"]
    added = _launch(ec2, ami, 7, role="app", environment="production")
    inventory = _inventory("production", aws_env)
    assert _hosts(inventory, "app_servers") == set(fleet["prod_app"]) | set(added)
    assert len(_hosts(inventory, "app_servers")) == 10
