"""tests/e2e's gate: without FLEET_E2E=1 its tests are skipped, and only its own - a pytest hook
in a conftest sees the whole session, so a careless gate skips every test of `pytest tests`."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_without_fleet_e2e_only_the_end_to_end_tests_are_skipped():
    env = {key: value for key, value in os.environ.items() if key != "FLEET_E2E"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit/test_role_docs.py", "tests/e2e"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    counts = {word: int(count) for count, word in re.findall(r"(\d+) (passed|skipped)", done.stdout.splitlines()[-1])}
    e2e = sum(1 for path in (ROOT / "tests" / "e2e").glob("test_*.py") for line in path.read_text().splitlines() if line.startswith("def test_"))
    assert counts.get("passed", 0) >= 1 and counts.get("skipped", 0) >= e2e, done.stdout[-2000:]
