"""Impact indicators (issue 22): a member's values per reporting year (draft, submission,
amendment), reviewers' comments per indicator, the aggregates and the year-on-year comparison
as the reader may see them, and the Secretariat's exports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import Field

from governance.kernel.messages import say
from governance.kernel.model import Incoming, Role, Slug
from governance.reports.indicators.submission import (
    COMMENT_LENGTH,
    CommentIndicator,
    IndicatorComment,
    StoredIndicators,
    SubmitIndicators,
)
from govsched.http.api.reading import indicators_in, request_language
from govsched.http.api.routes.registry import ERRORS
from govsched.http.deps import CurrentPerson, State, requires
from govsched.http.path_years import ReportingYear
from govsched.services.indicator_exports import (
    CSV_TYPE,
    XLSX_TYPE,
    ComparisonOut,
    TableOut,
    comparison_out,
    csv_export,
    table_out,
    xlsx_export,
)
from govsched.services.indicators import IndicatorsView

router = APIRouter(tags=["indicators"])
Year = ReportingYear
Member = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
SECRETARIAT_ONLY = [Depends(requires(Role.SECRETARIAT, say("exporting indicators")))]


@router.get("/reports/{year}/{member_id}/indicators", responses=ERRORS)
def read_indicators(
    request: Request, state: State, person: CurrentPerson, year: Year, member_id: Member
) -> IndicatorsView:
    """The member's values, for the member itself, its reviewers, the Secretariat and the
    Steering Committee; its draft only for itself and the Secretariat. Each question's label is
    in the reader's language (Accept-Language) where the rulebook words it."""
    view = state.indicators().view(year, member_id, person)
    indicators = state.rulebook.indicators.set_by_version(view.version)
    return indicators_in(view, indicators, request_language(request))


@router.put("/reports/{year}/{member_id}/indicators/draft", responses=ERRORS)
def save_draft(
    state: State, person: CurrentPerson, year: Year, member_id: Member, body: dict[str, Any]
) -> StoredIndicators:
    """Save a draft: every value is checked, a required one may still be missing."""
    command = SubmitIndicators(
        year=year, member=member_id, by=person.id, indicators=body, draft=True
    )
    return state.indicators().submit(command, state.settings.now())


@router.post("/reports/{year}/{member_id}/indicators", status_code=201, responses=ERRORS)
def submit_indicators(
    state: State, person: CurrentPerson, year: Year, member_id: Member, body: dict[str, Any]
) -> StoredIndicators:
    """Submit the values (every required one given); after a submission this amends it, audited
    and told to the member's reviewers."""
    command = SubmitIndicators(year=year, member=member_id, by=person.id, indicators=body)
    return state.indicators().submit(command, state.settings.now())


class CommentIn(Incoming):
    reviewer: Slug
    key: Annotated[str, Field(min_length=1, max_length=60)]
    text: Annotated[str, Field(min_length=1, max_length=COMMENT_LENGTH)]


@router.post("/reports/{year}/{member_id}/indicators/comments", status_code=201, responses=ERRORS)
def comment_indicator(
    state: State,
    person: CurrentPerson,
    year: Year,
    member_id: Member,
    body: CommentIn,
) -> IndicatorComment:
    """A reviewer's focal point comments on one indicator; it reaches the member with the
    review."""
    command = CommentIndicator(
        year=year,
        report_of=member_id,
        reviewer=body.reviewer,
        by=person.id,
        key=body.key,
        text=body.text,
    )
    return state.indicators().comment(command, state.settings.now())


@router.get("/indicators/{year}", responses=ERRORS)
def aggregates(state: State, person: CurrentPerson, year: Year) -> list[TableOut]:
    """The year's aggregates per pillar, indicator and country; cells of too few members are
    suppressed for everyone but the Secretariat and the Steering Committee."""
    service = state.indicators()
    return [table_out(t) for t in service.tables_for(year, person)]


@router.get("/indicators/{year}/comparison", responses=ERRORS)
def comparison(
    state: State,
    person: CurrentPerson,
    year: Year,
    earlier: Annotated[int, Query(ge=1990, le=2200, description="the year compared with")],
) -> ComparisonOut:
    """Year-on-year change; across set versions, only indicators present in both."""
    return comparison_out(state.indicators().comparison(earlier, year, person))


@router.get("/indicators/{year}/export.csv", responses=ERRORS, dependencies=SECRETARIAT_ONLY)
def export_csv(state: State, year: Year) -> Response:
    """Every member's submitted values of the year, for the Secretariat."""
    return Response(csv_export(state.db, state.rulebook, year), media_type=CSV_TYPE)


@router.get("/indicators/{year}/export.xlsx", responses=ERRORS, dependencies=SECRETARIAT_ONLY)
def export_xlsx(state: State, year: Year) -> Response:
    """The same as the CSV, as a spreadsheet: values and the aggregates on their own sheets."""
    return Response(xlsx_export(state.db, state.rulebook, year), media_type=XLSX_TYPE)
