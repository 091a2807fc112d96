"""Filters of the maintenance runbook: figures against the SOP's thresholds."""

from ansible.errors import AnsibleFilterError


def fleet_breaches(figures, limits, where):
    """Messages for each figure above its limit, naming WHERE (a host), the metric, the value,
    the threshold and the variable that sets it. LIMITS: [{metric, limit, variable, unit}]; a
    figure that is None (not measured) is no breach, and is reported by whoever measured it. A
    figure that is a dict holds one value per item (CloudWatch's CPU per instance): each item
    is held against the limit and named after WHERE."""
    if not isinstance(figures, dict) or not isinstance(limits, list):
        raise AnsibleFilterError("fleet_breaches expects a dict of figures and a list of limits")
    found = []
    for limit in limits:
        value = figures.get(limit["metric"])
        items = sorted(value.items()) if isinstance(value, dict) else [(None, value)]
        for item, item_value in items:
            if item_value is None or float(item_value) <= float(limit["limit"]):
                continue
            unit = limit.get("unit", "")
            found.append(
                f"{where if item is None else f'{where}, {item}'}: {limit['metric']} is {item_value}{unit},"
                f" above the threshold of {limit['limit']}{unit} ({limit['variable']})"
            )
    return found


def fleet_preflight_verdict(breaches_by_host):
    """Every breach of every host, in host order; a host whose breaches are None was not measured
    (its pre-flight failed), which is a reason to stop as well."""
    if not isinstance(breaches_by_host, dict):
        raise AnsibleFilterError("fleet_preflight_verdict expects a dict of host -> list of breaches")
    found = []
    for host, breaches in breaches_by_host.items():
        if breaches is None:
            found.append(f"{host}: not measured (its pre-flight failed or it was unreachable)")
        else:
            found.extend(breaches)
    return found


def fleet_out_of_service(capacity):
    """'app3 DOWN (check L4CON)' for each member of an HAProxy capacity reading (lb_member's
    lb_member_capacity) that is not in service, with its health check's last status, so that a
    refusal says what the load balancer saw. An ELBv2 reading's members are named by the
    Auto Scaling group's instances instead: nothing is added for them."""
    if not isinstance(capacity, dict):
        raise AnsibleFilterError("fleet_out_of_service expects lb_member_capacity (a dict)")
    members, up = capacity.get("members"), set(capacity.get("in_service") or [])
    if not isinstance(members, dict):
        return []
    moving = set(capacity.get("in_transition") or [])
    return [f"{name} {state.get('status', '?')} (check {state.get('check_status') or 'none'}"
            + ("; its health checks had not settled" if name in moving else "") + ")"
            for name, state in sorted(members.items()) if name not in up]


def fleet_phase_durations(marks):
    """Seconds of each phase from [[phase, start timestamp], ...], each phase ending where the
    next starts; the last mark only ends the one before it."""
    if not isinstance(marks, list) or not all(isinstance(m, (list, tuple)) and len(m) == 2 for m in marks):
        raise AnsibleFilterError("fleet_phase_durations expects a list of [phase, timestamp] pairs")
    return {name: round(float(marks[i + 1][1]) - float(start), 1) for i, (name, start) in enumerate(marks[:-1])}


class FilterModule:
    def filters(self):
        return {"fleet_breaches": fleet_breaches, "fleet_out_of_service": fleet_out_of_service,
                "fleet_phase_durations": fleet_phase_durations,
                "fleet_preflight_verdict": fleet_preflight_verdict}
