#!/usr/bin/python
"""Write several small configuration files and set keywords in others, in one module call."""

from __future__ import annotations

DOCUMENTATION = r"""
module: os_hardening_files
short_description: Write whole files and set keywords in existing files, in one call
description:
  - One round trip for a set of small root-owned configuration files, where a template task
    per file would cost one round trip each.
  - O(files) entries are written whole (parent directories created) when their content or mode
    differs.
  - O(keywords) entries set C(KEY VALUE) or C(KEY=VALUE) lines in place. Every active line of a
    key is rewritten; a missing key goes after its commented-out example, or at the end.
  - Writes are atomic. Supports check mode and diff mode.
options:
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
        description: Full content.
        type: str
        required: true
      mode:
        description: Octal mode, as a string.
        type: str
        default: "0644"
  keywords:
    description: Files in which to set keywords.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: Absolute path; created (mode 0644) when missing.
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
author: hosting-platform team
"""

EXAMPLES = r"""
- name: Write two drop-ins and set login.defs keywords in one round trip
  os_hardening_files:
    files:
      - path: /etc/security/limits.d/10-no-core-dumps.conf
        content: "* hard core 0\n"
      - path: /etc/profile.d/umask.sh
        content: "umask 027\n"
        mode: "0644"
    keywords:
      - path: /etc/login.defs
        settings:
          UMASK: "027"
          PASS_MIN_DAYS: "1"
"""

RETURN = r"""
changed_paths:
  description: Paths that were (or, in check mode, would be) changed.
  type: list
  elements: str
  returned: always
"""

import os
import re
import stat
import tempfile

from ansible.module_utils.basic import AnsibleModule


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _write(module, path, content, mode):
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o755, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".ansible-" + os.path.basename(path) + ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(tmp, mode)
        os.chown(tmp, 0, 0)
        module.atomic_move(tmp, path, unsafe_writes=True)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    os.chmod(path, mode)


def _set_keywords(text, settings, separator):
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


def main():
    module = AnsibleModule(
        argument_spec={
            "files": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": {
                    "path": {"type": "path", "required": True},
                    "content": {"type": "str", "required": True},
                    "mode": {"type": "str", "default": "0644"},
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
        },
        supports_check_mode=True,
    )

    plans = []  # (path, before, after, mode or None to keep)
    for entry in module.params["files"]:
        try:
            mode = int(entry["mode"], 8)
        except ValueError:
            module.fail_json(msg=f"{entry['path']}: mode {entry['mode']!r} is not octal")
        plans.append((entry["path"], _read(entry["path"]), entry["content"], mode))
    for entry in module.params["keywords"]:
        before = _read(entry["path"])
        after = _set_keywords(before or "", entry["settings"], entry["separator"])
        plans.append((entry["path"], before, after, None))

    changed_paths = []
    diffs = []
    for path, before, after, mode in plans:
        current_mode = stat.S_IMODE(os.stat(path).st_mode) if before is not None else None
        wanted_mode = mode if mode is not None else (current_mode if current_mode is not None else 0o644)
        if before == after and current_mode == wanted_mode:
            continue
        changed_paths.append(path)
        diffs.append(
            {
                "before_header": path,
                "after_header": path,
                "before": before or "",
                "after": after,
            }
        )
        if module.check_mode:
            continue
        if before == after:
            os.chmod(path, wanted_mode)
        else:
            _write(module, path, after, wanted_mode)

    result = {"changed": bool(changed_paths), "changed_paths": changed_paths}
    if module._diff:
        result["diff"] = diffs
    module.exit_json(**result)


if __name__ == "__main__":
    main()
