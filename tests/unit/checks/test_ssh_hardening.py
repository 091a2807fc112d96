"""plugins/fleet_checks/ssh_hardening.py"""

import copy

import pytest

from plugins.fleet_checks import ssh_hardening

KEX = ["sntrup761x25519-sha512@openssh.com", "curve25519-sha256"]
CIPHERS = ["chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com"]
MACS = ["hmac-sha2-256-etm@openssh.com"]
HOST_KEY_ALGORITHMS = ["ssh-ed25519", "rsa-sha2-512"]

# The role's defaults, and the lists vars/main.yml derives from the profile on an OpenSSH 9.2 host.
GOOD = {
    "ssh_hardening_allow_groups": ["sshusers"],
    "ssh_hardening_max_auth_tries": 3,
    "ssh_hardening_login_grace_time": 30,
    "ssh_hardening_max_sessions": 4,
    "ssh_hardening_max_startups": "10:30:60",
    "ssh_hardening_client_alive_interval": 300,
    "ssh_hardening_client_alive_count_max": 2,
    "ssh_hardening_host_key_order": [],
    "ssh_hardening_kex_algorithms": [],
    "ssh_hardening_ciphers": [],
    "ssh_hardening_macs": [],
    "ssh_hardening_host_key_algorithms": [],
    "ssh_hardening_penalty_exempt_sources": [],
    "__ssh_hardening_kex": KEX,
    "__ssh_hardening_ciphers": CIPHERS,
    "__ssh_hardening_macs": MACS,
    "__ssh_hardening_host_key_algorithms": HOST_KEY_ALGORITHMS,
    "__ssh_hardening_host_key_order": ["ed25519", "rsa"],
}

# What files/probe.py reads on such a host (the parts the input checks use).
HOST = {
    "openssh": {"package": "installed", "version": "9.2"},
    "supported": {
        "kex": KEX + ["diffie-hellman-group14-sha1"],
        "cipher": CIPHERS + ["aes256-ctr", "aes128-cbc"],
        "mac": MACS + ["hmac-sha1"],
        "key-sig": HOST_KEY_ALGORITHMS + ["ecdsa-sha2-nistp256", "ssh-rsa"],
    },
    "login": {"user": "admin", "groups": ["admin", "sshusers"], "root_over_ssh": False},
}
OPENSSH_10 = {**HOST, "openssh": {"package": "installed", "version": "10.0"}}


def check(change=None, host=HOST):
    return ssh_hardening.problems({**GOOD, **(change or {})}, host)


def test_defaults_are_accepted():
    assert check() == []


def test_explicit_lists_the_openssh_supports_are_accepted():
    assert check({"ssh_hardening_kex_algorithms": ["curve25519-sha256"], "ssh_hardening_ciphers": ["aes128-cbc"],
                  "ssh_hardening_max_startups": "20", "ssh_hardening_client_alive_interval": 0}) == []


def test_penalty_exempt_sources_are_accepted_from_openssh_9_8():
    assert check({"ssh_hardening_penalty_exempt_sources": ["10.8.0.0/24", "192.0.2.7", "2001:db8::/32"]}, OPENSSH_10) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"ssh_hardening_allow_groups": []}, "ssh_hardening_allow_groups is empty: nobody could log in"),
        ({"ssh_hardening_allow_groups": ["sshusers", "bad group"]}, "ssh_hardening_allow_groups[1] 'bad group' is not a group name"),
        ({"ssh_hardening_max_auth_tries": 0}, "ssh_hardening_max_auth_tries is 0; it must be 1 or more"),
        ({"ssh_hardening_login_grace_time": "0"}, "ssh_hardening_login_grace_time is 0; it must be 1 or more"),
        ({"ssh_hardening_max_sessions": 0}, "ssh_hardening_max_sessions is 0; it must be 1 or more"),
        ({"ssh_hardening_client_alive_interval": -1}, "ssh_hardening_client_alive_interval is -1; it must be 0 or more"),
        ({"ssh_hardening_client_alive_count_max": 0}, "ssh_hardening_client_alive_count_max is 0; it must be 1 or more"),
        ({"ssh_hardening_max_startups": "10:30"}, "ssh_hardening_max_startups '10:30' is not 'start:rate:full'"),
        ({"ssh_hardening_max_startups": "ten"}, "ssh_hardening_max_startups 'ten' is not 'start:rate:full'"),
        ({"ssh_hardening_max_startups": "10:101:60"}, "ssh_hardening_max_startups '10:101:60'"),
        ({"ssh_hardening_max_startups": "61:30:60"}, "ssh_hardening_max_startups '61:30:60'"),
        ({"ssh_hardening_host_key_order": ["rsa", "rsa"], "__ssh_hardening_host_key_order": ["rsa", "rsa"]},
         'ssh_hardening_host_key_order ["rsa", "rsa"] lists a key type twice'),
        ({"ssh_hardening_kex_algorithms": ["curve25519-sha256", "mlkem768x25519-sha256"]},
         "ssh_hardening_kex_algorithms[1] 'mlkem768x25519-sha256' is not supported by the installed OpenSSH 9.2 (ssh -Q kex)"),
        ({"ssh_hardening_ciphers": ["aes256-ctr", "aes128-cbc-nonsense"]},
         "ssh_hardening_ciphers[1] 'aes128-cbc-nonsense' is not supported by the installed OpenSSH 9.2 (ssh -Q cipher)"),
        ({"ssh_hardening_macs": ["hmac-sha2-512"]},
         "ssh_hardening_macs[0] 'hmac-sha2-512' is not supported by the installed OpenSSH 9.2 (ssh -Q mac)"),
        ({"ssh_hardening_host_key_algorithms": ["ssh-ed25519", "ssh-ed448"]},
         "ssh_hardening_host_key_algorithms[1] 'ssh-ed448' is not supported by the installed OpenSSH 9.2 (ssh -Q key-sig)"),
        ({"ssh_hardening_host_key_algorithms": ["ecdsa-sha2-nistp256"]},
         "ssh_hardening_host_key_algorithms[0] 'ecdsa-sha2-nistp256' has no host key: the role keeps only ed25519 and rsa keys"
         " (ssh_hardening_host_key_order)"),
        ({"ssh_hardening_penalty_exempt_sources": ["10.0.0.0/8", "10.0.0.1/33"]},
         "ssh_hardening_penalty_exempt_sources[1] '10.0.0.1/33' is not an address or a network in CIDR form"),
        ({"ssh_hardening_penalty_exempt_sources": ["ops.example.com"]},
         "ssh_hardening_penalty_exempt_sources[0] 'ops.example.com' is not an address or a network in CIDR form"),
    ],
)
def test_each_problem_names_its_variable(change, expected):
    found = check(change, OPENSSH_10 if "penalty" in next(iter(change)) else HOST)
    assert len(found) == 1 and expected in found[0], found


def test_penalty_sources_need_openssh_9_8():
    found = check({"ssh_hardening_penalty_exempt_sources": ["10.8.0.0/24"]})
    assert found == ["ssh_hardening_penalty_exempt_sources is set, but OpenSSH 9.2 has no PerSourcePenalties (9.8 or later)"]


@pytest.mark.parametrize("openssh", [{"package": "not-installed", "version": ""}, {"package": "config-files", "version": ""},
                                     {"package": "installed", "version": ""}])
def test_openssh_server_missing_is_the_only_problem(openssh):
    found = check({"ssh_hardening_allow_groups": []}, {**HOST, "openssh": openssh, "supported": {}})
    assert found == ["openssh-server is not installed: ssh_hardening hardens an existing sshd"]


def test_an_empty_profile_asks_for_the_variable():
    found = check({"__ssh_hardening_macs": []})
    assert found == [
        "ssh_hardening_macs is empty and the installed OpenSSH 9.2 supports none of its profile's algorithms: set ssh_hardening_macs"
    ]


def test_operator_strings_for_numbers_are_read_as_numbers():
    assert check({"ssh_hardening_max_auth_tries": "4", "ssh_hardening_client_alive_interval": "0"}) == []


def test_versions():
    assert ssh_hardening.version_tuple("10.0") == (10, 0)
    assert ssh_hardening.version_tuple("") == (0, 0)
    assert not ssh_hardening.penalties_supported("9.7")
    assert ssh_hardening.penalties_supported("9.8")


# The check after a change: host_state is the probe's effective reading, marked check: effective.
def effective_reading(login="admin"):
    settings = {
        "passwordauthentication": ["no"],
        "kbdinteractiveauthentication": ["no"],
        "permitrootlogin": ["no"],
        "pubkeyauthentication": ["yes"],
        "permitemptypasswords": ["no"],
        "authenticationmethods": ["publickey"],
        "allowgroups": ["sshusers"],
        "kexalgorithms": [",".join(KEX)],
        "ciphers": [",".join(CIPHERS)],
        "macs": [",".join(MACS)],
        "hostkeyalgorithms": [",".join(HOST_KEY_ALGORITHMS)],
        "hostkey": ["/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"],
    }
    contexts = {"global", "user=root", f"user={login}"}
    return {
        "check": "effective",
        "login": {"user": login, "groups": ["sshusers"], "root_over_ssh": False},
        "effective": {context: copy.deepcopy(settings) for context in contexts},
        "effective_error": "",
    }


def test_the_effective_configuration_as_written_is_accepted():
    assert ssh_hardening.problems(GOOD, effective_reading()) == []
    assert ssh_hardening.problems(GOOD, effective_reading(login="root")) == []


def test_a_match_block_that_lets_root_in_is_reported():
    reading = effective_reading()
    reading["effective"]["user=root"]["permitrootlogin"] = ["yes"]
    found = ssh_hardening.problems(GOOD, reading)
    assert len(found) == 1
    assert found[0].startswith("The effective sshd configuration differs from what ssh_hardening set")
    assert found[0].endswith("got / expected: got user=root permitrootlogin yes; expected user=root permitrootlogin no")


def test_a_drop_in_that_adds_a_group_and_a_host_key_is_reported():
    reading = effective_reading()
    reading["effective"]["global"]["allowgroups"].append("everyone")
    reading["effective"]["global"]["hostkey"].append("/etc/ssh/ssh_host_ecdsa_key")
    found = ssh_hardening.problems(GOOD, reading)
    assert len(found) == 1
    assert found[0].endswith("got global allowgroups everyone; got global hostkey /etc/ssh/ssh_host_ecdsa_key")


def test_a_context_sshd_did_not_print_is_expected_in_full():
    reading = effective_reading()
    del reading["effective"]["user=admin"]
    found = ssh_hardening.problems(GOOD, reading)
    assert len(found) == 1 and "expected user=admin passwordauthentication no" in found[0]
    assert "expected global" not in found[0]


def test_a_configuration_sshd_refuses_is_reported():
    reading = {**effective_reading(), "effective": "unreadable", "effective_error": "/etc/ssh/sshd_config line 3: Bad option"}
    assert ssh_hardening.problems(GOOD, reading) == [
        "sshd refuses its configuration, so the effective configuration cannot be checked: /etc/ssh/sshd_config line 3: Bad option"
    ]
