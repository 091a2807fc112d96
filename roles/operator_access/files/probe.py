# State probe (plugins/filter/fleet_probe.py) of the accounts operator_access acts on. Arguments:
# "users" (names the role manages), "groups", "sudoers_dir" and "sudoers_keep". Reads
# /etc/shadow itself: the spwd module is gone from Python 3.13 (Debian 13).


def shadow_fields():
    fields = {}
    with open("/etc/shadow", encoding="utf-8") as shadow:
        for line in shadow:
            parts = line.rstrip("\n").split(":")
            if len(parts) > 1:
                fields[parts[0]] = parts[1]
    return fields


def account(entry, shadow):
    primary = grp.getgrgid(entry.pw_gid).gr_name
    supplementary = sorted(g.gr_name for g in grp.getgrall() if entry.pw_name in g.gr_mem and g.gr_name != primary)
    return {
        "gecos": entry.pw_gecos,
        "shell": entry.pw_shell,
        "home": entry.pw_dir,
        "home_exists": os.path.isdir(entry.pw_dir),
        "password": shadow.get(entry.pw_name, ""),
        "primary_group": primary,
        "groups": supplementary,
    }


def probe(args):
    shadow = shadow_fields()
    users = {}
    for name in args["users"]:
        try:
            users[name] = account(pwd.getpwnam(name), shadow)
        except KeyError:
            pass
    group_names = {g.gr_name for g in grp.getgrall()}
    sudoers_dir = args["sudoers_dir"]
    others = sorted(
        os.path.join(sudoers_dir, name)
        for name in (os.listdir(sudoers_dir) if os.path.isdir(sudoers_dir) else [])
        if name not in args["sudoers_keep"]
    )
    try:
        sudo_members = grp.getgrnam("sudo").gr_mem
    except KeyError:
        sudo_members = []
    return {
        "users": users,
        "missing_groups": [g for g in args["groups"] if g not in group_names],
        "usable_passwords": sorted(name for name, field in shadow.items() if field.startswith("$")),
        "other_sudoers": others,
        "sudo_members": sudo_members,
        # Who this connection is: the handover compares it with the admin it hands over to.
        "login_user": os.environ.get("SUDO_USER") or pwd.getpwuid(os.getuid()).pw_name,
    }
