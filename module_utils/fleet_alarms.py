# -*- coding: utf-8 -*-
"""What this project's CloudWatch alarm modules share: the actions an alarm notifies and the
checks AWS makes of them, tags read, added and removed, and deletion."""

from __future__ import annotations

ACTION_LISTS = ("alarm_actions", "ok_actions", "insufficient_data_actions")
# AWS's limits: PutMetricAlarm and PutCompositeAlarm take at most 5 actions per state.
ACTIONS_MAX = 5
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256


def action_options():
    """The module options of an alarm's actions."""
    spec = dict(actions_enabled=dict(type="bool", default=True))
    spec.update({option: dict(type="list", elements="str", default=[]) for option in ACTION_LISTS})
    return spec


def tag_options():
    return dict(tags=dict(type="dict"), purge_tags=dict(type="bool", default=True))


def action_problems(params, refuse=()):
    """Why the action lists would be refused; REFUSE is [(ARN prefix, reason)] this kind of alarm
    cannot take (a composite alarm cannot act on an Auto Scaling group)."""
    found = []
    for option in ACTION_LISTS:
        actions = params[option]
        if len(actions) > ACTIONS_MAX:
            found.append("{0} has {1} actions; AWS takes at most {2}".format(option, len(actions), ACTIONS_MAX))
        for action in actions:
            if not str(action).startswith("arn:"):
                found.append("{0}: {1!r} is not an ARN".format(option, action))
                continue
            service = str(action).split(":")[2] if str(action).count(":") >= 2 else ""
            found += ["{0}: {1!r}: {2}".format(option, action, reason) for prefix, reason in refuse if service == prefix]
    return found


def tag_problems(tags):
    found = []
    for key, value in (tags or {}).items():
        if not 1 <= len(str(key)) <= TAG_KEY_MAX or str(key).lower().startswith("aws:"):
            found.append("tags: key {0!r} must be 1 to {1} characters and not start with 'aws:'".format(key, TAG_KEY_MAX))
        if len(str(value)) > TAG_VALUE_MAX:
            found.append("tags: the value of {0!r} is over {1} characters".format(key, TAG_VALUE_MAX))
    return found


def as_tag_list(tags):
    return [{"Key": str(k), "Value": str(v)} for k, v in sorted((tags or {}).items())]


def read_tags(conn, alarm):
    """An existing alarm's tags as a dict; {} for none (or no alarm)."""
    if alarm is None:
        return {}
    reply = conn.call("reading the tags of alarm {0!r}".format(alarm["AlarmName"]), "list_tags_for_resource",
                      ResourceARN=alarm["AlarmArn"])
    return {tag["Key"]: tag["Value"] for tag in reply.get("Tags") or []}


def ensure_tags(conn, alarm, have, wanted, purge):
    """Adds and (with PURGE) removes tags of an existing alarm; returns whether they changed.
    WANTED None leaves them as they are."""
    if wanted is None:
        return False
    wanted = {str(k): str(v) for k, v in wanted.items()}
    add = {k: v for k, v in wanted.items() if have.get(k) != v}
    remove = sorted(set(have) - set(wanted)) if purge else []
    if add:
        conn.change("tagging alarm {0!r}".format(alarm["AlarmName"]), "tag_resource",
                    ResourceARN=alarm["AlarmArn"], Tags=as_tag_list(add))
    if remove:
        conn.change("untagging alarm {0!r}".format(alarm["AlarmName"]), "untag_resource",
                    ResourceARN=alarm["AlarmArn"], TagKeys=remove)
    return bool(add or remove)


def tags_after(have, wanted, purge):
    """The tags an alarm has once ensure_tags (or the creation) is done."""
    if wanted is None:
        return dict(have)
    wanted = {str(k): str(v) for k, v in wanted.items()}
    return wanted if purge else dict(have, **wanted)


def ensure_absent(conn, name, current):
    """Deletes the alarm when it exists; returns whether it did."""
    if current is None:
        return False
    conn.change("deleting alarm {0!r}".format(name), "delete_alarms", AlarmNames=[name])
    return True


def ensure_tags_of(conn, current, have_tags, params, changed):
    """The tags part of a present state: adds 'tags' to CHANGED when they change (a new alarm
    gets them with its creation); returns the tags after the call."""
    if current is not None and ensure_tags(conn, current, have_tags, params["tags"], params["purge_tags"]):
        changed.append("tags")
    elif current is None and params["tags"]:
        changed.append("tags")
    return tags_after(have_tags, params["tags"], params["purge_tags"])


def run_alarm_module(argument_spec, input_problems, present, find_alarm, as_options):
    """An alarm module's whole run: its input checks before any AWS call, then PRESENT(module,
    conn) (which exits) or the alarm's deletion. FIND_ALARM(conn, name) reads the alarm and
    AS_OPTIONS(alarm, tags) renders it in the module's options, for the diff."""
    from ansible.module_utils.basic import AnsibleModule
    from ansible.module_utils.fleet_aws import AwsConnection

    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    problems = input_problems(module.params)
    if problems:
        module.fail_json(msg="; ".join(problems))
    conn = AwsConnection(module, "cloudwatch")
    if module.params["state"] == "present":
        present(module, conn)
    current = find_alarm(conn, module.params["name"])
    changed = ensure_absent(conn, module.params["name"], current)
    module.exit_json(changed=changed, alarm={}, changed_fields=["state"] if changed else [],
                     diff={"before": as_options(current, {}) if current else {}, "after": {}})
