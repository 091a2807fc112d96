# State probe (plugins/filter/fleet_probe.py): what the role enforces and what it removes. The
# boto3 package; the timer's and the service's unit file state and active state; whether each
# file the role writes exists (their content, mode and owner are config_files' to compare).
def probe(args):
    units = unit_states(args["timer"], args["service"])
    return {
        "package": package_states(args["package"])[args["package"]],
        "timer": units[args["timer"]],
        "service": units[args["service"]],
        "paths": {path: os.path.lexists(path) for path in args["paths"]},
    }
