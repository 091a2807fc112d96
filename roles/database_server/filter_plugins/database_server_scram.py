"""Whether a password matches a PostgreSQL SCRAM-SHA-256 verifier, computed on the controller.

The role's probe reads the login role's verifier (pg_authid.rolpassword); comparing it here
means the password never goes to the host except inside the module call that sets it, and only
when it differs. A verifier this cannot read (md5, none, a non-ASCII password that PostgreSQL's
SASLprep might normalise) counts as a mismatch: the module then runs and decides itself.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re

_VERIFIER = re.compile(r"^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$")


def database_server_scram_matches(verifier, password):
    """True when PASSWORD gives VERIFIER's StoredKey and ServerKey (RFC 5802, RFC 7677)."""
    match = _VERIFIER.match(str(verifier or ""))
    if not match or not isinstance(password, str) or not password.isascii():
        return False
    try:
        iterations = int(match.group(1))
        salt, stored_key, server_key = (base64.b64decode(match.group(i), validate=True) for i in (2, 3, 4))
    except (binascii.Error, ValueError):
        return False
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return hmac.compare_digest(hashlib.sha256(client_key).digest(), stored_key) and hmac.compare_digest(
        hmac.new(salted, b"Server Key", hashlib.sha256).digest(), server_key
    )


class FilterModule:
    def filters(self):
        return {"database_server_scram_matches": database_server_scram_matches}
