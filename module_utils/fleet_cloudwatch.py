# -*- coding: utf-8 -*-
"""CloudWatch figures as the maintenance pre-flight reads them on AWS (library/cloudwatch_figures.py),
on module_utils/fleet_aws.py's connection, retries and errors.

- The window: the last N whole minutes, up to the current minute, read as ONE period, so every
  query answers one number (should CloudWatch split it anyway, counts are added and every other
  statistic takes the highest value, the cautious reading against a threshold).
- GetMetricData: every query in one call, all its pages (a query's values may continue on the
  next page), throttling retried from the first page.
- The application load balancer: its CloudWatch dimension (app/NAME/ID) from the dimension, its
  ARN, or the target group attached to it - checked to exist, so that a wrong name is an error,
  not a quiet "no requests".
- max_connections of an RDS DB instance: the parameter group's value when it is a number,
  otherwise its formula (RDS's default for PostgreSQL: LEAST({DBInstanceClassMemory/9531392},5000))
  evaluated with the instance class's memory from CLASS_MEMORY_GIB below.

The memory table. DBInstanceClassMemory is taken as the class's nominal memory (GiB * 1024^3).
RDS subtracts from it what the operating system and its own processes keep, so the server's
max_connections is somewhat lower than the one computed here (most on the smallest classes);
a parameter group whose max_connections is a number gives the exact value.

    family                                  size: GiB
    db.t3, db.t4g (burstable)               micro 1, small 2, medium 4, large 8, xlarge 16, 2xlarge 32
    db.m5, db.m5d, db.m6g, db.m6gd, db.m6i,
    db.m6id, db.m7g, db.m7i, db.m8g         4 GiB per vCPU
    db.r5, db.r5b, db.r5d, db.r6g, db.r6gd,
    db.r6i, db.r6id, db.r7g, db.r7i, db.r8g 8 GiB per vCPU
    db.x2g                                  16 GiB per vCPU
    vCPUs by size: large 2, xlarge 4, 2xlarge 8, 4xlarge 16, 8xlarge 32, 12xlarge 48,
                   16xlarge 64, 24xlarge 96, 32xlarge 128, 48xlarge 192

A size a family does not offer never comes back from AWS, so its row does no harm. Every other
class (db.t2, db.m4, db.x2iedn, the optimized-CPU classes such as db.r5.2xlarge.tpc2.mem4x,
db.serverless, ...) is unknown: max_connections then comes only from a parameter group that sets
it to a number, and the result says so.
"""

from __future__ import annotations

import datetime
import re

from ansible.module_utils.fleet_aws import with_backoff

MINUTES_MAX = 1440
# GetMetricData takes at most 500 queries in one call.
QUERIES_MAX = 500
MEMORY_NOTE = "memory: not measured on AWS without the CloudWatch agent"

# --- the window -------------------------------------------------------------------------------


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def window(minutes):
    """(start, end) of the last MINUTES whole minutes, in UTC."""
    end = _now().astimezone(datetime.timezone.utc).replace(second=0, microsecond=0)
    return end - datetime.timedelta(minutes=minutes), end


def minutes_problem(option, minutes):
    if not 1 <= minutes <= MINUTES_MAX:
        return "{0} {1} must be 1 to {2} minutes".format(option, minutes, MINUTES_MAX)
    return ""


# --- GetMetricData ----------------------------------------------------------------------------


def metric_query(query_id, namespace, metric, dimensions, stat, period):
    """A MetricStat query of one metric; DIMENSIONS: {name: value}."""
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {
                "Namespace": namespace,
                "MetricName": metric,
                "Dimensions": [{"Name": name, "Value": value} for name, value in sorted(dimensions.items())],
            },
            "Period": period,
            "Stat": stat,
        },
        "ReturnData": True,
    }


def metric_data(conn, queries, start, end):
    """Every query's values over all pages of one GetMetricData call.

    Returns ({query id: [values]}, {query id: final status code}, [messages]), the messages as
    'Code: Value' (those of the whole call and each query's, the query id first).
    """
    if len(queries) > QUERIES_MAX:
        conn.module.fail_json(
            msg="{0} CloudWatch queries are more than the {1} GetMetricData takes in one call".format(
                len(queries), QUERIES_MAX
            )
        )

    def read_all():
        values = {query["Id"]: [] for query in queries}
        status, messages, pages = {}, [], 0
        paginator = conn.client.get_paginator("get_metric_data")
        for page in paginator.paginate(
            MetricDataQueries=queries, StartTime=start, EndTime=end, ScanBy="TimestampAscending"
        ):
            pages += 1
            for result in page.get("MetricDataResults", []):
                values.setdefault(result["Id"], []).extend(result.get("Values", []))
                status[result["Id"]] = result.get("StatusCode", "Complete")
                for message in result.get("Messages", []):
                    messages.append("{0}: {1}: {2}".format(result["Id"], message.get("Code"), message.get("Value")))
            for message in page.get("Messages", []):
                messages.append("{0}: {1}".format(message.get("Code"), message.get("Value")))
        return values, status, messages, pages

    with conn.failing_on_error("reading the figures from CloudWatch (GetMetricData)"):
        values, status, messages, pages = with_backoff(read_all)
    conn.pages_read += pages
    return values, status, messages


def combined(values, how):
    """One number from a query's values (None without any): the sum for counts, else the highest."""
    if not values:
        return None
    return float(sum(values)) if how == "sum" else float(max(values))


# --- the application load balancer ------------------------------------------------------------

LB_DIMENSION = re.compile(r"^(?P<type>app|net|gwy)/(?P<name>[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?)/[0-9a-f]{16}$")
LB_ARN = re.compile(r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/(?P<dimension>.+)$")
TARGET_GROUP_ARN = re.compile(
    r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup/"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]{16}$"
)
KIND_NAMES = {"net": "a network load balancer", "gwy": "a gateway load balancer"}


def dimension_of(value):
    """The LoadBalancer dimension (app/NAME/ID) of a dimension value or a load balancer ARN, or None."""
    value = (value or "").strip()
    match = LB_ARN.match(value)
    dimension = match.group("dimension") if match else value
    return dimension if LB_DIMENSION.match(dimension) else None


def load_balancer_problem(option, value):
    """Why VALUE names no application load balancer ('' when it does)."""
    dimension = dimension_of(value)
    if dimension is None:
        return "{0} {1!r} is neither app/NAME/ID (CloudWatch's LoadBalancer dimension) nor a load balancer ARN".format(
            option, value
        )
    kind = dimension.split("/", 1)[0]
    if kind != "app":
        return (
            "{0} {1!r} is {2}: only application load balancers (app/NAME/ID) publish TargetResponseTime"
            " and HTTP 5XX counts".format(option, value, KIND_NAMES[kind])
        )
    return ""


def target_group_problem(option, value):
    if not TARGET_GROUP_ARN.match((value or "").strip()):
        return "{0} {1!r} is not an ELBv2 target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)".format(
            option, value
        )
    return ""


def checked_load_balancer(elbv2, dimension):
    """DIMENSION, once DescribeLoadBalancers says that load balancer exists; fail_json otherwise."""
    name = dimension.split("/")[1]
    found = elbv2.find(
        "reading load balancer {0!r}".format(name),
        "describe_load_balancers",
        "LoadBalancers",
        ("LoadBalancerNotFound",),
        Names=[name],
    )
    if found is None:
        elbv2.module.fail_json(msg="load balancer {0!r} not found in region {1}".format(dimension, elbv2.region))
    actual = dimension_of(found.get("LoadBalancerArn"))
    if actual != dimension:
        elbv2.module.fail_json(
            msg="load balancer {0!r} not found in region {1}: the load balancer named {2!r} is {3!r}".format(
                dimension, elbv2.region, name, actual
            )
        )
    return dimension


def load_balancer_of_target_group(elbv2, arn):
    """The dimension of the one application load balancer ARN's target group is attached to."""
    group = elbv2.find(
        "reading target group {0}".format(arn),
        "describe_target_groups",
        "TargetGroups",
        ("TargetGroupNotFound",),
        TargetGroupArns=[arn],
    )
    if group is None:
        elbv2.module.fail_json(msg="target group {0} not found in region {1}".format(arn, elbv2.region))
    arns = list(group.get("LoadBalancerArns") or [])
    if not arns:
        elbv2.module.fail_json(
            msg="target group {0} is attached to no load balancer (no listener forwards to it)".format(arn)
        )
    if len(arns) > 1:
        elbv2.module.fail_json(
            msg="target group {0} is attached to {1} load balancers ({2}): name one with load_balancer".format(
                arn, len(arns), ", ".join(arns)
            )
        )
    problem = load_balancer_problem("the load balancer of target group " + arn, arns[0])
    if problem:
        elbv2.module.fail_json(msg=problem)
    return dimension_of(arns[0])


# --- max_connections of an RDS DB instance ----------------------------------------------------

_BURSTABLE_GIB = {"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32}
_VCPUS = {
    "large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48,
    "16xlarge": 64, "24xlarge": 96, "32xlarge": 128, "48xlarge": 192,
}
_GIB_PER_VCPU = dict(
    [(family, 4) for family in ("m5", "m5d", "m6g", "m6gd", "m6i", "m6id", "m7g", "m7i", "m8g")]
    + [(family, 8) for family in ("r5", "r5b", "r5d", "r6g", "r6gd", "r6i", "r6id", "r7g", "r7i", "r8g")]
    + [("x2g", 16)]
)
CLASS_MEMORY_GIB = dict(
    [("db.{0}.{1}".format(family, size), gib) for family in ("t3", "t4g") for size, gib in _BURSTABLE_GIB.items()]
    + [
        ("db.{0}.{1}".format(family, size), per_vcpu * vcpus)
        for family, per_vcpu in _GIB_PER_VCPU.items()
        for size, vcpus in _VCPUS.items()
    ]
)
GIB = 1024**3
# RDS's default max_connections for these engines (their default parameter groups' formula).
DEFAULT_FORMULAS = {
    "postgres": "LEAST({DBInstanceClassMemory/9531392},5000)",
    "aurora-postgresql": "LEAST({DBInstanceClassMemory/9531392},5000)",
}


class FormulaError(ValueError):
    """A parameter formula this module cannot evaluate."""


_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z][A-Za-z0-9]*)|(?P<op>[{}(),*/]))")
_FUNCTIONS = {"LEAST": min, "GREATEST": max, "SUM": lambda *values: sum(values)}


def _tokens(text):
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise FormulaError("unexpected {0!r}".format(text[position:]))
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def evaluate_formula(text, variables):
    """The value of an RDS parameter formula - numbers, {VARIABLE}, {VARIABLE/N*M} and LEAST,
    GREATEST, SUM of those - with VARIABLES {name: number}; FormulaError for anything else."""
    tokens = _tokens(text)
    position = [0]

    def peek():
        return tokens[position[0]] if position[0] < len(tokens) else (None, None)

    def take(expected=None):
        token = peek()
        if token[0] is None or (expected is not None and token[1] != expected):
            raise FormulaError("expected {0!r} in {1!r}".format(expected or "more", text))
        position[0] += 1
        return token

    def operand():
        kind, value = take()
        if kind == "number":
            return float(value)
        if kind == "name" and value in variables:
            return float(variables[value])
        raise FormulaError("{0!r} is no variable this module knows (in {1!r})".format(value, text))

    def value():
        kind, token = peek()
        if kind == "number":
            take()
            return float(token)
        if token == "{":
            take("{")
            result = operand()
            while peek()[1] in ("*", "/"):
                operator = take()[1]
                other = operand()
                if operator == "/" and other == 0:
                    raise FormulaError("division by zero in {0!r}".format(text))
                result = result * other if operator == "*" else result / other
            take("}")
            return result
        if kind == "name" and token.upper() in _FUNCTIONS:
            take()
            take("(")
            arguments = [value()]
            while peek()[1] == ",":
                take(",")
                arguments.append(value())
            take(")")
            return _FUNCTIONS[token.upper()](*arguments)
        raise FormulaError("{0!r} is no number, {{variable}} or LEAST/GREATEST/SUM (in {1!r})".format(token, text))

    result = value()
    if position[0] != len(tokens):
        raise FormulaError("unexpected {0!r} in {1!r}".format(tokens[position[0]][1], text))
    return result


def parameter_value(rds, group_name, parameter):
    """The ParameterValue of PARAMETER in DB parameter group GROUP_NAME (all pages), or None."""
    parameters = rds.paginate(
        "reading the parameters of DB parameter group {0!r}".format(group_name),
        "describe_db_parameters",
        "Parameters",
        DBParameterGroupName=group_name,
    )
    for found in parameters:
        if found.get("ParameterName") == parameter:
            return found.get("ParameterValue")
    return None


def max_connections(rds, database):
    """(max_connections or None, where it came from, notes) of a DB instance as DescribeDBInstances returns it."""
    identifier = database.get("DBInstanceIdentifier")
    instance_class = database.get("DBInstanceClass", "")
    engine = database.get("Engine", "")
    groups = database.get("DBParameterGroups") or []
    notes = []
    value, group_name = None, None
    if groups:
        group_name = groups[0].get("DBParameterGroupName")
        value = parameter_value(rds, group_name, "max_connections")
        if groups[0].get("ParameterApplyStatus") == "pending-reboot":
            notes.append(
                "DB parameter group {0!r} of {1} has changes pending a reboot: its max_connections may not"
                " be in effect yet".format(group_name, identifier)
            )
    text = (value or "").strip()
    if text.isdigit():
        return int(text), "DB parameter group {0!r}".format(group_name), notes
    if text:
        formula, origin = text, "the formula {0} of DB parameter group {1!r}".format(text, group_name)
    elif engine in DEFAULT_FORMULAS:
        formula = DEFAULT_FORMULAS[engine]
        origin = "RDS's default for {0}, {1}".format(engine, formula)
    else:
        notes.append(
            "max_connections of {0} unknown: DB parameter group {1!r} does not set it and this module knows"
            " no default for engine {2!r}".format(identifier, group_name, engine)
        )
        return None, None, notes
    gib = CLASS_MEMORY_GIB.get(instance_class)
    if gib is None:
        notes.append(
            "max_connections of {0} unknown: it is {1}, and instance class {2!r} is not in the memory table"
            " (module_utils/fleet_cloudwatch.py CLASS_MEMORY_GIB); set max_connections in the parameter group"
            " to a number".format(identifier, origin, instance_class)
        )
        return None, None, notes
    try:
        computed = int(evaluate_formula(formula, {"DBInstanceClassMemory": gib * GIB}))
    except FormulaError as exc:
        notes.append("max_connections of {0} unknown: {1}, which this module cannot evaluate ({2})".format(identifier, origin, exc))
        return None, None, notes
    source = "{0}, with the nominal {1} GiB of {2}".format(origin, gib, instance_class)
    notes.append(
        "max_connections {0} of {1} computed from {2}; RDS keeps some of that memory for the operating system"
        " and itself, so the server's value is somewhat lower".format(computed, identifier, source)
    )
    return computed, source, notes

