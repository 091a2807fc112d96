"""The restore drill's query, which the local inventory switches off because moto starts no
PostgreSQL for the copy it restores. Here the fleet's own PostgreSQL server, db1, stands in for
the copy's endpoint (restore_drill_connect_host), reached from the controller as a drill reaches
a copy over the VPN: TLS required, the app's login from the environment (PGUSER, PGPASSWORD).
The copy itself is still restored on moto, and deleted."""

import pytest
from fleet_e2e import ROOT, fleet, last_report, why_it_failed

DB1 = "172.30.77.30"
QUERY = ["-e", "restore_drill_connect=true", "-e", f"restore_drill_connect_host={DB1}", "-e", "restore_drill_login_db=dashboard"]


@pytest.fixture(scope="module")
def password(command_one):
    assert command_one[0].returncode == 0, "README command 1 failed: no fleet\n" + why_it_failed(command_one[0])
    return (ROOT / ".fleet" / "secrets" / "db-app-password").read_text().strip()


def drill(runs_dir, password):
    done = fleet(runs_dir, "restore-drill", *QUERY, PGUSER="dashboard", PGPASSWORD=password)
    return done, last_report(runs_dir, "restore-drill")


def test_the_drill_queries_the_copy_and_records_its_answer(runs_dir, password):
    done, report = drill(runs_dir, password)
    assert done.returncode == 0, why_it_failed(done)
    assert report["answered"] is True and report["deleted"] is True, report
    assert report["answer_check"] == f"SELECT 1 as dashboard on dashboard at {DB1}, from the controller over the VPN"


def test_a_copy_that_refuses_the_login_fails_the_drill_and_is_still_deleted(runs_dir, password):
    done, report = drill(runs_dir, password + "-not-it")
    assert done.returncode == 1, why_it_failed(done)
    assert report["status"] == "failed" and report["answered"] is False and report["deleted"] is True, report
    assert password not in done.stdout + done.stderr
