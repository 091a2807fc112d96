"""Checks of the maintenance_report role's input."""

from __future__ import annotations

from . import rules


def problems(inputs, host_state=None):
    topic = str(inputs["maintenance_report_sns_topic_arn"])
    if topic and not rules.SNS_TOPIC_ARN.match(topic):
        return [f"maintenance_report_sns_topic_arn '{topic}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"]
    return []
