# State probe (plugins/filter/fleet_probe.py): the installed version of each package the role
# installs (or "" when it is not installed), and the suites whose package lists apt holds for
# the repository as the repository serves them now (its Release file, compared byte for byte
# with apt's copy, and the Packages index of this host's architecture present).
import urllib.request

_QUOTED = '\\|{}[]<>"^~_=!@#$%^&*'


def _list_name(uri):
    """apt's file name in /var/lib/apt/lists for URI (apt-pkg's URItoFileName)."""
    rest = uri.split("://", 1)[1]
    host, _, path = rest.partition("/")
    host = host.rpartition("@")[2]
    quoted = "".join("%%%02x" % ord(c) if c in _QUOTED or ord(c) <= 0x20 or ord(c) >= 0x7F else c
                     for c in host + "/" + path)
    return "/var/lib/apt/lists/" + quoted.replace("/", "_")


def _fetch(url):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as answer:
            return answer.read()
    except OSError:
        return None


def probe(args):
    packages = dict.fromkeys(args["packages"], "")
    if packages:
        _status, out, _err = run("dpkg-query", "--show", "--showformat=${Package} ${db:Status-Status} ${Version}\n",
                                 *packages)
        for line in out.splitlines():
            name, state, version = (line.split(" ") + ["", ""])[:3]
            if name in packages and state == "installed":
                packages[name] = version
    arch = output("dpkg", "--print-architecture")
    current = []
    for suite in args["suites"]:
        release_url = "%sdists/%s/Release" % (args["url"], suite)
        local = read_text(_list_name(release_url))
        index = _list_name("%sdists/%s/main/binary-%s/Packages" % (args["url"], suite, arch))
        remote = _fetch(release_url)
        if local is not None and remote is not None and local.encode() == remote and os.path.exists(index):
            current.append(suite)
    return {"packages": packages, "current_suites": current}
