"""Reports and reviews: who has reported, the assignment matrix with its reasons, what is
overdue, and submitting (through `ReportService`, as `POST /reports/...` does).

What each person sees is `govsched.services.reports.cycle_view`, the API's own read: everything for
the Secretariat, the Steering Committee and the Chair; a focal point sees its member's report, the
reviews of it and the reviews it owes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response
from temporalio.client import Client

from governance.kernel.errors import GovernanceError
from governance.kernel.model import Plenary, PlenaryKind, Role
from governance.kernel.timekeeping import local_date
from governance.reports.cycle import SubmitReport, SubmitReview, cycle_dates
from govsched.http.bodies import ReportIn, ReviewIn
from govsched.http.path_years import ReportingYear as Year
from govsched.http.state import AppState
from govsched.http.web import reporting_grid as member_grid
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.charts import reporting
from govsched.http.web.forms import FormState, parse
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render
from govsched.http.web.work import open_cycles
from govsched.http.web.years import asked_year
from govsched.i18n.current import gettext as _
from govsched.i18n.refusals import refusal_text
from govsched.persistence.repos import registry as registry_repo
from govsched.services.reports import CycleView, ReportService, cycle_view

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _chosen_year(
    wanted: str, years: list[int], open_years: list[int], this_year: int
) -> int | None:
    """The year asked for, else the latest open cycle, else the latest year begun."""
    asked = asked_year(wanted)
    if asked is not None:
        return asked
    if open_years:
        return open_years[-1]
    begun = [y for y in years if y <= this_year]
    return max(begun) if begun else (years[0] if years else None)


@page(r"/web/reports")
def reports_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    now = state.settings.now()
    today = local_date(now, state.rulebook.initiative.timezone)
    with state.db.reading() as session:
        plenaries = registry_repo.list_plenaries(session)
    years = sorted({p.year for p in plenaries if p.kind.value == "annual"})
    open_years = open_cycles(plenaries, state.rulebook, today)
    year = _chosen_year(params.get("year", ""), years, open_years, today.year)
    cycle = None
    cycle_error = ""
    if year is not None:
        try:
            cycle = cycle_view(state.db, year, viewer.person, now, state.rulebook)
        except GovernanceError as exc:
            cycle_error = refusal_text(exc)
    overdue_reviews = []
    if cycle is not None and today > cycle.review_due:
        overdue_reviews = [r for r in cycle.reviews if r.submitted_at is None]
    cycles: list[CycleView] = []
    if cycle is not None:
        # a grid too tall to draw needs no earlier years: each would read the whole registry
        too_tall = len(cycle.reports) > reporting.DRAWN_ROWS
        cycles = [cycle] if too_tall else _grid(state, viewer, plenaries, cycle, now)
    names = _names(state, cycles)
    context = {
        "grid": reporting.grid_picture(reporting.cells(cycles), names) if cycles else None,
        "load": reporting.load_picture(
            reporting.loads(cycle.reviews, cycle.review_due, today), names, cycle.year
        )
        if cycle and cycle.reviews
        else None,
        "year": year,
        "years": years,
        "cycle": cycle,
        "cycle_error": cycle_error,
        "names": names,
        "overdue_reports": [r for r in cycle.reports if r.status == "overdue"] if cycle else [],
        "overdue_reviews": overdue_reviews,
        "overdue_listed": member_grid.OVERDUE_LISTED,
        **(_grid_context(cycle, names, viewer, today, params) if cycle else {}),
    }
    return render(request, "reports.html", context, status, viewer, form_state)


# Past this many members named, their names are read all at once rather than by id (one
# parameter each).
NAMES_BY_ID = 500


def _names(state: AppState, cycles: list[CycleView]) -> dict[str, str]:
    """The names of the members the cycles show: a focal point's few, not the whole registry."""
    shown = {line.member for c in cycles for line in c.reports}
    shown |= {m for c in cycles for r in c.reviews for m in (r.report_of, r.reviewer)}
    shown |= {e.member for c in cycles for e in c.escalations}
    with state.db.reading() as session:
        if len(shown) > NAMES_BY_ID:
            return registry_repo.all_member_names(session)
        return registry_repo.member_names(session, shown)


def _grid_context(
    cycle: CycleView, names: dict[str, str], viewer: Viewer, today: date, params: dict[str, str]
) -> dict[str, Any]:
    """The grid of members by state, and one member's reviews when asked for."""
    state = params.get("state", "")
    state = state if state in member_grid.STATES else ""
    member = params.get("member", "")
    line = next((r for r in cycle.reports if r.member == member), None)
    own = viewer.person.member if viewer.holds(Role.FOCAL_POINT) else None
    rows = member_grid.rows(cycle, names, viewer, today, state)
    pages = max(1, -(-len(rows) // member_grid.PAGE_ROWS))
    wanted = params.get("page", "")
    number = min(int(wanted), pages) if wanted.isdigit() and int(wanted) > 0 else 1
    first = (number - 1) * member_grid.PAGE_ROWS
    paging = {"year": str(cycle.year), **({"state": state} if state else {})}
    return {
        "rows": rows[first : first + member_grid.PAGE_ROWS],
        "row_count": len(rows),
        "page": number,
        "pages": pages,
        "page_first": first + 1,
        "page_link": "/web/reports?" + urlencode(paging) + "&page=",
        "counts": member_grid.counts(cycle),
        "state": state,
        "labels": {k: _(v) for k, v in member_grid.STATE_LABELS.items()},
        "detail": line,
        "reviews_of": [r for r in cycle.reviews if line and r.report_of == line.member],
        "reviews_by": [r for r in cycle.reviews if line and r.reviewer == line.member],
        "own_line": next((r for r in cycle.reports if own and r.member == own), None),
        "owed": [r for r in cycle.reviews if own and r.reviewer == own],
        "own": own,
        "report_link": member_grid.report_link,
        "review_link": member_grid.review_link,
        "opened": cycle.opens <= today,
    }


def _grid(
    state: AppState, viewer: Viewer, plenaries: list[Plenary], shown: CycleView, now: datetime
) -> list[CycleView]:
    """The cycles the grid shows, as this person may see them: the one on the page and those
    begun in the years before it (`reporting.GRID_YEARS` in all)."""
    today = local_date(now, state.rulebook.initiative.timezone)
    begun = sorted(
        p.year
        for p in plenaries
        if p.kind is PlenaryKind.ANNUAL
        and p.year < shown.year
        and cycle_dates(p, state.rulebook).opens <= today
    )
    earlier = [
        cycle_view(state.db, y, viewer.person, now, state.rulebook)
        for y in begun[-(reporting.GRID_YEARS - 1) :]
    ]
    return [*earlier, shown]


@router.get("/web/reports")
def reports(request: Request, viewer: SignedIn) -> Response:
    return reports_page(request, viewer, dict(request.query_params))


def _service(state: AppState, client: Client) -> ReportService:
    return ReportService(
        client, state.db, state.rulebook, state.settings.task_queue, state.settings.clock_offset
    )


@router.post("/web/reports/{year}")
async def submit_report(request: Request, viewer: SignedIn, year: Year) -> Response:
    async def perform(values: dict[str, str]) -> None:
        body = parse(ReportIn, values, checkboxes=["public"])
        command = SubmitReport(year=year, by=viewer.person.id, **body.model_dump())
        state: AppState = request.app.state.govsched
        service = _service(state, await state.temporal.ready_client())
        await service.submit_report(command, state.settings.now())

    fields = ["member", "kind", "url", "public", "public_on"]
    return await act(request, viewer, fields, perform, "report submitted", "/web/reports")


@router.post("/web/reports/{year}/{report_of}/reviews")
async def submit_review(request: Request, viewer: SignedIn, year: Year, report_of: str) -> Response:
    async def perform(values: dict[str, str]) -> None:
        body = parse(ReviewIn, values)
        command = SubmitReview(
            year=year,
            report_of=report_of,
            reviewer=body.reviewer,
            by=viewer.person.id,
            url=body.url,
        )
        state: AppState = request.app.state.govsched
        service = _service(state, await state.temporal.ready_client())
        await service.submit_review(command, state.settings.now())

    fields = ["reviewer", "url"]
    return await act(request, viewer, fields, perform, "review submitted", "/web/reports")
