"""The customer notice through real `ansible-playbook` runs of playbooks/maintenance_notice.yml
against a real SMTP server on loopback (scripts/mail_sink.py, aiosmtpd), which keeps each message
it receives as a .eml file: recipients, the window in WIB and UTC, the record that stops a second
notice, check mode, bad input refused before anything is sent, and a login over STARTTLS whose
password appears in no output."""

import calendar
import datetime as dt
import email
import email.policy
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = ROOT / "playbooks" / "maintenance_notice.yml"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
SINK = ROOT / "scripts" / "mail_sink.py"
SENDER = "E1 Web Dashboard <maintenance@fleet.test>"
CUSTOMERS = ["customers@fleet.test", "second.customer@example.com"]

Run = namedtuple("Run", "rc tasks changed failed output")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """scripts/mail_sink.py on a free loopback port, writing into DIRECTORY."""

    def __init__(self, directory, *options, env=None):
        self.port = free_port()
        self.directory = directory
        self.log = directory.parent / f"{directory.name}.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, str(SINK), "--host", "127.0.0.1", "--port", str(self.port), "--dir", str(directory),
                 *options],
                stdout=log, stderr=subprocess.STDOUT, env=env or os.environ.copy(),
            )
        deadline = time.monotonic() + 20
        while b"listening on" not in self.log.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                raise RuntimeError(f"mail_sink did not start: {self.log.read_text()}")
            time.sleep(0.05)

    def messages(self):
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in sorted(self.directory.glob("*.eml"))]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=10)


@pytest.fixture()
def sink(tmp_path):
    started = []

    def start(*options, env=None):
        started.append(Sink(tmp_path / f"mail{len(started)}", *options, env=env))
        return started[-1]

    yield start
    for one in started:
        if one.proc.poll() is None:
            one.stop()


def play(extra_vars, *options, env=None, callback="ansible.posix.json"):
    """Run the notice playbook on localhost; task results come from the JSON callback."""
    out = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", "localhost,", str(PLAYBOOK),
         "-e", json.dumps(dict(extra_vars, ansible_python_interpreter=sys.executable)), *options],
        cwd=ROOT,
        env=dict(env or os.environ, ANSIBLE_STDOUT_CALLBACK=callback, ANSIBLE_NOCOLOR="1",
                 ANSIBLE_CONFIG=str(ROOT / "ansible.cfg")),
        capture_output=True, text=True, timeout=300,
    )
    output = out.stdout + out.stderr
    if callback != "ansible.posix.json":
        return Run(out.returncode, [], None, None, output)
    assert "{" in out.stdout, "ansible-playbook gave no report:\n" + output
    report, _end = json.JSONDecoder().raw_decode(out.stdout[out.stdout.index("{"):])
    tasks = [dict(task["hosts"]["localhost"], name=task["task"]["name"].split(" : ", 1)[-1])
             for p in report["plays"] for task in p["tasks"] if "localhost" in task["hosts"]]
    stats = report["stats"]["localhost"]
    return Run(out.returncode, tasks, stats["changed"], stats["failures"], output)


def settings(sink_, tmp_path, **more):
    return {
        "maintenance_notice_recipients": CUSTOMERS,
        "maintenance_notice_from": SENDER,
        "maintenance_notice_smtp_host": "127.0.0.1",
        "maintenance_notice_smtp_port": sink_.port,
        "maintenance_notice_smtp_secure": "never",
        "maintenance_notice_record_dir": str(tmp_path / "records"),
        **more,
    }


def body_of(message):
    return message.get_body(("plain",)).get_content()


def envelope_recipients(message):
    return sorted(a.strip() for a in message["X-Sink-Rcpt-To"].split(","))


def failure(run):
    return next(t for t in run.tasks if t.get("failed"))


def expected_next_window(now):
    """Independent of the code under test: the first Sunday at 02:00 UTC+7 of each month, the first
    whose start is at least 6 days after NOW; as (start UTC, start in WIB)."""
    year, month = now.year, now.month
    while True:
        day = next(d for d in range(1, 8) if calendar.weekday(year, month, d) == calendar.SUNDAY)
        local = dt.datetime(year, month, day, 2, 0)
        start = (local - dt.timedelta(hours=7)).replace(tzinfo=dt.timezone.utc)
        if start >= now + dt.timedelta(days=6):
            return start, local
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# --- the notice ---------------------------------------------------------------------------


def test_the_notice_arrives_with_the_window_in_wib_and_utc_then_is_not_sent_twice(sink, tmp_path):
    mail = sink()
    # First Sunday on the 1st: the window starts on the previous month's last day in UTC.
    extra = settings(mail, tmp_path, maintenance_notice_window="2027-07-31T19:00:00Z")
    run = play(extra)
    assert (run.rc, run.failed) == (0, 0), run.output
    [message] = mail.messages()
    assert envelope_recipients(message) == sorted([*CUSTOMERS, "maintenance@fleet.test"])
    assert message["X-Sink-Mail-From"] == "maintenance@fleet.test"
    # Bcc: the customers do not see each other's addresses.
    assert message["To"] == SENDER and message["From"] == SENDER
    assert not any(c in str(v) for c in CUSTOMERS for k, v in message.items() if not k.startswith("X-Sink"))
    assert message["X-Fleet-Maintenance-Window"] == "2027-07-31T19:00:00Z"
    assert message["Subject"] == ("E1 Web Dashboard scheduled maintenance: Sunday 1 August 2027, 02:00-04:00 WIB"
                                  " (Saturday 31 July 2027, 19:00-21:00 UTC)")
    body = body_of(message)
    for text in ("Sunday 1 August 2027, 02:00-04:00 WIB (Asia/Jakarta, UTC+7)",
                 "Saturday 31 July 2027, 19:00-21:00 UTC",
                 "2027-08-01 02:00 WIB - 04:00 WIB",
                 "2027-07-31T19:00:00Z - 2027-07-31T21:00:00Z",
                 "Operating system security patches", "Database maintenance", "Application updates"):
        assert text in body, body
    [record] = (tmp_path / "records").glob("*.json")
    assert json.loads(record.read_text())["window"] == "2027-07-31T19:00:00Z"

    again = play(extra)
    assert (again.rc, again.changed) == (0, 0), again.output
    assert "was already announced to these 2 recipients" in next(
        t["msg"] for t in again.tasks if t["name"] == "Report a notice already sent")
    assert len(mail.messages()) == 1

    # a changed list is a new notice; force sends again to the same list
    assert play(dict(extra, maintenance_notice_recipients=CUSTOMERS + ["third@example.com"])).rc == 0
    assert play(dict(extra, maintenance_notice_force="true")).rc == 0
    assert len(mail.messages()) == 3


def test_without_a_window_the_next_one_at_least_six_days_away_is_announced(sink, tmp_path):
    mail = sink()
    before = dt.datetime.now(dt.timezone.utc)
    run = play(settings(mail, tmp_path, maintenance_notice_bcc="false", maintenance_notice_contact="ops@fleet.test"))
    after = dt.datetime.now(dt.timezone.utc)
    assert run.rc == 0, run.output
    [message] = mail.messages()
    assert [a.strip() for a in message["To"].split(",")] == CUSTOMERS
    chosen = message["X-Fleet-Maintenance-Window"]
    candidates = {expected_next_window(before), expected_next_window(after)}
    assert chosen in {start.strftime("%Y-%m-%dT%H:%M:%SZ") for start, _ in candidates}
    start, local = next(c for c in candidates if c[0].strftime("%Y-%m-%dT%H:%M:%SZ") == chosen)
    body = body_of(message)
    assert f"{local:%Y-%m-%d} 02:00 WIB - 04:00 WIB" in body, body
    end = start + dt.timedelta(hours=2)
    assert f"{start:%Y-%m-%dT%H:%M:%SZ} - {end:%Y-%m-%dT%H:%M:%SZ}" in body, body
    assert f"{start:%H:%M}-{end:%H:%M} UTC" in message["Subject"] and "02:00-04:00 WIB" in message["Subject"]
    assert "Questions: ops@fleet.test" in body


def test_check_mode_shows_the_message_and_sends_nothing(sink, tmp_path):
    mail = sink()
    run = play(settings(mail, tmp_path, maintenance_notice_window="2028-09-30T19:00:00Z"), "--check")
    assert (run.rc, run.changed) == (0, 0), run.output
    shown = next(t["msg"] for t in run.tasks if t["name"] == "Show the notice a real run would send")
    assert "Bcc: customers@fleet.test, second.customer@example.com" in shown
    assert any("2028-10-01 02:00 WIB - 04:00 WIB" in line for line in shown[-1])
    assert mail.messages() == []
    assert not (tmp_path / "records").exists()


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"maintenance_notice_recipients": ["customers@fleet.test", "customers at fleet.test"]},
         "maintenance_notice_recipients[1] 'customers at fleet.test' is not an e-mail address (user@domain)"),
        ({"maintenance_notice_recipients": []}, "maintenance_notice_recipients is empty"),
        ({"maintenance_notice_smtp_port": 70000}, "maintenance_notice_smtp_port 70000 is out of range 1-65535"),
        ({"maintenance_notice_window": "2027-08-08T02:00:00+07:00"},
         "maintenance_notice_window '2027-08-08T02:00:00+07:00' (2027-08-08 02:00 WIB) is not a maintenance"
         " window's start"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(sink, tmp_path, change, expected):
    mail = sink()
    run = play(dict(settings(mail, tmp_path), **change))
    assert (run.rc, run.failed) == (2, 1), run.output
    failed = failure(run)
    assert failed["name"] == "Check the maintenance_notice input"
    assert expected in failed["msg"], failed["msg"]
    assert mail.messages() == []


def test_a_relay_that_does_not_answer_is_named(tmp_path):
    port = free_port()
    run = play(dict(maintenance_notice_recipients=CUSTOMERS, maintenance_notice_from=SENDER,
                    maintenance_notice_smtp_host="127.0.0.1", maintenance_notice_smtp_port=port,
                    maintenance_notice_smtp_secure="never", maintenance_notice_smtp_timeout=2,
                    maintenance_notice_record_dir=str(tmp_path / "records")))
    assert run.rc == 2
    assert f"The SMTP relay 127.0.0.1:{port} (maintenance_notice_smtp_host, maintenance_notice_smtp_port) does not" \
           " answer: nothing sent" in failure(run)["msg"]
    assert not (tmp_path / "records").exists()


# --- a login over STARTTLS ----------------------------------------------------------------


@pytest.fixture()
def tls_pair(tmp_path):
    cert, key = tmp_path / "relay.pem", tmp_path / "relay.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return ["--tls-cert", str(cert), "--tls-key", str(key)]


def test_a_login_over_starttls_with_the_password_from_the_environment(sink, tmp_path, tls_pair):
    password = "pw-" + secrets.token_hex(12)
    env = dict(os.environ, FLEET_SMTP_PASSWORD=password)
    mail = sink("--auth-user", "mailer", "--auth-password-env", "FLEET_SMTP_PASSWORD", *tls_pair, env=env)
    extra = settings(mail, tmp_path, maintenance_notice_smtp_secure="starttls", maintenance_notice_smtp_username="mailer",
                     maintenance_notice_window="2027-01-02T19:00:00Z")
    # The default output at its most verbose: module arguments, results, the environment lookup.
    run = play(extra, "-vvv", env=env, callback="default")
    assert run.rc == 0, run.output
    assert password not in run.output
    [message] = mail.messages()
    assert message["X-Sink-Auth-Login"] == "mailer"
    assert password.encode() not in next(mail.directory.glob("*.eml")).read_bytes()
    assert "Username and Password was sent without encryption" not in run.output

    # a wrong password: refused by the relay, named, the password still nowhere
    wrong = "wrong-" + secrets.token_hex(8)
    bad = play(dict(extra, maintenance_notice_force="true"), "-vvv", env=dict(env, FLEET_SMTP_PASSWORD=wrong),
               callback="default")
    assert bad.rc == 2
    assert "Authentication to 127.0.0.1:" in bad.output and "failed" in bad.output
    assert wrong not in bad.output and password not in bad.output
    assert len(mail.messages()) == 1


def test_a_login_without_a_password_is_refused_before_sending(sink, tmp_path):
    mail = sink()
    env = {k: v for k, v in os.environ.items() if k != "FLEET_SMTP_PASSWORD"}
    run = play(settings(mail, tmp_path, maintenance_notice_smtp_username="mailer",
                        maintenance_notice_smtp_secure="starttls"), env=env)
    assert run.rc == 2
    assert "maintenance_notice_smtp_password is empty while maintenance_notice_smtp_username is set" in \
        failure(run)["msg"]
    assert mail.messages() == []


# --- the sink itself ----------------------------------------------------------------------


def test_the_sink_keeps_each_message_and_exits_cleanly_on_sigterm(sink):
    import smtplib

    mail = sink()
    with smtplib.SMTP("127.0.0.1", mail.port, timeout=10) as client:
        client.sendmail("a@fleet.test", ["b@fleet.test", "c@fleet.test"], "Subject: one\r\n\r\nfirst\r\n")
        client.sendmail("a@fleet.test", ["b@fleet.test"], "Subject: two\r\n\r\nsecond\r\n")
    first, second = mail.messages()
    assert (first["Subject"], first["X-Sink-Rcpt-To"]) == ("one", "b@fleet.test, c@fleet.test")
    assert second.get_content().strip() == "second"
    assert not list(mail.directory.glob(".*"))
    assert mail.stop() == 0
    assert "mail_sink: stopped" in mail.log.read_text()


def test_the_sink_refuses_a_login_it_was_not_given(sink, tls_pair):
    import smtplib

    env = dict(os.environ, FLEET_SMTP_PASSWORD="right")
    mail = sink("--auth-user", "mailer", *tls_pair, env=env)
    with smtplib.SMTP("127.0.0.1", mail.port, timeout=10) as client:
        client.starttls()
        with pytest.raises(smtplib.SMTPAuthenticationError):
            client.login("mailer", "wrong")
        with pytest.raises(smtplib.SMTPSenderRefused):
            client.sendmail("a@fleet.test", ["b@fleet.test"], "Subject: x\r\n\r\nx\r\n")
    assert mail.messages() == []
