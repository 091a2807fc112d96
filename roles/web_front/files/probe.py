# State probe (plugins/filter/fleet_probe.py): whether nginx is installed and which version (the
# http2 syntax depends on it), whether nginx.service is enabled and running (both enforced), and
# whether the served key pair exists (nginx -t needs it).
def probe(args):
    status, version = (output("dpkg-query", "--show", "--showformat=${db:Status-Status} ${Version}", "nginx")
                       .partition(" ")[::2])
    return {
        "package": status or "not-installed",
        "version": version if status == "installed" else "",
        "unit": unit_states("nginx.service")["nginx.service"],
        "tls_files": {path: os.path.exists(path) for path in args["tls_files"]},
    }
