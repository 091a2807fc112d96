#!/usr/bin/env python3
"""An SMTP server that keeps what it receives: the local fleet's and the tests' stand-in for the
customers' mail servers. Built on aiosmtpd; runs in the foreground until SIGTERM or SIGINT, then
exits 0.

    python scripts/mail_sink.py --host 127.0.0.1 --port 2525 --dir .fleet/mail

Each message accepted is written whole, atomically, as one file DIR/<time>-<n>.eml, headers first
as received, after these added by the sink (the envelope, which the headers alone do not show):

    X-Sink-Mail-From: the envelope sender
    X-Sink-Rcpt-To: the envelope recipients, comma-separated
    X-Sink-Auth-Login: the login the client authenticated as (never the password), when it did

Options for the cases a real relay has:
  --auth-user USER --auth-password-env VAR   require SMTP AUTH (PLAIN, LOGIN) with USER and the
                                             password in environment variable VAR (never on the
                                             command line); the login is refused otherwise
  --tls-cert FILE --tls-key FILE             offer STARTTLS; AUTH then needs it
Without --tls-cert, AUTH is accepted over the plain connection: this is a test server for loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import itertools
import logging
import os
import signal
import ssl
import sys
import time
from pathlib import Path

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def say(text):
    print(f"mail_sink: {text}", flush=True)


class Keeper:
    """aiosmtpd handler: every message accepted becomes one .eml file in DIRECTORY."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self._numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        newline = b"\r\n" if b"\r\n" in content else b"\n"
        added = [b"X-Sink-Mail-From: " + (envelope.mail_from or "").encode("utf-8", "replace"),
                 b"X-Sink-Rcpt-To: " + ", ".join(envelope.rcpt_tos).encode("utf-8", "replace")]
        if session.authenticated and session.login_data:
            login = session.login_data
            added.append(b"X-Sink-Auth-Login: " + (login if isinstance(login, bytes) else str(login).encode()))
        name = f"{time.time_ns()}-{os.getpid()}-{next(self._numbers)}.eml"
        partial = self.directory / f".{name}.partial"
        partial.write_bytes(newline.join(added) + newline + content)
        os.replace(partial, self.directory / name)
        say(f"kept {name}: from <{envelope.mail_from}> to {', '.join(f'<{r}>' for r in envelope.rcpt_tos)}"
            f" ({len(content)} bytes)")
        return "250 Message accepted for delivery"


def authenticator(user, password):
    """aiosmtpd authenticator accepting USER with PASSWORD only (PLAIN and LOGIN)."""
    want_user, want_password = user.encode(), password.encode()

    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and hmac.compare_digest(auth_data.login, want_user)
            and hmac.compare_digest(auth_data.password, want_password)
        )
        # auth_data gives the session its login (session.login_data); the password stays in memory.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


def options(argv):
    parser = argparse.ArgumentParser(description="An SMTP server that keeps each message it receives as a .eml file.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=2525, help="port to listen on (default 2525)")
    parser.add_argument("--dir", required=True, type=Path, help="folder that receives one .eml file per message")
    parser.add_argument("--auth-user", help="require SMTP AUTH with this login")
    parser.add_argument("--auth-password-env", default="FLEET_SMTP_PASSWORD",
                        help="environment variable holding the AUTH password (default FLEET_SMTP_PASSWORD)")
    parser.add_argument("--tls-cert", type=Path, help="certificate (PEM) offered with STARTTLS")
    parser.add_argument("--tls-key", type=Path, help="its private key (PEM)")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error(f"--port {args.port} is out of range 1-65535")
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if args.auth_user and not os.environ.get(args.auth_password_env):
        parser.error(f"--auth-user needs the password in the environment variable {args.auth_password_env}")
    return args


async def serve(args):
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    args.dir.mkdir(parents=True, exist_ok=True)
    handler = Keeper(args.dir)
    settings = {"hostname": "mail-sink.fleet.test", "loop": loop}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        settings["tls_context"] = context
    if args.auth_user:
        settings.update(
            authenticator=authenticator(args.auth_user, os.environ[args.auth_password_env]),
            auth_required=True,
            auth_require_tls=bool(args.tls_cert),
        )
    try:
        server = await loop.create_server(lambda: SMTP(handler, **settings), host=args.host, port=args.port)
    except OSError as err:
        say(f"cannot listen on {args.host}:{args.port}: {err.strerror or err}")
        return 1
    features = [name for name, on in (("STARTTLS", args.tls_cert), (f"AUTH as {args.auth_user}", args.auth_user)) if on]
    say(f"listening on {args.host}:{args.port}{' with ' + ' and '.join(features) if features else ''},"
        f" keeping messages in {args.dir}")
    await stop.wait()
    server.close()
    try:
        # Python 3.12 and later also wait here for open connections; a client that hangs on does
        # not keep the sink from stopping.
        await asyncio.wait_for(server.wait_closed(), 5)
    except asyncio.TimeoutError:
        pass
    say("stopped")
    return 0


def main(argv=None):
    args = options(argv)
    logging.basicConfig(level=logging.WARNING, format="mail_sink: %(name)s: %(message)s")
    if args.auth_user and not args.tls_cert:
        # aiosmtpd warns about AUTH without TLS; on loopback that is the point of a test sink.
        import warnings  # pylint: disable=import-outside-toplevel

        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        logging.getLogger("mail.log").setLevel(logging.ERROR)
    return asyncio.run(serve(args))


if __name__ == "__main__":
    sys.exit(main())
