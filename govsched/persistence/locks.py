"""One writer at a time for an item whose documents are read, changed and written back.

Groups, their meetings, plans and funding requests, and a member's indicator values are stored
as documents: a step reads one, lets the rules change it and writes it whole. On SQLite a write
transaction takes the database's write lock as it begins (`BEGIN IMMEDIATE`), so two steps never
interleave. PostgreSQL's READ COMMITTED does not serialise them: two reviewers recommending at
once each read the request without the other's recommendation, and the later write silently
replaced the earlier (an objection lost, the request approved); two first submissions both
inserted, and the second failed on the primary key (a 500).

`hold` takes a transaction-scoped advisory lock named after the item before the step reads it:
a second step on the same item waits until the first commits, then reads what it wrote. A lock
needs no row, so it also covers an item's first write. It is released when the transaction
ends, committed or not.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def lock_key(*name: str | int) -> int:
    """The advisory lock's number for an item's name: a signed 64-bit integer, as PostgreSQL
    takes it, the same in every process."""
    digest = hashlib.sha256(":".join(str(part) for part in name).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def hold(session: Session, *name: str | int) -> None:
    """Wait until no other transaction holds the item `name`, and hold it until this one ends.
    Take it before the step reads the item (what the session read before may be older)."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: the write transaction already holds the whole database
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(*name)})
