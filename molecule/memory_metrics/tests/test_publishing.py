"""What the local CloudWatch holds, read from the controller as the alarms read it: the CloudWatch
agent's metric (CWAgent / mem_used_percent, in Percent) for the instance and for its group, put by
the timer's runs, with the value the host's /proc/meminfo gives."""

import datetime

from conftest import GROUP, INSTANCE_ID, SERVICE, datapoints, used_percent, utc_now

# Memory moves between the publication and the read; other jobs share this machine.
TOLERANCE_POINTS = 3.0


def test_the_timer_put_datapoints_for_the_instance_and_for_the_group(first_data):
    counts = {name: sum(p["SampleCount"] for p in points) for name, points in first_data.items()}
    print(f"\ndatapoints so far: {counts}")
    assert counts["InstanceId"] >= 1 and counts["AutoScalingGroupName"] >= 1


def test_the_namespace_holds_the_agents_metric_with_exactly_the_two_dimension_sets(cloudwatch, first_data):
    metrics = cloudwatch.list_metrics(Namespace="CWAgent")["Metrics"]
    found = sorted((m["MetricName"], [(d["Name"], d["Value"]) for d in m["Dimensions"]]) for m in metrics)
    assert found == [
        ("mem_used_percent", [("AutoScalingGroupName", GROUP)]),
        ("mem_used_percent", [("InstanceId", INSTANCE_ID)]),
    ]


def test_the_datapoints_are_in_percent(cloudwatch, first_data):
    start, end = utc_now() - datetime.timedelta(minutes=30), utc_now() + datetime.timedelta(minutes=1)
    counted = cloudwatch.get_metric_statistics(
        Namespace="CWAgent", MetricName="mem_used_percent", Dimensions=[{"Name": "InstanceId", "Value": INSTANCE_ID}],
        StartTime=start, EndTime=end, Period=60, Statistics=["SampleCount"], Unit="Count",
    )["Datapoints"]
    assert datapoints(cloudwatch, "InstanceId", INSTANCE_ID, start, end) and counted == []


def test_a_publication_carries_the_hosts_memory_use_at_that_moment(app, cloudwatch, first_data):
    before = utc_now() - datetime.timedelta(seconds=2)
    app.check_output(f"systemctl start {SERVICE}")
    on_host = used_percent(app)
    after = utc_now() + datetime.timedelta(seconds=2)
    for name, value in (("InstanceId", INSTANCE_ID), ("AutoScalingGroupName", GROUP)):
        points = datapoints(cloudwatch, name, value, before, after)
        assert points, f"no datapoint for {name} between {before} and {after}"
        published = (min(p["Minimum"] for p in points), max(p["Maximum"] for p in points))
        print(f"\n{name}: published {published}, /proc/meminfo on the host {on_host:.2f}")
        assert all(abs(v - on_host) <= TOLERANCE_POINTS for v in published), (published, on_host)
