"""fleet_cli's parts that need no fleet: the exit codes, the records, the progress model, --help.
The CLI's real runs are tested in tests/integration/test_fleet_cli_runs.py (a pseudo-terminal),
molecule/maintenance (a failing host, an interrupt) and tests/e2e (fleet up, README command 1)."""

import io
from pathlib import Path
from types import SimpleNamespace

import pytest

from fleet_cli import cli, outcome, records, up
from fleet_cli.progress import PlainView, Progress


def failed(task, action="ansible.builtin.command"):
    return {"task": task, "task_action": action}


@pytest.mark.parametrize("data, kind", [
    (failed("maintenance_window : Refuse to start outside the maintenance window without an override", "ansible.builtin.assert"), "refused"),
    (failed("access_guard : Refuse a run that would lock the operators or this controller out", "validate_input"), "refused"),
    (failed("maintenance_app_server : Check the maintenance_app_server input", "validate_input"), "bad_input"),
    (failed("lb_member : Validating arguments against arg spec 'drain'", "ansible.builtin.validate_argument_spec"), "bad_input"),
    (failed("maintenance_app_server : Nginx on the host answers its health check again"), "failed_host"),
])
def test_failures_are_sorted_by_what_failed(data, kind):
    assert outcome.kind_of_failure(data) == kind


def test_bad_input_outranks_a_refusal_and_a_refusal_a_failed_host():
    found = outcome.Failures()
    assert found.exit_code(False, 0) == outcome.OK
    found.add("app1", "failed_host", "t", "m")
    assert found.exit_code(False, 2) == outcome.FAILED_HOST
    found.add("localhost", "refused", "t", "m")
    assert found.exit_code(False, 2) == outcome.REFUSED
    found.add("app2", "bad_input", "t", "m")
    assert found.exit_code(False, 2) == outcome.BAD_INPUT
    assert found.exit_code(True, 2) == outcome.INTERRUPTED


def test_a_run_that_failed_without_a_failed_task_is_not_a_success():
    assert outcome.Failures().exit_code(False, 4) == outcome.FAILED_HOST


def test_prune_keeps_the_newest_and_the_last_failed_record(tmp_path, monkeypatch):
    monkeypatch.setenv("FLEET_RUNS_DIR", str(tmp_path))
    for index, code in enumerate([0, 1, 0, 3, 0, 0, 0]):
        folder = tmp_path / "local" / f"20261201T0000{index:02d}Z-maintenance"
        folder.mkdir(parents=True)
        records.write(folder, {"exit_code": code})
    gone = records.prune("local", 3)
    left = [p.name[13:15] for p in records.all_records("local")]
    assert left == ["03", "04", "05", "06"]
    assert len(gone) == 3


@pytest.mark.parametrize("value, kept", [(None, 50), ("7", 7)])
def test_the_count_of_kept_records_is_configured(monkeypatch, value, kept):
    if value is None:
        monkeypatch.delenv("FLEET_RUNS_KEEP", raising=False)
    else:
        monkeypatch.setenv("FLEET_RUNS_KEEP", value)
    assert records.kept_count() == kept


@pytest.mark.parametrize("value", ["0", "ten", "-3"])
def test_a_kept_count_that_is_no_count_is_refused_naming_it(monkeypatch, value):
    monkeypatch.setenv("FLEET_RUNS_KEEP", value)
    with pytest.raises(outcome.BadInput, match="FLEET_RUNS_KEEP"):
        records.kept_count()


def test_a_bad_kept_count_exits_2_before_any_record(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLEET_RUNS_DIR", str(tmp_path))
    monkeypatch.setenv("FLEET_RUNS_KEEP", "none")
    assert cli.main(["maintenance", "--env", "local"]) == outcome.BAD_INPUT
    assert "FLEET_RUNS_KEEP='none'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_find_takes_the_newest_or_a_named_record(tmp_path, monkeypatch):
    monkeypatch.setenv("FLEET_RUNS_DIR", str(tmp_path))
    for name in ("20261201T010000Z-bootstrap", "20261201T020000Z-maintenance"):
        (tmp_path / "local" / name).mkdir(parents=True)
        records.write(tmp_path / "local" / name, {"exit_code": 0})
    assert records.find("local").name == "20261201T020000Z-maintenance"
    assert records.find("local", "20261201T01").name == "20261201T010000Z-bootstrap"
    with pytest.raises(LookupError, match="no run record"):
        records.find("local", "2027")


def events():
    yield {"event": "playbook_on_play_start", "event_data": {"play": "app servers"}}
    for host in ("app1", "app2"):
        yield {"event": "runner_on_start", "event_data": {"host": host, "task": "drain"}}
    yield {"event": "runner_on_ok", "event_data": {"host": "app1", "task": "drain", "res": {"changed": True}}}
    yield {"event": "runner_on_failed", "event_data": {"host": "app2", "task": "drain", "res": {"msg": "no such server"}}}
    yield {"event": "runner_on_skipped", "event_data": {"host": "app1", "task": "reboot"}}
    yield {"event": "playbook_on_stats", "event_data": {}}


def test_progress_counts_hosts_and_results():
    progress = Progress(title="fleet maintenance")
    for event in events():
        progress.take(event)
    assert progress.totals == {"ok": 0, "changed": 1, "failed": 1, "unreachable": 0, "skipped": 1}
    assert progress.hosts["app1"].state == "done" and progress.hosts["app2"].state == "failed"
    assert "2/2 hosts done" in progress.summary() and "changed 1  failed 1" in progress.summary()


def test_plain_output_is_one_line_per_result_and_names_the_failure():
    stream = io.StringIO()
    with PlainView(Progress(title="fleet maintenance"), stream) as view:
        for event in events():
            view.event(event)
    lines = stream.getvalue().splitlines()
    assert [line.split("] ", 1)[1] for line in lines[:3]] == [
        "play: app servers", "app1 changed: drain", "app2 failed: drain - no such server"]
    assert lines[-1].startswith("fleet maintenance  2/2 hosts done")


def test_a_host_the_run_never_reached_is_not_run_not_done():
    progress = Progress(title="fleet maintenance")
    for event in [{"event": "runner_on_start", "event_data": {"host": "app1", "task": "drain"}},
                  {"event": "runner_on_failed", "event_data": {"host": "app1", "task": "drain", "res": {}}},
                  {"event": "playbook_on_play_start", "event_data": {"play": "next"}}]:
        progress.take(event)
    progress.host("app2")
    progress.take({"event": "playbook_on_stats", "event_data": {}})
    assert progress.hosts["app2"].state == "not run"
    assert "1/2 hosts done (1 not run)" in progress.summary()


@pytest.mark.parametrize("subcommand", [*cli.PLAYBOOKS, "up", "windows", "status", "report"])
def test_every_subcommand_has_help(subcommand, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main([subcommand, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert f"usage: fleet {subcommand}" in text
    if subcommand in cli.PLAYBOOKS:
        for option in ("--env", "--limit", "--check", "--verbose"):
            assert option in text


def test_snapshot_needs_a_change_id_and_a_reason(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["snapshot", "--change-id", "CHG-1"])
    assert done.value.code == outcome.BAD_INPUT
    assert "--reason" in capsys.readouterr().err


def test_extra_vars_must_be_name_value():
    args = cli.parser().parse_args(["maintenance", "-e", "not a pair", "--override-reason", "hotfix"])
    with pytest.raises(outcome.BadInput, match="is not NAME=VALUE"):
        cli._extravars(args)
    args = cli.parser().parse_args(["maintenance", "-e", "app_version=2.4.1", "--override-reason", "hotfix"])
    assert cli._extravars(args) == {"app_version": "2.4.1", "maintenance_window_override": True,
                                    "maintenance_window_override_reason": "hotfix"}


def test_report_of_no_record_is_bad_input(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLEET_RUNS_DIR", str(tmp_path))
    assert cli.main(["report", "--env", "local"]) == outcome.BAD_INPUT
    assert "no run record" in capsys.readouterr().err


def test_windows_prints_the_same_lines_as_fleet_windows(capsys):
    assert cli.main(["windows", "2", "--from", "2027-07-31T00:00:00"]) == outcome.OK
    assert capsys.readouterr().out.splitlines() == [
        "2027-07-31T19:00:00Z 2027-07-31T21:00:00Z  2027-08-01 02:00 WIB - 04:00 WIB",
        "2027-09-04T19:00:00Z 2027-09-04T21:00:00Z  2027-09-05 02:00 WIB - 04:00 WIB"]


def test_status_lists_the_inventorys_hosts_and_what_each_last_had(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLEET_RUNS_DIR", str(tmp_path))
    folder = tmp_path / "local" / "20261201T010000Z-bootstrap"
    folder.mkdir(parents=True)
    records.write(folder, {"subcommand": "bootstrap", "started": "s", "finished": "2026-12-01T01:05:00Z", "exit_code": 0,
                           "hosts": {"app1": {"ok": 3}, "app2": {"ok": 1, "failures": 1}}})
    assert cli.main(["status", "--env", "local"]) == outcome.OK
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:] if line.startswith("  ")}
    assert "last applied: bootstrap" in lines["app1"] and "2026-12-01T01:05:00Z" in lines["app1"]
    assert "app_servers" in lines["app2"] and "never applied through fleet" in lines["app2"]
    assert "never applied through fleet" in lines["db1"]


def test_status_with_limit_lists_only_the_hosts_the_pattern_matches(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLEET_RUNS_DIR", str(tmp_path))
    assert cli.main(["status", "--env", "local", "--limit", "app_servers:!app3"]) == outcome.OK
    hosts = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:] if line.startswith("  ")]
    assert hosts == ["app1", "app2"]


def test_fleet_up_steps_are_the_subcommands_an_operator_types():
    assert up.step_argv("bootstrap") == ["bootstrap"]
    assert up.step_argv("maintenance", verbose=True) == ["maintenance", "--override-reason", up.OVERRIDE_REASON, "--verbose"]
    for step in cli.UP_STEPS:
        assert cli.parser().parse_args(up.step_argv(step)).subcommand == step


def test_fleet_up_summary_says_what_ran_how_long_and_where_the_records_are():
    root = Path(records.ROOT)

    def run(name, code=0, report=None):
        return SimpleNamespace(record=root / "runs" / "local" / name, meta={"exit_code": code, **({"report": report} if report else {})})

    steps = [(["bootstrap"], 61.4, run("20261201T010000Z-bootstrap")),
             (["maintenance", "--override-reason", "x"], 130, run("20261201T010200Z-maintenance", report=str(root / "runs/r/report"))),
             (["audit"], 30, run("20261201T010500Z-audit", report=str(root / "runs/a/report")))]
    lines = up.summary_lines(steps, {"fleet_hosts": ["app1 ..."], "fleet_reach": ["HTTPS: curl ..."]}, 230, 0)
    assert lines[0] == "fleet up: success in 3:50 (env local)"
    assert lines[1].split() == ["1:01", "exit", "0", "runs/local/20261201T010000Z-bootstrap", "fleet", "bootstrap"]
    assert lines[2].split()[:6] == ["2:10", "exit", "0", "runs/local/20261201T010200Z-maintenance", "fleet", "maintenance"]
    assert lines[4] == "Reports:   RECORD/report/report.md (and report.json) of maintenance, audit; fleet report RUN shows one"
    assert lines[5:8] == ["Hosts:", "  app1 ...", "HTTPS: curl ..."]
