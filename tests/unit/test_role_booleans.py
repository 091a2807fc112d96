"""Every boolean a user may pass with -e arrives as a string ("false" is truthy in Jinja). Each
use of a role's bool option must go through `| bool` (Jinja) or `rules.as_bool` (Python), and
the argument spec refuses what is not a boolean."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ROLES = sorted(p for p in (ROOT / "roles").iterdir() if (p / "meta" / "argument_specs.yml").is_file())
CHECKS = ROOT / "plugins" / "fleet_checks"


def bool_options(role):
    specs = yaml.safe_load((role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    return sorted({name for spec in specs.values() for name, option in spec.get("options", {}).items()
                   if option.get("type") == "bool"})


def all_bool_options():
    return sorted({name for role in ROLES for name in bool_options(role)})


def jinja_sources():
    for role in ROLES:
        for folder in ("tasks", "handlers", "vars", "templates"):
            yield from sorted((role / folder).rglob("*")) if (role / folder).is_dir() else []
    yield from sorted((ROOT / "playbooks").rglob("*.yml"))


def unguarded_uses(text, name):
    """Lines where NAME is read without `| bool` right after it (comments and definitions aside)."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        code = re.sub(r"\{#.*?#\}", "", line)
        if code.lstrip().startswith("#"):
            continue
        for match in re.finditer(rf"(?<![\w.']){re.escape(name)}\b(?!\s*:)", code):
            rest = code[match.end():]
            if not re.match(r"\s*\|\s*bool\b", rest):
                found.append(f"{number}: {line.strip()}")
    return found


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_jinja_reads_each_boolean_through_the_bool_filter(role):
    problems = []
    for name in all_bool_options():
        for path in jinja_sources():
            if path.is_file() and (role in path.parents or ROOT / "playbooks" in path.parents):
                problems += [f"{path.relative_to(ROOT)}:{use}" for use in unguarded_uses(path.read_text(), name)]
    assert not sorted(set(problems)), "booleans read without | bool:\n" + "\n".join(sorted(set(problems)))


def test_checks_read_each_boolean_through_as_bool():
    problems = []
    for path in sorted(CHECKS.glob("*.py")):
        text = path.read_text()
        for name in all_bool_options():
            for match in re.finditer(rf'inputs\["{name}"\]', text):
                if not text[: match.start()].endswith("as_bool("):
                    problems.append(f"{path.relative_to(ROOT)}: {name}")
    assert not problems, "booleans read without rules.as_bool: " + ", ".join(problems)


def test_the_scan_finds_an_unguarded_boolean():
    """The scan itself can fail: a bare use is reported, guarded and defining uses are not."""
    text = "when: x_enabled\nwhen: x_enabled | bool\nx_enabled: true\n# x_enabled in a comment\n{{ 'a' if x_enabled else 'b' }}\n"
    assert unguarded_uses(text, "x_enabled") == ["1: when: x_enabled", "5: {{ 'a' if x_enabled else 'b' }}"]
