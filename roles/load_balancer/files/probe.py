# State probe (plugins/filter/fleet_probe.py): whether haproxy, socat and ca-certificates are
# installed, whether haproxy.service is enabled and running (both enforced), and whether the
# backend CA file exists (haproxy -c reads it when the configuration is checked).
def probe(args):
    return {
        "packages": package_states(*args["packages"]),
        "unit": unit_states("haproxy.service")["haproxy.service"],
        "ca_file": os.path.exists(args["ca_file"]),
    }
