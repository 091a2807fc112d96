"""scripts/test_apt_repo/build.py: the local test apt repository, reproducible to the byte."""

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "test_apt_repo" / "build.py"
PACKAGES = {
    "fleet-demo-lib": "fleet-security",
    "fleet-demo-tool": "fleet-security",
    "fleet-demo-kernel-flag": "fleet-security",
    "fleet-pg-extras": "fleet-security",
    "fleet-demo-updates-only": "fleet-updates",
}

pytestmark = pytest.mark.skipif(
    not (shutil.which("dpkg-deb") and shutil.which("apt-ftparchive")),
    reason="needs dpkg-deb and apt-ftparchive (apt-utils; scripts/setup installs it)",
)


def load_build():
    spec = importlib.util.spec_from_file_location("fleet_test_apt_build", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(outdir, *options):
    done = subprocess.run([sys.executable, str(SCRIPT), *options, str(outdir)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("apt") / "repo"
    report = build(outdir)
    return outdir, report


def served_files(outdir):
    return sorted(p.relative_to(outdir).as_posix() for p in outdir.rglob("*")
                  if p.is_file() and p.name not in ("manifest.json", "repo.tar"))


def control(deb):
    out = subprocess.run(["dpkg-deb", "--field", str(deb)], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^(\S+): (.*)$", out, re.M))


def release(outdir, suite):
    text = (outdir / "dists" / suite / "Release").read_text()
    return dict(re.findall(r"^(\S+): (.+)$", text, re.M))


def script(deb, name, tmp_path):
    target = tmp_path / deb.stem
    subprocess.run(["dpkg-deb", "--control", str(deb), str(target)], check=True)
    path = target / name
    return path if path.exists() else None


def test_the_first_build_writes_every_file_and_the_manifest_names_each_with_its_checksum(repo):
    outdir, report = repo
    manifest = json.loads((outdir / "manifest.json").read_text())
    assert report["changed"] and sorted(manifest) == served_files(outdir)
    assert all(hashlib.sha256((outdir / f).read_bytes()).hexdigest() == digest for f, digest in manifest.items())


def test_a_second_build_changes_nothing(repo):
    outdir, _report = repo
    before = {p: p.stat().st_mtime_ns for p in outdir.rglob("*")}
    assert build(outdir) == {"changed": False, "files": [], "outdir": str(outdir.resolve())}
    assert {p: p.stat().st_mtime_ns for p in outdir.rglob("*")} == before


def test_check_reports_what_a_build_would_write_and_writes_nothing(tmp_path):
    report = build(tmp_path / "repo", "--check")
    assert report["changed"] and "dists/fleet-security/Release" in report["files"]
    assert not (tmp_path / "repo").exists()


def test_a_file_removed_or_added_is_put_back_and_nothing_else_changes(repo):
    outdir, _report = repo
    (outdir / "pool" / "fleet-security" / "fleet-demo-tool_1.1_all.deb").unlink()
    (outdir / "pool" / "fleet-security" / "stray.deb").write_text("stray")
    assert build(outdir)["files"] == ["pool/fleet-security/fleet-demo-tool_1.1_all.deb", "pool/fleet-security/stray.deb"]
    assert not (outdir / "pool" / "fleet-security" / "stray.deb").exists()


@pytest.mark.parametrize("name, suite", sorted(PACKAGES.items()))
def test_each_package_is_at_1_0_for_fleet_creation_and_at_1_1_in_its_suite(repo, name, suite):
    outdir, _report = repo
    first = control(outdir / "initial" / f"{name}.deb")
    newer = control(outdir / "pool" / suite / f"{name}_1.1_all.deb")
    assert (first["Package"], first["Version"], newer["Package"], newer["Version"]) == (name, "1.0", name, "1.1")
    for fields in (first, newer):
        assert fields["Architecture"] == "all" and fields["Maintainer"] and fields["Description"]


@pytest.mark.parametrize("suite, label", [("fleet-security", "FleetTest-Security"), ("fleet-updates", "FleetTest")])
def test_each_suite_has_origin_label_suite_and_codename_and_is_unsigned(repo, suite, label):
    outdir, _report = repo
    fields = release(outdir, suite)
    assert {k: fields[k] for k in ("Origin", "Label", "Suite", "Codename")} == {
        "Origin": "FleetTest", "Label": label, "Suite": suite, "Codename": suite,
    }
    # apt refuses a Release dated in the future.
    assert time.mktime(time.strptime(fields["Date"], "%a, %d %b %Y %H:%M:%S UTC")) < time.time()
    assert not any((outdir / "dists" / suite / f).exists() for f in ("InRelease", "Release.gpg"))


@pytest.mark.parametrize("suite", ["fleet-security", "fleet-updates"])
def test_each_index_lists_exactly_its_suites_packages_in_every_architecture(repo, suite):
    outdir, _report = repo
    wanted = sorted(f"{name} 1.1 pool/{suite}/{name}_1.1_all.deb" for name, s in PACKAGES.items() if s == suite)
    for arch in ("amd64", "arm64"):
        text = (outdir / "dists" / suite / "main" / f"binary-{arch}" / "Packages").read_text()
        stanzas = [dict(re.findall(r"^(\S+): (.*)$", s, re.M)) for s in text.strip().split("\n\n")]
        assert sorted(f"{s['Package']} {s['Version']} {s['Filename']}" for s in stanzas) == wanted


def test_the_archive_holds_every_served_file_root_owned(repo):
    outdir, _report = repo
    manifest = json.loads((outdir / "manifest.json").read_text())
    with tarfile.open(outdir / "repo.tar") as archive:
        members = archive.getmembers()
        files = {m.name: hashlib.sha256(archive.extractfile(m).read()).hexdigest() for m in members if m.isfile()}
    assert files == manifest
    assert {(m.uname, m.gname, m.mode) for m in members} == {("root", "root", 0o644), ("root", "root", 0o755)}


def test_only_the_kernel_flag_1_1_marks_a_reboot_as_required_once(repo, tmp_path):
    """Its postinst run against a stand-in /run: policy 9.12's flag file and package list."""
    outdir, _report = repo
    assert script(outdir / "initial" / "fleet-demo-kernel-flag.deb", "postinst", tmp_path) is None
    postinst = script(outdir / "pool" / "fleet-security" / "fleet-demo-kernel-flag_1.1_all.deb", "postinst", tmp_path)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "reboot-required.pkgs").write_text("linux-image-amd64\n")
    text = postinst.read_text().replace("/run/", f"{run_dir}/")
    env = {**os.environ, "DPKG_MAINTSCRIPT_PACKAGE": "fleet-demo-kernel-flag"}
    for _ in range(2):
        subprocess.run(["sh", "-c", text, "postinst", "configure", "1.0"], env=env, check=True)
    assert (run_dir / "reboot-required").read_text() == "*** System restart required ***\n"
    assert (run_dir / "reboot-required.pkgs").read_text() == "linux-image-amd64\nfleet-demo-kernel-flag\n"


@pytest.mark.parametrize("previous, expected", [("", ["enable fleet-demo-worker.service"]), ("1.0", [])])
def test_the_worker_is_enabled_on_first_install_and_left_running_on_upgrade(repo, tmp_path, previous, expected):
    """deb-systemd-helper stands in on PATH and records its calls."""
    outdir, _report = repo
    postinst = script(outdir / "pool" / "fleet-security" / "fleet-demo-lib_1.1_all.deb", "postinst", tmp_path)
    stubs = tmp_path / "bin"
    stubs.mkdir()
    calls = tmp_path / "calls"
    for tool in ("deb-systemd-helper", "deb-systemd-invoke", "systemctl"):
        (stubs / tool).write_text(f'#!/bin/sh\n[ "$1" = --system ] && shift\necho "$*" >> {calls}\n')
        (stubs / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}"}
    subprocess.run(["sh", str(postinst), "configure", previous], env=env, check=True)
    recorded = calls.read_text().splitlines() if calls.exists() else []
    assert [c for c in recorded if c.startswith("enable")] == expected
    assert not [c for c in recorded if c.startswith(("restart", "try-restart"))]
    if previous:
        assert recorded == []


def test_the_worker_maps_the_library_executable_as_needrestart_requires(repo, tmp_path):
    """The unit's program, run on a copy of the 1.1 library: an r-x mapping of the file (needrestart
    looks at executable mappings only), and the version it mapped on its first line."""
    outdir, _report = repo
    tree = tmp_path / "tree"
    subprocess.run(["dpkg-deb", "--extract", str(outdir / "pool" / "fleet-security" / "fleet-demo-lib_1.1_all.deb"), str(tree)],
                   check=True)
    unit = (tree / "usr/lib/systemd/system/fleet-demo-worker.service").read_text()
    program = re.search(r'^ExecStart=/usr/bin/python3 -c "(.*)"$', unit, re.M).group(1)
    library = tree / "usr/lib/fleet-demo/libfleetdemo.so"
    assert load_build().LIBRARY in program
    worker = subprocess.Popen([sys.executable, "-c", program.replace(load_build().LIBRARY, str(library))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().strip() == "mapped fleet-demo-lib 1.1"
        maps = Path(f"/proc/{worker.pid}/maps").read_text().splitlines()
        assert [line.split()[1] for line in maps if line.endswith(str(library))] == ["r-xs"]
    finally:
        worker.kill()
        worker.wait()
