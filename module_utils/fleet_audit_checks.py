# -*- coding: utf-8 -*-
"""The monthly audit's judgements of what AWS answered (library/aws_audit.py): pure functions,
so that each rule is tested on its own."""

from __future__ import annotations

import datetime as dt
import ipaddress

WORLD = ("0.0.0.0/0", "::/0")


# --- security groups --------------------------------------------------------------------------


def _wanted_rules(group):
    """{(protocol, from port, to port, source)} of a group as fleet_security_groups writes it."""
    found = set()
    for rule in group.get("rules") or []:
        for port in rule.get("ports") or []:
            low, _, high = str(port).partition("-")
            span = (str(rule.get("proto", "tcp")), int(low), int(high or low))
            for source in (rule.get("cidr_ip") or []) + (rule.get("cidr_ipv6") or []):
                found.add(span + (str(ipaddress.ip_network(source, strict=False)),))
            if rule.get("group_name"):
                found.add(span + ("group " + rule["group_name"],))
    return found


def _actual_rules(group, names_by_id):
    found = set()
    for permission in group.get("IpPermissions") or []:
        span = (str(permission.get("IpProtocol")), permission.get("FromPort", -1), permission.get("ToPort", -1))
        for source in permission.get("IpRanges") or []:
            found.add(span + (str(ipaddress.ip_network(source["CidrIp"], strict=False)),))
        for source in permission.get("Ipv6Ranges") or []:
            found.add(span + (str(ipaddress.ip_network(source["CidrIpv6"], strict=False)),))
        for source in permission.get("UserIdGroupPairs") or []:
            found.add(span + ("group " + names_by_id.get(source.get("GroupId"), source.get("GroupId", "?")),))
    return found


def _rule_text(rule):
    protocol, low, high, source = rule
    ports = str(low) if low == high else "{0}-{1}".format(low, high)
    return "{0} {1} from {2}".format(protocol, ports, source)


def group_rule_problems(wanted_groups, actual_groups, world_allowed):
    """What differs between the groups asked for and those of the VPC, each named: a group
    missing, a rule missing, a rule too many - said to open the group to the internet when its
    source is 0.0.0.0/0 or ::/0 and the group is not WORLD_ALLOWED on 443."""
    names_by_id = {group["GroupId"]: group["GroupName"] for group in actual_groups}
    by_name = {group["GroupName"]: group for group in actual_groups}
    problems = []
    for wanted in wanted_groups:
        actual = by_name.get(wanted["name"])
        if actual is None:
            problems.append("group {0!r} missing".format(wanted["name"]))
            continue
        want, have = _wanted_rules(wanted), _actual_rules(actual, names_by_id)
        problems += ["{0}: rule missing: {1}".format(wanted["name"], _rule_text(r)) for r in sorted(want - have)]
        for rule in sorted(have - want):
            opened = rule[3] in WORLD and not (wanted["name"] == world_allowed and rule[1] == rule[2] == 443)
            problems.append("{0}: {1}: {2}".format(wanted["name"], "open to the internet" if opened else "rule not in the SOP",
                                                   _rule_text(rule)))
    return problems


# --- backups ----------------------------------------------------------------------------------


def _window_end(day, window):
    """The moment DAY's backup window (hh24:mi-hh24:mi, UTC) ends; a window that crosses midnight
    ends the next day."""
    start, end = window.split("-")
    start_at = dt.datetime.combine(day, dt.time.fromisoformat(start), dt.timezone.utc)
    end_at = dt.datetime.combine(day, dt.time.fromisoformat(end), dt.timezone.utc)
    return end_at if end_at > start_at else end_at + dt.timedelta(days=1)


def backup_days_missing(snapshots, created, now, days, window):
    """(days due, days missing, failed snapshots) as ISO dates: every day of the last DAYS days on
    or after the instance's creation is due, today once its backup window has ended; the creation
    day always (RDS backs a new instance up at once). A day has its backup when an available
    automated snapshot was made on it."""
    created, now = created.astimezone(dt.timezone.utc), now.astimezone(dt.timezone.utc)
    first = max(created.date(), (now - dt.timedelta(days=days - 1)).date())
    due = []
    day = first
    while day <= now.date():
        if day == created.date() or _window_end(day, window) <= now:
            due.append(day)
        day += dt.timedelta(days=1)
    have = {s["SnapshotCreateTime"].astimezone(dt.timezone.utc).date() for s in snapshots
            if s.get("Status") == "available" and s.get("SnapshotCreateTime")}
    failed = sorted(s.get("DBSnapshotIdentifier", "?") for s in snapshots if s.get("Status") in ("failed", "incompatible-restore"))
    return [d.isoformat() for d in due], [d.isoformat() for d in due if d not in have], failed


# --- alarms -----------------------------------------------------------------------------------


def _dimensions(value):
    """Dimensions as a sorted tuple of (name, value), from a dict or a list of {name, value} or {Name, Value}."""
    if isinstance(value, dict):
        items = value.items()
    else:
        items = [(d.get("name", d.get("Name")), d.get("value", d.get("Value"))) for d in value or []]
    return tuple(sorted((str(k), str(v)) for k, v in items))


def _queries(metrics):
    """Metric math queries, wanted (module options) or described (AWS), as comparable tuples."""
    found = []
    for query in metrics or []:
        stat = query.get("metric_stat") or query.get("MetricStat")
        identity = None
        if stat:
            metric = stat.get("metric") or stat.get("Metric")
            identity = (metric.get("namespace", metric.get("Namespace")), metric.get("metric_name", metric.get("MetricName")),
                        _dimensions(metric.get("dimensions", metric.get("Dimensions"))),
                        int(stat.get("period", stat.get("Period"))), stat.get("stat", stat.get("Stat")))
        found.append((query.get("id", query.get("Id")), query.get("expression", query.get("Expression")), identity))
    return sorted(found, key=lambda q: q[0])


def alarm_problems(wanted, actual):
    """What differs between an alarm asked for and AWS's, each naming the alarm and the setting."""
    name = wanted["name"]
    if actual is None:
        return ["alarm {0!r} missing".format(name)]
    problems = []

    def differs(setting, have, want):
        if have != want:
            problems.append("{0}: {1} is {2}, the SOP's is {3}".format(name, setting, have, want))

    differs("threshold", float(actual.get("Threshold", "nan")), float(wanted["threshold"]))
    differs("comparison", actual.get("ComparisonOperator"), wanted.get("comparison") or wanted.get("comparison_operator"))
    differs("evaluation periods", actual.get("EvaluationPeriods"), int(wanted.get("evaluation_periods", 1)))
    if wanted.get("metrics"):
        differs("metric math", _queries(actual.get("Metrics")), _queries(wanted["metrics"]))
    else:
        differs("metric", (actual.get("Namespace"), actual.get("MetricName"), _dimensions(actual.get("Dimensions"))),
                (wanted.get("namespace"), wanted.get("metric_name") or wanted.get("metric"), _dimensions(wanted.get("dimensions"))))
        differs("statistic", actual.get("ExtendedStatistic") or actual.get("Statistic"),
                wanted.get("extended_statistic") or wanted.get("statistic"))
        differs("period", actual.get("Period"), int(wanted["period"]))
    for option, field in (("alarm_actions", "AlarmActions"), ("ok_actions", "OKActions")):
        lacking = sorted(set(wanted.get(option) or []) - set(actual.get(field) or []))
        if lacking:
            problems.append("{0}: {1} lacks {2}".format(name, option, ", ".join(lacking)))
    return problems


# --- uptime -----------------------------------------------------------------------------------


def uptime_percent(sums, counts):
    """The share of datapoints that were healthy (HealthCheckStatus is 1 or 0 each minute), in
    percent; None without datapoints."""
    total = sum(counts or [])
    if not total:
        return None
    return 100.0 * sum(sums or []) / total
