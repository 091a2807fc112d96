#!/usr/bin/python3
"""One HAProxy backend server through the runtime API, as the maintenance runbook needs it.
Run on the load balancer as root. Prints one JSON object.

  haproxy_member.py SOCKET BACKEND SERVER state
  haproxy_member.py SOCKET BACKEND SERVER drain  TIMEOUT [--arm SECONDS]
                                        drain, wait until sessions and queue are 0; with --arm,
                                        first arm the undrain timer (below)
  haproxy_member.py SOCKET BACKEND SERVER ready  TIMEOUT [--disarm]
                                        back in service, wait until health checks say UP; with
                                        --disarm, then stop the undrain timer
  haproxy_member.py SOCKET BACKEND SERVER maint            out of rotation (a failed host stays there)
  haproxy_member.py SOCKET BACKEND - capacity [SETTLE]    every server's status, and how many are UP; with
                                                           SETTLE, first wait up to SETTLE seconds while a
                                                           server's health checks are in transition
  haproxy_member.py SOCKET BACKEND SERVER arm SECONDS      a transient systemd timer that puts SERVER
                                                           back after SECONDS (a dead man's switch)
  haproxy_member.py SOCKET BACKEND SERVER disarm           stop that timer
  haproxy_member.py SOCKET BACKEND - restore              put back now every server whose timer is
                                                           pending (a stopped run drained it)

Waits are bounded: a server that is already DOWN or in MAINT has nothing to drain and does not
make the drain wait; sessions that never reach 0 (long-lived or sticky) end the wait at TIMEOUT,
reported as such.
"""

import json
import re
import socket
import subprocess
import sys
import time


def ask(path, command):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(path)
        sock.sendall(command.encode() + b"\n")
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks).decode()


_RESPONSES = ("hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other")


def rows(path, backend):
    """svname -> `show stat` row of BACKEND (its servers, and BACKEND itself)."""
    lines = ask(path, "show stat").splitlines()
    header = lines[0].lstrip("# ").split(",")
    return {row["svname"]: row for row in (dict(zip(header, line.split(","))) for line in lines[1:])
            if row.get("pxname") == backend}


def counters(row):
    return {
        "status": row["status"],
        "scur": int(row["scur"] or 0),
        "qcur": int(row["qcur"] or 0),
        "check_status": row.get("check_status", ""),
        "last_change": int(row.get("lastchg") or 0),
        # Responses so far, for an error rate over an interval.
        "responses": sum(int(row.get(name) or 0) for name in _RESPONSES),
        "responses_5xx": int(row.get("hrsp_5xx") or 0),
    }


def servers(path, backend):
    """Server name -> counters() of each server in BACKEND."""
    return {name: counters(row) for name, row in rows(path, backend).items() if name not in ("FRONTEND", "BACKEND")}


def one(path, backend, server):
    found = servers(path, backend)
    if server not in found:
        raise LookupError("HAProxy backend %r has no server %r (it has %s)" % (backend, server, ", ".join(sorted(found)) or "none"))
    return found[server]


def set_state(path, backend, server, state):
    answer = ask(path, "set server %s/%s state %s" % (backend, server, state)).strip()
    if answer:
        raise RuntimeError("HAProxy refused 'set server %s/%s state %s': %s" % (backend, server, state, answer))


def wait(path, backend, server, done, timeout):
    started = time.monotonic()
    while True:
        now = one(path, backend, server)
        if done(now) or time.monotonic() - started >= timeout:
            return now, round(time.monotonic() - started, 1), done(now)
        time.sleep(0.25)


# A status with a check count ("UP 1/3" going down, "DOWN 1/2" coming up) is a member whose
# health checks are between two states: one failed or passed check, not yet a verdict.
_IN_TRANSITION = re.compile(r"\s\d+/\d+$")


def capacity(path, backend, settle):
    """Every server's counters and which are UP, read once the health checks have settled (no
    server in transition) or SETTLE seconds have passed."""
    started = time.monotonic()
    while True:
        found = rows(path, backend)
        members = {name: counters(row) for name, row in found.items() if name not in ("FRONTEND", "BACKEND")}
        moving = sorted(n for n, s in members.items() if _IN_TRANSITION.search(s["status"]))
        if not moving or time.monotonic() - started >= settle:
            break
        time.sleep(0.5)
    return {"servers": members, "backend": counters(found["BACKEND"]) if "BACKEND" in found else {},
            "up": sorted(n for n, s in members.items() if s["status"].startswith("UP")),
            "in_transition": moving, "waited": round(time.monotonic() - started, 1)}


def undrain_unit(server):
    return "fleet-undrain-" + re.sub(r"[^A-Za-z0-9_.-]", "_", server)


def disarm(server):
    """True when a pending undrain timer was stopped."""
    unit = undrain_unit(server)
    active = subprocess.run(["systemctl", "is-active", "--quiet", unit + ".timer"], check=False).returncode == 0
    subprocess.run(["systemctl", "stop", unit + ".timer"], check=False, capture_output=True)
    subprocess.run(["systemctl", "reset-failed", unit + ".service", unit + ".timer"], check=False, capture_output=True)
    return active


def arm(path, backend, server, seconds):
    # The timer outlives this run: should the controller vanish, the load balancer puts the
    # member back itself, and its health checks still keep traffic away until it answers.
    disarm(server)
    subprocess.run(["systemd-run", "--quiet", "--collect", "--unit=" + undrain_unit(server),
                    "--description=Put %s back in service unless the maintenance run does" % server,
                    "--on-active=%d" % seconds, "--timer-property=AccuracySec=1s",
                    sys.executable, __file__, path, backend, server, "ready", "0"],
                   check=True, capture_output=True, text=True)
    return {"server": server, "armed": undrain_unit(server) + ".timer", "seconds": seconds}


def pending_timers():
    done = subprocess.run(["systemctl", "list-units", "--plain", "--no-legend", "--state=active", "fleet-undrain-*.timer"],
                          check=True, capture_output=True, text=True)
    return {line.split()[0].removesuffix(".timer") for line in done.stdout.splitlines() if line.strip()}


def restore(path, backend):
    """Servers a stopped run left drained (their timer still pending), put back now; a server in
    maintenance without a timer (a failed host, or an operator's) is left as it is."""
    pending = pending_timers()
    restored = []
    for server in sorted(servers(path, backend)):
        if undrain_unit(server) in pending:
            set_state(path, backend, server, "ready")
            disarm(server)
            restored.append(server)
    return {"restored": restored}


def main():
    path, backend, server, action = sys.argv[1:5]
    if action == "restore":
        return restore(path, backend)
    if action == "disarm":
        return {"server": server, "disarmed": disarm(server)}
    if action == "arm":
        return arm(path, backend, server, int(sys.argv[5]))
    if action == "capacity":
        return capacity(path, backend, float(sys.argv[5]) if len(sys.argv) > 5 else 0.0)
    before = one(path, backend, server)
    if action == "state":
        return {"server": server, "state": before}
    if action == "maint":
        set_state(path, backend, server, "maint")
        return {"server": server, "before": before, "after": one(path, backend, server)}
    timeout = float(sys.argv[5])
    # One call per step: each call is a round trip from the controller, paid on every host.
    options = sys.argv[6:]
    if options and not (action == "drain" and len(options) == 2 and options[0] == "--arm"
                        or action == "ready" and options == ["--disarm"]):
        raise ValueError("unknown options for %s: %s" % (action, " ".join(options)))
    if action == "drain":
        armed = arm(path, backend, server, int(options[1])) if options[:1] == ["--arm"] else None
        set_state(path, backend, server, "drain")
        if not before["status"].startswith("UP"):
            # Down or in maintenance already: no traffic to wait for.
            return {"server": server, "before": before, "after": one(path, backend, server), "waited": 0, "drained": True,
                    "armed": armed, "note": "was %s: nothing to drain" % before["status"]}
        after, waited, drained = wait(path, backend, server, lambda s: s["scur"] == 0 and s["qcur"] == 0, timeout)
        note = "" if drained else "sessions did not reach 0 within %g s (%d left); continued" % (timeout, after["scur"])
        return {"server": server, "before": before, "after": after, "waited": waited, "drained": drained, "armed": armed, "note": note}
    if action == "ready":
        set_state(path, backend, server, "ready")
        after, waited, up = wait(path, backend, server, lambda s: s["status"].startswith("UP"), timeout)
        if not up:
            raise RuntimeError("%s/%s is back in rotation but its health checks did not pass within %g s (status %s, check %s)"
                               % (backend, server, timeout, after["status"], after["check_status"]))
        # Only once the member is up: until then the timer stays the run's safety net.
        disarmed = disarm(server) if options == ["--disarm"] else None
        return {"server": server, "before": before, "after": after, "waited": waited, "disarmed": disarmed}
    raise ValueError("unknown action %r" % action)


if __name__ == "__main__":
    try:
        json.dump(main(), sys.stdout)
    except subprocess.CalledProcessError as err:
        json.dump({"failed": True, "msg": "%s: %s" % (" ".join(err.cmd[:2]), (err.stderr or "").strip())}, sys.stdout)
        sys.exit(1)
    except (OSError, LookupError, RuntimeError, ValueError) as err:
        json.dump({"failed": True, "msg": str(err)}, sys.stdout)
        sys.exit(1)
