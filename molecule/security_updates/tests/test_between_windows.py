"""Between maintenance windows (issue 11): with the apt timers unmasked, apt-daily-upgrade.service
installs the security origin's updates, leaves an update from another origin alone, and reboots
nothing, although one of the upgrades marks a reboot as required."""

from conftest import OTHER_UPDATE, SECURITY_UPDATES, boot_marker


def test_the_upgrade_service_ran_to_success(between_windows):
    assert between_windows["run"].rc == 0, between_windows["run"].stderr
    assert between_windows["after"]["result"] == "success"


def test_the_security_origin_updates_are_installed(between_windows):
    after = between_windows["after"]["versions"]
    assert {p: after[p] for p in SECURITY_UPDATES} == dict.fromkeys(SECURITY_UPDATES, "1.1")


def test_an_update_from_a_non_security_origin_is_left_alone(app, between_windows):
    assert between_windows["after"]["versions"][OTHER_UPDATE] == "1.0"
    # It was a real choice: apt itself would take 1.1.
    assert "Candidate: 1.1" in app.check_output(f"apt-cache policy {OTHER_UPDATE}")


def test_the_log_names_what_was_upgraded_and_from_which_origins(between_windows, app):
    codename = app.check_output(". /etc/os-release; echo $VERSION_CODENAME")
    log = between_windows["log"]
    assert (f"Allowed origins are: origin=Debian,codename={codename}-security,label=Debian-Security,"
            " origin=FleetTest,label=FleetTest-Security") in log, log
    upgraded = {name for line in log.splitlines() if "Packages that will be upgraded: " in line
                for name in line.split("Packages that will be upgraded: ", 1)[1].split()}
    assert set(SECURITY_UPDATES) <= upgraded and OTHER_UPDATE not in upgraded, log
    assert "All upgrades installed" in log, log


def test_a_reboot_is_marked_as_required_by_the_package_that_needs_one(app, between_windows):
    assert not between_windows["before"]["reboot_required"]
    assert app.file("/run/reboot-required").exists
    assert app.file("/run/reboot-required.pkgs").content_string.split() == ["fleet-demo-kernel-flag"]


def test_nothing_is_rebooted(app, between_windows):
    assert between_windows["after"]["boot"] == between_windows["before"]["boot"] == boot_marker(app)
    assert "reboot='false'" in app.check_output("apt-config shell reboot Unattended-Upgrade::Automatic-Reboot")
    assert not app.file("/run/systemd/shutdown/scheduled").exists


def test_needrestart_lists_the_service_that_maps_the_replaced_library_and_nothing_restarted_it(between_windows):
    assert "NEEDRESTART-SVC: fleet-demo-worker.service" in between_windows["needrestart"].splitlines()
    assert between_windows["after"]["worker_pid"] == between_windows["before"]["worker_pid"] != "0"
