#!/usr/bin/python3
"""Security upgrades for the monthly window, run on the host as root. One engine for the plan and
the upgrade, so that what --check prints is what the run does.

  security_upgrade.py plan ORIGINS_JSON    refresh the package lists; print what would be upgraded
                                           (name, from, to, origin), what is held, and which
                                           upgrades would ask for a reboot
  security_upgrade.py apply ORIGINS_JSON   upgrade exactly those, keeping configuration files
  security_upgrade.py status               what needs a restart or a reboot now

ORIGINS_JSON is a JSON list of unattended-upgrades Origins-Pattern entries
("origin=Debian,codename=${distro_codename}-security,label=Debian-Security"). A package is
upgraded to the newest version that one of them matches; held packages are left alone and
reported; nothing is ever removed (apt-get --no-remove). Prints one JSON object.
"""

import json
import os
import subprocess
import sys
import tempfile

import apt_pkg

# Origins-Pattern keys and the package file field each one reads.
_FIELDS = {"o": "origin", "origin": "origin", "l": "label", "label": "label", "a": "archive", "archive": "archive",
           "suite": "archive", "n": "codename", "codename": "codename", "c": "component", "component": "component",
           "site": "site"}
_APT_ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive", NEEDRESTART_SUSPEND="1", APT_LISTCHANGES_FRONTEND="none")
_DPKG_OPTIONS = ["-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"]


def codename():
    with open("/etc/os-release", encoding="utf-8") as handle:
        fields = dict(line.rstrip("\n").split("=", 1) for line in handle if "=" in line)
    return fields.get("VERSION_CODENAME", "").strip('"')


def parse_patterns(patterns):
    distro = codename()
    parsed = []
    for pattern in patterns:
        pairs = {}
        for part in pattern.split(","):
            key, _, value = part.partition("=")
            pairs[_FIELDS[key.strip()]] = value.replace("${distro_codename}", distro)
        parsed.append(pairs)
    return parsed


def allowed(version, patterns):
    """The first package file of VERSION that an origin pattern matches, or None."""
    for package_file, _index in version.file_list:
        fields = {name: getattr(package_file, name, "") or "" for name in set(_FIELDS.values())}
        if any(all(fields[k] == v for k, v in pattern.items()) for pattern in patterns):
            return package_file
    return None


def plan(patterns):
    apt_pkg.init()
    cache = apt_pkg.Cache(progress=None)
    upgrades, held = [], []
    for package in cache.packages:
        current = package.current_ver
        if current is None:
            continue
        newer = [v for v in package.version_list if apt_pkg.version_compare(v.ver_str, current.ver_str) > 0 and allowed(v, patterns)]
        if not newer:
            continue
        best = max(newer, key=lambda v: _Key(v.ver_str))
        name = package.get_fullname(True)
        entry = {"name": name, "from": current.ver_str, "to": best.ver_str, "origin": allowed(best, patterns).label}
        (held if package.selected_state == apt_pkg.SELSTATE_HOLD else upgrades).append(entry)
    return sorted(upgrades, key=lambda e: e["name"]), sorted(held, key=lambda e: e["name"])


class _Key:
    """Debian version order, for max()."""

    def __init__(self, version):
        self.version = version

    def __lt__(self, other):
        return apt_pkg.version_compare(self.version, other.version) < 0


def reboot_expected(upgrades):
    """Upgrades that would ask for a reboot: kernels, and packages whose maintainer scripts write
    /run/reboot-required (policy 9.12). Reads the candidates' control data, downloaded to a
    temporary directory."""
    expected = []
    with tempfile.TemporaryDirectory(prefix="fleet-plan-") as scratch:
        specs = ["%s=%s" % (u["name"], u["to"]) for u in upgrades]
        if specs:
            subprocess.run(["apt-get", "download", "-q", *specs], cwd=scratch, capture_output=True, env=_APT_ENV, check=False)
        files = os.listdir(scratch)
        for upgrade in upgrades:
            bare = upgrade["name"].split(":")[0]
            if bare.startswith(("linux-image-", "linux-modules-")):
                expected.append({"name": upgrade["name"], "why": "a kernel"})
                continue
            deb = next((f for f in files if f.startswith(bare + "_")), None)
            if deb is None:
                continue
            for script in ("postinst", "preinst", "triggers"):
                done = subprocess.run(["dpkg-deb", "--info", os.path.join(scratch, deb), script], capture_output=True, text=True)
                if done.returncode == 0 and "reboot-required" in done.stdout:
                    expected.append({"name": upgrade["name"], "why": "its %s writes /run/reboot-required" % script})
                    break
    return expected


def installed_versions():
    done = subprocess.run(["dpkg-query", "-W", "-f=${binary:Package} ${Version} ${db:Status-Status}\n"],
                          capture_output=True, text=True, check=True)
    found = {}
    for line in done.stdout.splitlines():
        name, version, status = (line.split(" ") + ["", ""])[:3]
        if status == "installed":
            found[name] = version
    return found


def apt_get(*arguments):
    done = subprocess.run(["apt-get", "-q", *arguments], capture_output=True, text=True, env=_APT_ENV)
    if done.returncode != 0:
        raise RuntimeError("apt-get %s failed (exit %d): %s" % (" ".join(arguments[:2]), done.returncode,
                                                                  (done.stderr or done.stdout).strip()[-1500:]))
    return done.stdout


def status():
    """Services still running replaced files (needrestart, batch mode, list only), and whether a
    reboot is required: the flag file of policy 9.12, or a running kernel older than the newest
    installed (needrestart's kernel status), which inside a container is the host's and says
    nothing about this system."""
    container = subprocess.run(["systemd-detect-virt", "--container", "--quiet"]).returncode == 0
    done = subprocess.run(["needrestart", "-b", "-r", "l"], capture_output=True, text=True, env=_APT_ENV)
    lines = [line.partition(": ") for line in done.stdout.splitlines() if line.startswith("NEEDRESTART-")]
    services = sorted({value.strip() for key, _, value in lines if key == "NEEDRESTART-SVC"})
    kernel_status = next((value.strip() for key, _, value in lines if key == "NEEDRESTART-KSTA"), "")
    reasons = []
    if os.path.exists("/run/reboot-required"):
        packages = []
        if os.path.exists("/run/reboot-required.pkgs"):
            with open("/run/reboot-required.pkgs", encoding="utf-8") as handle:
                packages = sorted({line.strip() for line in handle if line.strip()})
        reasons.append("/run/reboot-required" + (" (%s)" % ", ".join(packages) if packages else ""))
    if kernel_status in ("2", "3") and not container:
        kernel = dict((key, value.strip()) for key, _, value in lines)
        reasons.append("running kernel %s, newest installed %s (needrestart kernel status %s)"
                       % (kernel.get("NEEDRESTART-KCUR", "?"), kernel.get("NEEDRESTART-KEXP", "?"), kernel_status))
    return {
        "services": services,
        "kernel_status": kernel_status if not container else "not applicable in a container (the kernel is the host's)",
        "container": container,
        "reboot_required": bool(reasons),
        "reboot_reasons": reasons,
        "needrestart_exit": done.returncode,
    }


def main():
    mode = sys.argv[1]
    if mode == "status":
        return status()
    patterns = parse_patterns(json.loads(sys.argv[2]))
    apt_get("update")
    upgrades, held = plan(patterns)
    if mode == "plan":
        return {"upgrades": upgrades, "held": held, "reboot_expected": reboot_expected(upgrades), "upgraded": []}
    before = installed_versions()
    if upgrades:
        apt_get("install", "-y", "--only-upgrade", "--no-remove", "--no-install-recommends", *_DPKG_OPTIONS,
                *["%s=%s" % (u["name"], u["to"]) for u in upgrades])
    after = installed_versions()
    upgraded = [{"name": name, "from": before.get(name, ""), "to": version}
                for name, version in sorted(after.items()) if before.get(name) != version]
    return {"upgrades": upgrades, "held": held, "upgraded": upgraded}


if __name__ == "__main__":
    try:
        json.dump(main(), sys.stdout)
    except (RuntimeError, KeyError, ValueError, OSError, subprocess.CalledProcessError) as err:
        json.dump({"failed": True, "msg": str(err)}, sys.stdout)
        sys.exit(1)
