"""Reports and reviews: who has reported, the assignment matrix with its reasons, what is
overdue, and submitting (through `ReportService`, as `POST /reports/...` does).

What each person sees is `govsched.services.reports.cycle_view`, the API's own read: everything for
the Secretariat, the Steering Committee and the Chair; a focal point sees its member's report, the
reviews of it and the reviews it owes.
"""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response
from temporalio.client import Client

from governance.kernel.errors import GovernanceError
from governance.kernel.model import Plenary, PlenaryKind, Role
from governance.kernel.timekeeping import local_date
from governance.reports.cycle import SubmitReport, SubmitReview, cycle_dates
from govsched.http.bodies import ReportIn, ReviewIn
from govsched.http.state import AppState
from govsched.http.web import action_forms as forms
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.charts import reporting
from govsched.http.web.forms import Form, FormState, parse
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render
from govsched.http.web.work import open_cycles
from govsched.persistence.repos import registry as registry_repo
from govsched.services.reports import CycleView, ReportService, cycle_view

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _chosen_year(
    wanted: str, years: list[int], open_years: list[int], this_year: int
) -> int | None:
    """The year asked for, else the latest open cycle, else the latest year begun."""
    if wanted.isdigit():
        return int(wanted)
    if open_years:
        return open_years[-1]
    begun = [y for y in years if y <= this_year]
    return max(begun) if begun else (years[0] if years else None)


def _forms(
    cycle: CycleView, viewer: Viewer, today: date
) -> tuple[dict[str, Form], dict[tuple[str, str], Form]]:
    """The report and review forms this person may send for the cycle."""
    reports: dict[str, Form] = {}
    reviews: dict[tuple[str, str], Form] = {}
    # Late reports are still taken (marked late), so the form stays once the cycle has opened.
    if cycle.opens > today:
        return reports, reviews
    back = f"/web/reports?year={cycle.year}"
    own = viewer.person.member if viewer.holds(Role.FOCAL_POINT) else None
    for line in cycle.reports:
        if line.status in ("open", "overdue") and (
            line.member == own or viewer.holds(Role.SECRETARIAT)
        ):
            reports[line.member] = forms.submit_report(cycle.year, line.member, line.kind, back)
    for review in cycle.reviews:
        if review.submitted_at is None and own is not None and review.reviewer == own:
            reviews[(review.report_of, review.reviewer)] = forms.submit_review(
                cycle.year, review.report_of, review.reviewer, back
            )
    return reports, reviews


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
        names = {m.id: m.name for m in registry_repo.list_members(session)}
    years = sorted({p.year for p in plenaries if p.kind.value == "annual"})
    open_years = open_cycles(plenaries, state.rulebook, today)
    year = _chosen_year(params.get("year", ""), years, open_years, today.year)
    cycle = None
    cycle_error = ""
    if year is not None:
        try:
            cycle = cycle_view(state.db, year, viewer.person, now, state.rulebook)
        except GovernanceError as exc:
            cycle_error = exc.message
    report_forms, review_forms = _forms(cycle, viewer, today) if cycle else ({}, {})
    overdue_reviews = []
    if cycle is not None and today > cycle.review_due:
        overdue_reviews = [r for r in cycle.reviews if r.submitted_at is None]
    grid = _grid(state, viewer, plenaries, cycle, now) if cycle else []
    context = {
        "grid": reporting.grid_picture(reporting.cells(grid), names) if grid else None,
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
        "report_forms": report_forms,
        "review_forms": review_forms,
        "overdue_reports": [r for r in cycle.reports if r.status == "overdue"] if cycle else [],
        "overdue_reviews": overdue_reviews,
        "reporters": sorted({r.reviewer for r in cycle.reviews}) if cycle else [],
        "reported": sorted({r.report_of for r in cycle.reviews}) if cycle else [],
        "matrix": {(r.report_of, r.reviewer): r for r in cycle.reviews} if cycle else {},
    }
    return render(request, "reports.html", context, status, viewer, form_state)


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
async def submit_report(request: Request, viewer: SignedIn, year: int) -> Response:
    async def perform(values: dict[str, str]) -> None:
        body = parse(ReportIn, values, checkboxes=["public"])
        command = SubmitReport(year=year, by=viewer.person.id, **body.model_dump())
        state: AppState = request.app.state.govsched
        service = _service(state, await state.temporal.ready_client())
        await service.submit_report(command, state.settings.now())

    fields = ["member", "kind", "url", "public", "public_on"]
    return await act(request, viewer, fields, perform, "report submitted", "/web/reports")


@router.post("/web/reports/{year}/{report_of}/reviews")
async def submit_review(request: Request, viewer: SignedIn, year: int, report_of: str) -> Response:
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
