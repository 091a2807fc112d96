# State probe (plugins/filter/fleet_probe.py): the app's socket and service units, each read for
# both properties the role enforces (enabled, running).
def probe(args):
    return {"units": unit_states(*args["units"])}
