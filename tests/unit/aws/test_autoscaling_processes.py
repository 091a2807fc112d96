"""autoscaling_processes: suspend and resume exactly the listed processes (moto in-process).

moto accepts any process name (AWS answers ValidationError); the module's choices refuse an
unknown one before any call, so that difference never reaches moto.
"""

import pytest
from aws_harness import GROUP, client, fail_of, make_group, run_module, suspended, tags

from library import autoscaling_processes as module

MAINTENANCE = ["Launch", "AZRebalance", "ReplaceUnhealthy", "HealthCheck", "AlarmNotification", "ScheduledActions"]
TAG = "fleet-maintenance:suspended-processes"


def group_settings():
    found = client("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=[GROUP])["AutoScalingGroups"][0]
    return {k: found[k] for k in ("HealthCheckType", "DefaultCooldown", "TerminationPolicies", "MinSize", "MaxSize", "DesiredCapacity")}


def test_suspend_exactly_the_listed_and_nothing_else(moto_aws):
    make_group()
    settings = group_settings()
    result = run_module(module, dict(name=GROUP, state="suspended", processes=MAINTENANCE))
    assert result["changed"] is True
    assert result["suspended_before"] == []
    assert result["suspended"] == sorted(MAINTENANCE)
    assert suspended() == sorted(MAINTENANCE) == result["suspended_after"]
    assert moto_aws.writes() == ["SuspendProcesses"]
    assert group_settings() == settings


def test_processes_suspended_before_are_reported_and_left_to_their_owner(moto_aws):
    make_group()
    client("autoscaling").suspend_processes(AutoScalingGroupName=GROUP, ScalingProcesses=["Launch", "AddToLoadBalancer"])
    first = run_module(module, dict(name=GROUP, state="suspended", processes=MAINTENANCE))
    assert first["suspended_before"] == ["AddToLoadBalancer", "Launch"]
    assert first["suspended"] == sorted(set(MAINTENANCE) - {"Launch"})
    # The run resumes only what it suspended: Launch and AddToLoadBalancer stay suspended.
    second = run_module(module, dict(name=GROUP, state="resumed", processes=first["suspended"]))
    assert second["resumed"] == first["suspended"]
    assert suspended() == ["AddToLoadBalancer", "Launch"] == second["suspended_after"]


def test_suspend_twice_changes_nothing_the_second_time(moto_aws):
    make_group()
    run_module(module, dict(name=GROUP, state="suspended", processes=MAINTENANCE))
    moto_aws.clear()
    again = run_module(module, dict(name=GROUP, state="suspended", processes=MAINTENANCE))
    assert (again["changed"], again["suspended"], moto_aws.writes()) == (False, [], [])


def test_resume_of_processes_not_suspended_changes_nothing(moto_aws):
    make_group()
    result = run_module(module, dict(name=GROUP, state="resumed", processes=["Launch"]))
    assert (result["changed"], result["resumed"], moto_aws.writes()) == (False, [], [])


def test_record_tag_lets_a_later_run_resume_what_an_interrupted_one_suspended(moto_aws):
    make_group()
    client("autoscaling").suspend_processes(AutoScalingGroupName=GROUP, ScalingProcesses=["AddToLoadBalancer"])
    first = run_module(module, dict(name=GROUP, state="suspended", processes=MAINTENANCE, record_tag=TAG))
    assert moto_aws.writes() == ["CreateOrUpdateTags", "SuspendProcesses"]
    assert tags()[TAG] == ",".join(sorted(MAINTENANCE)) and first["recorded"] == sorted(MAINTENANCE)
    # The run stops here; the next one finds everything suspended already and suspends nothing ...
    second = run_module(module, dict(name=GROUP, state="suspended", processes=MAINTENANCE, record_tag=TAG))
    assert second["suspended"] == [] and second["recorded"] == sorted(MAINTENANCE)
    # ... yet its resumption resumes what the first suspended, from the record, and drops the tag.
    moto_aws.clear()
    done = run_module(module, dict(name=GROUP, state="resumed", processes=second["suspended"], record_tag=TAG))
    assert done["resumed"] == sorted(MAINTENANCE) and done["recorded"] == []
    assert moto_aws.writes() == ["ResumeProcesses", "DeleteTags"]
    assert suspended() == ["AddToLoadBalancer"]
    assert TAG not in tags()


def test_a_second_suspension_adds_to_the_record(moto_aws):
    make_group()
    run_module(module, dict(name=GROUP, state="suspended", processes=["Launch"], record_tag=TAG))
    run_module(module, dict(name=GROUP, state="suspended", processes=["Launch", "HealthCheck"], record_tag=TAG))
    assert tags()[TAG] == "HealthCheck,Launch"


def test_check_mode_makes_no_write_and_reports_the_plan(moto_aws):
    make_group()
    result = run_module(module, dict(name=GROUP, state="suspended", processes=MAINTENANCE, record_tag=TAG), check_mode=True)
    assert result["changed"] is True and result["suspended_after"] == sorted(MAINTENANCE)
    assert moto_aws.writes() == [] and suspended() == [] and TAG not in tags()
    client("autoscaling").suspend_processes(AutoScalingGroupName=GROUP, ScalingProcesses=["Launch"])
    resumed = run_module(module, dict(name=GROUP, state="resumed", processes=["Launch"]), check_mode=True)
    assert resumed["changed"] is True and resumed["resumed"] == ["Launch"] and suspended() == ["Launch"]
    assert moto_aws.writes() == []


def test_a_missing_group_is_a_clear_error(moto_aws):
    result = fail_of(module, dict(name="nope", state="suspended", processes=["Launch"]))
    assert result["msg"] == "Auto Scaling group 'nope' not found in region ap-southeast-3"


def test_a_record_naming_no_process_is_refused(moto_aws):
    make_group()
    client("autoscaling").create_or_update_tags(
        Tags=[dict(ResourceId=GROUP, ResourceType="auto-scaling-group", Key=TAG, Value="Launch,Bogus", PropagateAtLaunch=False)]
    )
    result = fail_of(module, dict(name=GROUP, state="resumed", record_tag=TAG))
    assert "records Bogus, which is no Auto Scaling process" in result["msg"]
    assert moto_aws.writes() == []


@pytest.mark.parametrize(
    "args, expected",
    [
        (dict(name="", state="suspended", processes=["Launch"]), "name is empty"),
        (dict(name="x" * 256, state="suspended", processes=["Launch"]), "name has 256 characters"),
        (dict(name=GROUP, state="suspended"), "processes is empty: name the processes to suspend"),
        (dict(name=GROUP, state="resumed"), "no record_tag: name the processes to resume (AWS would resume every process)"),
        (dict(name=GROUP, state="resumed", record_tag="aws:x"), "record_tag 'aws:x' starts with 'aws:'"),
        (dict(name=GROUP, state="suspended", processes=["Launch"], record_tag="k" * 129), "record_tag has 129 characters"),
    ],
)
def test_bad_input_is_refused_before_any_call(moto_aws, args, expected):
    result = fail_of(module, args)
    assert expected in result["msg"]
    assert moto_aws == []


def test_an_unknown_process_is_refused_by_the_choices(moto_aws):
    result = fail_of(module, dict(name=GROUP, state="suspended", processes=["Launch", "Bogus"]))
    assert "processes" in result["msg"] and "Bogus" in result["msg"]
    assert moto_aws == []


def test_aws_errors_name_what_failed(stubbed):
    """A refused SuspendProcesses (here: a ResourceContention) cannot be produced with moto: Stubber."""
    stubbed["autoscaling"].add_response(
        "describe_auto_scaling_groups",
        {"AutoScalingGroups": [dict(
            AutoScalingGroupName=GROUP, MinSize=2, MaxSize=10, DesiredCapacity=2, DefaultCooldown=300,
            AvailabilityZones=["ap-southeast-3a"], HealthCheckType="EC2", CreatedTime="2025-01-01T00:00:00Z",
            SuspendedProcesses=[],
        )]},
        {"AutoScalingGroupNames": [GROUP]},
    )
    stubbed["autoscaling"].add_client_error(
        "suspend_processes", service_error_code="ResourceContention", service_message="pending update", http_status_code=500
    )
    result = fail_of(module, dict(name=GROUP, state="suspended", processes=["Launch"], max_attempts=1))
    assert result["msg"] == "suspending Launch of Auto Scaling group 'e1-app' failed: ResourceContention: pending update"
