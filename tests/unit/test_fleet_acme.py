"""Unit tests of the ACME driver and the expiry check the acme_certificates role installs.

They exercise the decisions (when to issue, when a certificate is due, what certbot is asked,
how a target is read) on real certificates made with `cryptography`; certbot and nginx are not
run here (molecule/web_front runs both against Pebble).
"""

import datetime
import importlib.machinery
import importlib.util
import json
import ssl
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SBIN = Path(__file__).resolve().parents[2] / "roles/acme_certificates/files/usr/local/sbin"


def load_script(name):
    loader = importlib.machinery.SourceFileLoader(name.replace("-", "_"), str(SBIN / name))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


fleet_acme = load_script("fleet-acme")
fleet_cert_expiry = load_script("fleet-cert-expiry")

NOW = datetime.datetime.now(datetime.timezone.utc)


def make_certificate(directory, names, not_before, not_after, file_name="cert.pem"):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / file_name).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "privkey.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return directory / file_name


@pytest.fixture()
def letsencrypt(tmp_path, monkeypatch):
    root = tmp_path / "letsencrypt"
    monkeypatch.setattr(fleet_acme, "LETSENCRYPT_DIR", str(root))
    return root


@pytest.fixture()
def config(tmp_path):
    return {
        "server": "https://ca.example/dir",
        "email": "ops@example.test",
        "extra_ca_bundle": None,
        "key_type": "ecdsa",
        "elliptic_curve": "secp256r1",
        "rsa_key_size": 2048,
        "renew_fraction": 0.3333,
        "webroot": "/var/lib/fleet-acme/webroot",
        "served_dir": str(tmp_path / "served"),
        "placeholder_dir": str(tmp_path / "placeholder"),
        "placeholder_days": 7,
        "certificates": [{"name": "web", "domains": ["a.example.test", "b.example.test"], "challenge": "http-01"}],
    }


def write_lineage(letsencrypt, names, server, lifetime_days=90, age_days=1):
    live = letsencrypt / "live" / "web"
    start = NOW - datetime.timedelta(days=age_days)
    make_certificate(live, names, start, start + datetime.timedelta(days=lifetime_days), "fullchain.pem")
    (letsencrypt / "renewal").mkdir(parents=True, exist_ok=True)
    (letsencrypt / "renewal" / "web.conf").write_text(
        "version = 2.1.0\narchive_dir = /x\n\n[renewalparams]\nauthenticator = webroot\nserver = %s\n" % server
    )


def test_issuance_needed_without_a_lineage(config, letsencrypt):
    assert fleet_acme.issuance_reason(config, config["certificates"][0]) == "no certificate from the CA yet"


def test_no_issuance_when_names_and_ca_match(config, letsencrypt):
    write_lineage(letsencrypt, ["b.example.test", "a.example.test"], config["server"])
    assert fleet_acme.issuance_reason(config, config["certificates"][0]) is None


def test_issuance_when_names_differ(config, letsencrypt):
    write_lineage(letsencrypt, ["a.example.test"], config["server"])
    assert fleet_acme.issuance_reason(config, config["certificates"][0]).startswith("names differ")


def test_issuance_when_the_ca_changed(config, letsencrypt):
    write_lineage(letsencrypt, ["a.example.test", "b.example.test"], "https://staging.example/dir")
    assert "another CA directory" in fleet_acme.issuance_reason(config, config["certificates"][0])


@pytest.mark.parametrize(
    "lifetime, age, due",
    [
        (90, 59, False),  # 31 days left of 90: more than a third
        (90, 61, True),  # 29 days left
        (45, 29, False),  # 16 of 45 left
        (45, 31, True),  # 14 of 45 left
        (6, 3.5, False),  # 2.5 of 6 left
        (6, 4.5, True),  # 1.5 of 6 left
    ],
)
def test_renewal_follows_the_certificates_own_lifetime(config, letsencrypt, monkeypatch, lifetime, age, due):
    write_lineage(letsencrypt, ["a.example.test", "b.example.test"], config["server"], lifetime, age)
    calls = []
    monkeypatch.setattr(fleet_acme, "run_certbot", lambda cfg, arguments, what: calls.append(arguments))
    monkeypatch.setattr(fleet_acme, "certbot_version", lambda: (2, 1))
    monkeypatch.delenv("FLEET_ACME_RENEW_FRACTION", raising=False)
    result = fleet_acme.command_renew(config, type("Args", (), {"fraction": None})())
    assert result["checked"][0]["due"] is due
    assert result["renewed"] == (["web"] if due else [])
    assert calls == ([["renew", "--non-interactive", "--no-random-sleep-on-renew", "--force-renewal",
                       "--cert-name", "web"]] if due else [])


def test_ari_check_runs_only_with_a_certbot_that_reads_ari(config, letsencrypt, monkeypatch):
    calls = []
    monkeypatch.setattr(fleet_acme, "run_certbot", lambda cfg, arguments, what: calls.append(arguments))
    for version, expected in (((4, 0), []), ((4, 1), [["renew", "--non-interactive", "--no-random-sleep-on-renew"]])):
        calls.clear()
        monkeypatch.setattr(fleet_acme, "certbot_version", lambda version=version: version)
        result = fleet_acme.command_renew(config, type("Args", (), {"fraction": None})())
        assert calls == expected
        assert result["ari_check"] is bool(expected)


def test_certonly_arguments_for_webroot_and_route53(config):
    http = fleet_acme.certonly_arguments(config, config["certificates"][0])
    assert http[:3] == ["certonly", "--non-interactive", "--agree-tos"]
    assert ["--webroot", "--webroot-path", config["webroot"]] == http[http.index("--webroot"):http.index("--webroot") + 3]
    assert http.count("--domain") == 2 and "--email" in http and "--elliptic-curve" in http
    dns = fleet_acme.certonly_arguments(
        dict(config, email="", key_type="rsa"), {"name": "w", "domains": ["*.example.test"], "challenge": "dns-01"}
    )
    assert "--dns-route53" in dns and "--webroot" not in dns
    assert "--register-unsafely-without-email" in dns and "--rsa-key-size" in dns


def test_failed_certbot_run_is_one_clear_message(config, monkeypatch):
    class Result:
        returncode = 1
        stdout = ""
        stderr = "Saving debug log to /var/log/x\nAn unexpected error occurred:\nConnection refused\nAsk for help\n"

    monkeypatch.setattr(fleet_acme.subprocess, "run", lambda *a, **k: Result())
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    with pytest.raises(fleet_acme.AcmeError) as error:
        fleet_acme.run_certbot(config, ["certonly"], "certificate 'web'")
    assert str(error.value).startswith("certificate 'web' failed (certbot exit 1): An unexpected error occurred:")
    assert "Saving debug log" not in str(error.value) and "Ask for help" not in str(error.value)


def test_certbot_renew_separators_are_left_out_of_the_message(config, monkeypatch):
    class Result:
        returncode = 1
        stdout = ("- - - - - - - -\nProcessing /etc/letsencrypt/renewal/web.conf\n- - - - - - - -\n"
                  "Failed to renew certificate web with error: Connection refused\n")
        stderr = ""

    monkeypatch.setattr(fleet_acme.subprocess, "run", lambda *a, **k: Result())
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    with pytest.raises(fleet_acme.AcmeError) as error:
        fleet_acme.run_certbot(config, ["renew"], "renewal of certificate 'web'")
    assert str(error.value) == (
        "renewal of certificate 'web' failed (certbot exit 1): Failed to renew certificate web with error:"
        " Connection refused (full log: /var/log/letsencrypt/letsencrypt.log)"
    )


def test_prepare_makes_a_short_self_signed_placeholder_once(config, letsencrypt):
    assert fleet_acme.command_prepare(config, None) == {"changed": True, "prepared": ["web"]}
    served = Path(config["served_dir"]) / "web" / "fullchain.pem"
    cert = fleet_acme.read_certificate(str(served))
    before, after = fleet_acme.validity(cert)
    assert cert.issuer == cert.subject
    assert fleet_acme.dns_names(cert) == ["a.example.test", "b.example.test"]
    left = after - datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(days=6) < left <= datetime.timedelta(days=7)
    assert fleet_acme.command_prepare(config, None) == {"changed": False, "prepared": []}


def test_issue_failure_keeps_the_served_files(config, letsencrypt, monkeypatch):
    fleet_acme.command_prepare(config, None)
    served = Path(config["served_dir"]) / "web" / "fullchain.pem"
    target = served.resolve()

    def refuse(cfg, arguments, what):
        raise fleet_acme.AcmeError(what + " failed: connection refused")

    monkeypatch.setattr(fleet_acme, "run_certbot", refuse)
    monkeypatch.setattr(fleet_acme, "reload_nginx", lambda: pytest.fail("nginx must not be reloaded"))
    result = fleet_acme.command_issue(config, type("Args", (), {"name": None})())
    assert result["failed"] and "connection refused" in result["msg"] and "served certificate is unchanged" in result["msg"]
    assert served.resolve() == target


def test_issue_repoints_and_reloads_after_success(config, letsencrypt, monkeypatch):
    fleet_acme.command_prepare(config, None)
    monkeypatch.setattr(
        fleet_acme, "run_certbot",
        lambda cfg, arguments, what: write_lineage(letsencrypt, ["a.example.test", "b.example.test"], cfg["server"]),
    )
    reloads = []
    monkeypatch.setattr(fleet_acme, "reload_nginx", lambda: reloads.append(1) or True)
    result = fleet_acme.command_issue(config, type("Args", (), {"name": None})())
    assert result["changed"] and result["issued"][0]["name"] == "web" and reloads == [1]
    assert (Path(config["served_dir"]) / "web" / "fullchain.pem").resolve() == (letsencrypt / "live/web/fullchain.pem")
    # A second run finds nothing to do and asks nothing of the CA.
    monkeypatch.setattr(fleet_acme, "run_certbot", lambda *a: pytest.fail("no CA call on a converged host"))
    assert fleet_acme.command_issue(config, type("Args", (), {"name": None})())["changed"] is False


@pytest.mark.parametrize(
    "target, parsed",
    [
        ("example.test", ("example.test", 443, "example.test")),
        ("127.0.0.1:8443/app.example.test", ("127.0.0.1", 8443, "app.example.test")),
        ("[::1]:443/app.example.test", ("::1", 443, "app.example.test")),
        ("[::1]", ("::1", 443, "::1")),
    ],
)
def test_expiry_targets(target, parsed):
    assert fleet_cert_expiry.parse_target(target) == parsed


def serve_tls_once(certificate, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def accept():
        connection, _ = listener.accept()
        try:
            with context.wrap_socket(connection, server_side=True):
                pass
        except (ssl.SSLError, OSError):
            pass
        listener.close()

    threading.Thread(target=accept, daemon=True).start()
    return port


@pytest.mark.parametrize("days_left, code", [(30, 0), (10, 1)])
def test_expiry_check_reads_what_is_served(tmp_path, monkeypatch, capsys, days_left, code):
    cert = make_certificate(tmp_path, ["app.example.test"], NOW - datetime.timedelta(days=1),
                            NOW + datetime.timedelta(days=days_left))
    port = serve_tls_once(str(cert), str(tmp_path / "privkey.pem"))
    monkeypatch.setattr("sys.argv", ["fleet-cert-expiry", "--min-days", "14", "127.0.0.1:%d/app.example.test" % port])
    assert fleet_cert_expiry.main() == code
    assert capsys.readouterr().out.startswith("OK " if code == 0 else "EXPIRING ")


def test_expiry_check_reports_an_unreachable_target(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["fleet-cert-expiry", "--timeout", "2", "127.0.0.1:1"])
    assert fleet_cert_expiry.main() == 2
    assert capsys.readouterr().out.startswith("ERROR 127.0.0.1:1/127.0.0.1: cannot read")


def test_driver_prints_json_and_fails_cleanly_without_config(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(fleet_acme, "CONFIG_PATH", str(tmp_path / "missing.json"))
    monkeypatch.setattr("sys.argv", ["fleet-acme", "prepare"])
    assert fleet_acme.main() == 1
    out = json.loads(capsys.readouterr().out)
    assert out["failed"] and "missing.json" in out["msg"]


def test_ca_bundles_are_combined_and_only_our_temporary_one_is_removed(config, monkeypatch, tmp_path):
    system = tmp_path / "system.pem"
    system.write_text("SYSTEM CAS\n")
    extra = tmp_path / "extra.pem"
    extra.write_text("EXTRA CA\n")
    callers_bundle = tmp_path / "callers-bundle.pem"
    callers_bundle.write_text("THE CALLER'S\n")
    monkeypatch.setattr(fleet_acme, "SYSTEM_CA_BUNDLE", str(system))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(callers_bundle))
    seen = {}

    class Result:
        returncode = 0
        stdout = stderr = ""

    def fake_run(command, env, **kwargs):
        seen["bundle"] = env["REQUESTS_CA_BUNDLE"]
        seen["content"] = Path(env["REQUESTS_CA_BUNDLE"]).read_text()
        return Result()

    monkeypatch.setattr(fleet_acme.subprocess, "run", fake_run)
    fleet_acme.run_certbot(config, ["renew"], "renewal")
    assert seen["bundle"] == str(callers_bundle) and callers_bundle.exists()

    fleet_acme.run_certbot(dict(config, extra_ca_bundle=str(extra)), ["renew"], "renewal")
    assert seen["content"] == "SYSTEM CAS\n\nEXTRA CA\n"
    assert not Path(seen["bundle"]).exists() and callers_bundle.exists()


def renew_args(**values):
    return type("Args", (), {"fraction": None, "force": False, **values})()


def test_renew_force_renews_a_certificate_that_is_not_due(config, letsencrypt, monkeypatch):
    write_lineage(letsencrypt, ["a.example.test", "b.example.test"], config["server"], 90, 1)
    calls = []
    monkeypatch.setattr(fleet_acme, "run_certbot", lambda cfg, arguments, what: calls.append(arguments))
    monkeypatch.setattr(fleet_acme, "certbot_version", lambda: (2, 1))
    monkeypatch.delenv("FLEET_ACME_RENEW_FRACTION", raising=False)
    assert fleet_acme.command_renew(config, renew_args())["renewed"] == []
    result = fleet_acme.command_renew(config, renew_args(force=True))
    assert result["renewed"] == ["web"] and result["forced"] is True and result["checked"][0]["due"] is True
    assert calls == [["renew", "--non-interactive", "--no-random-sleep-on-renew", "--force-renewal", "--cert-name", "web"]]


def test_renew_force_on_the_command_line(config, letsencrypt, monkeypatch, capsys, tmp_path):
    write_lineage(letsencrypt, ["a.example.test", "b.example.test"], config["server"], 90, 1)
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(dict(config, state_dir=str(tmp_path / "state"))))
    monkeypatch.setattr(fleet_acme, "CONFIG_PATH", str(config_file))
    monkeypatch.setattr(fleet_acme, "run_certbot", lambda cfg, arguments, what: None)
    monkeypatch.setattr(fleet_acme, "certbot_version", lambda: (2, 1))
    monkeypatch.delenv("FLEET_ACME_RENEW_FRACTION", raising=False)
    monkeypatch.setattr("sys.argv", ["fleet-acme", "renew", "--force"])
    assert fleet_acme.main() == 0
    assert json.loads(capsys.readouterr().out)["renewed"] == ["web"]
    # The outcome is kept for the failure report.
    assert json.loads((tmp_path / "state" / "last-renewal.json").read_text())["renewed"] == ["web"]


def test_the_fraction_from_the_environment_still_makes_a_renewal_due(config, letsencrypt, monkeypatch):
    write_lineage(letsencrypt, ["a.example.test", "b.example.test"], config["server"], 90, 1)
    monkeypatch.setattr(fleet_acme, "run_certbot", lambda cfg, arguments, what: None)
    monkeypatch.setattr(fleet_acme, "certbot_version", lambda: (2, 1))
    monkeypatch.setenv("FLEET_ACME_RENEW_FRACTION", "1")
    assert fleet_acme.command_renew(config, renew_args())["renewed"] == ["web"]


def test_a_failed_renewal_names_the_certificate_its_names_and_the_ca_directory(config, letsencrypt, monkeypatch):
    write_lineage(letsencrypt, ["a.example.test", "b.example.test"], "https://ca.example/dir", 90, 1)

    def refuse(cfg, arguments, what):
        raise fleet_acme.AcmeError(what + " failed (certbot exit 1): Connection refused")

    monkeypatch.setattr(fleet_acme, "run_certbot", refuse)
    monkeypatch.setattr(fleet_acme, "certbot_version", lambda: (2, 1))
    result = fleet_acme.command_renew(config, renew_args(force=True))
    assert result["failed"] and result["failed_certificates"] == ["web"]
    assert result["msg"] == (
        "renewal of certificate 'web' (a.example.test, b.example.test) from https://ca.example/dir failed"
        " (certbot exit 1): Connection refused; the served certificate is unchanged"
    )


@pytest.fixture()
def failed_renewal(config, tmp_path, monkeypatch):
    """A configuration whose last renewal (invocation 'run-2') failed, and a failure command that
    records its arguments, stdin and environment."""
    record_file = tmp_path / "notified.json"
    recorder = tmp_path / "record"
    recorder.write_text(
        "#!/usr/bin/python3\nimport json, os, sys\n"
        "json.dump({'argv': sys.argv[1:], 'stdin': sys.stdin.read(),"
        " 'env': {k: v for k, v in os.environ.items() if k.startswith('FLEET_ACME_')}},"
        " open(%r, 'w'))\n" % str(record_file)
    )
    recorder.chmod(0o755)
    config = dict(config, state_dir=str(tmp_path / "state"), failure_command=[str(recorder), "$(touch pwned)", "; true"])
    monkeypatch.setenv("INVOCATION_ID", "run-2")
    fleet_acme.save_renewal(config, {
        "failed": True, "changed": False, "failed_certificates": ["web"],
        "msg": "renewal of certificate 'web' (a.example.test) from https://ca.example/dir failed: `$(reboot)` refused",
    })
    monkeypatch.delenv("INVOCATION_ID")
    monkeypatch.chdir(tmp_path)
    return config, record_file


def test_report_failure_logs_at_priority_err_and_runs_the_command_without_a_shell(failed_renewal, monkeypatch, capsys):
    config, record_file = failed_renewal
    monkeypatch.setenv("JOURNAL_STREAM", "8:1234")
    monkeypatch.setenv("MONITOR_INVOCATION_ID", "run-2")
    result = fleet_acme.command_report_failure(config, None)
    message = result["message"]
    assert "for 'web' (CA directory https://ca.example/dir)" in message and "`$(reboot)` refused" in message
    assert capsys.readouterr().err == "<3>" + message + "\n"
    assert result["notified"] is True and "failed" not in result
    seen = json.loads(record_file.read_text())
    # The configured arguments arrive as they are; the message only on stdin and in the environment.
    assert seen["argv"] == ["$(touch pwned)", "; true"]
    assert seen["stdin"] == message + "\n"
    assert seen["env"] == {"FLEET_ACME_FAILURE_MESSAGE": message, "FLEET_ACME_FAILED_CERTIFICATES": "web",
                           "FLEET_ACME_DIRECTORY_URL": "https://ca.example/dir"}
    assert not (record_file.parent / "pwned").exists()


def test_report_failure_outside_the_journal_prints_the_plain_message(failed_renewal, monkeypatch, capsys):
    config, _ = failed_renewal
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    result = fleet_acme.command_report_failure(dict(config, failure_command=[]), None)
    assert capsys.readouterr().err == result["message"] + "\n"
    assert result["notified"] is False and "failed" not in result


def test_report_failure_does_not_blame_an_older_runs_outcome(failed_renewal, monkeypatch):
    config, _ = failed_renewal
    monkeypatch.setenv("MONITOR_INVOCATION_ID", "run-3")
    monkeypatch.setenv("MONITOR_SERVICE_RESULT", "timeout")
    monkeypatch.setenv("MONITOR_EXIT_CODE", "killed")
    monkeypatch.setenv("MONITOR_EXIT_STATUS", "TERM")
    message = fleet_acme.command_report_failure(dict(config, failure_command=[]), None)["message"]
    assert "refused" not in message
    assert "for 'web' (CA directory https://ca.example/dir): the renewal service ended with result 'timeout' (killed TERM)" in message


def test_report_failure_fails_when_the_notification_fails(failed_renewal):
    config, _ = failed_renewal
    result = fleet_acme.command_report_failure(dict(config, failure_command=["/bin/false"]), None)
    assert result["failed"] and result["msg"].startswith("the failure command /bin/false failed (exit 1)")
    missing = fleet_acme.command_report_failure(dict(config, failure_command=["/nonexistent/notify"]), None)
    assert missing["failed"] and "(not run)" in missing["msg"]


def test_report_failure_runs_even_without_a_configuration(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(fleet_acme, "CONFIG_PATH", str(tmp_path / "missing.json"))
    monkeypatch.setattr(fleet_acme, "DEFAULT_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr("sys.argv", ["fleet-acme", "report-failure"])
    assert fleet_acme.main() == 0
    out = json.loads(capsys.readouterr().out)
    assert "CA directory unknown (" in out["message"] and "missing.json" in out["message"]
