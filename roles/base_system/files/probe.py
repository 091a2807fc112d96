# State probe of the base_system role (plugins/filter/fleet_probe.py), changing nothing. Reads
# what the tasks enforce: the packages, timesyncd's unit (enabled and running), whether this is a
# container in systemd's own sense (ConditionVirtualization=!container: timesyncd does not run
# there, and /etc/hostname and /etc/hosts are the engine's bind mounts), the kernel's host name,
# /etc/hostname, and the last 127.0.1.1 line of /etc/hosts (the one lineinfile edits) with the
# file's mode and owner.
import re


def _attributes(path):
    try:
        return file_attributes(os.stat(path))
    except FileNotFoundError:
        return {}


def probe(args):
    unit = "systemd-timesyncd.service"
    hosts = read_text("/etc/hosts") or ""
    loopback = [line for line in hosts.splitlines() if re.match(r"127\.0\.1\.1\s", line)]
    return {
        "packages": package_states("systemd-timesyncd", "cloud-init"),
        "timesyncd": unit_states(unit)[unit],
        "container": run("systemd-detect-virt", "--container", "--quiet")[0] == 0,
        "hostname": (read_text("/proc/sys/kernel/hostname") or "").strip(),
        # As the in-place writer compares it: the whole file without its trailing newlines.
        "hostname_file": (read_text("/etc/hostname") or "").rstrip("\n"),
        "hosts_line": loopback[-1] if loopback else "",
        "hosts_file": _attributes("/etc/hosts"),
    }
