"""One playbook run through ansible-runner: progress, the record, the exit code, Ctrl-C."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import ansible_runner

from fleet_cli import outcome, records
from fleet_cli.progress import LiveView, PlainView, Progress

ROOT = records.ROOT


def _now():
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _playbook_children():
    """Our ansible-playbook children: pexpect starts each in its own session, so Ctrl-C on the
    terminal reaches only this process, which passes it on."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


def _interrupt_children():
    for pid in _playbook_children():
        try:
            os.killpg(pid, signal.SIGINT)
        except (ProcessLookupError, PermissionError):
            pass


# ssh's ControlPath is DIR/<40-character hash> plus a 17-character suffix while it is made, and a
# socket's path has room for 107 characters.
_CONTROL_PATH_DIR_MAX = 107 - 1 - 40 - 17


def _control_path_dir():
    """Where ssh's shared connections live: $FLEET_STATE/cp, when the sockets' paths fit there."""
    if os.environ.get("ANSIBLE_SSH_CONTROL_PATH_DIR"):
        return {}
    folder = records.state_dir() / "cp"
    return {"ANSIBLE_SSH_CONTROL_PATH_DIR": str(folder)} if len(str(folder)) <= _CONTROL_PATH_DIR_MAX else {}


def _scrub_environment(command_file):
    """ansible-runner keeps the whole environment in artifacts/<ident>/command, credentials
    (AWS keys, the vault password file's path) among it: the record keeps the names only."""
    try:
        command = json.loads(command_file.read_text())
    except (OSError, ValueError):
        return
    command["env"] = {"names": sorted(command.get("env") or {}), "values": "not kept: they can hold credentials"}
    command_file.write_text(json.dumps(command, indent=2) + "\n")


class Run:
    """A playbook run with its record under runs/<env>/."""

    def __init__(self, env, subcommand, argv, verbose=False):
        self.env, self.subcommand = env, subcommand
        self.verbose, self.keep = verbose, records.kept_count()
        self.record = records.new_record(env, subcommand)
        self.inventory = str(ROOT / "inventories" / env)
        self.failures = outcome.Failures()
        self.report_dir = None
        self.custom_stats = {}  # set_stats data of the run's playbooks (AWX: the job's artifacts)
        self.meta = {"subcommand": subcommand, "env": env, "command_line": argv, "git_commit": records.git_commit(),
                     "operator": records.operator(), "started": _now(), "playbooks": []}
        records.write(self.record, self.meta)

    def _on_event(self, view, event):
        data = event.get("event_data") or {}
        kind = event.get("event")
        if kind in ("runner_on_failed", "runner_on_unreachable") and not data.get("ignore_errors"):
            found = outcome.kind_of_failure(data) if kind == "runner_on_failed" else "failed_host"
            self.failures.add(data.get("host", "?"), found, data.get("task", ""), outcome.message(data))
        elif kind == "playbook_on_stats":
            self.custom_stats.update(data.get("artifact_data") or {})
            hosts = self.meta.setdefault("hosts", {})
            for counter in ("ok", "changed", "failures", "dark", "skipped"):
                for host, count in (data.get(counter) or {}).items():
                    hosts.setdefault(host, {})[counter] = hosts.get(host, {}).get(counter, 0) + count
        elif kind == "runner_on_ok":
            facts = (data.get("res") or {}).get("ansible_facts") or {}
            # The runbook's report folder, or that of another playbook that writes one (fleet_report_dir).
            report = (facts.get("maintenance_window_run") or {}).get("report_dir") or facts.get("fleet_report_dir")
            if report:
                self.report_dir = str(report).strip()
        if view is not None:
            view.event(event)
        return True

    def playbook(self, playbook, extravars=None, limit=None, check=False, envvars=None, label=None, show=True):
        """Runs PLAYBOOK (under playbooks/); returns (runner status, rc, interrupted). SHOW false:
        no progress view (the run's job events and stdout are still kept)."""
        cmdline = ["--check", "--diff"] if check else []
        env = {"ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
               "ANSIBLE_FORCE_COLOR": "0" if not sys.stdout.isatty() else "1", **_control_path_dir(), **(envvars or {})}
        progress = Progress(title=f"fleet {self.subcommand}: {label or playbook} ({self.env})")
        view = None if self.verbose or not show else (LiveView(progress) if sys.stdout.isatty() else PlainView(progress))
        interrupted = threading.Event()

        def on_sigint(_signum, _frame):
            interrupted.set()
            _interrupt_children()

        # Before the run starts, so that no Ctrl-C can fall between the start and the handler.
        previous = signal.signal(signal.SIGINT, on_sigint)
        thread, runner = ansible_runner.run_async(
            private_data_dir=str(self.record), ident=Path(playbook).stem, project_dir=str(ROOT),
            playbook=str(ROOT / "playbooks" / playbook), inventory=self.inventory, extravars=extravars or {},
            limit=limit, cmdline=" ".join(cmdline) or None, envvars=env, quiet=not self.verbose,
            event_handler=lambda event: self._on_event(view, event),
            cancel_callback=lambda: False, suppress_env_files=True, settings={"suppress_ansible_output": not self.verbose})
        self.meta["check"] = self.meta.get("check", False) or check
        self.meta["playbooks"].append({"playbook": playbook, "inventory": self.inventory, "extravars": sorted((extravars or {}).keys()), "limit": limit,
                                       "check": check, "artifacts": str(Path(runner.config.artifact_dir).relative_to(self.record))})
        try:
            with view or contextlib.nullcontext():
                while thread.is_alive():
                    thread.join(0.2)
        finally:
            signal.signal(signal.SIGINT, previous)
            _scrub_environment(Path(runner.config.artifact_dir) / "command")
        return runner.status, runner.rc, interrupted.is_set()

    def finish(self, exit_code, extra=None):
        self.meta.update(finished=_now(), exit_code=exit_code, outcome=outcome.MEANING.get(exit_code, "failed"),
                         failures=self.failures.by_host, **(extra or {}))
        kept = records.keep_report(self.record, self.report_dir)
        if kept:
            self.meta["report"] = kept
        records.write(self.record, self.meta)
        records.prune(self.env, self.keep)
        return exit_code
