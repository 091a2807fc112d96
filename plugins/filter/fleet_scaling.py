"""The SOP's auto-scaling rules as AWS objects, computed once: the aws_autoscaling role applies
them and the audit compares AWS with them."""

from ansible.errors import AnsibleFilterError

# EC2 publishes CPUUtilization per Auto Scaling group every 5 minutes (basic monitoring); the
# application load balancer publishes ActiveConnectionCount every minute.
CPU_PERIOD = 300
CONNECTIONS_PERIOD = 60
# The scale-in rule's AND is evaluated on the CPU's 5-minute periods.
SCALE_IN_PERIOD = CPU_PERIOD
RULES = ("min_size", "max_size", "scale_out_cpu_percent", "scale_out_cpu_minutes", "scale_out_connections",
         "scale_out_connections_minutes", "scale_in_cpu_percent", "scale_in_connections", "scale_in_minutes",
         "scale_out_step", "scale_in_step", "scale_out_cooldown", "scale_in_cooldown")


def load_balancer_dimension(load_balancer):
    """The LoadBalancer dimension of an application load balancer's metrics (app/NAME/ID), from its
    ARN or that value itself."""
    text = str(load_balancer or "")
    if text.startswith("arn:") and ":loadbalancer/" in text:
        text = text.split(":loadbalancer/", 1)[1]
    if not text.startswith("app/") or text.count("/") != 2:
        raise AnsibleFilterError(f"fleet_scaling: {load_balancer!r} is neither an application load balancer's ARN"
                                 " nor its metrics dimension (app/NAME/ID)")
    return text


def _numbers(rules):
    missing = [name for name in RULES if name not in (rules or {})]
    if missing:
        raise AnsibleFilterError(f"fleet_scaling: rules lacks {', '.join(missing)}")
    try:
        return {name: int(rules[name]) for name in RULES}
    except (TypeError, ValueError) as err:
        raise AnsibleFilterError(f"fleet_scaling: every rule is a whole number: {err}") from err


def _metric(namespace, name, dimension, value):
    return {"namespace": namespace, "metric_name": name, "dimensions": [{"name": dimension, "value": value}]}


def fleet_scaling(group_name, load_balancer, prefix, rules):
    """fleet_scaling(group_name, load_balancer, prefix, rules) -> dict

    GROUP_NAME is the Auto Scaling group, LOAD_BALANCER the application load balancer's ARN (or
    its dimension app/NAME/ID), PREFIX starts every name, RULES holds whole numbers under the
    keys of RULES above (the aws_autoscaling role's variables without their prefix).

    Returns
      group:           {name, min_size, max_size}
      policies:        [{name, adjustment, cooldown}], scale-out then scale-in (autoscaling_capacity's
                       scaling_policies)
      metric_alarms:   [amazon.aws.cloudwatch_metric_alarm options + policy]: CPU high and connections
                       high (each runs the scale-out policy: two alarms on one policy are the OR), CPU low
                       (no action)
      math_alarms:     [cloudwatch_metric_math_alarm options + policy]: connections low (no action), and
                       the scale-in trigger whose expression is the AND (runs the scale-in policy)
      composite_alarm: {name, alarm_rule, description}: ALARM(cpu low) AND ALARM(connections low),
                       no action
    where policy is the name of the policy an alarm runs, or None.
    """
    numbers = _numbers(rules)
    dimension = load_balancer_dimension(load_balancer)
    cpu = _metric("AWS/EC2", "CPUUtilization", "AutoScalingGroupName", group_name)
    connections = _metric("AWS/ApplicationELB", "ActiveConnectionCount", "LoadBalancer", dimension)
    scale_out, scale_in = f"{prefix}-scale-out", f"{prefix}-scale-in"
    cpu_low, connections_low = f"{prefix}-scale-in-cpu-low", f"{prefix}-scale-in-connections-low"
    in_periods = numbers["scale_in_minutes"] * 60 // SCALE_IN_PERIOD
    minutes_per_period = SCALE_IN_PERIOD // 60
    # The load balancer reports ActiveConnectionCount only when it is not zero: a period without a
    # datapoint had no connections, hence FILL(..., 0). Its Sum over a 5-minute period adds five
    # minutes' counts; divided by five it is the connections a minute, the SOP's unit.
    per_minute = f"FILL(connections, 0) / {minutes_per_period}"
    scale_in_metrics = [
        {"id": "cpu", "metric_stat": {"metric": cpu, "period": SCALE_IN_PERIOD, "stat": "Average"}, "return_data": False},
        {"id": "connections", "metric_stat": {"metric": connections, "period": SCALE_IN_PERIOD, "stat": "Sum"},
         "return_data": False},
    ]
    low_cpu, low_connections = numbers["scale_in_cpu_percent"], numbers["scale_in_connections"]
    return {
        "group": {"name": group_name, "min_size": numbers["min_size"], "max_size": numbers["max_size"]},
        "policies": [
            {"name": scale_out, "adjustment": numbers["scale_out_step"], "cooldown": numbers["scale_out_cooldown"]},
            {"name": scale_in, "adjustment": -numbers["scale_in_step"], "cooldown": numbers["scale_in_cooldown"]},
        ],
        "metric_alarms": [
            {"name": f"{prefix}-scale-out-cpu-high", "policy": scale_out,
             "description": f"Scale out: the app servers' average CPU above {numbers['scale_out_cpu_percent']} %"
                            f" for {numbers['scale_out_cpu_minutes']} minutes",
             "namespace": cpu["namespace"], "metric_name": cpu["metric_name"], "dimensions": {"AutoScalingGroupName": group_name},
             "statistic": "Average", "period": CPU_PERIOD,
             "evaluation_periods": numbers["scale_out_cpu_minutes"] * 60 // CPU_PERIOD,
             "datapoints_to_alarm": numbers["scale_out_cpu_minutes"] * 60 // CPU_PERIOD,
             "comparison": "GreaterThanThreshold", "threshold": float(numbers["scale_out_cpu_percent"]),
             "treat_missing_data": "notBreaching"},
            # Sum per minute: the count of active connections in that minute (the load balancer's nodes
            # report separately); every one of the minutes must be above the threshold.
            {"name": f"{prefix}-scale-out-connections-high", "policy": scale_out,
             "description": f"Scale out: more than {numbers['scale_out_connections']} active connections a minute"
                            f" for {numbers['scale_out_connections_minutes']} minutes",
             "namespace": connections["namespace"], "metric_name": connections["metric_name"],
             "dimensions": {"LoadBalancer": dimension}, "statistic": "Sum", "period": CONNECTIONS_PERIOD,
             "evaluation_periods": numbers["scale_out_connections_minutes"],
             "datapoints_to_alarm": numbers["scale_out_connections_minutes"],
             "comparison": "GreaterThanThreshold", "threshold": float(numbers["scale_out_connections"]),
             "treat_missing_data": "notBreaching"},
            {"name": cpu_low, "policy": None,
             "description": f"Scale-in condition (no action): the app servers' average CPU below {low_cpu} %"
                            f" for {numbers['scale_in_minutes']} minutes",
             "namespace": cpu["namespace"], "metric_name": cpu["metric_name"], "dimensions": {"AutoScalingGroupName": group_name},
             "statistic": "Average", "period": SCALE_IN_PERIOD, "evaluation_periods": in_periods,
             "datapoints_to_alarm": in_periods, "comparison": "LessThanThreshold", "threshold": float(low_cpu),
             "treat_missing_data": "notBreaching"},
        ],
        "math_alarms": [
            {"name": connections_low, "policy": None,
             "description": f"Scale-in condition (no action): fewer than {low_connections} active connections a minute"
                            f" for {numbers['scale_in_minutes']} minutes",
             "metrics": [scale_in_metrics[1],
                         {"id": "per_minute", "expression": per_minute, "label": "active connections a minute",
                          "return_data": True}],
             "comparison_operator": "LessThanThreshold", "threshold": float(low_connections),
             "evaluation_periods": in_periods, "datapoints_to_alarm": in_periods, "treat_missing_data": "breaching"},
            # The scale-in action hangs here, not on the composite alarm: CloudWatch runs no Auto Scaling
            # action for a composite alarm.
            {"name": f"{prefix}-scale-in-trigger", "policy": scale_in,
             "description": f"Scale in: CPU below {low_cpu} % AND fewer than {low_connections} active connections"
                            f" a minute, for {numbers['scale_in_minutes']} minutes",
             "metrics": scale_in_metrics + [
                 {"id": "quiet", "expression": f"IF(cpu < {low_cpu} AND {per_minute} < {low_connections}, 1, 0)",
                  "label": "CPU low and connections few (1) or not (0)", "return_data": True}],
             "comparison_operator": "GreaterThanOrEqualToThreshold", "threshold": 1.0,
             "evaluation_periods": in_periods, "datapoints_to_alarm": in_periods, "treat_missing_data": "notBreaching"},
        ],
        "composite_alarm": {
            "name": f"{prefix}-scale-in-condition",
            "alarm_rule": f'ALARM("{cpu_low}") AND ALARM("{connections_low}")',
            "description": f"The SOP's scale-in condition as two named alarms: CPU below {low_cpu} % AND fewer than"
                           f" {low_connections} active connections a minute, for {numbers['scale_in_minutes']} minutes."
                           f" No action: {prefix}-scale-in-trigger runs the scale-in (a composite alarm cannot).",
        },
    }


class FilterModule:
    def filters(self):
        return {"fleet_scaling": fleet_scaling}
