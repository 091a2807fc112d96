"""What the end-to-end tests share besides their fixtures (tests/e2e/conftest.py)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_commands():
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def why_it_failed(done):
    """A failed command's reason for an assertion message: the CLI's own lines first (they name
    the failed host, task and message; CI shows only the start of a failure), then the ends of
    stderr and stdout."""
    reasons = [line for line in done.stderr.splitlines() if line.startswith("fleet")]
    return "\n".join([f"exit {done.returncode}", *reasons, "--- stderr, last lines:", *done.stderr.splitlines()[-25:],
                      "--- stdout, last lines:", *done.stdout.splitlines()[-40:]])
