"""cloudwatch_figures: the maintenance pre-flight's figures of an AWS deployment from CloudWatch.

moto in-process for everything it answers: the Auto Scaling group, the RDS instance and its
parameter group, the load balancer and target group, and GetMetricData with Sum, Average and
Maximum over values put with put_metric_data.

What moto 5.2.5 does not do, measured in test_what_moto_get_metric_data_supports below:
- percentile statistics (p95, p99.9, tm90, IQM): GetMetricData raises TypeError inside moto,
  so the whole call fails;
- metric math: an expression is answered only when it is a bare query id; anything else
  (FILL, arithmetic) comes back Complete with no values;
- pagination: it never answers a NextToken.
Every call with a load balancer asks for p95, so the load balancer cases keep moto for the
ELBv2 reads and put botocore's Stubber on the CloudWatch client only (`cloudwatch_stub`); so do
the cases for pages and throttling. The error rate is computed by the module from the three
sums, not by metric math (one period over the window makes each query one number).
"""

import datetime
import functools
import json
import subprocess
import sys
from pathlib import Path

import botocore.session
import pytest
import yaml
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args
from aws_harness import GROUP, REGION, ROOT, client, fail_of, group, make_group, run_module
from botocore.stub import Stubber

from ansible.module_utils import fleet_aws, fleet_cloudwatch
from library import cloudwatch_figures as module

# 30 seconds into the minute: the window ends at 20:00:00 and starts 15 minutes before.
NOW = datetime.datetime(2026, 6, 7, 20, 0, 30, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2026, 6, 7, 20, 0, 0, tzinfo=datetime.timezone.utc)
START = END - datetime.timedelta(minutes=15)
MEMORY = "memory: not measured on AWS without the CloudWatch agent"
DB = "e1-dashboard"


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch):
    monkeypatch.setattr(fleet_cloudwatch, "_now", lambda: NOW)


def put(namespace, metric, dimensions, values):
    """VALUES: {minutes before END: value}; 0 is the current, unfinished minute."""
    client("cloudwatch").put_metric_data(
        Namespace=namespace,
        MetricData=[
            dict(
                MetricName=metric,
                Dimensions=[{"Name": k, "Value": v} for k, v in dimensions.items()],
                Timestamp=END - datetime.timedelta(minutes=minutes) + datetime.timedelta(seconds=5 if minutes == 0 else 0),
                Value=value,
            )
            for minutes, value in values.items()
        ],
    )


def make_database(instance_class="db.t3.medium", max_connections=None, engine="postgres"):
    rds = client("rds")
    extra = {}
    if max_connections is not None:
        rds.create_db_parameter_group(DBParameterGroupName="pg16-fleet", DBParameterGroupFamily="postgres16", Description="fleet")
        rds.modify_db_parameter_group(
            DBParameterGroupName="pg16-fleet",
            Parameters=[{"ParameterName": "max_connections", "ParameterValue": max_connections, "ApplyMethod": "pending-reboot"}],
        )
        extra["DBParameterGroupName"] = "pg16-fleet"
    rds.create_db_instance(
        DBInstanceIdentifier=DB, DBInstanceClass=instance_class, Engine=engine, MasterUsername="fleet",
        MasterUserPassword="not-a-real-password", AllocatedStorage=20, **extra,
    )


def make_load_balancer(attach=True):
    """An application load balancer with a target group its listener forwards to; (dimension, TG ARN, LB ARN)."""
    ec2, elbv2 = client("ec2"), client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.{0}.0/24".format(n), AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for n, zone in enumerate(zones)
    ]
    lb_arn = elbv2.create_load_balancer(Name="e1-dashboard", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    tg_arn = elbv2.create_target_group(Name="e1-dashboard", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
    if attach:
        elbv2.create_listener(
            LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}]
        )
    return lb_arn.split(":loadbalancer/", 1)[1], tg_arn, lb_arn


def instance_ids():
    return sorted(i["InstanceId"] for i in group()["Instances"])


# --- moto: the Auto Scaling group's CPU ---------------------------------------------------------


def test_cpu_of_each_instance_the_busiest_and_no_memory(moto_aws):
    make_group(desired=3)
    first, second, third = instance_ids()
    put("AWS/EC2", "CPUUtilization", {"InstanceId": first}, {15: 20.0, 10: 30.0, 5: 40.0, 20: 99.0, 0: 99.0})
    put("AWS/EC2", "CPUUtilization", {"InstanceId": second}, {10: 60.0, 5: 80.0})
    result = run_module(module, dict(asg_name=GROUP))
    figures = result["figures"]
    assert figures["cpu_percent"] == {first: 30.0, second: 70.0, third: None}
    assert (figures["cpu_percent_max"], figures["cpu_busiest_instance"]) == (70.0, second)
    assert figures["memory_percent"] is None and result["notes"][0] == MEMORY
    assert any(note.startswith("no CPUUtilization for {0} in the last 15 minutes".format(third)) for note in result["notes"])
    assert "no load balancer named (load_balancer or target_group_arn): p95 and error rate not read" in result["notes"]
    assert "no DB instance named (db_identifier): database connections not read" in result["notes"]
    assert result["window"] == {"start": START.isoformat(), "end": END.isoformat(), "minutes": 15}
    assert result["instances"] == [first, second, third] and result["changed"] is False
    assert moto_aws == ["DescribeAutoScalingGroups", "GetMetricData"]


def test_the_window_follows_minutes(moto_aws):
    make_group(desired=2)
    first, _second = instance_ids()
    put("AWS/EC2", "CPUUtilization", {"InstanceId": first}, {50: 90.0, 3: 10.0})
    assert run_module(module, dict(asg_name=GROUP))["figures"]["cpu_percent"][first] == 10.0
    assert run_module(module, dict(asg_name=GROUP, minutes=60))["figures"]["cpu_percent"][first] == 50.0


def test_an_empty_group_has_no_cpu_to_read(moto_aws):
    make_group(minimum=0, desired=0)
    result = run_module(module, dict(asg_name=GROUP))
    assert result["figures"]["cpu_percent"] == {} and result["figures"]["cpu_percent_max"] is None
    assert "the Auto Scaling group has no instances: no CPU to read" in result["notes"]


# --- moto: the database's connections ------------------------------------------------------------


def test_connections_against_a_max_connections_the_parameter_group_sets(moto_aws):
    make_database(max_connections="200")
    put("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB}, {12: 120.0, 8: 170.0, 2: 150.0})
    figures = run_module(module, dict(db_identifier=DB))["figures"]
    assert (figures["db_connections"], figures["max_connections"], figures["db_connections_percent"]) == (170, 200, 85.0)
    assert figures["max_connections_source"] == "DB parameter group 'pg16-fleet'"


def test_max_connections_from_the_class_memory_when_rds_default_applies(moto_aws):
    """moto's default parameter group lists no parameters, as if max_connections were left to RDS:
    LEAST({DBInstanceClassMemory/9531392},5000) with db.t3.medium's 4 GiB is 450."""
    make_database("db.t3.medium")
    put("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB}, {5: 90.0})
    result = run_module(module, dict(db_identifier=DB))
    figures = result["figures"]
    assert (figures["db_connections"], figures["max_connections"], figures["db_connections_percent"]) == (90, 450, 20.0)
    assert figures["max_connections_source"] == (
        "RDS's default for postgres, LEAST({DBInstanceClassMemory/9531392},5000), with the nominal 4 GiB of db.t3.medium"
    )
    assert any(note.startswith("max_connections 450 of e1-dashboard computed from") for note in result["notes"])


def test_a_formula_in_the_parameter_group_is_evaluated(moto_aws):
    make_database("db.r6g.large", max_connections="GREATEST({DBInstanceClassMemory/12582880},100)")
    put("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB}, {5: 273.0})
    figures = run_module(module, dict(db_identifier=DB))["figures"]
    # 16 GiB / 12582880 = 1365.3
    assert (figures["max_connections"], figures["db_connections_percent"]) == (1365, 20.0)


def test_an_instance_class_not_in_the_table_leaves_the_percent_unmeasured(moto_aws):
    make_database("db.x2iedn.xlarge")
    put("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB}, {5: 40.0})
    result = run_module(module, dict(db_identifier=DB))
    figures = result["figures"]
    assert (figures["db_connections"], figures["max_connections"], figures["db_connections_percent"]) == (40, None, None)
    [note] = [n for n in result["notes"] if n.startswith("max_connections of e1-dashboard unknown")]
    assert "instance class 'db.x2iedn.xlarge' is not in the memory table" in note


def test_no_connections_in_the_window(moto_aws):
    make_database()
    result = run_module(module, dict(db_identifier=DB))
    assert result["figures"]["db_connections"] is None and result["figures"]["db_connections_percent"] is None
    assert "no DatabaseConnections for DB instance e1-dashboard in the last 15 minutes" in result["notes"]


def test_check_mode_reads_the_same(moto_aws):
    make_group(desired=2)
    make_database(max_connections="100")
    first, _second = instance_ids()
    put("AWS/EC2", "CPUUtilization", {"InstanceId": first}, {4: 50.0})
    put("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB}, {4: 10.0})
    args = dict(asg_name=GROUP, db_identifier=DB)
    assert run_module(module, args, check_mode=True) == run_module(module, args)
    assert moto_aws.writes() == []


# --- moto: errors and bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (dict(db_identifier="nope"), "DB instance 'nope' not found in region ap-southeast-3"),
        (dict(asg_name="nope"), "Auto Scaling group 'nope' not found in region ap-southeast-3"),
        (dict(load_balancer="app/nope/0123456789abcdef"), "load balancer 'app/nope/0123456789abcdef' not found in region ap-southeast-3"),
        (
            dict(target_group_arn="arn:aws:elasticloadbalancing:ap-southeast-3:123456789012:targetgroup/nope/0123456789abcdef"),
            "target group arn:aws:elasticloadbalancing:ap-southeast-3:123456789012:targetgroup/nope/0123456789abcdef"
            " not found in region ap-southeast-3",
        ),
    ],
)
def test_what_does_not_exist_is_a_clear_failure(moto_aws, args, expected):
    result = fail_of(module, args)
    assert result["msg"] == expected and "exception" not in result
    assert "GetMetricData" not in moto_aws


def test_a_load_balancer_id_that_does_not_match_is_refused(moto_aws):
    dimension, _tg, _lb = make_load_balancer()
    wrong = dimension.rsplit("/", 1)[0] + "/0123456789abcdef"
    assert fail_of(module, dict(load_balancer=wrong))["msg"] == (
        "load balancer {0!r} not found in region ap-southeast-3: the load balancer named 'e1-dashboard' is {1!r}".format(wrong, dimension)
    )


def test_a_target_group_no_load_balancer_forwards_to_is_refused(moto_aws):
    _dimension, tg_arn, _lb = make_load_balancer(attach=False)
    assert fail_of(module, dict(target_group_arn=tg_arn))["msg"] == (
        "target group {0} is attached to no load balancer (no listener forwards to it)".format(tg_arn)
    )


@pytest.mark.parametrize(
    "args, expected",
    [
        (dict(asg_name=GROUP, minutes=0), "minutes 0 must be 1 to 1440 minutes"),
        (dict(asg_name=GROUP, minutes=1441), "minutes 1441 must be 1 to 1440 minutes"),
        (dict(load_balancer="e1-dashboard"), "load_balancer 'e1-dashboard' is neither app/NAME/ID"),
        (dict(load_balancer="net/e1-nlb/0123456789abcdef"), "load_balancer 'net/e1-nlb/0123456789abcdef' is a network load balancer"),
        (dict(target_group_arn="e1-dashboard"), "target_group_arn 'e1-dashboard' is not an ELBv2 target group ARN"),
        (dict(asg_name=" "), "asg_name is empty"),
        (dict(db_identifier="1db"), "db_identifier '1db' is not a valid RDS DB instance identifier: it must start with a letter"),
        (dict(minutes=15), "one of the following is required: load_balancer, target_group_arn, asg_name, db_identifier"),
        (
            dict(load_balancer="app/a/0123456789abcdef", target_group_arn="arn:x"),
            "parameters are mutually exclusive: load_balancer|target_group_arn",
        ),
    ],
)
def test_bad_input_is_refused_before_any_call(moto_aws, args, expected):
    result = fail_of(module, args)
    assert expected in result["msg"]
    assert moto_aws == []


def test_a_load_balancer_arn_is_accepted_as_its_dimension():
    arn = "arn:aws:elasticloadbalancing:ap-southeast-3:123456789012:loadbalancer/app/e1-dashboard/50dc6c495c0c9188"
    assert fleet_cloudwatch.dimension_of(arn) == "app/e1-dashboard/50dc6c495c0c9188"
    assert fleet_cloudwatch.load_balancer_problem("load_balancer", arn) == ""


# --- what moto's GetMetricData supports (measured) -----------------------------------------------


def test_what_moto_get_metric_data_supports(moto_aws):
    """When this fails, moto has learnt percentiles or metric math: move the load balancer cases
    below from the Stubber to moto."""
    dimensions = {"LoadBalancer": "app/e1-dashboard/50dc6c495c0c9188"}
    put("AWS/ApplicationELB", "TargetResponseTime", dimensions, {3: 0.2, 2: 0.4, 1: 5.0})
    put("AWS/ApplicationELB", "RequestCount", dimensions, {2: 100.0, 1: 100.0})

    def ask(*queries):
        reply = client("cloudwatch").get_metric_data(MetricDataQueries=list(queries), StartTime=START, EndTime=END)
        return {r["Id"]: r["Values"] for r in reply["MetricDataResults"]}, reply.get("NextToken")

    def stat(query_id, metric, statistic):
        return fleet_cloudwatch.metric_query(query_id, "AWS/ApplicationELB", metric, dimensions, statistic, 900)

    found, token = ask(stat("avg", "TargetResponseTime", "Average"), stat("top", "TargetResponseTime", "Maximum"),
                       stat("req", "RequestCount", "Sum"), {"Id": "same", "Expression": "req"},
                       {"Id": "math", "Expression": "100 * FILL(req, 0) / req"})
    assert found["req"] == found["same"] == [200.0] and found["top"] == [5.0] and found["avg"] == [pytest.approx(1.8667, abs=1e-3)]
    assert found["math"] == [] and token is None
    for percentile in ("p95", "p99.9", "tm90", "IQM"):
        try:
            answered = ask(stat("p", "TargetResponseTime", percentile))[0]["p"]
        except TypeError:
            answered = None
        assert not answered, percentile


# --- the load balancer: moto for ELBv2, botocore's Stubber for CloudWatch ------------------------


@pytest.fixture()
def cloudwatch_stub(moto_aws, monkeypatch):
    """moto for every service but CloudWatch, whose client gets a Stubber (moto cannot answer p95)."""
    cloudwatch = botocore.session.get_session().create_client(
        "cloudwatch", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    moto_client = fleet_aws.create_client
    monkeypatch.setattr(
        fleet_aws, "create_client",
        lambda module_, service, region=None: cloudwatch if service == "cloudwatch" else moto_client(module_, service, region),
    )
    with Stubber(cloudwatch) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def elb_queries(dimension, period=900):
    return [
        fleet_cloudwatch.metric_query(query_id, "AWS/ApplicationELB", metric, {"LoadBalancer": dimension}, stat, period)
        for query_id, (metric, stat, _how) in module.ELB_QUERIES.items()
    ]


def answer(values, token=None, status=None, messages=()):
    reply = {
        "MetricDataResults": [
            {"Id": query_id, "Label": query_id, "Timestamps": [START] * len(found), "Values": found,
             "StatusCode": (status or {}).get(query_id, "Complete")}
            for query_id, found in values.items()
        ],
        "Messages": list(messages),
    }
    if token:
        reply["NextToken"] = token
    return reply


def asked(queries, token=None, minutes=15):
    start = END - datetime.timedelta(minutes=minutes)
    params = {"MetricDataQueries": queries, "StartTime": start, "EndTime": END, "ScanBy": "TimestampAscending"}
    if token:
        params["NextToken"] = token
    return params


def test_load_balancer_figures_through_its_target_group(cloudwatch_stub):
    dimension, tg_arn, _lb = make_load_balancer()
    cloudwatch_stub.add_response(
        "get_metric_data", answer({"p95": [0.4123], "requests": [2000.0], "target_5xx": [3.0], "elb_5xx": [1.0]}),
        asked(elb_queries(dimension)),
    )
    result = run_module(module, dict(target_group_arn=tg_arn))
    figures = result["figures"]
    assert result["load_balancer"] == dimension
    assert (figures["p95_seconds"], figures["requests"], figures["target_5xx"], figures["elb_5xx"]) == (0.412, 2000, 3, 1)
    assert figures["error_percent"] == 0.2
    assert result["notes"] == [MEMORY, "no Auto Scaling group named (asg_name): CPU not read",
                               "no DB instance named (db_identifier): database connections not read"]


def test_load_balancer_by_arn_and_missing_5xx_counts_are_none(cloudwatch_stub):
    """ELB publishes no 5XX data point while there are none: no value is 0."""
    dimension, _tg, lb_arn = make_load_balancer()
    cloudwatch_stub.add_response(
        "get_metric_data", answer({"p95": [3.5], "requests": [500.0], "target_5xx": [], "elb_5xx": []}),
        asked(elb_queries(dimension, period=300), minutes=5),
    )
    figures = run_module(module, dict(load_balancer=lb_arn, minutes=5))["figures"]
    assert (figures["p95_seconds"], figures["error_percent"], figures["target_5xx"]) == (3.5, 0.0, 0)


def test_no_requests_is_no_error_rate_and_no_p95(cloudwatch_stub):
    dimension, _tg, _lb = make_load_balancer()
    cloudwatch_stub.add_response(
        "get_metric_data", answer({"p95": [], "requests": [], "target_5xx": [], "elb_5xx": []}), asked(elb_queries(dimension))
    )
    result = run_module(module, dict(load_balancer=dimension))
    assert (result["figures"]["p95_seconds"], result["figures"]["error_percent"], result["figures"]["requests"]) == (None, None, 0)
    assert "no requests through {0} in the last 15 minutes: no p95 or error rate".format(dimension) in result["notes"]


def test_5xx_answers_without_any_request_reaching_a_target_are_all_errors(cloudwatch_stub):
    dimension, _tg, _lb = make_load_balancer()
    cloudwatch_stub.add_response(
        "get_metric_data", answer({"p95": [], "requests": [], "target_5xx": [], "elb_5xx": [40.0]}), asked(elb_queries(dimension))
    )
    result = run_module(module, dict(load_balancer=dimension))
    assert result["figures"]["error_percent"] == 100.0
    assert "40 5xx answers through {0} in the last 15 minutes and no request reached a target".format(dimension) in result["notes"]


def test_every_page_is_read_and_a_query_continued_on_the_next_page_is_merged(cloudwatch_stub):
    """CloudWatch may page one query's values; moto never pages."""
    dimension, _tg, _lb = make_load_balancer()
    make_group(desired=1)
    [instance] = instance_ids()
    queries = elb_queries(dimension) + [
        fleet_cloudwatch.metric_query("cpu_0", "AWS/EC2", "CPUUtilization", {"InstanceId": instance}, "Average", 900)
    ]
    cloudwatch_stub.add_response(
        "get_metric_data", answer({"requests": [1000.0], "target_5xx": [10.0]}, token="page-2", status={"requests": "PartialData"}),
        asked(queries),
    )
    cloudwatch_stub.add_response(
        "get_metric_data", answer({"requests": [1000.0], "p95": [1.25], "elb_5xx": [], "cpu_0": [42.04]}), asked(queries, "page-2")
    )
    result = run_module(module, dict(load_balancer=dimension, asg_name=GROUP))
    figures = result["figures"]
    assert (figures["requests"], figures["error_percent"], figures["p95_seconds"]) == (2000, 0.5, 1.25)
    assert figures["cpu_percent"] == {instance: 42.0}
    assert not any(note.startswith("CloudWatch answered") for note in result["notes"])


def test_what_cloudwatch_says_becomes_a_note(cloudwatch_stub):
    dimension, _tg, _lb = make_load_balancer()
    cloudwatch_stub.add_response(
        "get_metric_data",
        answer({"p95": [], "requests": [10.0], "target_5xx": [], "elb_5xx": []}, status={"p95": "InternalError"},
               messages=[{"Code": "MaxMetricsExceeded", "Value": "too many metrics"}]),
        asked(elb_queries(dimension)),
    )
    notes = run_module(module, dict(load_balancer=dimension))["notes"]
    assert "CloudWatch: MaxMetricsExceeded: too many metrics" in notes
    assert "CloudWatch answered InternalError for query p95" in notes
    assert "no TargetResponseTime for {0} in the last 15 minutes although 10 requests reached a target".format(dimension) in notes


def test_throttling_is_retried_from_the_first_page(cloudwatch_stub, clock):
    dimension, _tg, _lb = make_load_balancer()
    cloudwatch_stub.add_client_error("get_metric_data", "Throttling", "Rate exceeded", expected_params=asked(elb_queries(dimension)))
    cloudwatch_stub.add_response(
        "get_metric_data", answer({"p95": [0.3], "requests": [10.0], "target_5xx": [], "elb_5xx": []}), asked(elb_queries(dimension))
    )
    assert run_module(module, dict(load_balancer=dimension))["figures"]["p95_seconds"] == 0.3
    assert len(clock.sleeps) == 1


def test_an_aws_error_is_a_clear_failure_without_a_traceback(cloudwatch_stub):
    dimension, _tg, _lb = make_load_balancer()
    cloudwatch_stub.add_client_error(
        "get_metric_data", "AccessDenied", "not authorized to perform cloudwatch:GetMetricData", expected_params=asked(elb_queries(dimension))
    )
    result = fail_of(module, dict(load_balancer=dimension))
    assert result["msg"] == (
        "reading the figures from CloudWatch (GetMetricData) failed: AccessDenied: not authorized to perform cloudwatch:GetMetricData"
    )
    assert result["error"]["code"] == "AccessDenied" and "exception" not in result


# --- max_connections and the memory table --------------------------------------------------------


@pytest.mark.parametrize(
    "formula, expected",
    [
        ("LEAST({DBInstanceClassMemory/9531392},5000)", 450),
        ("{DBInstanceClassMemory/9531392}", 450),
        ("GREATEST({DBInstanceClassMemory/12582880}, 100)", 341),
        ("SUM({DBInstanceClassMemory*3/4/9531392},10)", 347),
        ("LEAST(5000, 12)", 12),
    ],
)
def test_formulas_rds_writes(formula, expected):
    assert int(fleet_cloudwatch.evaluate_formula(formula, {"DBInstanceClassMemory": 4 * 1024**3})) == expected


@pytest.mark.parametrize(
    "formula", ["{DBInstanceVCPU*10}", "LOG(2)", "LEAST({DBInstanceClassMemory/0},1)", "LEAST(1,2", "12 13", "{DBInstanceClassMemory/2}}"]
)
def test_formulas_this_module_does_not_evaluate(formula):
    with pytest.raises(fleet_cloudwatch.FormulaError):
        fleet_cloudwatch.evaluate_formula(formula, {"DBInstanceClassMemory": 4 * 1024**3})


@pytest.mark.parametrize(
    "instance_class, gib",
    [("db.t3.micro", 1), ("db.t4g.2xlarge", 32), ("db.m5.large", 8), ("db.m6i.12xlarge", 192), ("db.r6g.large", 16),
     ("db.r5.24xlarge", 768), ("db.x2g.large", 32), ("db.t2.micro", None), ("db.r5.2xlarge.tpc2.mem4x", None), ("db.serverless", None)],
)
def test_the_memory_table(instance_class, gib):
    assert fleet_cloudwatch.CLASS_MEMORY_GIB.get(instance_class) == gib


class ParametersOnly:
    """A connection that answers describe_db_parameters, for what moto cannot set (ParameterApplyStatus)."""

    def __init__(self, parameters):
        self.parameters = parameters

    def paginate(self, what, operation, result_key, **kwargs):
        assert (operation, result_key, kwargs) == ("describe_db_parameters", "Parameters", {"DBParameterGroupName": "pg"})
        return self.parameters


def test_a_parameter_group_pending_a_reboot_is_said():
    database = dict(DBInstanceIdentifier=DB, DBInstanceClass="db.t3.micro", Engine="postgres",
                    DBParameterGroups=[{"DBParameterGroupName": "pg", "ParameterApplyStatus": "pending-reboot"}])
    limit, source, notes = fleet_cloudwatch.max_connections(ParametersOnly([{"ParameterName": "max_connections", "ParameterValue": "300"}]), database)
    assert (limit, source) == (300, "DB parameter group 'pg'")
    assert notes == ["DB parameter group 'pg' of e1-dashboard has changes pending a reboot: its max_connections may not be in effect yet"]


def test_an_engine_without_a_known_default():
    database = dict(DBInstanceIdentifier=DB, DBInstanceClass="db.t3.micro", Engine="mysql",
                    DBParameterGroups=[{"DBParameterGroupName": "pg", "ParameterApplyStatus": "in-sync"}])
    limit, _source, notes = fleet_cloudwatch.max_connections(ParametersOnly([]), database)
    assert limit is None and notes == [
        "max_connections of e1-dashboard unknown: DB parameter group 'pg' does not set it and this module knows no default for engine 'mysql'"
    ]


# --- the documentation ---------------------------------------------------------------------------

# Options, examples and rendering are checked with the other AWS modules' in
# tests/unit/test_aws_module_docs.py; what is particular to this one is its RETURN.

def test_the_returned_figures_are_documented():
    documented = yaml.safe_load(module.RETURN)["figures"]
    assert set(documented["contains"]) == set(documented["sample"])


def test_secrets_are_no_log():
    secrets = {"aws_secret_access_key": "wJalrXUtnFEMI-not-a-real-key", "aws_session_token": "FwoGZXIvYXdzEBYa-not-a-real-token"}
    with patch_module_args(dict(asg_name=GROUP, **secrets)):
        loaded = AnsibleModule(argument_spec=module.argument_spec(), supports_check_mode=True)
    assert set(secrets.values()) <= loaded.no_log_values
