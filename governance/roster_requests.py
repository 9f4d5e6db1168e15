"""Requests on a plenary's roster, as a scenario, the API or the CLI states them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from governance.application_model import Reason
from governance.model import Frozen, Slug

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
