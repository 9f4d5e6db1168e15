"""Member rows written straight to a store, for tests of tables that refer to members (reports,
reviews) and care about nothing else of them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from govsched.persistence.tables import MemberRow


def insert_members(to: Session | Connection, ids: Iterable[str]) -> None:
    """Full company members with these ids (each its own name), joined in 2010."""
    rows: list[dict[str, Any]] = [
        {
            "id": m,
            "name": m,
            "pillar": "company",
            "country": "X",
            "joined": date(2010, 1, 1),
            "status": "full",
        }
        for m in ids
    ]
    to.execute(insert(MemberRow), rows)
