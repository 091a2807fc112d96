# State probe (plugins/filter/fleet_probe.py): the served tree against the build's manifest
# (content, mode and owner of each file and directory), the files the manifest no longer lists,
# and the HTTP server unit's enabled and active states.
import hashlib


def _attributes_differ(path, mode):
    try:
        return file_attributes(os.lstat(path)) != {"mode": mode, "owner": "root", "group": "root"}
    except FileNotFoundError:
        return True


def _digest(path):
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def probe(args):
    root = args["root"].rstrip("/")
    wanted = args["files"]
    directories = set()
    for relative in wanted:
        parts = relative.split("/")[:-1]
        directories.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    differ = sorted(
        relative for relative, digest in wanted.items()
        if _digest(os.path.join(root, relative)) != digest or _attributes_differ(os.path.join(root, relative), "0644")
    ) + sorted(d + "/" for d in directories if _attributes_differ(os.path.join(root, d), "0755"))
    present = set()
    for folder, _subdirs, names in os.walk(root):
        present.update(os.path.relpath(os.path.join(folder, name), root) for name in names)
    return {
        "root_ok": not _attributes_differ(root, "0755"),
        "differ": differ,
        "extra": sorted(present - set(wanted)),
        "unit": unit_states(args["unit"])[args["unit"]],
    }
