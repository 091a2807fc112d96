# State probe (plugins/filter/fleet_probe.py), run on the controller: whether the account exists,
# what each path the services use is (its type and mode, never a file's content), and each timer's
# unit file state and active state, both of which the role enforces.
def probe(args):
    try:
        pwd.getpwnam(args["user"])
        user_exists = True
    except KeyError:
        user_exists = False
    paths = {}
    for key, path in args["paths"].items():
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            paths[key] = {"exists": False}
            continue
        regular = stat.S_ISREG(info.st_mode)
        paths[key] = {
            "exists": True,
            "isreg": regular,
            "isdir": stat.S_ISDIR(info.st_mode),
            "executable": regular and os.access(path, os.X_OK),
            "mode": "%04o" % stat.S_IMODE(info.st_mode),
        }
    return {"user_exists": user_exists, "paths": paths, "timers": unit_states(*args["timers"])}
