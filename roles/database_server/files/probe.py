# State probe (plugins/filter/fleet_probe.py): PostgreSQL's packages, the cluster (version,
# port, online), its units, and, when it runs, the app's login role (attributes and SCRAM
# verifier, compared with the password on the controller), the app's database (owner,
# encoding) and the settings waiting for a restart. Runs as root; queries as postgres.
_SQL = """
select json_build_object(
  'role', (select json_build_object('login', rolcanlogin, 'superuser', rolsuper, 'createdb', rolcreatedb,
                                    'createrole', rolcreaterole, 'password', rolpassword)
           from pg_authid where rolname = :'app_user'),
  'database', (select json_build_object('owner', pg_get_userbyid(datdba), 'encoding', pg_encoding_to_char(encoding))
               from pg_database where datname = :'app_database'),
  'pending_restart', (select coalesce(json_agg(name order by name), '[]') from pg_settings where pending_restart))
"""


def probe(args):
    state = {"packages": package_states(*args["packages"]), "cluster": None, "units": {}, "server": None}
    clusters = []
    for line in output("pg_lsclusters", "--no-header").splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[1] == args["cluster"]:
            clusters.append({"version": fields[0], "port": int(fields[2]), "online": fields[3].startswith("online")})
    if not clusters:
        return state
    cluster = max(clusters, key=lambda c: float(c["version"]))
    state["cluster"] = cluster
    state["units"] = unit_states("postgresql.service", "postgresql@%s-%s.service" % (cluster["version"], args["cluster"]))
    if cluster["online"]:
        status, out, err = run(
            "runuser", "-u", "postgres", "--", "psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-p", str(cluster["port"]),
            "-d", "postgres", "-v", "app_user=" + args["app_user"], "-v", "app_database=" + args["app_database"],
            input=_SQL, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/var/lib/postgresql", "PGTZ": "UTC"},
        )
        if status != 0:
            raise RuntimeError("psql: " + (err.strip() or "exit %d" % status))
        state["server"] = json.loads(out)
    return state
