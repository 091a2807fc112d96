"""Documentation of the options every CloudWatch alarm module in library/ takes besides the
alarm's own: its actions and its tags. The options themselves are defined once, in
module_utils/fleet_alarms.py (action_options, tag_options)."""


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  actions_enabled:
    description: Whether the alarm's state changes run its actions.
    type: bool
    default: true
  alarm_actions:
    description: ARNs run when the alarm goes to ALARM (an SNS topic, a Lambda function ...); at most 5.
    type: list
    elements: str
    default: []
  ok_actions:
    description: ARNs run when the alarm goes back to OK; at most 5.
    type: list
    elements: str
    default: []
  insufficient_data_actions:
    description: ARNs run when the alarm goes to INSUFFICIENT_DATA; at most 5.
    type: list
    elements: str
    default: []
  tags:
    description: Tags of the alarm. Left as they are when not given.
    type: dict
  purge_tags:
    description: With O(tags), remove the alarm's tags that O(tags) does not list.
    type: bool
    default: true
notes:
  - Action lists are compared as sets (AWS keeps the order given; it means nothing).
"""
