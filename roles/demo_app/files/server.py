#!/usr/bin/python3
"""The stand-in app: serves the files of one directory over HTTP on the listening socket that
systemd passes it (demo-app.socket). The socket belongs to systemd and stays open while the app
restarts, so a restart refuses no connection: new ones wait in its backlog until the next
process accepts them. On SIGTERM the app stops accepting and finishes the requests it has.

    server.py DIRECTORY
"""

import functools
import http.server
import os
import signal
import socket
import sys
import threading

SD_LISTEN_FDS_START = 3


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        """Errors only: every request through nginx is in nginx's access log already."""

    def log_error(self, format, *args):  # noqa: A002
        sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: server.py DIRECTORY")
    if os.environ.get("LISTEN_PID") != str(os.getpid()) or os.environ.get("LISTEN_FDS") != "1":
        sys.exit("demo-app: expects exactly one listening socket from systemd (start demo-app.socket)")
    listener = socket.socket(fileno=SD_LISTEN_FDS_START)
    server = http.server.ThreadingHTTPServer(
        listener.getsockname()[:2], functools.partial(Handler, directory=sys.argv[1]), bind_and_activate=False
    )
    server.socket.close()
    server.socket = listener
    # Requests in progress finish before the process exits (server_close joins their threads).
    server.daemon_threads = False
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
