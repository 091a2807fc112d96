"""Generate each role's README variable table from its meta/argument_specs.yml.

The argument spec is the single source of truth for types, defaults and choices; the README
table between the markers is rewritten from it. `--check` exits 1 when a README is stale.

Usage: python scripts/role_docs.py [--check]
"""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- BEGIN generated from meta/argument_specs.yml -->"
END = "<!-- END generated -->"


def _cell(value):
    text = " ".join(value) if isinstance(value, list) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _default(option):
    if "default" not in option:
        return "required" if option.get("required") else ""
    return f"`{yaml.safe_dump(option['default'], default_flow_style=True).strip().removesuffix('...').strip()}`"


def variable_table(spec):
    rows = ["| variable | type | default | choices | description |", "|---|---|---|---|---|"]
    for name, option in sorted(spec.get("options", {}).items()):
        kind = option.get("type", "str")
        if kind == "list" and "elements" in option:
            kind = f"list of {option['elements']}"
        choices = ", ".join(f"`{c}`" for c in option.get("choices", []))
        rows.append(
            f"| `{name}` | {kind} | {_cell(_default(option))} | {choices} | {_cell(option.get('description', ''))} |"
        )
    return "\n".join(rows)


def render(role_dir):
    specs = yaml.safe_load((role_dir / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    parts = [BEGIN]
    shown = []
    for entry, spec in specs.items():
        # An entry point that repeats another (the `validate` twin of `main`) is listed once.
        if spec in shown:
            parts.append(f"Entry point `{entry}` takes the same variables as `{next(e for e, s in specs.items() if s == spec)}`.\n")
            continue
        shown.append(spec)
        parts.append(f"### Entry point `{entry}`: {spec.get('short_description', '')}\n")
        parts.append(variable_table(spec))
    parts.append(END)
    return "\n".join(parts)


def updated_readme(role_dir):
    readme = role_dir / "README.md"
    current = readme.read_text() if readme.exists() else f"# {role_dir.name}\n\n## Variables\n\n{BEGIN}\n{END}\n"
    if BEGIN not in current:
        current += f"\n## Variables\n\n{BEGIN}\n{END}\n"
    head, _, rest = current.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return readme, head + render(role_dir) + tail


def main(check):
    stale = []
    for role_dir in sorted(p for p in (ROOT / "roles").iterdir() if (p / "meta" / "argument_specs.yml").exists()):
        readme, text = updated_readme(role_dir)
        if readme.exists() and readme.read_text() == text:
            continue
        if check:
            stale.append(str(readme.relative_to(ROOT)))
        else:
            readme.write_text(text)
            print(f"wrote {readme.relative_to(ROOT)}")
    if stale:
        print("stale role READMEs (run python scripts/role_docs.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
