"""Role READMEs carry the variable table generated from their argument specs."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_role_readmes_match_argument_specs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "role_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_role_has_argument_specs_and_documented_defaults():
    import yaml

    for role in (ROOT / "roles").iterdir():
        if not role.is_dir():
            continue
        spec_file = role / "meta" / "argument_specs.yml"
        assert spec_file.exists(), f"{role.name} has no meta/argument_specs.yml"
        # A role may have only named entry points (lb_member: drain, enable, ...).
        options = {}
        for entry in yaml.safe_load(spec_file.read_text())["argument_specs"].values():
            options.update(entry.get("options") or {})
        defaults_file = role / "defaults" / "main.yml"
        if not defaults_file.exists():
            continue
        lines = defaults_file.read_text().splitlines()
        defaults = yaml.safe_load(defaults_file.read_text()) or {}
        for name in defaults:
            assert name.startswith(role.name + "_"), f"{role.name}: {name} lacks the role prefix"
            assert name in options, f"{role.name}: {name} is not in the argument spec"
            index = next(i for i, line in enumerate(lines) if line.startswith(name + ":"))
            assert lines[index - 1].startswith("#"), f"{role.name}: {name} has no comment above it"
