#!/usr/bin/env python3
"""Build the local test apt repository: a few small packages at 1.0 (installed on the hosts when
the fleet is created) and 1.1 (in the repository), so that upgrades in the tests are real.

    build.py [--check] [--architectures "amd64 arm64"] OUTDIR

Run on the controller; needs dpkg-deb (dpkg) and apt-ftparchive (apt-utils). The packages are
written as small trees, built with dpkg-deb and indexed with apt-ftparchive. Every byte is
reproducible (fixed timestamps, sorted indices, SOURCE_DATE_EPOCH), so a second run changes
nothing: the tree is built in a temporary directory and only files that differ are replaced in
OUTDIR. --check changes nothing and reports what a build would change (exit 0 either way).
The last line printed is a JSON object: {"changed": bool, "files": [paths changed], "outdir": ...}.

OUTDIR, which the test_apt_repo role serves over HTTP as it is:

    initial/NAME.deb                          version 1.0 of every package, not indexed
    pool/SUITE/NAME_1.1_all.deb               version 1.1
    dists/SUITE/Release                       Origin FleetTest, Label, Suite, Codename (unsigned)
    dists/SUITE/main/binary-ARCH/Packages(.gz)
    manifest.json                             {path: SHA-256} of every file above
    repo.tar                                  every file above, for the role to unpack on the
                                              host when one of them differs there

Suites: fleet-security (label FleetTest-Security: a security origin for the origin patterns
`origin=FleetTest,label=FleetTest-Security`) and fleet-updates (label FleetTest, not a security
origin). Clients list them with [trusted=yes] (roles/test_apt_client).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ORIGIN = "FleetTest"
SUITES = {
    "fleet-security": {"label": "FleetTest-Security", "description": "Fleet test repository: security updates"},
    "fleet-updates": {"label": "FleetTest", "description": "Fleet test repository: other updates (not security)"},
}
INITIAL_VERSION = "1.0"
NEW_VERSION = "1.1"
MAINTAINER = "Fleet hosting team <hosting@fleet.test>"
# 2025-01-01T00:00:00Z: every timestamp in the tree (file times, the Release Date). Must lie in
# the past: apt refuses a Release whose Date is in the future.
EPOCH = 1735689600
DEFAULT_ARCHITECTURES = "amd64 arm64"
MANIFEST = "manifest.json"
ARCHIVE = "repo.tar"

LIBRARY = "/usr/lib/fleet-demo/libfleetdemo.so"
WORKER_UNIT = "fleet-demo-worker.service"
# The worker maps the library with PROT_EXEC, as the dynamic loader maps a shared object's code:
# needrestart only looks at executable mappings (/proc/PID/maps "r-xp"), and lists the service
# once the mapped file was replaced (the mapping shows "(deleted)"). The program is inline
# (python3 -c), so that nothing else of the package is loaded by the service: needrestart then
# lists it for the library alone, not for a changed Python source file.
WORKER_PROGRAM = (
    "import mmap, signal; "
    f"f = open('{LIBRARY}', 'rb'); "
    "m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ | mmap.PROT_EXEC); "
    "f.close(); "
    "print('mapped', m.readline().decode().strip(), flush=True); "
    "signal.pause()"
)
WORKER_UNIT_TEXT = f"""\
[Unit]
Description=Fleet demo worker: maps {LIBRARY} as a daemon maps a shared library

[Service]
# root without any capability: needrestart (root, without CAP_SYS_PTRACE in a container) can read
# its /proc/PID/exe and maps, which it cannot for a process of another user there.
ExecStart=/usr/bin/python3 -c "{WORKER_PROGRAM}"
CapabilityBoundingSet=
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=strict
ProtectHome=yes

[Install]
WantedBy=multi-user.target
"""

# dh_installsystemd's behaviour with --no-restart-after-upgrade: enabled and started on the first
# installation; an upgrade leaves the running worker alone (it keeps the old library mapped until
# it is restarted, which is what needrestart reports).
WORKER_POSTINST = f"""\
#!/bin/sh
set -e
if [ "$1" = configure ] && [ -z "$2" ]; then
    deb-systemd-helper enable {WORKER_UNIT} >/dev/null || true
    if [ -d /run/systemd/system ]; then
        systemctl --system daemon-reload >/dev/null || true
        deb-systemd-invoke start {WORKER_UNIT} >/dev/null || true
    fi
fi
exit 0
"""
WORKER_PRERM = f"""\
#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
    deb-systemd-invoke stop {WORKER_UNIT} >/dev/null || true
fi
exit 0
"""
WORKER_POSTRM = f"""\
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = remove ]; then
    deb-systemd-helper mask {WORKER_UNIT} >/dev/null || true
fi
if [ "$1" = purge ]; then
    deb-systemd-helper purge {WORKER_UNIT} >/dev/null || true
    deb-systemd-helper unmask {WORKER_UNIT} >/dev/null || true
fi
exit 0
"""

# Debian policy 9.12: a package whose upgrade needs a reboot touches /run/reboot-required and
# adds its name to /run/reboot-required.pkgs (Debian 12/13 have no update-notifier to do it).
REBOOT_FLAG_POSTINST = """\
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    echo '*** System restart required ***' > /run/reboot-required
    grep -qsxF "$DPKG_MAINTSCRIPT_PACKAGE" /run/reboot-required.pkgs \\
        || echo "$DPKG_MAINTSCRIPT_PACKAGE" >> /run/reboot-required.pkgs
fi
exit 0
"""

# fleet-pg-extras: a real PostgreSQL extension (CREATE EXTENSION fleet_pg_extras) whose module
# the server preloads (shared_preload_libraries = 'fleet_pg_extras', set by the database role),
# so that every postgres process maps it. Building a module needs a compiler and the server's
# headers; the module is PostgreSQL's own contrib module moddatetime (a trigger function, no
# _PG_init: preloading it changes nothing else), installed under the extension's name by the
# postinst from the server package it depends on. Each configure writes it to a new file and
# renames it over the old one, as dpkg replaces a file it unpacks: the running server keeps the
# old one mapped ("(deleted)") and needrestart lists postgresql@15-main.service.
PG_MAJOR = "15"
PG_LIBDIR = f"/usr/lib/postgresql/{PG_MAJOR}/lib"
PG_EXTDIR = f"/usr/share/postgresql/{PG_MAJOR}/extension"
PG_POSTINST = f"""\
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    install -m 0644 {PG_LIBDIR}/moddatetime.so {PG_LIBDIR}/fleet_pg_extras.so.dpkg-tmp
    mv -f {PG_LIBDIR}/fleet_pg_extras.so.dpkg-tmp {PG_LIBDIR}/fleet_pg_extras.so
fi
exit 0
"""
PG_POSTRM = f"""\
#!/bin/sh
set -e
if [ "$1" = remove ] || [ "$1" = purge ]; then
    rm -f {PG_LIBDIR}/fleet_pg_extras.so {PG_LIBDIR}/fleet_pg_extras.so.dpkg-tmp
fi
exit 0
"""
PG_CONTROL = """\
# fleet_pg_extras: the fleet test repository's PostgreSQL extension (package fleet-pg-extras)
comment = 'fleet test extension: a trigger that stamps a timestamp column (moddatetime)'
default_version = '1.0'
module_pathname = '$libdir/fleet_pg_extras'
relocatable = true
"""
PG_SQL = """\
-- fleet_pg_extras 1.0
\\echo Use "CREATE EXTENSION fleet_pg_extras" to load this file. \\quit
CREATE FUNCTION fleet_moddatetime() RETURNS trigger AS 'MODULE_PATHNAME', 'moddatetime' LANGUAGE C;
"""


def packages():
    """name -> {suite, depends, description, files(version) -> {path: (text, mode)}, scripts}."""

    def doc(name):
        return lambda version: {f"/usr/share/doc/{name}/VERSION": (f"{name} {version}\n", 0o644)}

    return {
        "fleet-demo-lib": {
            "suite": "fleet-security",
            "depends": "python3",
            "description": "Fleet test: a library mapped by a running service\n"
            f" Ships {LIBRARY} and {WORKER_UNIT}, which maps it. After an upgrade replaced the\n"
            " library, needrestart lists the service (NEEDRESTART-SVC) until it is restarted.",
            "files": lambda version: {
                # Padded past one page: a mapping of a real library spans pages.
                LIBRARY: (f"fleet-demo-lib {version}\n" + "\0" * 8192, 0o644),
                f"/usr/lib/systemd/system/{WORKER_UNIT}": (WORKER_UNIT_TEXT, 0o644),
                **doc("fleet-demo-lib")(version),
            },
            "scripts": {"postinst": WORKER_POSTINST, "prerm": WORKER_PRERM, "postrm": WORKER_POSTRM},
        },
        "fleet-demo-tool": {
            "suite": "fleet-security",
            "depends": "",
            "description": "Fleet test: a plain program\n"
            " Its upgrade restarts nothing and needs no reboot.",
            "files": lambda version: {
                "/usr/bin/fleet-demo-tool": (f"#!/bin/sh\necho 'fleet-demo-tool {version}'\n", 0o755),
                **doc("fleet-demo-tool")(version),
            },
            "scripts": {},
        },
        "fleet-demo-kernel-flag": {
            "suite": "fleet-security",
            "depends": "",
            "description": "Fleet test: an upgrade that needs a reboot\n"
            " Version 1.1's postinst writes /run/reboot-required and adds its name to\n"
            " /run/reboot-required.pkgs (Debian policy 9.12), as a kernel or libc upgrade would.",
            "files": doc("fleet-demo-kernel-flag"),
            "scripts": {"postinst": REBOOT_FLAG_POSTINST},
            # 1.0 (installed when the fleet is created) flags nothing.
            "scripts_in": (NEW_VERSION,),
        },
        "fleet-demo-updates-only": {
            "suite": "fleet-updates",
            "depends": "",
            "description": "Fleet test: an update from an origin that is not a security origin\n"
            " Version 1.1 is only in fleet-updates: security upgrades must leave it at 1.0.",
            "files": doc("fleet-demo-updates-only"),
            "scripts": {},
        },
        "fleet-pg-extras": {
            "suite": "fleet-security",
            "depends": f"postgresql-{PG_MAJOR}",
            "description": "Fleet test: a PostgreSQL extension the server maps\n"
            " The extension fleet_pg_extras; preloaded (shared_preload_libraries), its module\n"
            " is mapped by every postgres process, so that after an upgrade needrestart lists\n"
            f" postgresql@{PG_MAJOR}-main.service.",
            "files": lambda version: {
                f"{PG_EXTDIR}/fleet_pg_extras.control": (PG_CONTROL, 0o644),
                f"{PG_EXTDIR}/fleet_pg_extras--1.0.sql": (PG_SQL, 0o644),
                **doc("fleet-pg-extras")(version),
            },
            "scripts": {"postinst": PG_POSTINST, "postrm": PG_POSTRM},
        },
    }


def run(*argv, cwd=None, env=None):
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"build.py: {' '.join(argv)} failed (exit {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def set_times(root):
    for path in sorted(Path(root).rglob("*"), reverse=True):
        os.utime(path, (EPOCH, EPOCH), follow_symlinks=False)
    os.utime(root, (EPOCH, EPOCH))


def build_deb(name, spec, version, workdir, dest):
    tree = Path(workdir) / f"{name}_{version}"
    debian = tree / "DEBIAN"
    debian.mkdir(parents=True)
    for path, (text, mode) in spec["files"](version).items():
        target = tree / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        target.chmod(mode)
    for directory in [p for p in tree.rglob("*") if p.is_dir()] + [tree]:
        directory.chmod(0o755)
    scripts = spec["scripts"] if version in spec.get("scripts_in", (INITIAL_VERSION, NEW_VERSION)) else {}
    for script, text in scripts.items():
        (debian / script).write_text(text)
        (debian / script).chmod(0o755)
    installed = sum((p.stat().st_size for p in tree.rglob("*") if p.is_file() and debian not in p.parents), 0)
    fields = [
        ("Package", name),
        ("Version", version),
        ("Architecture", "all"),
        ("Maintainer", MAINTAINER),
        ("Installed-Size", str(max(1, (installed + 1023) // 1024))),
        ("Depends", spec["depends"]),
        ("Section", "misc"),
        ("Priority", "optional"),
        ("Description", spec["description"]),
    ]
    (debian / "control").write_text("".join(f"{key}: {value}\n" for key, value in fields if value))
    set_times(tree)
    dest.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    run("dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--threads-max=1", "--build", str(tree), str(dest), env=env)


def sorted_stanzas(text):
    stanzas = [s.strip("\n") for s in text.split("\n\n") if s.strip()]
    return "".join(s + "\n\n" for s in sorted(stanzas))


def index_suite(root, suite, architectures):
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    listing = sorted_stanzas(run("apt-ftparchive", "packages", f"pool/{suite}", cwd=root, env=env))
    for arch in architectures:
        # Architecture: all packages listed in each architecture's index (Architectures does not
        # name "all"), the layout every apt version reads without notices.
        folder = root / "dists" / suite / "main" / f"binary-{arch}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "Packages").write_text(listing)
        with open(folder / "Packages.gz", "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as packed:
                packed.write(listing.encode())
    options = {
        "Origin": ORIGIN,
        "Label": SUITES[suite]["label"],
        "Suite": suite,
        "Codename": suite,
        "Architectures": " ".join(architectures),
        "Components": "main",
        "Description": SUITES[suite]["description"],
        "Date": time.strftime("%a, %d %b %Y %H:%M:%S UTC", time.gmtime(EPOCH)),
    }
    argv = ["apt-ftparchive"]
    for key, value in options.items():
        argv += ["-o", f"APT::FTPArchive::Release::{key}={value}"]
    release = run(*argv, "release", f"dists/{suite}", cwd=root, env=env)
    (root / "dists" / suite / "Release").write_text(release)


def build_tree(root, architectures):
    specs = packages()
    with tempfile.TemporaryDirectory(prefix="fleet-apt-src-") as workdir:
        for name, spec in specs.items():
            build_deb(name, spec, INITIAL_VERSION, workdir, root / "initial" / f"{name}.deb")
            build_deb(name, spec, NEW_VERSION, workdir, root / "pool" / spec["suite"] / f"{name}_{NEW_VERSION}_all.deb")
    for suite in SUITES:
        (root / "pool" / suite).mkdir(parents=True, exist_ok=True)
        index_suite(root, suite, architectures)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    manifest = {f: hashlib.sha256((root / f).read_bytes()).hexdigest() for f in files}
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    write_archive(root, files)


def write_archive(root, files):
    """repo.tar: FILES and their directories, owned by root, 0644 and 0755, with the fixed time."""
    directories = sorted({"/".join(f.split("/")[:i]) for f in files for i in range(1, f.count("/") + 1)})
    with tarfile.open(root / ARCHIVE, "w", format=tarfile.GNU_FORMAT) as archive:
        for name in sorted(directories + files):
            info = tarfile.TarInfo(name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = EPOCH, 0, 0, "root", "root"
            if name in files:
                data = (root / name).read_bytes()
                info.size, info.mode = len(data), 0o644
                archive.addfile(info, io.BytesIO(data))
            else:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)


def tree_files(root):
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()} if root.is_dir() else {}


def sync(new_root, outdir, check):
    """Make OUTDIR hold exactly NEW_ROOT's files; return the relative paths that differ."""
    new, old = tree_files(new_root), tree_files(outdir)
    changed = sorted(f for f in new if f not in old or old[f].read_bytes() != new[f].read_bytes())
    extra = sorted(f for f in old if f not in new)
    if not check:
        for relative in changed:
            target = outdir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            os.close(handle)
            shutil.copyfile(new[relative], temporary)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        for relative in extra:
            (outdir / relative).unlink()
        for directory in sorted((p for p in outdir.rglob("*") if p.is_dir()), reverse=True):
            if not any(directory.iterdir()):
                directory.rmdir()
    return changed + extra


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--check", action="store_true", help="change nothing; report what a build would change")
    parser.add_argument("--architectures", default=DEFAULT_ARCHITECTURES,
                        help=f"architectures whose indices list the packages (default: {DEFAULT_ARCHITECTURES})")
    args = parser.parse_args(argv)
    for tool, package in (("dpkg-deb", "dpkg"), ("apt-ftparchive", "apt-utils")):
        if not shutil.which(tool):
            sys.exit(f"build.py: {tool} is missing (Debian package {package})")
    architectures = args.architectures.split()
    outdir = args.outdir.resolve()
    with tempfile.TemporaryDirectory(prefix="fleet-apt-repo-") as scratch:
        new_root = Path(scratch) / "repo"
        new_root.mkdir()
        build_tree(new_root, architectures)
        if not args.check:
            outdir.mkdir(parents=True, exist_ok=True)
        changed = sync(new_root, outdir, args.check)
    verb = "would change" if args.check else "changed"
    for name, spec in packages().items():
        print(f"{name}: {INITIAL_VERSION} in initial/, {NEW_VERSION} in {spec['suite']}")
    print(f"{outdir}: {len(changed)} files {verb}" if changed else f"{outdir}: up to date")
    print(json.dumps({"changed": bool(changed), "files": changed, "outdir": str(outdir)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
