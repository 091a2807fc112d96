"""Read the ansible.posix.json callback's report on stdin; print, one a line, the tasks that
changed HOST (argv[1]), as "ROLE : TASK" or "TASK". Exits 1 when the run failed on that host."""

import json
import sys


def main():
    host = sys.argv[1]
    text = sys.stdin.read()
    # Other callbacks (profile_tasks) may print around the report, which starts on a line of its own.
    start = text.index("{\n") if text.startswith("{\n") else text.index("\n{\n") + 1
    run, _end = json.JSONDecoder().raw_decode(text[start:])
    failed = False
    for play in run["plays"]:
        for task in play["tasks"]:
            result = task["hosts"].get(host)
            if not result:
                continue
            failed |= bool(result.get("failed")) and not result.get("ignore_errors")
            if result.get("changed"):
                print(task["task"]["name"])
    stats = run["stats"].get(host, {})
    return 1 if failed or stats.get("failures") or stats.get("unreachable") else 0


sys.exit(main())
