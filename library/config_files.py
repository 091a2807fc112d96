#!/usr/bin/python
"""Create directories, write whole files and set keywords in others, in one module call."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: config_files
short_description: Create directories, write whole files and set keywords in files, in one call
description:
  - One round trip for the set of small configuration files a role owns, where a
    M(ansible.builtin.template) task per file would cost one round trip each.
  - O(directories) are created (with their missing parents) or have their mode and ownership fixed,
    before any file is written.
  - O(files) are written whole when their content differs, and have their mode and ownership fixed
    when those differ. Missing parent directories are created as by C(mkdir -p).
  - O(keywords) entries set C(KEY VALUE) or C(KEY=VALUE) lines in place. Every active line of a key is
    rewritten; a missing key goes after its commented-out example, or at the end.
  - Whole files with O(files[].validate) are checked before anything is written. When one of them
    fails its check, the module fails and nothing on the host changes, not even the other entries.
  - Writes are atomic (a temporary file in the same directory, then a rename).
version_added: "1.0.0"
author: Hosting team
options:
  directories:
    description: Directories to create or fix, in order, before the files.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: Absolute path. Missing parents are created with mode 0755 (less the umask).
        type: path
        required: true
      mode:
        description: Octal mode, as a string.
        type: str
        default: "0755"
      owner:
        description: User name that owns the directory. Must exist on the host.
        type: str
        default: root
      group:
        description: Group name that owns the directory. Must exist on the host.
        type: str
        default: root
  files:
    description: Files to write whole.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: Absolute path.
        type: path
        required: true
      content:
        description:
          - Full content.
          - Never logged (no_log), on the host or in verbose output; the host's journal gets the paths
            only. In diff mode the project's action plugin of the same name shows the change.
        type: str
        required: true
      mode:
        description: Octal mode, as a string.
        type: str
        default: "0644"
      owner:
        description: User name that owns the file. Must exist on the host.
        type: str
        default: root
      group:
        description: Group name that owns the file. Must exist on the host.
        type: str
        default: root
      validate:
        description:
          - Command that checks the new content before any file is written, as in
            M(ansible.builtin.template). C(%s) must appear in it and is replaced by the (quoted) path of a
            temporary file holding the new content, with the wanted mode and ownership. Do not quote C(%s)
            yourself.
          - The temporary file is in the target's directory when that exists (so relative includes
            resolve), otherwise in a private temporary directory. It is removed afterwards.
          - The command is split into words and run without a shell, so pipes, redirections and C(&&) do
            not work; wrap them in C(/bin/sh -c '...' %s), where the script reads the path as C($0).
            Like M(ansible.builtin.copy), C($NAME) and C(~) are expanded from the module's environment.
          - Runs only when the content changes, in check mode too. A non-zero exit fails the module.
        type: str
  keywords:
    description: Files in which to set keywords. Their mode and ownership are kept.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: Absolute path; created (mode 0644, owned by root) when missing.
        type: path
        required: true
      settings:
        description: Keyword to value. Values are written as given (quote them yourself).
        type: dict
        required: true
      separator:
        description: What goes between keyword and value.
        type: str
        choices: [" ", "="]
        default: " "
notes:
  - Check mode is supported; it reports what would change and writes nothing but the temporary files
    that O(files[].validate) checks.
  - Diff mode is supported; a change of mode or ownership shows as a diff of those attributes. A
    whole file's content diff is made by the action plugin of the same name, which reads the old
    text on the host and has the new one.
  - Ownership is changed only where it differs, so an unprivileged run can manage its own files.
  - A path that is a symbolic link is refused, not followed or replaced, so writing as root into a
    directory another user owns (C(~/.ssh)) cannot be redirected.
"""

EXAMPLES = r"""
- name: Write the sudo rule, the nftables ruleset and their directory in one round trip
  config_files:
    directories:
      - path: /etc/nftables.d
        mode: "0700"
    files:
      - path: /etc/sudoers.d/deploy
        content: "deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart app.service\n"
        mode: "0440"
        validate: visudo -cf %s
      - path: /etc/nftables.d/ruleset.nft
        content: "{{ lookup('ansible.builtin.template', 'ruleset.nft.j2') }}"
        mode: "0600"
        validate: nft -c -f %s
      - path: /srv/app/app.env
        content: "PORT=8080\n"
        mode: "0640"
        owner: app
        group: app
  register: written

- name: Check an sshd drop-in with a shell wrapper, and set login.defs keywords
  config_files:
    files:
      - path: /etc/ssh/sshd_config.d/60-fleet.conf
        content: "PasswordAuthentication no\n"
        validate: >-
          /bin/sh -c 'install -d -m 0755 /run/sshd && exec /usr/sbin/sshd -T -f "$0" >/dev/null' %s
    keywords:
      - path: /etc/login.defs
        settings:
          UMASK: "027"
          PASS_MIN_DAYS: "1"
      - path: /etc/default/sysstat
        separator: "="
        settings:
          ENABLED: '"true"'
"""

RETURN = r"""
changed_paths:
  description:
    - Paths that were (or, in check mode, would be) created or changed.
    - Directories first, then files, then keyword files, each in the order given.
  type: list
  elements: str
  returned: always
  sample: [/etc/nftables.d, /etc/nftables.d/ruleset.nft, /etc/login.defs]
module_run:
  description:
    - Whether this module ran on the host. The project's action plugin of the same name
      (plugins/action/config_files.py) first reads every entry's type, mode, owner, group and
      checksum with one shell command and runs the module only when something differs.
  type: bool
  returned: always
  sample: false
"""

import grp
import os
import pwd
import re
import shlex
import shutil
import stat
import tempfile
from dataclasses import dataclass

from ansible.module_utils.basic import AnsibleModule

_OWNERSHIP = {"owner": {"type": "str", "default": "root"}, "group": {"type": "str", "default": "root"}}


def argument_spec():
    return {
        "directories": {
            "type": "list",
            "elements": "dict",
            "default": [],
            "options": {"path": {"type": "path", "required": True}, "mode": {"type": "str", "default": "0755"}, **_OWNERSHIP},
        },
        "files": {
            "type": "list",
            "elements": "dict",
            "default": [],
            "options": {
                "path": {"type": "path", "required": True},
                # Kept out of the invocation log and -vvv output; the action plugin shows the diff.
                "content": {"type": "str", "required": True, "no_log": True},
                "mode": {"type": "str", "default": "0644"},
                **_OWNERSHIP,
                "validate": {"type": "str"},
            },
        },
        "keywords": {
            "type": "list",
            "elements": "dict",
            "default": [],
            "options": {
                "path": {"type": "path", "required": True},
                "settings": {"type": "dict", "required": True},
                "separator": {"type": "str", "choices": [" ", "="], "default": " "},
            },
        },
    }


@dataclass
class Change:
    """What one path is and what it should be. content is None for a directory. A whole file's
    content diff is the action plugin's to show (its content is no_log here); a keyword file's is ours."""

    path: str
    current: os.stat_result | None
    before: str | None
    content: str | None
    mode: int
    uid: int
    gid: int
    validate: str | None = None
    diff_content: bool = False

    @property
    def content_changes(self):
        return self.content is not None and self.before != self.content

    @property
    def attributes_change(self):
        return self.current is not None and _attributes_of(self.current) != (self.mode, self.uid, self.gid)

    @property
    def changed(self):
        return self.current is None or self.content_changes or self.attributes_change


def _attributes_of(current):
    return stat.S_IMODE(current.st_mode), current.st_uid, current.st_gid


# Planning: read the host, decide, and refuse bad input before anything is touched.


def _read(module, path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        module.fail_json(msg=f"{path}: cannot read it: {err}")


def _stat(module, path):
    try:
        current = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as err:
        module.fail_json(msg=f"{path}: cannot read its state: {err}")
    # Root writes into directories other users own (~/.ssh): following a link planted there would
    # hand that user whatever it points to.
    if stat.S_ISLNK(current.st_mode):
        module.fail_json(msg=f"{path}: is a symbolic link, which this module neither follows nor replaces")
    return current


def _mode(module, path, text):
    try:
        mode = int(text, 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o7777:
        module.fail_json(msg=f"{path}: mode {text!r} is not an octal mode (0000-7777)")
    return mode


def _ids(module, path, owner, group):
    try:
        uid = pwd.getpwnam(owner).pw_uid
    except KeyError:
        module.fail_json(msg=f"{path}: user {owner!r} does not exist on this host")
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        module.fail_json(msg=f"{path}: group {group!r} does not exist on this host")
    return uid, gid


def plan_directory(module, entry):
    path = entry["path"]
    current = _stat(module, path)
    if current is not None and not stat.S_ISDIR(current.st_mode):
        module.fail_json(msg=f"{path}: exists and is not a directory")
    uid, gid = _ids(module, path, entry["owner"], entry["group"])
    return Change(path, current, None, None, _mode(module, path, entry["mode"]), uid, gid)


def plan_file(module, entry):
    path, validate = entry["path"], entry["validate"]
    if validate and "%s" not in validate:
        module.fail_json(msg=f"{path}: validate must contain %s where the file's path goes: {validate}")
    mode = _mode(module, path, entry["mode"])
    uid, gid = _ids(module, path, entry["owner"], entry["group"])
    current = _stat(module, path)
    return Change(path, current, _read(module, path), entry["content"], mode, uid, gid, validate)


def plan_keywords(module, entry):
    path = entry["path"]
    current = _stat(module, path)
    before = _read(module, path)
    content = set_keywords(before or "", entry["settings"], entry["separator"])
    attributes = _attributes_of(current) if current is not None else (0o644, 0, 0)
    return Change(path, current, before, content, *attributes, diff_content=True)


def set_keywords(text, settings, separator):
    """Return TEXT with every KEY set to its value; lines already right keep their spacing."""
    lines = text.splitlines()
    gap = r"\s*=\s*" if separator == "=" else r"\s+"
    for key, value in settings.items():
        value = str(value)
        wanted = f"{key}={value}" if separator == "=" else f"{key}\t{value}"
        active = re.compile(rf"^\s*{re.escape(key)}(\s|=|$)")
        right = re.compile(rf"^\s*{re.escape(key)}{gap}{re.escape(value)}\s*$")
        example = re.compile(rf"^\s*#\s*{re.escape(key)}(\s|=|$)")
        hits = [i for i, line in enumerate(lines) if active.match(line)]
        for i in hits:
            if not right.match(lines[i]):
                lines[i] = wanted
        if hits:
            continue
        examples = [i for i, line in enumerate(lines) if example.match(line)]
        if examples:
            lines.insert(examples[0] + 1, wanted)
        else:
            lines.append(wanted)
    return "\n".join(lines) + "\n"


def plan(module):
    """Every entry as a Change: directories, files, keywords, each in input order."""
    params = module.params
    return (
        [plan_directory(module, entry) for entry in params["directories"]]
        + [plan_file(module, entry) for entry in params["files"]]
        + [plan_keywords(module, entry) for entry in params["keywords"]]
    )


# Temporary files and attributes, for validating and for writing.


def _fix_attributes(path, mode, uid, gid):
    """chmod and chown PATH where they differ (chown only then, so unprivileged runs work).

    Through a descriptor opened without following a link, so a link swapped in meanwhile fails.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        current_mode, current_uid, current_gid = _attributes_of(os.fstat(fd))
        if current_mode != mode:
            os.fchmod(fd, mode)
        if (current_uid, current_gid) != (uid, gid):
            os.fchown(fd, uid, gid)
    finally:
        os.close(fd)


def _temp_file(directory, change):
    """A temporary file in DIRECTORY holding the change's content, mode and ownership."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".ansible-" + os.path.basename(change.path) + ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(change.content)
        _fix_attributes(tmp, change.mode, change.uid, change.gid)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


# Validation: every new content that asks for it is checked, from temporary files only.


def validate_one(module, change):
    directory = os.path.dirname(change.path)
    private = None if os.path.isdir(directory) else tempfile.mkdtemp(prefix="ansible-config-files-")
    tmp = _temp_file(private or directory, change)
    try:
        rc, out, err = module.run_command(change.validate % shlex.quote(tmp), handle_exceptions=False)
    except (OSError, TypeError, ValueError) as error:
        module.fail_json(msg=f"{change.path}: cannot run the validation command ({change.validate}): {error}")
    finally:
        os.unlink(tmp)
        if private:
            shutil.rmtree(private, ignore_errors=True)
    if rc != 0:
        module.fail_json(
            msg=f"{change.path}: the new content failed validation ({change.validate}, rc {rc}): "
            f"{(err or out).strip()}",
            rc=rc,
            stdout=out,
            stderr=err,
        )


def validate_all(module, changes):
    for change in changes:
        if change.validate and change.content_changes:
            validate_one(module, change)


# Applying: only outside check mode, after every validation passed.


def _write(module, change):
    directory = os.path.dirname(change.path)
    os.makedirs(directory, mode=0o755, exist_ok=True)
    tmp = _temp_file(directory, change)
    try:
        # A plain rename keeps the temporary file's mode and ownership, so the new content is never
        # readable more widely than wanted; atomic_move first gives a new file the umask's mode.
        # atomic_move stays as the fallback for what rename cannot replace (a bind-mounted file).
        try:
            os.rename(tmp, change.path)
        except OSError:
            module.atomic_move(tmp, change.path, unsafe_writes=True, keep_dest_attrs=False)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def apply_one(module, change):
    if change.content is None:
        os.makedirs(change.path, mode=0o755, exist_ok=True)
    elif change.content_changes:
        _write(module, change)
    _fix_attributes(change.path, change.mode, change.uid, change.gid)


def apply(module, changes):
    for done, change in enumerate(changes):
        try:
            apply_one(module, change)
        except OSError as err:
            module.fail_json(
                msg=f"{change.path}: {err}",
                changed=bool(done),
                changed_paths=[previous.path for previous in changes[:done]],
            )


def _name(database, number):
    try:
        return database(number)[0]
    except KeyError:
        return number


def _shown(mode, uid, gid):
    return {"mode": f"{mode:04o}", "owner": _name(pwd.getpwuid, uid), "group": _name(grp.getgrgid, gid)}


def diffs(changes):
    """Content diffs for keyword files, attribute diffs for directories and for mode or ownership changes."""
    found = []
    for change in changes:
        headers = {"before_header": change.path, "after_header": change.path}
        wanted = _shown(change.mode, change.uid, change.gid)
        if change.content_changes and change.diff_content:
            found.append({**headers, "before": change.before or "", "after": change.content})
        if change.content is None and change.current is None:
            found.append({**headers, "before": {"state": "absent"}, "after": {"state": "directory", **wanted}})
        elif change.attributes_change:
            found.append({**headers, "before": _shown(*_attributes_of(change.current)), "after": wanted})
    return found


def log_invocation(module):
    """The invocation line for the host's journal, with paths only. Ansible's own line would hold
    every file's content: it masks no_log values in the parameters' text form, where the
    contents' newlines are escaped, so they do not match. The action plugin turns Ansible's line
    off (no_target_syslog); this one takes its place."""
    paths = {option: [entry["path"] for entry in module.params[option]] for option in ("directories", "files", "keywords")}
    module.log("Invoked with " + " ".join(f"{option}={value}" for option, value in paths.items()))


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.no_log = False
    log_invocation(module)
    changes = [change for change in plan(module) if change.changed]
    validate_all(module, changes)
    if not module.check_mode:
        apply(module, changes)
    result = {"changed": bool(changes), "changed_paths": [change.path for change in changes]}
    if module._diff:
        result["diff"] = diffs(changes)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
