"""Controller side of the config_files module: no module run when every entry is already right.

A module run costs a Python start and the AnsiballZ payload on the host, about 0.25 s, on every
task of every run. One shell command reads instead what the module would compare (type, mode,
owner, group, a SHA-256 of each file, the text of each keyword file); the module runs only when
something differs, which on a converged host is never. Check mode and diff mode are unaffected:
nothing differs, so there is nothing to report or show.

The module takes file contents as a no_log option, so they never reach -vvv output; Ansible
would also mask them in the module's diff. So, as copy and template do, the content diffs are
made here: in diff mode the old text of each file whose checksum differs is read with the same
command, and compared with the content the task gives. Ansible's invocation line in the host's
journal would still hold the contents (its masking misses a list parameter's escaped newlines):
the module runs with no_target_syslog and logs the paths itself.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import shlex
import sys

from ansible.plugins.action import ActionBase

# One line per argument, in order. "d:PATH" (directory), "f:PATH" (file), "k:PATH" (keyword file).
_READ_STATE = r"""
for entry in "$@"; do
  kind=${entry%%:*} path=${entry#?:}
  if [ -L "$path" ]; then echo link
  elif [ ! -e "$path" ]; then echo missing
  elif [ "$kind" = d ]; then [ -d "$path" ] && echo "dir $(stat -c '%a %U %G' -- "$path")" || echo other
  elif [ ! -f "$path" ]; then echo other
  elif [ "$kind" = f ]; then echo "file $(stat -c '%a %U %G' -- "$path") $(sha256sum < "$path" | cut -d ' ' -f 1)"
  else echo "text $(base64 -w 0 < "$path")"
  fi
done
"""


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _module_code = None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        try:
            differs, contents = self._compare()
        except (KeyError, TypeError, ValueError):
            # Input the module itself must judge (and refuse with its own message).
            differs, contents = True, []
        if not differs:
            result.update(changed=False, changed_paths=[], module_run=False)
            return result
        before = self._texts(contents) if self._task.diff and contents else {}
        quiet_vars = {**(task_vars or {}), "ansible_no_target_syslog": True}
        result.update(self._execute_module(module_name="config_files", module_args=self._task.args, task_vars=quiet_vars))
        result["module_run"] = True
        if self._task.diff and not result.get("failed"):
            result["diff"] = self._content_diffs(before, result.get("changed_paths", [])) + result.get("diff", [])
        return result

    def _read(self, arguments):
        """_READ_STATE's lines for ARGUMENTS, or None when the read failed."""
        command = " ".join(shlex.quote(word) for word in ["/bin/sh", "-c", _READ_STATE, "config_files_state", *arguments])
        read = self._low_level_execute_command(command, sudoable=True)
        lines = read.get("stdout", "").splitlines()
        return lines if read.get("rc") == 0 and len(lines) == len(arguments) else None

    def _texts(self, files):
        """Path -> the host's current text of each of FILES ("" where missing or unreadable)."""
        lines = self._read([f"k:{entry['path']}" for entry in files]) or [""] * len(files)
        return {
            entry["path"]: base64.b64decode(line[5:]).decode("utf-8", "replace") if line.startswith("text ") else ""
            for entry, line in zip(files, lines)
        }

    def _content_diffs(self, before, changed_paths):
        return [
            {"before_header": e["path"], "after_header": e["path"], "before": before[e["path"]], "after": e["content"]}
            for e in self._with_defaults("files")
            if e["path"] in before and e["path"] in changed_paths and before[e["path"]] != e["content"]
        ]

    def _module(self):
        """The module's own code, for its defaults and its keyword editing: one source for both."""
        if ActionModule._module_code is None:
            path = self._shared_loader_obj.module_loader.find_plugin("config_files")
            spec = importlib.util.spec_from_file_location("config_files_module", path)
            code = importlib.util.module_from_spec(spec)
            # Registered first: the module's dataclasses look their module up while it loads.
            sys.modules[spec.name] = code
            spec.loader.exec_module(code)
            ActionModule._module_code = code
        return ActionModule._module_code

    def _with_defaults(self, option):
        suboptions = self._module().argument_spec()[option]["options"]
        defaults = {name: spec.get("default") for name, spec in suboptions.items()}
        return [{**defaults, **entry} for entry in self._task.args.get(option) or []]

    def _compare(self):
        """(whether anything differs on the host, the files entries whose content differs).
        A failed read counts as a difference, so the module runs and judges for itself."""
        directories = self._with_defaults("directories")
        files = self._with_defaults("files")
        keywords = self._with_defaults("keywords")
        arguments = [f"d:{e['path']}" for e in directories] + [f"f:{e['path']}" for e in files]
        arguments += [f"k:{e['path']}" for e in keywords]
        if not arguments:
            return False, []
        lines = self._read(arguments)
        if lines is None:
            return True, files

        def attributes(entry):
            return f"{int(entry['mode'], 8):o} {entry['owner']} {entry['group']}"

        differs = [f"dir {attributes(e)}" for e in directories] != lines[: len(directories)]
        contents = []
        for entry, line in zip(files, lines[len(directories) :]):
            checksum = hashlib.sha256(entry["content"].encode()).hexdigest()
            if not line.endswith(" " + checksum):
                contents.append(entry)
            differs |= line != f"file {attributes(entry)} {checksum}"
        for entry, line in zip(keywords, lines[len(directories) + len(files) :]):
            if not line.startswith("text "):
                return True, contents
            text = base64.b64decode(line[5:]).decode("utf-8")
            differs |= self._module().set_keywords(text, entry["settings"], entry["separator"]) != text
        return differs, contents
