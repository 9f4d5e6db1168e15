"""A page per report and per review: the member's focal point (or the Secretariat on its
behalf) submits the annual report, the reviewing member's focal point its review. The forms
post to the routes of `reports.py`, which call `ReportService` as `POST /reports/...` does; a
refusal comes back on this page beside the field."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.errors import NotFound
from governance.kernel.model import Role
from governance.kernel.timekeeping import local_date
from govsched.http.path_years import ReportingYear as Year
from govsched.http.state import AppState
from govsched.http.web import action_forms as forms
from govsched.http.web import reporting_grid as grid
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.forms import FormState
from govsched.http.web.pages import page
from govsched.http.web.rendering import WebRoute, render
from govsched.http.web.routes.indicators import comment_form, indicators_section
from govsched.i18n.current import gettext as _
from govsched.persistence.repos import registry as registry_repo
from govsched.services.reports import cycle_view

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _own(viewer: Viewer) -> str:
    return (viewer.person.member or "") if viewer.holds(Role.FOCAL_POINT) else ""


def _names(state: AppState) -> dict[str, str]:
    with state.db.reading() as session:
        return dict(registry_repo.member_choices(session))


@page(r"/web/reports/(?P<year>\d{4})/report")
def report_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    now = state.settings.now()
    today = local_date(now, state.rulebook.initiative.timezone)
    year = int(params["year"])
    member = params.get("member") or _own(viewer)
    cycle = cycle_view(state.db, year, viewer.person, now, state.rulebook)
    line = next((r for r in cycle.reports if r.member == member), None)
    if line is None:
        raise NotFound("report", f"{member} {year}")
    back = grid.report_link(year, member)
    names = _names(state)
    can = line.status in ("open", "overdue") and cycle.opens <= today
    context = {
        "year": year,
        "cycle": cycle,
        "line": line,
        "name": names.get(member, member),
        "names": names,
        "labels": {k: _(v) for k, v in grid.STATE_LABELS.items()},
        "form": forms.submit_report(year, member, line.kind, back)
        if can and grid.may_submit_report(viewer, member)
        else None,
        "not_open": cycle.opens > today,
        # a report sent now counts for a cycle whose plenary met without it
        "closed": today > cycle.closes,
        "reviews": [r for r in cycle.reviews if r.report_of == member],
        # issue 22: the member's indicator values and its form (draft or submission)
        **indicators_section(
            request, viewer, year, member, back, grid.may_submit_report(viewer, member)
        ),
    }
    return render(request, "report_form.html", context, status, viewer, form_state)


@router.get("/web/reports/{year}/report")
def report(request: Request, viewer: SignedIn, year: Year) -> Response:
    return report_page(request, viewer, {**request.query_params, "year": str(year)})


@page(r"/web/reports/(?P<year>\d{4})/reviews/(?P<report_of>[a-z0-9-]+)")
def review_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    now = state.settings.now()
    year, report_of = int(params["year"]), params["report_of"]
    reviewer = params.get("reviewer") or _own(viewer)
    cycle = cycle_view(state.db, year, viewer.person, now, state.rulebook)
    review = next(
        (r for r in cycle.reviews if r.report_of == report_of and r.reviewer == reviewer), None
    )
    if review is None:
        raise NotFound("review", f"of {report_of} by {reviewer} in {year}")
    back = grid.review_link(year, report_of, reviewer)
    context = {
        "year": year,
        "cycle": cycle,
        "review": review,
        "report": next((r for r in cycle.reports if r.member == report_of), None),
        "names": _names(state),
        "form": forms.submit_review(year, report_of, reviewer, back)
        if review.submitted_at is None and reviewer == _own(viewer)
        else None,
        # issue 22: the reviewed member's indicators beside the report, a comment per indicator
        **indicators_section(request, viewer, year, report_of, back, may_submit=False),
    }
    shown = context.get("indicators")
    if shown is not None and review.submitted_at is None and reviewer == _own(viewer):
        context["comment_form"] = comment_form(year, report_of, reviewer, shown, back)
    return render(request, "review_form.html", context, status, viewer, form_state)


@router.get("/web/reports/{year}/reviews/{report_of}")
def review(request: Request, viewer: SignedIn, year: Year, report_of: str) -> Response:
    params = {**request.query_params, "year": str(year), "report_of": report_of}
    return review_page(request, viewer, params)
