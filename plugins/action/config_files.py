"""Controller side of the config_files module: no module run when every entry is already right.

A module run costs a Python start and the AnsiballZ payload on the host, about 0.25 s, on every
task of every run. One shell command reads instead what the module would compare (type, mode,
owner, group, a SHA-256 of each file, the text of each keyword file); the module runs only when
something differs, which on a converged host is never. Check mode and diff mode are unaffected:
nothing differs, so there is nothing to report or show.
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
            current = self._entries_current()
        except (KeyError, TypeError, ValueError):
            # Input the module itself must judge (and refuse with its own message).
            current = False
        if current:
            result.update(changed=False, changed_paths=[], module_run=False)
            return result
        result.update(self._execute_module(module_name="config_files", module_args=self._task.args, task_vars=task_vars))
        result["module_run"] = True
        return result

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

    def _entries_current(self):
        directories = self._with_defaults("directories")
        files = self._with_defaults("files")
        keywords = self._with_defaults("keywords")
        arguments = [f"d:{e['path']}" for e in directories] + [f"f:{e['path']}" for e in files]
        arguments += [f"k:{e['path']}" for e in keywords]
        if not arguments:
            return True
        command = " ".join(shlex.quote(word) for word in ["/bin/sh", "-c", _READ_STATE, "config_files_state", *arguments])
        read = self._low_level_execute_command(command, sudoable=True)
        lines = read.get("stdout", "").splitlines()
        if read.get("rc") != 0 or len(lines) != len(arguments):
            return False

        def attributes(entry):
            return f"{int(entry['mode'], 8):o} {entry['owner']} {entry['group']}"

        wanted = [f"dir {attributes(e)}" for e in directories]
        wanted += [f"file {attributes(e)} {hashlib.sha256(e['content'].encode()).hexdigest()}" for e in files]
        if wanted != lines[: len(wanted)]:
            return False
        for entry, line in zip(keywords, lines[len(wanted):]):
            if not line.startswith("text "):
                return False
            text = base64.b64decode(line[5:]).decode("utf-8")
            if self._module().set_keywords(text, entry["settings"], entry["separator"]) != text:
                return False
        return True
