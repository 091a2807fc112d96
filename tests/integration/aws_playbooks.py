"""What the AWS integration tests share (test_aws_platform*.py, test_restore_drill.py): one way to
run ansible-playbook against the test's moto_server, and one local AWS estate.

Running: `run_playbook(env, playbook, *options)` runs a playbook with an inventory (the local one
unless told otherwise) in ENV, the `aws_env` fixture's environment (tests/conftest.py), always with
`-e fleet_aws_endpoint_url=<that moto_server>`: the play environment
(playbooks/vars/aws_connection.yml) hands it to every AWS module. OPTIONS are the run's own
(`--check`, `--diff`, `-v`, `-e NAME=VALUE` ...). It returns a `PlaybookRun`: the completed
process and localhost's ok/changed/failed counts, read once from the run's recap. `apply_role(env,
role, *options)` applies one role of playbooks/aws_platform.yml alone, as that playbook applies
it, through tests/integration/playbooks/aws_role.yml.

The estate: `build_estate(env)` builds, on the fixture's moto_server, what scripts/local_aws.py
builds for `./fleet up` - its `estate(endpoint, settings)` with the settings it reads from
inventories/local/group_vars/all/aws.yml, so that there is one definition of the local estate -
and returns the ids and names the tests need (`Estate`). A test that needs the estate otherwise
changes it with boto3 after building it, and says why.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
LOCAL_INVENTORY = ROOT / "inventories" / "local"
PLATFORM_PLAYBOOK = ROOT / "playbooks" / "aws_platform.yml"
ROLE_PLAYBOOK = ROOT / "tests" / "integration" / "playbooks" / "aws_role.yml"
# The local inventory's region, and the start of the names of what the platform creates
# (fleet_platform_prefix, "e1-dashboard-{{ fleet_environment }}" with fleet_environment local).
REGION = "ap-southeast-3"
PREFIX = "e1-dashboard-local"
# The region of Route 53's metrics, so of the uptime alarm and its topic.
ROUTE53_REGION = "us-east-1"
# A loopback port where nothing listens (discard): an AWS call that the play's environment does
# not reach goes there and fails, never to AWS.
CLOSED_ENDPOINT = "http://127.0.0.1:9"
# The recap line of localhost in the default (text) output.
_RECAP = re.compile(r"^localhost\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", re.MULTILINE)


def _load_local_aws():
    """scripts/local_aws.py, imported by its path (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location("local_aws", ROOT / "scripts" / "local_aws.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


local_aws = _load_local_aws()


@dataclass(frozen=True)
class PlaybookRun:
    """One ansible-playbook run: the completed process, localhost's counts in its recap (None
    when the run ended before a recap), and, with task_results, each task's localhost result by
    its name without the role's prefix ("aws_database : ")."""

    process: subprocess.CompletedProcess
    ok: int | None
    changed: int | None
    failed: int | None
    tasks: dict = field(default_factory=dict)

    @property
    def rc(self):
        return self.process.returncode

    @property
    def stdout(self):
        return self.process.stdout

    @property
    def said(self):
        """The output with its line wrapping (the YAML result format's) undone: messages are
        searched in this."""
        return " ".join(self.process.stdout.split())

    @property
    def tail(self):
        """The end of the output, for an assertion's message."""
        return self.process.stdout[-3000:] + self.process.stderr[-1000:]


def run_playbook(env, playbook, *options, inventory=LOCAL_INVENTORY, task_results=False, play_environment_only=False,
                 timeout=600):
    """Run PLAYBOOK against ENV's moto_server (see the module's docstring) and return a PlaybookRun.

    task_results: report through the ansible.posix.json callback, so that the run's `tasks` holds
    each task's result (the counts then come from its stats).
    play_environment_only: the caller's own AWS environment points at a closed loopback port with
    no region, so that moto is named only by `-e fleet_aws_endpoint_url`: a module that the play's
    environment does not reach fails instead of passing by the caller's environment.
    """
    caller = dict(env)
    if play_environment_only:
        caller = {key: value for key, value in caller.items() if key not in ("AWS_DEFAULT_REGION", "AWS_REGION")}
        caller["AWS_ENDPOINT_URL"] = CLOSED_ENDPOINT
    caller.update(ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1")
    if task_results:
        caller["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json"
    done = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(inventory), str(playbook),
         "-e", f"fleet_aws_endpoint_url={env['AWS_ENDPOINT_URL']}", *options],
        cwd=ROOT, env=caller, capture_output=True, text=True, timeout=timeout, check=False)
    if task_results:
        return _from_json(done)
    recap = _RECAP.search(done.stdout)
    ok, changed, failed = (int(count) for count in recap.groups()) if recap else (None, None, None)
    return PlaybookRun(done, ok, changed, failed)


def _from_json(done):
    if "{" not in done.stdout:
        return PlaybookRun(done, None, None, None)
    # The JSON document, without the timer callback's closing line (ansible.cfg enables it).
    report, _end = json.JSONDecoder().raw_decode(done.stdout[done.stdout.index("{"):])
    tasks = {task["task"]["name"].split(" : ", 1)[-1]: task["hosts"]["localhost"]
             for play in report["plays"] for task in play["tasks"] if "localhost" in task["hosts"]}
    stats = report["stats"].get("localhost")
    if stats is None:
        return PlaybookRun(done, None, None, None, tasks)
    return PlaybookRun(done, stats["ok"], stats["changed"], stats["failures"], tasks)


def apply_role(env, role, *options, **how):
    """ROLE alone through tests/integration/playbooks/aws_role.yml (its input checked first, then
    the role in the AWS environment of playbooks/aws_platform.yml); HOW as run_playbook's."""
    return run_playbook(env, ROLE_PLAYBOOK, "-e", f"aws_role={role}", *options, **how)


def aws(service, region=REGION):
    """A boto3 client of SERVICE; the `aws_env` fixture points it at moto_server."""
    return boto3.client(service, region_name=region)


def alerting_subscriptions(region):
    """{topic ARN: [(protocol, endpoint)]} of the alerting topic (aws_alerting's PREFIX-alerts) in REGION."""
    sns = aws("sns", region)
    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(f":{PREFIX}-alerts")]
    return {topic: [(s["Protocol"], s["Endpoint"]) for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]]
            for topic in topics}


@dataclass(frozen=True)
class Estate:
    """The local estate as built: the settings it was built from (the local inventory's aws.yml,
    as scripts/local_aws.py reads it) and the ids and names the tests use."""

    settings: dict
    vpc_id: str
    load_balancer_arn: str
    asg_name: str
    db_identifier: str

    @property
    def load_balancer_dimension(self):
        """The load balancer's CloudWatch dimension LoadBalancer: app/NAME/ID, from its ARN."""
        return self.load_balancer_arn.split(":loadbalancer/", 1)[1]


def build_estate(env):
    """Build the local estate on ENV's moto_server with scripts/local_aws.py: a VPC with a subnet
    in each of two zones, the application load balancer with its target group and listener, the
    app servers' launch template and Auto Scaling group (2-10, 2 instances, in the target group),
    the PostgreSQL instance (db.t3.micro, gp2 of 20 GiB, with the SOP's backup policy, Multi-AZ
    and deletion protection) in its DB subnet group, the runbook's SNS topic with an SQS queue,
    and the cache subnet group. Returns an Estate."""
    assert env["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:"), "the estate is built on a loopback moto_server only"
    conf = local_aws.settings()
    local_aws.estate(env["AWS_ENDPOINT_URL"], conf)
    vpcs = aws("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [conf["fleet_aws_vpc_name"]]}])["Vpcs"]
    balancer = aws("elbv2").describe_load_balancers(Names=[conf["fleet_aws_load_balancer_name"]])["LoadBalancers"][0]
    return Estate(settings=conf, vpc_id=vpcs[0]["VpcId"], load_balancer_arn=balancer["LoadBalancerArn"],
                  asg_name=conf["fleet_aws_asg_name"], db_identifier=conf["rds_db_identifier"])
