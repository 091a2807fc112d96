"""Checks of the maintenance_report role's input."""

from __future__ import annotations

import re

_TOPIC = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$")


def problems(inputs, host_state=None):
    topic = str(inputs["maintenance_report_sns_topic_arn"])
    if topic and not _TOPIC.match(topic):
        return [f"maintenance_report_sns_topic_arn '{topic}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"]
    return []
