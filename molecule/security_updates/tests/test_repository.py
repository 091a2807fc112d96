"""The test repository as apt on the app server sees it: two suites of origin FleetTest, only one
of them a security origin, pinned below Debian, reached directly."""

import time

from conftest import APP_ADDRESS, OTHER_UPDATE, REPO_URL, SECURITY_UPDATES


def release(app, suite):
    text = app.check_output(f"curl -fsS {REPO_URL}dists/{suite}/Release")
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line and not line.startswith(" "))


def test_the_security_suite_has_the_security_label(app):
    fields = release(app, "fleet-security")
    assert {k: fields[k] for k in ("Origin", "Label", "Suite", "Codename")} == {
        "Origin": "FleetTest", "Label": "FleetTest-Security", "Suite": "fleet-security", "Codename": "fleet-security",
    }


def test_the_updates_suite_is_not_a_security_origin(app):
    fields = release(app, "fleet-updates")
    assert {k: fields[k] for k in ("Origin", "Label", "Suite", "Codename")} == {
        "Origin": "FleetTest", "Label": "FleetTest", "Suite": "fleet-updates", "Codename": "fleet-updates",
    }


def test_the_fleet_creation_versions_were_installed(between_windows):
    assert between_windows["before"]["versions"] == dict.fromkeys(SECURITY_UPDATES + (OTHER_UPDATE,), "1.0")


def test_each_newer_version_comes_from_its_suite_at_the_pinned_priority(app):
    for package, suite in [*((p, "fleet-security") for p in SECURITY_UPDATES), (OTHER_UPDATE, "fleet-updates")]:
        policy = app.check_output(f"apt-cache policy {package}")
        assert f"1.1 100\n        100 {REPO_URL.rstrip('/')} {suite}/main" in policy, policy


def test_debian_archive_outranks_the_test_origin(app):
    """Debian's own sources keep 500; the test origin's 100 never wins a package both have."""
    policy = app.check_output("apt-cache policy")
    test_lines = [line for line in policy.splitlines() if REPO_URL.rstrip("/") in line]
    debian_lines = [line for line in policy.splitlines() if "Packages" in line and REPO_URL.rstrip("/") not in line]
    assert test_lines and all(line.split()[0] == "100" for line in test_lines), test_lines
    assert debian_lines and all(line.split()[0] == "500" for line in debian_lines), debian_lines


def test_apt_reaches_the_repository_directly_not_through_the_shared_cache(app, repo):
    """The HTTP server logs each client's address: the app server's own, not the gateway's (the cache)."""
    app.check_output("apt-get update -o Dir::Etc::SourceList=/etc/apt/sources.list.d/fleet-test.list"
                     " -o Dir::Etc::SourceParts=- -o APT::Get::List-Cleanup=false")
    wanted = f'{APP_ADDRESS} - - '
    log = ""
    for _ in range(20):
        log = repo.check_output("journalctl --unit fleet-test-apt.service --output cat --lines 20")
        if any(wanted in line and '"GET /dists/fleet-security/Release HTTP/1.1"' in line for line in log.splitlines()):
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"no request from {APP_ADDRESS} in the server's log:\n{log}")
