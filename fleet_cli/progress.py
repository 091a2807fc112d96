"""Live progress from ansible-runner's job events.

`Progress` keeps what the events say: per host its current task and state, counts, the play.
On a terminal `LiveView` redraws it in place (a line per host, hosts done of total, elapsed,
changed and failed counts); elsewhere `PlainView` prints one line per host result, for CI, cron
and AWX's log. `--verbose` shows Ansible's own output instead.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field

from rich.console import Console, Group
from rich.live import Live
from rich.text import Text

from fleet_cli import outcome

RESULT_EVENTS = {"runner_on_ok": "ok", "runner_on_failed": "failed", "runner_on_unreachable": "unreachable",
                 "runner_on_skipped": "skipped"}


@dataclass
class HostLine:
    task: str = ""
    state: str = "waiting"
    changed: int = 0
    failed: int = 0


@dataclass
class Progress:
    title: str
    started: float = field(default_factory=time.monotonic)
    play: str = ""
    hosts: dict = field(default_factory=dict)
    totals: dict = field(default_factory=lambda: {"ok": 0, "changed": 0, "failed": 0, "unreachable": 0, "skipped": 0})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def host(self, name):
        return self.hosts.setdefault(name, HostLine())

    def take(self, event):
        """One job event; returns (host, what) for a host's result, else None."""
        kind, data = event.get("event"), event.get("event_data") or {}
        with self.lock:
            if kind in ("playbook_on_play_start", "playbook_on_stats"):
                # A play's end (the next one's start, or the run's stats) ends its hosts' work.
                self.play = data.get("play", self.play)
                for line in self.hosts.values():
                    if line.state == "running":
                        line.state = "done"
                    elif line.state == "waiting" and kind == "playbook_on_stats":
                        # The run ended before this host's turn (a failure or a refusal stopped it).
                        line.state = "not run"
            elif kind == "runner_on_start":
                line = self.host(data.get("host", "?"))
                line.task, line.state = data.get("task", ""), "running"
            elif kind in RESULT_EVENTS:
                what = RESULT_EVENTS[kind]
                if kind == "runner_on_ok" and (data.get("res") or {}).get("changed"):
                    what = "changed"
                if kind == "runner_on_failed" and data.get("ignore_errors"):
                    what = "ok"
                self.totals[what] += 1
                line = self.host(data.get("host", "?"))
                if what == "changed":
                    line.changed += 1
                if what in ("failed", "unreachable"):
                    line.failed += 1
                    line.state = what
                return data.get("host", "?"), what
        return None

    def elapsed(self):
        seconds = int(time.monotonic() - self.started)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def done_count(self):
        return sum(1 for line in self.hosts.values() if line.state in ("done", "failed", "unreachable"))

    def summary(self):
        not_run = sum(1 for line in self.hosts.values() if line.state == "not run")
        return (f"{self.title}  {self.done_count()}/{len(self.hosts)} hosts done" + (f" ({not_run} not run)" if not_run else "")
                + f"  {self.elapsed()}  changed {self.totals['changed']}  failed {self.totals['failed'] + self.totals['unreachable']}")


class PlainView:
    """One line per host result (skips left out) and per play: readable in a log."""

    def __init__(self, progress, stream=None):
        self.progress = progress
        self.stream = stream or sys.stdout

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        print(self.progress.summary(), file=self.stream, flush=True)

    def event(self, event):
        taken = self.progress.take(event)
        data = event.get("event_data") or {}
        if event.get("event") == "playbook_on_play_start":
            print(f"[{self.progress.elapsed()}] play: {data.get('play', '')}", file=self.stream, flush=True)
        elif taken and taken[1] != "skipped":
            host, what = taken
            message = " - " + outcome.message(data, 400) if what in ("failed", "unreachable") else ""
            print(f"[{self.progress.elapsed()}] {host} {what}: {data.get('task', '')}{message}", file=self.stream, flush=True)


class LiveView:
    """The whole picture redrawn in place, a few times a second; at the end only its summary line
    stays, so that a run of several playbooks (fleet up) still fits on one screen."""

    def __init__(self, progress, console=None):
        self.progress = progress
        self.console = console or Console()
        self.live = Live(console=self.console, refresh_per_second=4, get_renderable=self.render, transient=True)

    def __enter__(self):
        self.live.__enter__()
        return self

    def __exit__(self, *exc):
        self.live.__exit__(*exc)
        self.console.print(Text(self.progress.summary(), style="bold"))

    def event(self, event):
        self.progress.take(event)

    _STYLE = {"waiting": "dim", "running": "cyan", "done": "green", "failed": "bold red", "unreachable": "bold red", "not run": "yellow"}

    def render(self):
        progress = self.progress
        with progress.lock:
            lines = [Text(progress.summary(), style="bold"), Text(f"play: {progress.play}", style="dim")]
            width = max((len(name) for name in progress.hosts), default=4)
            for name, line in sorted(progress.hosts.items()):
                task = line.task if line.state == "running" else ""
                lines.append(Text(f"  {name:<{width}}  {line.state:<11} changed {line.changed:<3} {task}"[:self.console.width - 1],
                                  style=self._STYLE.get(line.state, "")))
        return Group(*lines)
