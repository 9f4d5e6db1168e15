"""Signed unsubscribe links: which person stops which kind of email, without a sign-in.

The token is the person and the kind, and an HMAC of both under the installation's secret
(`govsched.services.ids.server_secret`, under a purpose of its own), so a link works only for the
person and kind it was made for and nobody can make one for somebody else. It never expires: an old
email's link still unsubscribes, as people expect of a mailing list.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from hashlib import sha256

from governance.rulebook.model import NotificationKind

PURPOSE = b"email-unsubscribe"
SIGNATURE_BYTES = 16
UNSUBSCRIBE_PATH = "/web/unsubscribe/"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, PURPOSE + b"\x00" + payload, sha256).digest()[:SIGNATURE_BYTES]


def unsubscribe_token(secret: bytes, person: str, kind: NotificationKind) -> str:
    payload = f"{person}\x00{kind.value}".encode()
    return f"{_b64(payload)}.{_b64(_signature(secret, payload))}"


def read_unsubscribe_token(secret: bytes, token: str) -> tuple[str, NotificationKind] | None:
    """(person, kind) of a genuine token; None for anything else (never an exception)."""
    encoded, _, signature = token.partition(".")
    try:
        payload, given = _unb64(encoded), _unb64(signature)
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(given, _signature(secret, payload)):
        return None
    person, _, kind = payload.decode("utf-8", "replace").partition("\x00")
    try:
        return person, NotificationKind(kind)
    except ValueError:
        return None


def unsubscribe_url(base_url: str, secret: bytes, person: str, kind: NotificationKind) -> str:
    return f"{base_url.rstrip('/')}{UNSUBSCRIBE_PATH}{unsubscribe_token(secret, person, kind)}"
