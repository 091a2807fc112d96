# State probe of the firewall role (plugins/filter/fleet_probe.py), changing nothing. Reads what
# the tasks enforce: the nftables package; the boot unit (enabled, active, and whether systemd
# still runs an older copy of its file); the confirmed rule file (content against the candidate,
# mode, owner, group); whether a rollback timer from an earlier run is armed; and whether the
# loaded table is the candidate as the kernel renders it. For that the candidate is loaded into a
# throw-away network namespace (unshare --net) and listed there, so a table someone deleted or
# edited by hand differs, whatever edited it. args: table ("FAMILY NAME"), unit, rollback_unit,
# active_file, candidate (the rendered ruleset).
import difflib

NFT = "/usr/sbin/nft"


def _file_state(path, want):
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return {"content": "missing"}
    if not stat.S_ISREG(info.st_mode):
        return {"content": "not-a-file"}
    return {"content": "current" if read_text(path) == want else "stale", **file_attributes(info)}


def _loaded(table, candidate):
    """("current" or "stale", unified diff kernel -> candidate)."""
    if not os.path.exists(NFT):
        return "stale", []
    status, live, _err = run(NFT, "-s", "list", "table", *table.split())
    live = live.rstrip("\n") if status == 0 else ""
    script = "%s -f /dev/stdin && %s -s list table %s" % (NFT, NFT, table)
    status, want, err = run("unshare", "--net", "/bin/sh", "-c", script, input=candidate)
    if status != 0:
        raise RuntimeError("the candidate ruleset does not load in a scratch network namespace: %s" % err.strip())
    want = want.rstrip("\n")
    if live == want:
        return "current", []
    diff = difflib.unified_diff(live.splitlines(), want.splitlines(), "kernel", "candidate.nft", lineterm="")
    return "stale", list(diff)


def probe(args):
    unit = args["unit"]
    units = unit_states(unit, args["rollback_unit"] + ".timer")
    reload_needed = output("systemctl", "show", "--property=NeedDaemonReload", "--value", unit) == "yes"
    loaded, diff = _loaded(args["table"], args["candidate"])
    return {
        "package": package_states("nftables")["nftables"],
        "unit": dict(units[unit], need_daemon_reload=reload_needed),
        "rollback_pending": units[args["rollback_unit"] + ".timer"]["active"] == "active",
        "active_file": _file_state(args["active_file"], args["candidate"]),
        "loaded": loaded,
        "diff": diff,
    }
