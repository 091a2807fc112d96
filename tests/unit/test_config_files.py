"""Unit tests for library/config_files.py, the project's one-call writer of small configuration files."""

import errno
import grp
import json
import os
import pwd
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ansible.module_utils.testing import patch_module_args

from library import config_files

ROOT = Path(__file__).resolve().parents[2]
ME = pwd.getpwuid(os.getuid()).pw_name
MY_GROUP = grp.getgrgid(os.getgid()).gr_name
FAILING_CHECK = "/bin/sh -c 'echo \"line 1: broken\" >&2; exit 3' %s"


def run(args, capsys, check_mode=False, diff=False):
    if check_mode:
        args = {**args, "_ansible_check_mode": True}
    if diff:
        args = {**args, "_ansible_diff": True}
    with patch_module_args(args), pytest.raises(SystemExit):
        config_files.main()
    return json.loads(capsys.readouterr().out)


def mine(path, content, **extra):
    """A files[] entry owned by the user running the tests, so no chown is needed."""
    return {"path": str(path), "content": content, "owner": ME, "group": MY_GROUP, **extra}


def mode_of(path):
    return stat.S_IMODE(path.stat().st_mode)


def other_user():
    """An existing user and group other than the caller's, to ask for a change of ownership."""
    user = next(entry for entry in pwd.getpwall() if entry.pw_uid != os.getuid())
    group = next(entry for entry in grp.getgrall() if entry.gr_gid != os.getgid())
    return user, group


def snapshot(root):
    """Every path under ROOT with its content (files) and mode, to prove nothing changed."""
    found = {}
    for path in sorted(root.rglob("*")):
        found[str(path)] = (path.read_text() if path.is_file() else None, mode_of(path))
    return found


# Whole files


def test_writes_files_then_reports_nothing_to_do(tmp_path, capsys):
    target = tmp_path / "etc" / "profile.d" / "umask.sh"
    args = {"files": [mine(target, "umask 027\n", mode="0640")]}
    first = run(args, capsys)
    assert first["changed"] and first["changed_paths"] == [str(target)]
    assert target.read_text() == "umask 027\n"
    assert mode_of(target) == 0o640
    again = run(args, capsys)
    assert again["changed"] is False and again["changed_paths"] == []


def test_check_mode_changes_nothing_but_reports(tmp_path, capsys):
    target = tmp_path / "limits.conf"
    result = run({"files": [mine(target, "* hard core 0\n")]}, capsys, check_mode=True, diff=True)
    assert result["changed"] and result["changed_paths"] == [str(target)]
    assert not target.exists()
    # The content diff is the action plugin's (tests/integration/test_config_files_action.py).
    assert result["diff"] == []


def test_file_content_never_appears_in_the_result(tmp_path, capsys):
    """content is no_log: not in the invocation that -vvv shows and the host's journal logs."""
    secret = "password = hunter2-not-for-logs\n"
    target = tmp_path / "app.env"
    target.write_text("password = old-one\n")
    target.chmod(0o600)
    with patch_module_args({"files": [mine(target, secret, mode="0600")], "_ansible_diff": True}), pytest.raises(SystemExit):
        config_files.main()
    out = capsys.readouterr().out
    result = json.loads(out)
    assert result["changed"] and target.read_text() == secret
    assert "hunter2" not in out
    assert result["invocation"]["module_args"]["files"][0]["content"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_mode_change_alone_is_a_change_with_an_attribute_diff(tmp_path, capsys):
    target = tmp_path / "app.env"
    target.write_text("PORT=8080\n")
    target.chmod(0o644)
    args = {"files": [mine(target, "PORT=8080\n", mode="0600")]}
    checked = run(args, capsys, check_mode=True, diff=True)
    assert checked["changed"] and mode_of(target) == 0o644
    assert checked["diff"][0]["before"]["mode"] == "0644" and checked["diff"][0]["after"]["mode"] == "0600"
    assert run(args, capsys)["changed"] and mode_of(target) == 0o600


def test_new_content_keeps_the_wanted_mode_not_the_old_one(tmp_path, capsys):
    target = tmp_path / "secret.env"
    target.write_text("TOKEN=old\n")
    target.chmod(0o644)
    run({"files": [mine(target, "TOKEN=new\n", mode="0600")]}, capsys)
    assert target.read_text() == "TOKEN=new\n" and mode_of(target) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ansible-")], "no temporary file left"


@pytest.mark.parametrize("section", ["files", "directories"])
def test_bad_mode_is_a_clear_failure(tmp_path, capsys, section):
    entry = {"path": str(tmp_path / "x"), "mode": "rw"} | ({"content": ""} if section == "files" else {})
    result = run({section: [entry]}, capsys)
    assert result["failed"] and result["msg"] == f"{tmp_path / 'x'}: mode 'rw' is not an octal mode (0000-7777)"


@pytest.mark.parametrize("section", ["directories", "files", "keywords"])
def test_a_symbolic_link_is_refused_and_its_target_left_alone(tmp_path, capsys, section):
    target = tmp_path / "elsewhere"
    if section == "directories":
        target.mkdir(mode=0o755)
    else:
        target.write_text("KEY 1\n")
    link = tmp_path / "planted"
    link.symlink_to(target)
    entry = {
        "directories": {"path": str(link), "mode": "0700", "owner": ME, "group": MY_GROUP},
        "files": mine(link, "replaced\n", mode="0600"),
        "keywords": {"path": str(link), "settings": {"KEY": "2"}},
    }[section]
    before = snapshot(tmp_path)
    result = run({section: [entry]}, capsys)
    assert result["failed"] and result["msg"] == f"{link}: is a symbolic link, which this module neither follows nor replaces"
    assert snapshot(tmp_path) == before and link.is_symlink()


def test_a_link_swapped_in_after_planning_is_not_followed(tmp_path, capsys, monkeypatch):
    target, swapped = tmp_path / "elsewhere", tmp_path / "swapped"
    target.mkdir(mode=0o755)
    swapped.mkdir(mode=0o755)

    def swap_in_a_link(*_args):
        swapped.rmdir()
        swapped.symlink_to(target)

    monkeypatch.setattr(config_files, "validate_all", swap_in_a_link)
    result = run({"directories": [{"path": str(swapped), "mode": "0700", "owner": ME, "group": MY_GROUP}]}, capsys)
    assert result["failed"] and result["msg"].startswith(f"{swapped}: ")
    assert mode_of(target) == 0o755


def test_a_path_under_a_plain_file_fails_before_anything_changes(tmp_path, capsys):
    (tmp_path / "plain").write_text("")
    created, impossible = tmp_path / "created", tmp_path / "plain" / "x.conf"
    args = {"directories": [{"path": str(created), "owner": ME, "group": MY_GROUP}], "files": [mine(impossible, "x\n")]}
    result = run(args, capsys)
    assert result["failed"] and result["msg"].startswith(f"{impossible}: cannot read its state: ")
    assert not created.exists()


def test_a_write_error_names_the_path_and_what_already_changed(tmp_path, capsys, monkeypatch):
    def read_only(*_args):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(config_files, "_write", read_only)
    created, target = tmp_path / "created", tmp_path / "x.conf"
    args = {"directories": [{"path": str(created), "owner": ME, "group": MY_GROUP}], "files": [mine(target, "x\n")]}
    result = run(args, capsys)
    assert result["failed"] and result["msg"] == f"{target}: [Errno 30] Read-only file system"
    assert result["changed"] and result["changed_paths"] == [str(created)]


# Ownership


def test_own_ownership_needs_no_chown(tmp_path, capsys, monkeypatch):
    def refuse(*_args):
        raise PermissionError(1, "chown refused, as for an unprivileged user")

    monkeypatch.setattr(config_files.os, "chown", refuse)
    monkeypatch.setattr(config_files.os, "fchown", refuse)
    target = tmp_path / "mine.conf"
    args = {"files": [mine(target, "a\n")], "directories": [{"path": str(tmp_path / "d"), "owner": ME, "group": MY_GROUP}]}
    assert run(args, capsys)["changed"]
    assert (target.stat().st_uid, target.stat().st_gid) == (os.getuid(), os.getgid())
    assert run(args, capsys)["changed"] is False


def test_other_owner_and_group_are_a_change(tmp_path, capsys):
    user, group = other_user()
    target = tmp_path / "app.env"
    target.write_text("PORT=8080\n")
    before = target.stat()
    for change in ({"owner": user.pw_name}, {"group": group.gr_name}):
        entry = mine(target, "PORT=8080\n") | change
        result = run({"files": [entry]}, capsys, check_mode=True, diff=True)
        assert result["changed_paths"] == [str(target)], change
        assert result["diff"][0]["after"]["owner"] == (user.pw_name if "owner" in change else ME)
        assert result["diff"][0]["after"]["group"] == (group.gr_name if "group" in change else MY_GROUP)
    assert (target.stat().st_uid, target.stat().st_gid) == (before.st_uid, before.st_gid)


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner to another user needs root")
def test_other_owner_and_group_are_applied(tmp_path, capsys):
    user, group = other_user()
    target = tmp_path / "app.env"
    target.write_text("PORT=8080\n")
    args = {"files": [mine(target, "PORT=8080\n", owner=user.pw_name, group=group.gr_name)]}
    assert run(args, capsys)["changed"]
    assert (target.stat().st_uid, target.stat().st_gid) == (user.pw_uid, group.gr_gid)
    assert run(args, capsys)["changed"] is False


@pytest.mark.parametrize("field", ["owner", "group"])
def test_missing_user_or_group_fails_naming_it_and_writes_nothing(tmp_path, capsys, field):
    first, second = tmp_path / "first.conf", tmp_path / "second.conf"
    args = {"files": [mine(first, "a\n"), mine(second, "b\n", **{field: "no-such-name-here"})]}
    result = run(args, capsys)
    kind = "user" if field == "owner" else "group"
    assert result["failed"]
    assert result["msg"] == f"{second}: {kind} 'no-such-name-here' does not exist on this host"
    assert not first.exists() and not second.exists()


# Validation


def test_validate_sees_the_new_content_beside_the_target(tmp_path, capsys):
    target = tmp_path / "with space" / "sshd.conf"
    target.parent.mkdir()
    target.write_text("PasswordAuthentication yes\n")
    script = f'test "$(dirname "$0")" = {shlex.quote(str(target.parent))} && grep -qx "PasswordAuthentication no" "$0"'
    check = f"/bin/sh -c {shlex.quote(script)} %s"
    result = run({"files": [mine(target, "PasswordAuthentication no\n", validate=check)]}, capsys)
    assert result["changed"] and target.read_text() == "PasswordAuthentication no\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["sshd.conf"], "the temporary file is gone"


def test_validate_path_is_one_word_without_a_shell(tmp_path, capsys):
    target = tmp_path / "with space" / "x.conf"
    target.parent.mkdir()
    result = run({"files": [mine(target, "x\n", validate="test -s %s")]}, capsys)
    assert result["changed"] and target.read_text() == "x\n"


def test_failed_validation_changes_nothing_at_all(tmp_path, capsys):
    good, bad = tmp_path / "good.conf", tmp_path / "bad.conf"
    good.write_text("old\n")
    keywords = tmp_path / "login.defs"
    keywords.write_text("UMASK 022\n")
    before = snapshot(tmp_path)
    args = {
        "directories": [{"path": str(tmp_path / "new.d"), "owner": ME, "group": MY_GROUP}],
        "files": [mine(good, "new\n", validate="test -s %s"), mine(bad, "broken\n", validate=FAILING_CHECK)],
        "keywords": [{"path": str(keywords), "settings": {"UMASK": "027"}}],
    }
    result = run(args, capsys)
    assert result["failed"]
    assert result["msg"] == f"{bad}: the new content failed validation ({FAILING_CHECK}, rc 3): line 1: broken"
    assert snapshot(tmp_path) == before


def test_failed_validation_reports_stdout_when_stderr_is_empty(tmp_path, capsys):
    target = tmp_path / "sudoers"
    check = "/bin/sh -c 'echo \"  parse error  \"; exit 1' %s"
    result = run({"files": [mine(target, "oops\n", validate=check)]}, capsys)
    assert result["msg"] == f"{target}: the new content failed validation ({check}, rc 1): parse error"


def test_validate_without_placeholder_is_refused(tmp_path, capsys):
    target = tmp_path / "sudoers"
    result = run({"files": [mine(target, "x\n", validate="visudo -c")]}, capsys)
    assert result["failed"] and result["msg"].startswith(f"{target}: validate must contain %s")
    assert not target.exists()


def test_validate_command_that_cannot_run_names_the_path(tmp_path, capsys):
    target = tmp_path / "x.conf"
    result = run({"files": [mine(target, "x\n", validate="/nonexistent/checker %s")]}, capsys)
    assert result["failed"] and result["msg"].startswith(f"{target}: cannot run the validation command")
    assert not target.exists()


def test_validate_runs_in_check_mode_from_a_private_directory(tmp_path, capsys, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(config_files.tempfile, "tempdir", str(scratch))
    target = tmp_path / "missing.d" / "x.conf"
    passing = run({"files": [mine(target, "x\n", validate="test -s %s")]}, capsys, check_mode=True)
    assert passing["changed_paths"] == [str(target)]
    failing = run({"files": [mine(target, "x\n", validate=FAILING_CHECK)]}, capsys, check_mode=True)
    assert failing["failed"] and "failed validation" in failing["msg"]
    assert not target.parent.exists() and list(scratch.iterdir()) == []


def test_unchanged_content_is_not_validated(tmp_path, capsys):
    target = tmp_path / "x.conf"
    target.write_text("x\n")
    target.chmod(0o600)
    result = run({"files": [mine(target, "x\n", validate="/bin/false %s")]}, capsys)
    assert result["changed_paths"] == [str(target)] and mode_of(target) == 0o644, "the mode alone is fixed"


# Directories


def test_directories_are_created_with_parents_and_fixed(tmp_path, capsys):
    created, existing = tmp_path / "a" / "b", tmp_path / "existing"
    existing.mkdir(mode=0o755)
    args = {
        "directories": [
            {"path": str(created), "mode": "0700", "owner": ME, "group": MY_GROUP},
            {"path": str(existing), "mode": "0750", "owner": ME, "group": MY_GROUP},
        ]
    }
    checked = run(args, capsys, check_mode=True, diff=True)
    assert checked["changed_paths"] == [str(created), str(existing)] and not created.parent.exists()
    assert checked["diff"][0]["before"] == {"state": "absent"}
    assert checked["diff"][1]["before"]["mode"] == "0755" and checked["diff"][1]["after"]["mode"] == "0750"
    assert run(args, capsys)["changed_paths"] == [str(created), str(existing)]
    assert (mode_of(created), mode_of(existing)) == (0o700, 0o750)
    assert run(args, capsys)["changed"] is False


def test_a_file_where_a_directory_is_wanted_fails(tmp_path, capsys):
    (tmp_path / "f").write_text("")
    result = run({"directories": [{"path": str(tmp_path / "f")}]}, capsys)
    assert result["failed"] and result["msg"] == f"{tmp_path / 'f'}: exists and is not a directory"


def test_changed_paths_are_directories_then_files_then_keywords(tmp_path, capsys):
    keywords = tmp_path / "k"
    args = {
        "keywords": [{"path": str(keywords), "settings": {"A": "1"}}],
        "files": [mine(tmp_path / "f2", "2\n"), mine(tmp_path / "f1", "1\n")],
        "directories": [{"path": str(tmp_path / "d"), "owner": ME, "group": MY_GROUP}],
    }
    result = run(args, capsys, check_mode=True)
    assert result["changed_paths"] == [str(tmp_path / name) for name in ("d", "f2", "f1", "k")]


# Keywords


def test_keywords_are_set_in_place(tmp_path, capsys):
    login_defs = tmp_path / "login.defs"
    login_defs.write_text("# UMASK example\nUMASK\t\t022\n#PASS_MIN_DAYS 0\nOTHER 1\n")
    login_defs.chmod(0o600)
    args = {"keywords": [{"path": str(login_defs), "settings": {"UMASK": "027", "PASS_MIN_DAYS": "1"}}]}
    assert run(args, capsys)["changed"]
    lines = login_defs.read_text().splitlines()
    assert [line.split() for line in lines if line.startswith("UMASK")] == [["UMASK", "027"]]
    assert lines.index("PASS_MIN_DAYS\t1") == lines.index("#PASS_MIN_DAYS 0") + 1, "after its example"
    assert "OTHER 1" in lines, "other keys stay"
    assert mode_of(login_defs) == 0o600, "the file keeps its mode"
    assert run(args, capsys)["changed"] is False


def test_keywords_with_equals_create_a_missing_file(tmp_path, capsys):
    sysstat = tmp_path / "sysstat"
    args = {"keywords": [{"path": str(sysstat), "separator": "=", "settings": {"ENABLED": '"true"'}}]}
    assert run(args, capsys)["changed_paths"] == [str(sysstat)]
    assert sysstat.read_text() == 'ENABLED="true"\n' and mode_of(sysstat) == 0o644
    sysstat.write_text('ENABLED = "true"\n')
    assert run(args, capsys)["changed"] is False, "spacing around = is accepted as is"


# Documentation


def rendered():
    out = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-doc"), "-M", str(ROOT / "library"), "--json", "config_files"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "WARNING" not in out.stderr, out.stderr
    return json.loads(out.stdout)["config_files"]


def spec_of(options):
    """Each option's type, default, choices, required and elements, with its suboptions, the same way for both."""
    return {
        name: {
            "type": option.get("type", "str"),
            "default": option.get("default"),
            "choices": option.get("choices"),
            "required": bool(option.get("required")),
            "elements": option.get("elements"),
            "options": spec_of(option.get("options") or option.get("suboptions") or {}),
        }
        for name, option in options.items()
    }


def test_documentation_is_the_argument_spec_and_renders():
    doc = rendered()
    assert spec_of(doc["doc"]["options"]) == spec_of(config_files.argument_spec())
    assert doc["doc"]["short_description"] and doc["return"]["changed_paths"]
    options = doc["doc"]["options"]
    for task in yaml.safe_load(doc["examples"]):
        arguments = task["config_files"]
        assert set(arguments) <= set(options), task["name"]
        for section, entries in arguments.items():
            for entry in entries:
                assert set(entry) <= set(options[section]["suboptions"]), (task["name"], entry)


def test_the_journal_line_names_paths_not_contents(tmp_path, capsys, monkeypatch):
    """Ansible's own invocation line would hold the contents (its masking misses the escaped
    newlines of a list parameter's text form). The action plugin runs the module with
    no_target_syslog, which arrives as _ansible_no_log; the module logs the paths instead."""
    logged = []
    monkeypatch.setattr(config_files.AnsibleModule, "log", lambda self, msg, log_args=None: logged.append(msg))
    target = tmp_path / "app.env"
    run({"files": [mine(target, "password = hunter2\nline two\n")], "_ansible_no_log": True}, capsys)
    assert logged == [f"Invoked with directories=[] files=['{target}'] keywords=[]"]
