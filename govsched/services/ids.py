"""Ids the server makes for confidential items (applications, concerns): nobody can guess them.

An id made from a caller's key (an Idempotency-Key, a filer's own reference) is an HMAC of the
key under the server's secret: the same key names the same item again, while nobody without the
secret can compute it from the key, as they could a plain hash. An id with no key is random.
The secret is `GOVSCHED_ID_SECRET`, or else one made once and kept in the var directory (every
process of an installation on one machine shares it; processes on several machines need the
setting). Ids of items that are not secret (`plenary-2027`, `full-<member>` of a member whose
status is public) stay readable: what protects an item is that every verb answers a person who
may not see it exactly as it answers an id nobody used.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Protocol

from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import say
from govsched.config import Settings

# 48 bits: the ids keep their earlier length (`app-` and 12 hex digits).
DIGITS = 12
SECRET_FILE = "id-secret"


@dataclass(frozen=True)
class IdMaker:
    secret: bytes

    def keyed(self, prefix: str, purpose: str, *key: str) -> str:
        """`<prefix>-<hex>`, the same for the same purpose and key, unguessable without the
        secret; the purpose keeps an application's key from naming a concern."""
        message = "\x00".join((purpose, *key)).encode()
        return f"{prefix}-{hmac.new(self.secret, message, sha256).hexdigest()[:DIGITS]}"


def random_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(DIGITS // 2)}"


def server_secret(settings: Settings) -> bytes:
    """The installation's id secret: the setting, or the var directory's file (made on first
    use, readable by the owner only; of two processes making it at once, the first one wins)."""
    if settings.id_secret is not None:
        return settings.id_secret.get_secret_value().encode()
    path = Path(settings.var_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{SECRET_FILE}.{secrets.token_hex(8)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
        # a hard link appears whole or not at all, and never replaces a file already there
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip().encode()


class CaseIds(Protocol):
    """Names a new concern case from its filer and the filer's own id for it."""

    def for_filing(self, filer: str, reference: str | None, /) -> str: ...


@dataclass(frozen=True)
class ServerCaseIds:
    """The API's: the server names every case, so a filer never learns that an id is taken by
    a case they may not see. The same filer's same reference names the same case again (their
    repeat is theirs to see); no reference, a random id."""

    ids: IdMaker

    def for_filing(self, filer: str, reference: str | None, /) -> str:
        if reference is None:
            return random_id("c")
        return self.ids.keyed("c", "concern", filer, reference)


class FilerCaseIds:
    """The filer's id is the case's: for callers who may know every case anyway (a rehearsal's
    scenario names its cases; the operator's CLI runs with the database's credentials)."""

    def for_filing(self, _filer: str, reference: str | None, /) -> str:
        if reference is None:
            raise InvalidInput(say("the case needs an id"), [Problem("id", say("is required"))])
        return reference


FILER_CASE_IDS = FilerCaseIds()
