#!/usr/bin/env python3
"""moto_server, with the CloudWatch statistic the runbook's pre-flight reads that moto 5.2.5
does not compute: percentiles (p50, p95, p99.9 ...) in GetMetricData. moto answers any
statistic other than Sum, Average, Minimum, Maximum and SampleCount with None, and fails the
call turning it into a number (HTTP 500). Here a percentile is the nearest-rank percentile of
the raw values put in the period; values put as statistic sets have none, as on AWS.

    moto_server.py -H 127.0.0.1 -p 5055     (the arguments of moto_server)
"""

import math
import re
import sys

from moto.cloudwatch import models
from moto.server import main

PERCENTILE = re.compile(r"^p(100|\d{1,2}(\.\d+)?)$")
_moto_statistic = models.Statistics.get_statistics_for_type


def nearest_rank(values, percent):
    """The smallest value with at least PERCENT % of VALUES at or below it; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    # Rounded first: 99.9 % of 1000 is 999.0000000000001 in floating point, and rank 999.
    return ordered[max(1, math.ceil(round(percent / 100.0 * len(ordered), 9))) - 1]


def statistic_with_percentiles(self, stat):
    match = PERCENTILE.match(stat)
    if match is None:
        return _moto_statistic(self, stat)
    return nearest_rank(self.metric_single_values_list, float(match.group(1)))


models.Statistics.get_statistics_for_type = statistic_with_percentiles

if __name__ == "__main__":
    sys.exit(main())
