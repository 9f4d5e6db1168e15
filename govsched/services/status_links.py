"""The applicant's private status link: made by the server, checked without storage.

The token is an HMAC of the application's id under the server's id secret (the one that makes
the ids themselves, govsched/services/ids.py), so only the server can make it, every process
of an installation checks it alike, and nothing secret is stored. 128 bits: the link is the
applicant's only credential, so it must not be guessed even by many tries.
"""

from __future__ import annotations

import hmac
from hashlib import sha256

from govsched.services.ids import IdMaker

STATUS_PATH = "/apply/status"
_PURPOSE = b"application-status\x00"
_DIGITS = 32


def status_token(ids: IdMaker, application_id: str) -> str:
    mac = hmac.new(ids.secret, _PURPOSE + application_id.encode(), sha256)
    return mac.hexdigest()[:_DIGITS]


def token_matches(ids: IdMaker, application_id: str, token: str) -> bool:
    return hmac.compare_digest(status_token(ids, application_id), token)


def status_path(ids: IdMaker, application_id: str) -> str:
    """The link's path; the caller puts the site's base address before it."""
    return f"{STATUS_PATH}/{application_id}/{status_token(ids, application_id)}"
