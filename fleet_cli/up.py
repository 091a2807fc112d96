"""fleet up: the local fleet's whole story (README command 1), then a summary on one screen.

Each step is the fleet subcommand of that name, run as an operator would type it, with its own
record. The first step that does not succeed stops the story; its exit code is fleet up's.
"""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path

from fleet_cli import outcome

ENV = "local"
OVERRIDE_REASON = "fleet up: the local fleet runs the runbook outside the window"


def step_argv(step, verbose=False):
    """The command line of one step, as an operator would type it."""
    argv = [step]
    if step == "maintenance":
        # It is not the first Sunday: the runbook runs with an override, whose reason the report keeps.
        argv += ["--override-reason", OVERRIDE_REASON]
    return argv + (["--verbose"] if verbose else [])


def _took(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _relative(path):
    """PATH as the operator would type it from the project's folder."""
    from fleet_cli.records import ROOT

    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return str(path)


def summary_lines(steps, reach, total_seconds, code):
    """The summary: STEPS is [(argv, seconds, run)], REACH the summary playbook's custom stats."""
    lines = [f"fleet up: {outcome.MEANING.get(code, 'failed').split(':')[0]} in {_took(total_seconds)} (env {ENV})"]
    width = max(len(_relative(run.record)) for _, _, run in steps)
    for argv, seconds, run in steps:
        lines.append(f"  {_took(seconds):>5}  exit {run.meta['exit_code']:<3}  {_relative(run.record):<{width}}"
                     f"  {shlex.join(['fleet', *argv])}")
    # The runbook's, the restore drill's and the audit's reports, in their steps' records.
    reported = [argv[0] for argv, _, run in steps if run.meta.get("report")]
    if reported:
        lines.append(f"Reports:   RECORD/report/report.md (and report.json) of {', '.join(reported)}; fleet report RUN shows one")
    if reach:
        lines.append("Hosts:")
        lines += [f"  {line}" for line in reach.get("fleet_hosts", [])]
        lines += reach.get("fleet_reach", [])
    lines.append("Next:      fleet status; fleet report RUN; fleet windows; fleet --help. Tear down: ./fleet down")
    return lines


def up(args, argv):
    from fleet_cli import cli
    from fleet_cli.run import Run

    started = time.monotonic()
    steps, code = [], outcome.OK
    for step in cli.UP_STEPS:
        this = step_argv(step, args.verbose)
        began = time.monotonic()
        run = cli.run_playbook(cli.parser().parse_args(this), this, announce=False)
        steps.append((this, time.monotonic() - began, run))
        code = run.meta["exit_code"]
        if code != outcome.OK:
            break
    reach = {}
    if code == outcome.OK:
        # Trusts the host keys as the bootstrap left them and fetches the CA's root: the summary's
        # commands work as printed. Its own record is fleet up's.
        summary = Run(ENV, "up", ["fleet", *argv], verbose=args.verbose)
        _status, rc, interrupted = summary.playbook("local_fleet_summary.yml", label="summary", show=False)
        code = summary.failures.exit_code(interrupted, rc)
        reach = summary.custom_stats
        summary.meta["steps"] = [{"command_line": ["fleet", *a], "seconds": round(s, 1), "record": r.record.name,
                                  "exit_code": r.meta["exit_code"]} for a, s, r in steps]
        summary.finish(code)
    print()
    print("\n".join(summary_lines(steps, reach, time.monotonic() - started, code)))
    if code != outcome.OK:
        print(f"fleet up: stopped; `fleet report` shows the failed run. {outcome.MEANING.get(code, 'failed')}", file=sys.stderr)
    return code
