"""The monthly audit (`fleet audit`, playbooks/audit.yml) on the fleet README command 1 built, whose
own audit passed (test_readme_command.py): break one thing at a time - a port opened to the
world, an alarm removed, a threshold changed, a host with a pending security update, an expiring
certificate, a deleted backup - and each run fails naming that check and only that; each break
is undone before the next, and the last run passes again.

AWS is the local endpoint (moto_server on 127.0.0.1:5055, which `./fleet up` started); the hosts
are the fleet's containers."""

import datetime as dt
import os
import subprocess

import boto3
import pytest
from fleet_e2e import ROOT, fleet, last_report, why_it_failed

MOTO = f"http://127.0.0.1:{os.environ.get('FLEET_MOTO_PORT', '5055')}"
REGION = "ap-southeast-3"
PREFIX = "e1-dashboard-local"
DATABASE = "e1-dashboard-local"


@pytest.fixture(scope="module")
def aws(command_one):
    assert command_one[0].returncode == 0, "README command 1 failed: no fleet to audit\n" + why_it_failed(command_one[0])
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    return {name: session.client(name, endpoint_url=MOTO) for name in ("ec2", "cloudwatch", "rds")}


def audit(runs_dir):
    """`fleet audit` as an operator runs it: its exit code and the report of its record."""
    done = fleet(runs_dir, "audit")
    return done, last_report(runs_dir, "audit")


def failed_only(runs_dir, check):
    """Runs the audit and checks that it failed on CHECK alone; returns that check's detail."""
    done, report = audit(runs_dir)
    assert done.returncode == 1, why_it_failed(done)
    assert report["verdict"]["failed"] == [check], report["checks"]
    assert f"the monthly audit failed: {check}" in done.stderr
    (found,) = [c for c in report["checks"] if c["check"] == check]
    return found["detail"]


def on_host(host, *argv):
    return subprocess.run(["docker", "exec", f"fleet-{host}", *argv], capture_output=True, text=True, check=True).stdout


def group_id(aws, name):
    (group,) = aws["ec2"].describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}])["SecurityGroups"]
    return group["GroupId"]


def saved_alarm(aws, name):
    (alarm,) = aws["cloudwatch"].describe_alarms(AlarmNames=[name])["MetricAlarms"]
    keys = ("AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions",
            "MetricName", "Namespace", "Statistic", "Dimensions", "Period", "EvaluationPeriods", "DatapointsToAlarm",
            "Threshold", "ComparisonOperator", "TreatMissingData")
    return {key: alarm[key] for key in keys if key in alarm}


def test_ssh_opened_to_the_world_fails_the_security_groups_only(aws, runs_dir):
    app = group_id(aws, f"{PREFIX}-app")
    world = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    aws["ec2"].authorize_security_group_ingress(GroupId=app, IpPermissions=world)
    try:
        assert failed_only(runs_dir, "security_groups") == f"{PREFIX}-app: open to the internet: tcp 22 from 0.0.0.0/0"
    finally:
        aws["ec2"].revoke_security_group_ingress(GroupId=app, IpPermissions=world)


def test_a_removed_alarm_fails_the_alarms_only(aws, runs_dir):
    name = f"{PREFIX}-health-cpu-group"
    alarm = saved_alarm(aws, name)
    aws["cloudwatch"].delete_alarms(AlarmNames=[name])
    try:
        assert failed_only(runs_dir, "alarms") == f"alarm '{name}' missing"
    finally:
        aws["cloudwatch"].put_metric_alarm(**alarm)


def test_a_changed_threshold_fails_the_alarms_only(aws, runs_dir):
    name = f"{PREFIX}-health-cpu-group"
    alarm = saved_alarm(aws, name)
    aws["cloudwatch"].put_metric_alarm(**dict(alarm, Threshold=90.0))
    try:
        assert failed_only(runs_dir, "alarms") == f"{name}: threshold is 90.0, the SOP's is 70.0"
    finally:
        aws["cloudwatch"].put_metric_alarm(**alarm)


def test_a_host_with_a_pending_security_update_fails_that_check_only(runs_dir):
    # The repository's first version of a package, as the fleet was made with: 1.1 waits in the
    # security suite.
    on_host("app1", "python3", "-c", "import urllib.request; urllib.request.urlretrieve("
            "'http://172.30.77.40/initial/fleet-demo-tool.deb', '/tmp/fleet-demo-tool.deb')")
    on_host("app1", "dpkg", "-i", "/tmp/fleet-demo-tool.deb")
    try:
        assert failed_only(runs_dir, "security_updates") == "app1: fleet-demo-tool 1.0 -> 1.1"
    finally:
        on_host("app1", "apt-get", "install", "-y", "-q", "fleet-demo-tool")


def test_an_expiring_certificate_fails_the_certificates_only(runs_dir):
    served = "/etc/fleet-acme/served/web_front"
    # The served names are links into certbot's own tree: they are set aside, not written through.
    on_host("app1", "mv", served, "/root/served-before-audit-test")
    on_host("app1", "install", "-d", "-m", "0750", served)
    on_host("app1", "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "5",
            "-subj", "/CN=app1.fleet.test", "-addext", "subjectAltName=DNS:app1.fleet.test,DNS:fleet.test",
            "-keyout", f"{served}/privkey.pem", "-out", f"{served}/fullchain.pem")
    on_host("app1", "systemctl", "reload", "nginx")
    try:
        detail = failed_only(runs_dir, "certificates")
        assert detail.startswith("less than 14 days left or unreadable: app1: ") and "app2" not in detail
    finally:
        on_host("app1", "sh", "-c", f"rm -rf {served} && mv /root/served-before-audit-test {served} && systemctl reload nginx")


def test_a_deleted_backup_fails_the_backups_only_then_a_new_database_passes_again(aws, runs_dir):
    rds = aws["rds"]
    snapshots = rds.describe_db_snapshots(DBInstanceIdentifier=DATABASE, SnapshotType="automated")["DBSnapshots"]
    # moto deletes an automated snapshot when asked (RDS keeps them to their retention).
    for snapshot in snapshots:
        rds.delete_db_snapshot(DBSnapshotIdentifier=snapshot["DBSnapshotIdentifier"])
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert failed_only(runs_dir, "backups").startswith(f"no available automated backup on {today}")
    # Undone as an operator would: a new database (the local estate's), backed up at creation.
    rds.modify_db_instance(DBInstanceIdentifier=DATABASE, DeletionProtection=False, ApplyImmediately=True)
    rds.delete_db_instance(DBInstanceIdentifier=DATABASE, SkipFinalSnapshot=True)
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "scripts" / "local_aws.py"), "--endpoint-url", MOTO],
                   check=True, capture_output=True)
    done, report = audit(runs_dir)
    assert done.returncode == 0 and report["verdict"]["failed"] == [], report["checks"]
