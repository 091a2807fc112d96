# State probe (plugins/filter/fleet_probe.py): whether unattended-upgrades is installed, and
# each apt-daily timer's unit file state and active state, both of which the role enforces.
def probe(args):
    return {
        "package": package_states("unattended-upgrades")["unattended-upgrades"],
        "timers": unit_states(*args["timers"]),
    }
