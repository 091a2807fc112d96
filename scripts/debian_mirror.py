"""Print the Debian mirror that this host's own apt sources use.

Usage: debian_mirror.py main|security

The test images are debootstrapped from the same mirror the host already trusts, so no host
name is written into the repository.
"""

import glob
import sys


def _deb822_entries(text):
    for stanza in text.split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if ":" in line and not line.startswith((" ", "#")):
                key, _, value = line.partition(":")
                fields[key.strip().lower()] = value.split()
        for uri in fields.get("uris", []):
            yield uri, fields.get("suites", [])


def _one_line_entries(text):
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 3 and words[0] == "deb":
            rest = [w for w in words[1:] if not w.startswith("[")]
            if len(rest) >= 2:
                yield rest[0], [rest[1]]


def entries():
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        with open(path, encoding="utf-8") as handle:
            yield from _deb822_entries(handle.read())
    for path in ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]:
        try:
            with open(path, encoding="utf-8") as handle:
                yield from _one_line_entries(handle.read())
        except FileNotFoundError:
            continue


def main(kind):
    for uri, suites in entries():
        security = any(s.endswith("-security") or s.endswith("/updates") for s in suites)
        debian = "debian" in uri
        if debian and security == (kind == "security"):
            print(uri.rstrip("/"))
            return 0
    print(f"no Debian {kind} mirror found in /etc/apt/sources*", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "main"))
