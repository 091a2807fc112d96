# State probe (plugins/filter/fleet_probe.py), run without privilege escalation so that it sees
# this connection's own account and SSH_CONNECTION.


def probe(args):
    user = pwd.getpwuid(os.getuid()).pw_name
    return {
        "login_user": user,
        "login_groups": output("id", "-nG").split(),
        "ssh_source": os.environ.get("SSH_CONNECTION", "").partition(" ")[0],
    }
