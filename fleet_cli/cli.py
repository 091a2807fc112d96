"""fleet: the operator CLI. `fleet --help`, `fleet SUBCOMMAND --help`.

Each playbook subcommand runs through ansible-runner against inventories/<--env>, shows live
progress (a terminal) or one line per result (anything else), keeps its record in
runs/<env>/<UTC timestamp>-<subcommand>/ and exits with a code that says what happened:
0 success, 1 a host failed, 2 bad input, 3 refused by a guard, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from fleet_cli import outcome

# subcommand -> (playbook, what it does)
PLAYBOOKS = {
    "bootstrap": ("bootstrap.yml", "new-server bootstrap: keys only, firewall, least privilege, OS baseline"),
    "https": ("web_front.yml", "HTTPS front: nginx, certificates and their renewal"),
    "load-balancer": ("load_balancer.yml", "the self-hosted load balancer (HAProxy) in front of the app servers; ELBv2 on AWS"),
    "database": ("database_server.yml", "the self-managed PostgreSQL server; RDS on AWS"),
    "maintenance": ("maintenance.yml", "the first-Sunday maintenance runbook (window guard, pre-flight, database, app servers)"),
    "notice": ("maintenance_notice.yml", "e-mail the customers the next window, 7 days ahead"),
    "backups": ("database_backups.yml", "the database's backup policy, snapshot retention and recovery check"),
    "snapshot": ("database_backups.yml", "a manual database snapshot before a major change, tagged with its change id and reason"),
    "platform": ("aws_platform.yml", "the AWS side of the SOP against the AWS API: alarms to the on-call engineer, scaling rules,"
                 " database, cache, security groups, uptime checks, the encrypted configuration backup"),
    "restore-drill": ("restore_drill.yml", "restore the database to a few minutes ago as a temporary instance, check it answers,"
                      " time it against the 4-hour target, delete it"),
    "audit": ("audit.yml", "the SOP's monthly quality checks as one report; exits 1 when a check fails"),
    "local-fleet": ("local_fleet.yml", "(tooling) the local container fleet of inventories/local: create it, or remove it with"
                    " -e local_fleet_state=absent"),
}

# `fleet up`: the local fleet from nothing to after its first maintenance run.
UP_STEPS = ("local-fleet", "bootstrap", "https", "load-balancer", "database", "maintenance", "platform", "restore-drill",
            "audit")

EPILOG = "exit codes: " + "; ".join(f"{code} {meaning}" for code, meaning in sorted(outcome.MEANING.items()))


def _common(parser, runs_playbook=True):
    parser.add_argument("--env", default=os.environ.get("FLEET_ENV", "local"),
                        help="inventory under inventories/ (default: $FLEET_ENV or local)")
    if runs_playbook:
        parser.add_argument("--inventory", metavar="PATH",
                            help="another inventory than inventories/ENV (a test's, AWX's); the records still go under ENV")
        parser.add_argument("--limit", help="only these hosts or groups (Ansible's --limit pattern)")
        parser.add_argument("--check", action="store_true", help="dry run with diff: nothing changes")
        parser.add_argument("--verbose", action="store_true", help="Ansible's own output instead of the progress view")
        parser.add_argument("-e", "--extra-vars", action="append", default=[], metavar="NAME=VALUE",
                            help="an extra variable for the playbook (repeatable)")


def parser():
    top = argparse.ArgumentParser(prog="fleet", description=__doc__.split("\n\n")[0], epilog=EPILOG)
    sub = top.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    for name, (_playbook, what) in PLAYBOOKS.items():
        each = sub.add_parser(name, help=what, description=what, epilog=EPILOG)
        _common(each)
        if name == "maintenance":
            each.add_argument("--override-reason", help="run outside the window; the reason goes in the report")
            each.add_argument("--app-version", help="also deploy this application version, host by host")
        if name == "snapshot":
            each.add_argument("--change-id", required=True, help="the change this snapshot is taken for (CHG-1234)")
            each.add_argument("--reason", required=True, help="why: kept as a tag on the snapshot")
    up = sub.add_parser("up", help="the local fleet's whole story, then a summary: " + ", ".join(UP_STEPS),
                        description="the local fleet's whole story (README command 1 runs it): each step is the fleet"
                        " subcommand of that name, with its own record; then the summary", epilog=EPILOG)
    up.add_argument("--verbose", action="store_true", help="Ansible's own output instead of the progress view")
    windows = sub.add_parser("windows", help="the next maintenance windows, UTC and WIB",
                             description="the next N maintenance windows (read-only: no --check, nothing to change)")
    windows.add_argument("count", nargs="?", default="6", help="how many (default 6)")
    windows.add_argument("--from", dest="moment", metavar="MOMENT", help="list from this moment (ISO 8601, naive is UTC)")
    status = sub.add_parser("status", help="the fleet now: hosts, what was last applied to each and when, the next window",
                            description="what the fleet looks like now, from the run records (read-only: no --check, nothing to change)")
    _common(status, runs_playbook=False)
    status.add_argument("--limit", help="only these hosts or groups (Ansible's --limit pattern)")
    report = sub.add_parser("report", help="show a past run's record and report",
                            description="show a past run's record (read-only: no --check, nothing to change)")
    _common(report, runs_playbook=False)
    report.add_argument("run", nargs="?", help="the run's folder name, or its start (default: the newest)")
    return top


def _extravars(args):
    found = {}
    for item in args.extra_vars:
        name, sep, value = item.partition("=")
        if not sep or not name.isidentifier():
            raise outcome.BadInput(f"-e {item!r} is not NAME=VALUE")
        found[name] = value
    if getattr(args, "override_reason", None):
        found.update(maintenance_window_override=True, maintenance_window_override_reason=args.override_reason)
    if getattr(args, "app_version", None):
        found["app_version"] = args.app_version
    if args.subcommand == "snapshot":
        found.update(rds_change_id=args.change_id, rds_change_reason=args.reason)
    return found


def run_playbook(args, argv, announce=True):
    """Runs the subcommand's playbook; returns the finished Run (run.meta has its exit code).
    ANNOUNCE false: no closing line on success (fleet up prints its own summary)."""
    from fleet_cli.run import Run  # ansible_runner's import is paid only by the subcommands that run playbooks

    playbook = PLAYBOOKS[args.subcommand][0]
    extravars = _extravars(args)  # before the record: bad input leaves none
    run = Run(args.env, args.subcommand, ["fleet", *argv], verbose=args.verbose)
    run.inventory = args.inventory or run.inventory
    status, rc, interrupted = run.playbook(playbook, extravars, args.limit, args.check)
    code = run.failures.exit_code(interrupted, rc)
    extra = {"runner_status": status, "runner_rc": rc}
    if interrupted and args.subcommand == "maintenance":
        # The runbook's own cleanup: no member left drained, the load balancer's preparation undone.
        print("fleet: interrupted - running playbooks/maintenance_cleanup.yml so that no host is left drained", file=sys.stderr)
        cleanup_status, cleanup_rc, _ = run.playbook("maintenance_cleanup.yml", label="cleanup after the interrupt")
        extra.update(cleanup_status=cleanup_status, cleanup_rc=cleanup_rc)
    run.finish(code, extra)
    for host, failure in run.failures.by_host.items():
        print(f"fleet: {host}: {failure['kind'].replace('_', ' ')} at '{failure['task']}': {failure['msg']}", file=sys.stderr)
    if interrupted:
        print(f"fleet: interrupted. To resume in this window, run the same command again: {shlex.join(['fleet', *argv])}"
              " (the hosts it finished are skipped)", file=sys.stderr)
    if announce or code != outcome.OK:
        print(f"fleet: {outcome.MEANING.get(code, 'failed')} (exit {code}); record: {run.record}"
              + (f"; report: {run.meta['report']}" if run.meta.get("report") else ""))
    return run


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    try:
        if args.subcommand in PLAYBOOKS:
            return run_playbook(args, argv).meta["exit_code"]
        if args.subcommand == "up":
            from fleet_cli import up

            return up.up(args, argv)
    except outcome.BadInput as err:
        print(f"fleet: {err}", file=sys.stderr)
        return outcome.BAD_INPUT
    from fleet_cli import views

    return getattr(views, args.subcommand)(args)
