"""Liveness and readiness, for the embedded stack and for load balancers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from govsched.http.deps import State

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(state: State) -> dict[str, Any]:
    with state.db.reading() as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok", "initiative": state.rulebook.initiative.short_name}
