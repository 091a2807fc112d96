"""The subcommands that read and run no playbook: windows, status, report."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import sys

from fleet_cli import outcome, records

ROOT = records.ROOT


def _windows_script():
    """scripts/windows.py, the one printer of windows (./fleet windows runs it too)."""
    spec = importlib.util.spec_from_file_location("fleet_windows_script", ROOT / "scripts" / "windows.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def windows(args):
    return _windows_script().main([args.count] + (["--from", args.moment] if args.moment else []))


def _last_applied(env):
    """host -> (subcommand, finished, record) of the newest run in which the host failed nothing."""
    found = {}
    for record in records.all_records(env):
        meta = records.read(record)
        for host, counts in (meta.get("hosts") or {}).items():
            if not counts.get("failures") and not counts.get("dark") and not meta.get("check"):
                found[host] = (meta["subcommand"], meta.get("finished", meta["started"]), record.name)
    return found


def _inventory_hosts(env, limit=None):
    """host -> its groups, from inventories/ENV (a cloud inventory asks the cloud; a source that
    cannot be read is warned about by Ansible and adds no host); LIMIT as Ansible's --limit."""
    os.environ.setdefault("ANSIBLE_CONFIG", str(ROOT / "ansible.cfg"))
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader

    source = ROOT / "inventories" / env
    if not source.is_dir():
        return {}
    manager = InventoryManager(loader=DataLoader(), sources=[str(source)])
    if limit:
        manager.subset(limit)
    return {host.name: sorted(g.name for g in host.get_groups() if g.name not in ("all", "ungrouped"))
            for host in manager.get_hosts()}


def status(args):
    module = _windows_script()
    window = next(iter(module.fleet_window.windows_after(dt.datetime.now(dt.timezone.utc), 1)))
    print(f"environment {args.env}; next maintenance window: {module.line(window)}")
    applied = _last_applied(args.env)
    inventory = _inventory_hosts(args.env, args.limit)
    # With --limit, the hosts the pattern matches in the inventory, and no others.
    hosts = sorted(set(inventory) | (set() if args.limit else set(applied)))
    if not hosts:
        print(f"no hosts in inventories/{args.env} and no runs recorded in {records.runs_dir() / args.env}")
        return outcome.OK
    width = max(len(host) for host in hosts)
    groups = max((len(",".join(found)) for found in inventory.values()), default=0)
    for host in hosts:
        where = ",".join(inventory.get(host, [])) or ("not in the inventory now" if inventory else "")
        if host in applied:
            subcommand, when, record = applied[host]
            done = f"last applied: {subcommand:<13} {when}  ({record})"
        else:
            done = "never applied through fleet"
        print(f"  {host:<{width}}  {where:<{groups}}  {done}")
    latest = records.all_records(args.env)
    if latest:
        meta = records.read(latest[-1])
        print(f"newest run: {latest[-1].name}: {meta.get('outcome', 'running or stopped without a record')}")
    return outcome.OK


def report(args):
    try:
        record = records.find(args.env, args.run)
    except LookupError as err:
        print(f"fleet: {err}", file=sys.stderr)
        return outcome.BAD_INPUT
    meta = records.read(record)
    print(f"run {record.name}: fleet {' '.join(meta['command_line'][1:])}")
    print(f"  operator {meta['operator']}, commit {meta['git_commit']}")
    print(f"  started {meta['started']}, finished {meta.get('finished', '-')}: {meta.get('outcome', '-')}"
          f" (exit {meta.get('exit_code', '-')})")
    for host, failure in (meta.get("failures") or {}).items():
        print(f"  {host}: {failure['kind']} at '{failure['task']}': {failure['msg']}")
    report_md = record / "report" / "report.md"
    if report_md.is_file():
        print()
        print(report_md.read_text())
    elif (record / "report" / "report.json").is_file():
        print(json.dumps(json.loads((record / "report" / "report.json").read_text()), indent=2))
    print(f"record: {record}")
    return outcome.OK
