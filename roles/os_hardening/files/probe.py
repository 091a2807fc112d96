# State probe of the os_hardening role (plugins/filter/fleet_probe.py), changing nothing: the one
# place that reads the running state. It returns what is wrong, item by item, and files/os_hardening.sh
# (the apply task) changes exactly those items and reads nothing itself. args:
#   packages        names whose dpkg state is read
#   units           units whose file state, active state and start condition are read
#   sysctls         [key, value] pairs: the running value of each, and whether /proc/sys takes writes
#   suid            deny-listed paths: set-user-ID/set-group-ID bits, and the dpkg-statoverride
#                   record that keeps them off through upgrades
#   world_writable  trees searched, one file system each, for files and non-sticky directories
#                   that others may write

STATOVERRIDE = "/var/lib/dpkg/statoverride"
SETID = stat.S_ISUID | stat.S_ISGID


def _units(names):
    """unit_states() plus whether a start was tried and its conditions failed (ConditionResult=no
    with a timestamp): systemd will not run such a unit on this host (accton in a container)."""
    states = unit_states(*names)
    _status, out, _err = run("systemctl", "show", "--property=ConditionResult,ConditionTimestampMonotonic", "--", *names)
    blocks = out.strip("\n").split("\n\n") if out.strip() else []
    for name, block in zip(names, blocks):
        fields = dict(line.partition("=")[::2] for line in block.splitlines())
        tried = fields.get("ConditionTimestampMonotonic", "0") not in ("", "0")
        states[name]["condition_failed"] = tried and fields.get("ConditionResult") == "no"
    for name in names:
        states[name].setdefault("condition_failed", False)
    return states


def _sysctls(pairs):
    """What differs: writable keys to set, read-only keys (a container), keys this kernel lacks."""
    found = {"set": [], "readonly": [], "absent": []}
    # Changing ip_forward resets the per-interface IPv4 settings to their defaults: once it has
    # to change, every writable key after it (the items come forwarding first) is set again.
    reset = False
    for key, want in pairs:
        path = "/proc/sys/" + key.replace(".", "/")
        try:
            with open(path, encoding="utf-8") as handle:
                # Multi-value keys read back tab-separated: compare word for word.
                now = " ".join(handle.read().split())
        except OSError:
            found["absent"].append(key)
            continue
        want = " ".join(str(want).split())
        if now == want and not reset:
            continue
        if os.access(path, os.W_OK):
            found["set"].append({"key": key, "now": now, "want": want})
            reset = reset or "forward" in key
        elif now != want:
            found["readonly"].append(key)
    return found


def _statoverrides():
    """path -> mode (int) of every dpkg-statoverride record."""
    records = {}
    try:
        with open(STATOVERRIDE, encoding="utf-8") as handle:
            for line in handle:
                words = line.split()
                if len(words) == 4:
                    records[words[3]] = int(words[2], 8)
    except FileNotFoundError:
        pass
    return records


def _suid(paths):
    """Deny-listed files (symbolic links resolved) that have a set-ID bit, or whose
    dpkg-statoverride record is missing or keeps a set-ID bit: each with the mode to record."""
    overrides = _statoverrides()
    found, seen = [], set()
    for listed in paths:
        path = os.path.realpath(listed)
        try:
            info = os.stat(path)
        except FileNotFoundError:
            continue
        if path in seen or not stat.S_ISREG(info.st_mode):
            continue
        seen.add(path)
        mode = stat.S_IMODE(info.st_mode)
        record = overrides.get(path)
        if not mode & SETID and record is not None and not record & SETID:
            continue
        found.append({
            "path": path,
            **file_attributes(info),
            "new_mode": "%04o" % (mode & ~SETID),
            "record": "missing" if record is None else "%04o" % record,
        })
    return found


def _world_writable(trees):
    trees = [tree for tree in trees if os.path.isdir(tree)]
    if not trees:
        return []
    status, out, err = run("find", *trees, "-xdev", "(", "-type", "f", "-o", "-type", "d", "!", "-perm", "-1000", ")",
                           "-perm", "-0002", "-print0")
    if status != 0:
        raise RuntimeError("find over %s failed: %s" % (" ".join(trees), err.strip()))
    return [path for path in out.split("\0") if path]


def probe(args):
    return {
        "packages": package_states(*args["packages"]),
        "units": _units(args["units"]),
        "sysctls": _sysctls(args["sysctls"]),
        "suid": _suid(args["suid"]),
        "world_writable": _world_writable(args["world_writable"]),
    }
