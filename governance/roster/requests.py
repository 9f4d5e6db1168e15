"""Requests on a plenary's roster, as a scenario, the API or the CLI states them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from governance.applications.model import Reason
from governance.kernel.errors import Forbidden
from governance.kernel.messages import say
from governance.kernel.model import Frozen, Role, Slug

Year = Annotated[int, Field(ge=1990, le=2200)]


class RequestDeferral(Frozen):
    action: Literal["request_deferral"] = "request_deferral"
    year: Year
    member: Slug
    by: Slug
    reason: Reason


class DecideDeferral(Frozen):
    action: Literal["decide_deferral"] = "decide_deferral"
    year: Year
    member: Slug
    by: Slug
    approve: bool


DEFERRAL_DECIDERS = frozenset({Role.CHAIR, Role.SECRETARIAT})


def require_deferral_decider(roles: frozenset[Role]) -> None:
    """Only the Chair or the Secretariat decide a deferral, whether or not a roster exists yet."""
    if not roles & DEFERRAL_DECIDERS:
        raise Forbidden(
            f"{Role.CHAIR.value} or {Role.SECRETARIAT.value}", say("deciding on a deferral")
        )
