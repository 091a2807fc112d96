"""Each AWS module's documentation renders without warnings and says exactly what its argument
spec accepts.

The AWS connection options are documented once, in the doc fragment
plugins/doc_fragments/fleet_aws.py, and defined once, in module_utils/fleet_aws.py. The
comparison below reads what ansible-doc renders (the module's own options merged with the
fragment's), so it keeps the two in step.
"""

import functools
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.aws_module_harness import ROOT

# Every module in library/ built on the shared AWS plumbing, found rather than listed, so that a
# new one is held to the same rules.
MODULES = [importlib.import_module(f"library.{path.stem}") for path in sorted((ROOT / "library").glob("*.py"))
           if "ansible.module_utils.fleet_aws import" in path.read_text()]
ANSIBLE_DOC = Path(sys.executable).parent / "ansible-doc"
SPEC_KEYS = ("type", "default", "choices", "aliases", "required", "elements")


def module_name(module):
    return module.__name__.rsplit(".", 1)[-1]


@functools.lru_cache(maxsize=None)
def rendered(module):
    """ansible-doc's JSON for the module, and what it printed on stderr."""
    out = subprocess.run(
        [str(ANSIBLE_DOC), "-M", str(ROOT / "library"), "--json", module_name(module)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)[module_name(module)], out.stderr


def comparable(option):
    found = {key: option.get(key) for key in SPEC_KEYS}
    found["required"] = bool(found["required"])
    found["type"] = found["type"] or "str"
    for key in ("choices", "aliases"):
        found[key] = sorted(found[key]) if found[key] else None
    return found


@pytest.mark.parametrize("module", MODULES, ids=module_name)
def test_documented_options_are_the_argument_spec(module):
    documented = rendered(module)[0]["doc"]["options"]
    spec = module.argument_spec()
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        assert comparable(documented[name]) == comparable(option), name


@pytest.mark.parametrize("module", MODULES, ids=module_name)
def test_examples_call_the_module_with_documented_options(module):
    documented = rendered(module)[0]["doc"]["options"]
    accepted = set(documented) | {alias for o in documented.values() for alias in o.get("aliases", [])}
    for task in yaml.safe_load(module.EXAMPLES):
        assert set(task[module_name(module)]) <= accepted, task["name"]


@pytest.mark.parametrize("module", MODULES, ids=module_name)
def test_ansible_doc_renders_without_warnings(module):
    doc, stderr = rendered(module)
    assert doc["doc"]["short_description"]
    assert yaml.safe_load(module.DOCUMENTATION)["extends_documentation_fragment"][0] == "fleet_aws"
    assert "boto3" in doc["doc"]["requirements"]
    assert doc["return"] and doc["examples"]
    assert "WARNING" not in stderr, stderr
