#!/usr/bin/python3
"""CPU and memory use of this system, as a share of what it may use, over a short sample.

The system's own cgroup tree is that of PID 1's parent (a VM: the root; a container run with the
host's cgroup namespace: the container's own cgroup), so a container reports its own use, not
the host's. cgroup v1 and v2 are both read; the root falls back to /proc/stat and /proc/meminfo.
Prints one JSON object: cpu_percent, memory_percent, cpus, source.
"""

import json
import os
import sys
import time

ROOT = "/sys/fs/cgroup"


def own_cgroup():
    """(version, path) of the system's cgroup tree."""
    with open("/proc/1/cgroup", encoding="utf-8") as handle:
        entries = [line.rstrip("\n").split(":", 2) for line in handle]
    v1 = {controller: path for _, controllers, path in entries for controller in controllers.split(",") if controller}
    if "cpuacct" in v1:
        return 1, v1["cpuacct"].removesuffix("/init.scope") or "/", v1.get("memory", "/").removesuffix("/init.scope") or "/"
    unified = next(path for _, controllers, path in entries if controllers == "")
    path = unified.removesuffix("/init.scope") or "/"
    return 2, path, path


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def stat_field(path, name):
    for line in read(path).splitlines():
        key, _, value = line.partition(" ")
        if key == name:
            return int(value)
    return 0


def cpu_seconds(version, path):
    if path == "/":
        fields = [int(v) for v in read("/proc/stat").splitlines()[0].split()[1:]]
        idle = fields[3] + fields[4]
        return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")
    if version == 1:
        return int(read(f"{ROOT}/cpuacct{path}/cpuacct.usage")) / 1e9
    return stat_field(f"{ROOT}{path}/cpu.stat", "usage_usec") / 1e6


def cpus(version, path):
    count = len(os.sched_getaffinity(0))
    try:
        if version == 1:
            quota = int(read(f"{ROOT}/cpu{path}/cpu.cfs_quota_us"))
            period = int(read(f"{ROOT}/cpu{path}/cpu.cfs_period_us"))
        else:
            quota_text, period_text = read(f"{ROOT}{path}/cpu.max").split()
            quota, period = (-1 if quota_text == "max" else int(quota_text)), int(period_text)
    except (OSError, ValueError):
        return count
    return min(count, quota / period) if quota > 0 else count


def meminfo():
    fields = {}
    for line in read("/proc/meminfo").splitlines():
        key, value = line.split(":", 1)
        fields[key] = int(value.split()[0]) * 1024
    return fields


def memory_percent(version, path):
    info = meminfo()
    if path == "/":
        return 100.0 * (info["MemTotal"] - info["MemAvailable"]) / info["MemTotal"]
    if version == 1:
        base = f"{ROOT}/memory{path}"
        used = int(read(f"{base}/memory.usage_in_bytes")) - stat_field(f"{base}/memory.stat", "total_inactive_file")
        limit = int(read(f"{base}/memory.limit_in_bytes"))
    else:
        base = f"{ROOT}{path}"
        used = int(read(f"{base}/memory.current")) - stat_field(f"{base}/memory.stat", "inactive_file")
        text = read(f"{base}/memory.max").strip()
        limit = info["MemTotal"] if text == "max" else int(text)
    return 100.0 * max(used, 0) / min(limit, info["MemTotal"])


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    version, cpu_path, memory_path = own_cgroup()
    before, started = cpu_seconds(version, cpu_path), time.monotonic()
    time.sleep(seconds)
    used, elapsed = cpu_seconds(version, cpu_path) - before, time.monotonic() - started
    share = cpus(version, cpu_path)
    json.dump({
        "cpu_percent": round(100.0 * used / (elapsed * share), 1),
        "memory_percent": round(memory_percent(version, memory_path), 1),
        "cpus": share,
        "source": "cgroup v%d %s" % (version, cpu_path) if cpu_path != "/" else "/proc (the whole system)",
    }, sys.stdout)


if __name__ == "__main__":
    main()
