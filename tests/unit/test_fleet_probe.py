"""The probe convention: a role's probe.py runs with the shared helpers and prints one JSON object."""

import json
import shlex
import subprocess
import sys

import pytest
from ansible.errors import AnsibleFilterError

from plugins.filter.fleet_probe import fleet_probe, fleet_probe_command


def run_probe(script, args=None):
    """Run the command fleet_probe_command builds, as raw would, with this machine's Python."""
    command = fleet_probe_command(script, args, python=sys.executable)
    done = subprocess.run(command, shell=True, capture_output=True, text=True)
    return {"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def test_probe_gets_its_arguments_and_prints_one_json_object():
    result = run_probe("def probe(args):\n    return {'echo': args['words'], 'quote': \"it's\"}\n", {"words": ["a b", "$HOME"]})
    assert result["rc"] == 0
    assert fleet_probe(result) == {"echo": ["a b", "$HOME"], "quote": "it's"}


def test_helpers_read_commands_and_packages():
    script = (
        "def probe(args):\n"
        "    status, out, _ = run('sh', '-c', 'printf x; exit 3')\n"
        "    return {'status': status, 'out': out, 'missing': run('no-such-program-here')[0],\n"
        "            'output': output('printf', 'y\\n'), 'failed': output('false'),\n"
        "            'packages': package_states('no-such-package-fleet')}\n"
    )
    state = fleet_probe(run_probe(script))
    assert state == {"status": 3, "out": "x", "missing": 127, "output": "y", "failed": "",
                     "packages": {"no-such-package-fleet": "not-installed"}}


def test_an_exception_in_the_probe_is_reported_not_a_traceback():
    result = run_probe("def probe(args):\n    raise OSError('cannot read /etc/shadow')\n")
    assert result["rc"] == 1
    with pytest.raises(AnsibleFilterError, match="probe failed on the host: OSError: cannot read /etc/shadow"):
        fleet_probe(result)


@pytest.mark.parametrize("stdout", ["", "not json", "[1, 2]", "state=ok\n"])
def test_output_that_is_not_one_json_object_is_refused(stdout):
    with pytest.raises(AnsibleFilterError, match="printed no JSON object"):
        fleet_probe({"rc": 0, "stdout": stdout, "stderr": "sudo: a password is required"})


def test_a_script_without_probe_is_refused():
    with pytest.raises(AnsibleFilterError, match="must define probe"):
        fleet_probe_command("print('hello')")


def test_command_is_one_shell_word_per_argument():
    words = shlex.split(fleet_probe_command("def probe(args):\n    return {}\n", {"x": "'; rm -rf /"}))
    assert words[0] == "/usr/bin/python3" and words[1] == "-c"
    assert json.loads(words[3]) == {"x": "'; rm -rf /"}


def test_package_states_reads_dpkg():
    state = fleet_probe(run_probe("def probe(args):\n    return package_states('dpkg', 'no-such-package-fleet')\n"))
    assert state == {"dpkg": "installed", "no-such-package-fleet": "not-installed"}


def test_unit_states_pairs_each_unit_with_its_block(tmp_path, monkeypatch):
    """systemctl show prints one block per unit, in argument order; a unit it does not know still has one."""
    fake = tmp_path / "systemctl"
    fake.write_text(
        "#!/bin/sh\n"
        "printf 'LoadState=loaded\\nActiveState=inactive\\nUnitFileState=enabled\\n\\n'\n"
        "printf 'LoadState=masked\\nActiveState=inactive\\nUnitFileState=masked\\n\\n'\n"
        "printf 'LoadState=not-found\\nActiveState=inactive\\nUnitFileState=\\n'\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    state = fleet_probe(run_probe("def probe(args):\n    return unit_states('a.timer', 'b.timer', 'c.timer')\n"))
    assert state == {
        "a.timer": {"enabled": "enabled", "active": "inactive", "loaded": "loaded"},
        "b.timer": {"enabled": "masked", "active": "inactive", "loaded": "masked"},
        "c.timer": {"enabled": "", "active": "inactive", "loaded": "not-found"},
    }
