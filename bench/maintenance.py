#!/usr/bin/env python3
"""Benchmark: the monthly runbook's own cost per app server.

Builds a fleet like molecule/maintenance's (HAProxy, N app servers, PostgreSQL, the test apt
repository, moto_server and the SMTP sink on loopback) for each N in BENCH_HOSTS (default
"3 6"), runs the runbook twice (real upgrades with one reboot, then a new run id with nothing
left to upgrade) and prints, per run and host:

  - the host's cycle: from the end of the host before it to its own end, so Ansible's own time
    between hosts is in it (the first host's cycle starts at its drain);
  - the overhead: the cycle less the package upgrade and the reboot themselves, split into
    drain, restarts, deploy, health, back in service, soak and Ansible's own time outside the
    phases; the soaks are the role's defaults (the canary 20 s, every later host 5 s) unless
    BENCH_SOAK sets both;
  - the fixed cost: the run's wall time less the hosts' cycles (window guard, validation,
    pre-flight, snapshot, the database server, the report);
  - a projection for 10 app servers and the database from the first run: fixed + the canary's
    cycle + 9 x the median cycle of the hosts after it, and fixed + 10 x the slowest cycle, as if
    every host rebooted and soaked as long as the canary.

Goals: under 15 s of overhead per host; 10 hosts and the database in under 30 minutes. Run as
root on the test machine, with nothing else running:

    .venv/bin/python bench/maintenance.py            # or BENCH_HOSTS="3" ...
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "molecule" / "maintenance"
VENV_BIN = ROOT / ".venv" / "bin"
# Apart from every scenario's subnet, so that a scenario left running never collides with it.
NET = "172.29.85"
SOAK = os.environ.get("BENCH_SOAK")
MOTO_PORT, SMTP_PORT = "5085", "2555"


def inventory(count, work):
    """The scenario's group variables with this bench's addresses, names and count."""
    molecule = yaml.safe_load((SCENARIO / "molecule.yml").read_text())
    group_vars = json.loads(json.dumps(molecule["provisioner"]["inventory"]["group_vars"])
                            .replace("${MOLECULE_EPHEMERAL_DIRECTORY}", str(work))
                            .replace("$${", "${")
                            .replace("172.29.80.", NET + ".")
                            .replace("127.0.0.1:5075", "127.0.0.1:" + MOTO_PORT))
    apps = {f"bench-app{i}": {"ansible_host": f"{NET}.{10 + i}", "lb_test_name": f"app{i}.mnt.test",
                              "test_apt_client_packages": ["fleet-demo-lib", "fleet-demo-tool"]
                              + (["fleet-demo-kernel-flag"] if i == 1 else [])}
            for i in range(1, count + 1)}
    # The scenario shortens the soaks; the bench measures the role's own unless told otherwise.
    for name in ("maintenance_app_server_canary_soak_seconds", "maintenance_app_server_soak_seconds"):
        if SOAK:
            group_vars["all"][name] = int(SOAK)
        else:
            group_vars["all"].pop(name, None)
    group_vars["load_balancers"]["load_balancer_backends"] = [
        {"name": name, "address": spec["ansible_host"], "sni": spec["lb_test_name"]} for name, spec in apps.items()]
    ssh = {"ansible_connection": "ssh", "ansible_user": "admin",
           "ansible_ssh_private_key_file": str(ROOT / ".fleet" / "ssh" / "id_ed25519"),
           "ansible_ssh_common_args": "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ControlPath=/tmp/bssh-%C"}
    docker = {"ansible_connection": "community.docker.docker"}
    fleet = {
        "app_servers": {"hosts": {n: {**ssh, **s} for n, s in apps.items()}, "vars": group_vars["app_servers"]},
        "load_balancers": {"hosts": {"bench-lb": {**ssh, "ansible_host": NET + ".20"}}, "vars": group_vars["load_balancers"]},
        "database_servers": {"hosts": {"bench-db": {**ssh, "ansible_host": NET + ".30"}}, "vars": group_vars["database_servers"]},
        "test_apt_repos": {"hosts": {"bench-repo": {**docker, "fleet_address": NET + ".40"}}, "vars": group_vars["test_apt_repos"]},
        "test_clients": {"hosts": {"bench-client": {**docker, "fleet_address": NET + ".100"}}},
    }
    data = {"all": {"vars": group_vars["all"], "children": {"fleet": {"children": fleet}}}}
    path = work / "inventory.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    # The containers, in the platform format of Molecule's shared create and destroy playbooks.
    # The docker connection reaches a container by its name, so those hosts keep their address apart.
    addresses = {name: spec.get("fleet_address", spec.get("ansible_host")) for group in fleet.values()
                 for name, spec in group["hosts"].items()}
    platforms = [{"name": name, "image": "fleet-systemd:debian12", "networks": [{"name": "bench-mnt-net", "ipv4_address": address}]}
                 for name, address in addresses.items()]
    platforms[0]["docker_networks"] = [{"name": "bench-mnt-net", "subnet": NET + ".0/24", "gateway": NET + ".1"}]
    (work / "platforms.json").write_text(json.dumps({"molecule_yml": {"platforms": platforms}}))
    return path, list(apps)


def playbook(inv, work, *args, log=None):
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "MOLECULE_PROJECT_DIRECTORY": str(ROOT),
           "MOLECULE_EPHEMERAL_DIRECTORY": str(work), "MOLECULE_SCENARIO_DIRECTORY": str(SCENARIO),
           "MNT_MOTO_PORT": MOTO_PORT, "MNT_SMTP_PORT": SMTP_PORT, "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
           "ANSIBLE_HOST_KEY_CHECKING": "False",
           "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks,ansible.posix.timer"}
    started = time.monotonic()
    done = subprocess.run([str(VENV_BIN / "ansible-playbook"), "-i", str(inv), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if log:
        # Ansible's own output with each task's time, to see where a host's cycle goes.
        (work / log).write_text(done.stdout)
    if done.returncode != 0:
        sys.exit(f"ansible-playbook {' '.join(args)} failed (exit {done.returncode}):\n{(done.stdout or '')[-4000:]}")
    return time.monotonic() - started


def newest_report(work):
    return json.loads(sorted((work / "reports").glob("*/*/report.json"))[-1].read_text())


def moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def host_cycles(report):
    """Host -> its cycle in seconds and its phases. A host's cycle runs from the end of the host
    before it to its own end, so that it holds Ansible's own time between hosts too; the first
    host's starts at its drain (what Ansible does before is counted in the fixed cost)."""
    hosts = [(name, host) for name, host in report["hosts"].items() if host.get("finished")]
    hosts.sort(key=lambda item: moment(item[1]["finished"]))
    found, previous = {}, None
    for name, host in hosts:
        start = previous if previous is not None else moment(host["drain_started"])
        found[name] = ((moment(host["finished"]) - start).total_seconds(), {k: float(v) for k, v in host["phases"].items()})
        previous = moment(host["finished"])
    return found


def overhead(cycle, phases):
    """Seconds beyond the package upgrade and the reboot themselves."""
    return cycle - phases.get("upgrade", 0.0) - phases.get("reboot", 0.0)


def print_run(label, wall, report):
    cycles = host_cycles(report)
    print(f"  {label}: {wall:.1f} s wall")
    for name, (cycle, phases) in cycles.items():
        other = cycle - sum(phases.values())
        print(f"    {name}: {cycle:.1f} s = upgrade {phases.get('upgrade', 0):.1f} + reboot {phases.get('reboot', 0):.1f}"
              f" + overhead {overhead(cycle, phases):.1f} (drain {phases.get('drain', 0):.1f}, restarts"
              f" {phases.get('restart', 0):.1f}, deploy {phases.get('deploy', 0):.1f}, health {phases.get('health', 0):.1f},"
              f" back in service {phases.get('enable', 0):.1f}, soak {phases.get('soak', 0):.1f}, Ansible's own {other:.1f})")
    canary, *later = cycles.values()
    later = later or [canary]
    median_overhead = statistics.median(overhead(c, p) for c, p in later)
    median_soak = statistics.median(p.get("soak", 0.0) for _, p in later)
    fixed = wall - sum(c for c, _ in cycles.values())
    print(f"    median overhead per host after the canary {median_overhead:.1f} s (goal under 15 s), of which soak"
          f" {median_soak:.1f} s; the canary's {overhead(*canary):.1f} s, of which soak {canary[1].get('soak', 0):.1f} s;"
          f" fixed cost (checks, pre-flight, snapshot, database, report) {fixed:.1f} s")
    print(f"    mean overhead per host of a 10-host run (the canary and 9 like the median):"
          f" {(overhead(*canary) + 9 * median_overhead) / 10:.1f} s")
    return fixed, canary[0], statistics.median(c for c, _ in later), max(c for c, _ in cycles.values())


def bench(count):
    # The reasons go as JSON: key=value would end each at its first space, and give both runs one run id.
    work = Path(tempfile.mkdtemp(prefix="bench-maintenance-"))
    inv, _apps = inventory(count, work)
    try:
        built = playbook(inv, work, str(ROOT / "molecule" / "_shared" / "create.yml"), "-e", f"@{work / 'platforms.json'}")
        built += playbook(inv, work, str(SCENARIO / "prepare.yml"))
        soaks = f"soaks {SOAK} s" if SOAK else "the role's soaks: canary 20 s, later hosts 5 s"
        print(f"{count} app servers ({soaks}), fleet built in {built:.0f} s")
        first = playbook(inv, work, "playbooks/maintenance.yml", "-e", json.dumps({"maintenance_window_override_reason": "bench first run"}), log="run1.log")
        fixed, canary, cycle, slowest = print_run("run 1, real upgrades from the test repository, app1 reboots", first, newest_report(work))
        second = playbook(inv, work, "playbooks/maintenance.yml", "-e", json.dumps({"maintenance_window_override_reason": "bench second run"}), log="run2.log")
        print_run("run 2, a new run id with nothing left to upgrade", second, newest_report(work))
        print(f"  each run's output, with every task's time: {work}/run1.log, run2.log")
        for label, total, sum_text in (
                ("the canary and 9 median hosts", fixed + canary + 9 * cycle, f"{fixed:.0f} + {canary:.1f} + 9 x {cycle:.1f}"),
                ("every host like the slowest", fixed + 10 * slowest, f"{fixed:.0f} + 10 x {slowest:.1f}")):
            print(f"  projection, 10 app servers and the database, {label} of run 1: {sum_text} ="
                  f" {total:.0f} s ({total / 60:.1f} min; goal under 30 min of the 120-minute window)")
    finally:
        subprocess.run([str(VENV_BIN / "ansible-playbook"), "-i", str(inv), str(ROOT / "molecule" / "_shared" / "destroy.yml"),
                        "-e", f"@{work / 'platforms.json'}"], cwd=ROOT, capture_output=True,
                       env={**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")})
        subprocess.run([str(ROOT / "scripts" / "local_services.sh"), "stop"], capture_output=True,
                       env={**os.environ, "FLEET_STATE": str(work / "state")})


def main():
    subprocess.run([str(ROOT / "scripts" / "setup")], check=True, stdout=subprocess.DEVNULL)
    for count in [int(n) for n in os.environ.get("BENCH_HOSTS", "3 6").split()]:
        bench(count)


if __name__ == "__main__":
    main()
