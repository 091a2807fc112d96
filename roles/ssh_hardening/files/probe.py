# State probe (plugins/filter/fleet_probe.py) of ssh_hardening; reads, changing nothing but
# /run/sshd (which sshd -T needs, created as ssh.service would create it):
#   openssh    the openssh-server package's state (dpkg's word) and its OpenSSH version ("" when none)
#   supported  what that OpenSSH supports, per `ssh -Q` query (kex, cipher, mac, key-sig)
#   login      the connecting user (SUDO_USER, else this process's user), its groups, and
#              whether the account that logged in over SSH is root
#   host_keys  each host key type found in /etc/ssh (any ssh_host_TYPE_key, .pub or -cert.pub):
#              the key's size, 0 where the private key or its public half is missing or empty
#   moduli_weak  group-exchange moduli under args.dh_min_bits (None when /etc/ssh/moduli is unreadable)
#   effective  `sshd -T` (drop-ins included) globally and with -C for root and the connecting user,
#              parsed into the keys the role checks (args.effective_keys); "unreadable", with
#              effective_error, when sshd refuses the current configuration (or is not installed)
# args.read == "effective" reads only login and effective (the check after a change); "units"
# only units, the ssh.service and ssh.socket states (the handler, when it applies a change).
import glob
import re

SSHD = "/usr/sbin/sshd"


def _login():
    user = os.environ.get("SUDO_USER") or pwd.getpwuid(os.getuid()).pw_name
    try:
        entry = pwd.getpwnam(user)
        groups = sorted({grp.getgrgid(gid).gr_name for gid in os.getgrouplist(user, entry.pw_gid)})
    except KeyError:
        groups = []
    return {"user": user, "groups": groups, "root_over_ssh": _ssh_login_uid() == 0}


def _ssh_login_uid():
    """Real uid of the nearest process, this one or an ancestor, whose environment has
    SSH_CONNECTION: the account that logged in over SSH (sudo drops the variable, so under
    become it is found on sudo itself or on its parent). None when none has it."""
    pid = os.getpid()
    while pid > 1:
        try:
            with open("/proc/%d/environ" % pid, "rb") as handle:
                environ = handle.read().split(b"\0")
            with open("/proc/%d/status" % pid) as handle:
                status = dict(line.partition(":")[::2] for line in handle.read().splitlines())
        except OSError:
            return None
        if any(item.startswith(b"SSH_CONNECTION=") for item in environ):
            return int(status["Uid"].split()[0])
        pid = int(status["PPid"].strip())
    return None


def _start(*argv):
    """A command started now and read by _finish later: the probe's commands run side by side."""
    try:
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except FileNotFoundError as err:
        return err


def _finish(started):
    """(exit status, stdout, stderr) of a command from _start; a missing program is status 127."""
    if isinstance(started, Exception):
        return 127, "", str(started)
    out, err = started.communicate()
    return started.returncode, out, err


def _start_effective(args, user):
    """Context -> its sshd -T, started; or the reason why sshd -T cannot run."""
    if not os.path.exists(SSHD):
        return "%s is not installed" % SSHD
    try:
        if not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd", mode=0o755)
    except OSError as err:
        return "cannot create /run/sshd: %s" % err
    started = {"global": _start(SSHD, "-T")}
    for context in sorted({"user=root", "user=" + user}):
        started[context] = _start(SSHD, "-T", "-C", "%s,host=ssh-hardening-check,addr=%s" % (context, args["check_addr"]))
    return started


def _effective(args, started):
    """(effective, effective_error) from _start_effective's commands."""
    if isinstance(started, str):
        return "unreadable", started
    keys = set(args["effective_keys"])
    effective, error = {}, ""
    for context, command in started.items():
        status, out, err = _finish(command)
        if status != 0:
            error = error or (err.strip() or "sshd -T exited with %d" % status)[-800:]
            continue
        settings = effective[context] = {}
        for line in out.splitlines():
            key, _, value = line.partition(" ")
            if key in keys:
                settings.setdefault(key, []).append(value)
    return ("unreadable", error) if error else (effective, "")


def _host_key_files():
    """Host key type -> its private key, when it and its public half are non-empty, else None:
    every type of which /etc/ssh has a ssh_host_TYPE_key, .pub or -cert.pub."""
    types = set()
    for pattern in ("ssh_host_*_key", "ssh_host_*_key.pub", "ssh_host_*_key-cert.pub"):
        for path in glob.glob("/etc/ssh/" + pattern):
            # The type as the key task takes it: up to the first "_key".
            types.add(os.path.basename(path)[len("ssh_host_"):].split("_key")[0])
    files = {}
    for key_type in sorted(types):
        key = "/etc/ssh/ssh_host_%s_key" % key_type
        usable = all(os.path.isfile(path) and os.path.getsize(path) > 0 for path in (key, key + ".pub"))
        files[key_type] = key if usable else None
    return files


def _bits(started):
    """A key's size from its ssh-keygen -l, as the role's key task reads it; 0 when unreadable."""
    if started is None:
        return 0
    status, out, _err = _finish(started)
    words = out.split()
    return int(words[0]) if status == 0 and words and words[0].isdigit() else 0


def _moduli_weak(min_bits):
    """Lines of /etc/ssh/moduli the role's key task removes: not a comment or blank, and a size
    field (size - 1) under min_bits - 1, as awk reads it (no number is 0)."""
    try:
        with open("/etc/ssh/moduli") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    weak = 0
    for line in lines:
        if re.match(r"^\s*(#|$)", line):
            continue
        fields = line.split()
        size = re.match(r"[0-9]*", fields[4]).group() if len(fields) > 4 else ""
        if int(size or 0) + 1 < int(min_bits):
            weak += 1
    return weak


QUERIES = ["kex", "cipher", "mac", "key-sig"]


def probe(args):
    if args.get("read") == "units":
        return {"units": unit_states(args["service"], args["socket"])}
    login = _login()
    effective_started = _start_effective(args, login["user"])
    if args.get("read") == "effective":
        effective, error = _effective(args, effective_started)
        return {"login": login, "effective": effective, "effective_error": error}
    package = _start("dpkg-query", "--show", "--showformat=${db:Status-Status} ${Version}", "openssh-server")
    queries = {query: _start("ssh", "-Q", query) for query in QUERIES}
    keys = {key_type: key and _start("ssh-keygen", "-l", "-f", key) for key_type, key in _host_key_files().items()}
    moduli_weak = _moduli_weak(args["dh_min_bits"])
    effective, error = _effective(args, effective_started)
    status, out, _err = _finish(package)
    package_state, _, package_version = out.partition(" ") if status == 0 else ("not-installed", "", "")
    # 1:9.2p1-2+deb12u3 -> 9.2
    version = re.match(r"^([0-9]+:)?([0-9]+\.[0-9]+)?", package_version).group(2) or ""
    return {
        "login": login,
        "effective": effective,
        "effective_error": error,
        "openssh": {"package": package_state or "not-installed", "version": version},
        "supported": {query: _finish(command)[1].split() for query, command in queries.items()},
        "host_keys": {key_type: _bits(command) for key_type, command in keys.items()},
        "moduli_weak": moduli_weak,
    }
