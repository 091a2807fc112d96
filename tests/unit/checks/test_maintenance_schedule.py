"""plugins/fleet_checks/maintenance_schedule.py"""

import pytest

from plugins.fleet_checks import maintenance_schedule

GOOD = {
    "maintenance_schedule_project_dir": "/srv/fleet",
    "maintenance_schedule_inventory": "inventories/production",
    "maintenance_schedule_user": "ops",
    "maintenance_schedule_ansible_playbook": "/srv/fleet/.venv/bin/ansible-playbook",
    "maintenance_schedule_environment_file": "/etc/fleet/maintenance.env",
    "maintenance_schedule_unit_dir": "/etc/systemd/system",
    "maintenance_schedule_runbook_args": [],
    "maintenance_schedule_notice_args": [],
}
FOLDER = {"exists": True, "isdir": True, "isreg": False, "executable": False, "mode": "0755"}
FILE = {"exists": True, "isdir": False, "isreg": True, "executable": False, "mode": "0644"}
STATE = {
    "user_exists": True,
    "paths": {
        "project_dir": FOLDER,
        "runbook": FILE,
        "notice": FILE,
        "inventory": FOLDER,
        "ansible_playbook": dict(FILE, executable=True, mode="0755"),
        "environment_file": dict(FILE, mode="0600"),
    },
}
MISSING = {"exists": False}


def paths(**changes):
    return dict(STATE, paths=dict(STATE["paths"], **changes))


def test_good_input_is_accepted():
    assert maintenance_schedule.problems(GOOD, STATE) == []


@pytest.mark.parametrize(
    "change, state, expected",
    [
        ({"maintenance_schedule_project_dir": "srv/fleet"}, STATE,
         "maintenance_schedule_project_dir 'srv/fleet' is not an absolute path"),
        ({"maintenance_schedule_project_dir": "/srv/my fleet"}, STATE,
         "maintenance_schedule_project_dir '/srv/my fleet' is not a path systemd can take unquoted"),
        ({}, paths(project_dir=MISSING), "maintenance_schedule_project_dir '/srv/fleet' is not a folder on the controller"),
        ({}, paths(runbook=MISSING), "maintenance_schedule_project_dir '/srv/fleet' does not hold playbooks/maintenance.yml"),
        ({}, paths(notice=MISSING), "does not hold playbooks/maintenance_notice.yml"),
        ({"maintenance_schedule_inventory": ""}, STATE, "maintenance_schedule_inventory '' is not a path systemd can take"),
        ({"maintenance_schedule_inventory": "inventories/$ENV"}, STATE, "maintenance_schedule_inventory 'inventories/$ENV'"),
        ({}, paths(inventory=MISSING),
         "maintenance_schedule_inventory 'inventories/production' is not a file or folder in /srv/fleet"),
        ({"maintenance_schedule_user": "Ops Team"}, STATE, "maintenance_schedule_user 'Ops Team' is not a login name"),
        ({}, dict(STATE, user_exists=False), "maintenance_schedule_user 'ops' is not an account on the controller"),
        ({}, paths(ansible_playbook=FILE),
         "maintenance_schedule_ansible_playbook '/srv/fleet/.venv/bin/ansible-playbook' is not an executable file"),
        ({"maintenance_schedule_ansible_playbook": "ansible-playbook"}, STATE,
         "maintenance_schedule_ansible_playbook 'ansible-playbook' is not an absolute path"),
        ({}, paths(environment_file=MISSING),
         "maintenance_schedule_environment_file '/etc/fleet/maintenance.env' is not a file on the controller"),
        ({}, paths(environment_file=dict(FILE, mode="0644")),
         "maintenance_schedule_environment_file '/etc/fleet/maintenance.env' is readable or writable by every user"
         " (mode 0644)"),
        ({"maintenance_schedule_environment_file": "maintenance.env"}, STATE,
         "maintenance_schedule_environment_file 'maintenance.env' is not an absolute path"),
        ({"maintenance_schedule_unit_dir": "/etc/systemd/my units"}, STATE, "maintenance_schedule_unit_dir '/etc/systemd/my units'"),
        ({"maintenance_schedule_runbook_args": ["-e", "x=%i"]}, STATE,
         "maintenance_schedule_runbook_args[1] 'x=%i' is not one word"),
        ({"maintenance_schedule_notice_args": ["--limit 'a b'"]}, STATE, "maintenance_schedule_notice_args[0]"),
    ],
)
def test_each_problem_names_its_variable(change, state, expected):
    found = maintenance_schedule.problems({**GOOD, **change}, state)
    assert len(found) == 1 and expected in found[0], found


def test_no_environment_file_and_an_absolute_inventory_are_accepted():
    state = paths()
    del state["paths"]["environment_file"]
    assert maintenance_schedule.problems(
        {**GOOD, "maintenance_schedule_environment_file": "", "maintenance_schedule_inventory": "/srv/inv/prod.yml"},
        state) == []


def test_a_secrets_file_readable_by_its_group_is_accepted():
    assert maintenance_schedule.problems(GOOD, paths(environment_file=dict(FILE, mode="0640"))) == []


def test_arguments_of_one_word_are_accepted():
    assert maintenance_schedule.problems(
        {**GOOD, "maintenance_schedule_runbook_args": ["-e", "maintenance_app_version=1.2.3", "--limit", "app1,app2"]},
        STATE) == []
