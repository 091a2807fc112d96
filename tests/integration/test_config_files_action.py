"""The config_files action plugin (plugins/action/config_files.py) through real ansible-playbook
runs on localhost: the module runs only when an entry differs, and a change of content, mode or
keyword on the host is still found and fixed."""

import grp
import json
import os
import pwd
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = Path(__file__).resolve().parent / "playbooks" / "config_files.yml"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


def write_tree(base, *options, content="setting = 1\n"):
    extra = {
        "base": str(base),
        "content": content,
        "owner": pwd.getpwuid(os.getuid()).pw_name,
        "group": grp.getgrgid(os.getgid()).gr_name,
        "ansible_python_interpreter": sys.executable,
    }
    out = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", "localhost,", str(PLAYBOOK), "-e", json.dumps(extra), *options],
        cwd=ROOT,
        env=dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    report, _end = json.JSONDecoder().raw_decode(out.stdout[out.stdout.index("{") :])
    return report["plays"][0]["tasks"][0]["hosts"]["localhost"]


def test_module_runs_only_when_something_differs(tmp_path):
    (tmp_path / "login.defs").write_text("# UMASK example\nUMASK\t022\n")
    first = write_tree(tmp_path)
    assert first["module_run"] and first["changed"]
    assert (tmp_path / "conf.d" / "app.conf").read_text() == "setting = 1\n"
    assert "UMASK\t027" in (tmp_path / "login.defs").read_text()

    converged = write_tree(tmp_path)
    assert converged["module_run"] is False and converged["changed"] is False


def test_changes_made_on_the_host_are_found_and_undone(tmp_path):
    (tmp_path / "login.defs").write_text("UMASK 027\n")
    write_tree(tmp_path)
    app_conf = tmp_path / "conf.d" / "app.conf"

    app_conf.chmod(0o666)
    fixed_mode = write_tree(tmp_path)
    assert fixed_mode["module_run"] and fixed_mode["changed_paths"] == [str(app_conf)]
    assert stat.S_IMODE(app_conf.stat().st_mode) == 0o640

    (tmp_path / "login.defs").write_text("UMASK 022\n")
    fixed_keyword = write_tree(tmp_path)
    assert fixed_keyword["changed_paths"] == [str(tmp_path / "login.defs")]

    (tmp_path / "conf.d").chmod(0o755)
    assert write_tree(tmp_path)["changed_paths"] == [str(tmp_path / "conf.d")]


def test_check_mode_reports_new_content_without_writing(tmp_path):
    (tmp_path / "login.defs").write_text("UMASK 027\n")
    write_tree(tmp_path)
    app_conf = tmp_path / "conf.d" / "app.conf"
    checked = write_tree(tmp_path, "--check", "--diff", content="setting = 2\n")
    assert checked["module_run"] and checked["changed"]
    assert app_conf.read_text() == "setting = 1\n"
    assert write_tree(tmp_path, "--check")["module_run"] is False


def test_diff_shows_the_content_change_and_no_log_hides_it_elsewhere(tmp_path):
    """The module's content option is no_log; the action plugin builds the content diff itself."""
    (tmp_path / "login.defs").write_text("UMASK 027\n")
    write_tree(tmp_path, content="token = first-value\n")
    checked = write_tree(tmp_path, "--check", "--diff", content="token = second-value\n")
    content_diffs = [d for d in checked["diff"] if d["after_header"].endswith("app.conf")]
    assert content_diffs == [{
        "before_header": str(tmp_path / "conf.d" / "app.conf"), "after_header": str(tmp_path / "conf.d" / "app.conf"),
        "before": "token = first-value\n", "after": "token = second-value\n",
    }]
    assert checked["invocation"]["module_args"]["files"][0]["content"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
