"""Unit tests for roles/os_hardening/library/os_hardening_files.py (the role's own module)."""

import importlib.util
import json
from pathlib import Path

import pytest
from ansible.module_utils.testing import patch_module_args

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "os_hardening_files", ROOT / "roles" / "os_hardening" / "library" / "os_hardening_files.py"
)
os_hardening_files = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(os_hardening_files)


def run(args, capsys, check_mode=False, diff=False):
    if check_mode:
        args = {**args, "_ansible_check_mode": True}
    if diff:
        args = {**args, "_ansible_diff": True}
    with patch_module_args(args), pytest.raises(SystemExit):
        os_hardening_files.main()
    return json.loads(capsys.readouterr().out)


def test_writes_files_then_reports_nothing_to_do(tmp_path, capsys):
    target = tmp_path / "etc" / "profile.d" / "umask.sh"
    args = {"files": [{"path": str(target), "content": "umask 027\n", "mode": "0644"}]}
    first = run(args, capsys)
    assert first["changed"] and first["changed_paths"] == [str(target)]
    assert target.read_text() == "umask 027\n"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert run(args, capsys)["changed"] is False


def test_check_mode_changes_nothing_but_reports_and_diffs(tmp_path, capsys):
    target = tmp_path / "limits.conf"
    result = run({"files": [{"path": str(target), "content": "* hard core 0\n"}]}, capsys, True, True)
    assert result["changed"] and not target.exists()
    assert result["diff"][0]["after"] == "* hard core 0\n"


def test_keywords_are_set_in_place(tmp_path, capsys):
    login_defs = tmp_path / "login.defs"
    login_defs.write_text("# UMASK example\nUMASK\t\t022\n#PASS_MIN_DAYS 0\nOTHER 1\n")
    args = {"keywords": [{"path": str(login_defs), "settings": {"UMASK": "027", "PASS_MIN_DAYS": "1"}}]}
    assert run(args, capsys)["changed"]
    lines = login_defs.read_text().splitlines()
    assert [line.split() for line in lines if line.startswith("UMASK")] == [["UMASK", "027"]]
    assert ["PASS_MIN_DAYS", "1"] in [line.split() for line in lines]
    assert "#PASS_MIN_DAYS 0" in lines and "OTHER 1" in lines, "comments and other keys stay"
    assert run(args, capsys)["changed"] is False


def test_bad_mode_is_a_clear_failure(tmp_path, capsys):
    with patch_module_args({"files": [{"path": str(tmp_path / "x"), "content": "", "mode": "rw"}]}):
        with pytest.raises(SystemExit):
            os_hardening_files.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] and "is not octal" in result["msg"]
