"""Roster: this year's presenters with the reason for each, the forecast, the fairness report,
and asking to defer (through the roster's workflow, as `POST /rosters/{year}/deferrals`)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.model import Role
from governance.kernel.timekeeping import local_date
from governance.roster.document import RosterDocument
from governance.roster.fairness import Figures, report_text, simulate
from governance.roster.requests import DecideDeferral, RequestDeferral, Year
from governance.roster.rule import RosterRules
from govsched.http.bodies import MAX_FORECAST_YEARS, DecisionBody, DeferralBody
from govsched.http.state import AppState
from govsched.http.web import action_forms as forms
from govsched.http.web import paging
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.charts import fairness as pictures
from govsched.http.web.charts.reading import reading_key
from govsched.http.web.forms import FormState, parse
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render
from govsched.http.web.roster_work import deferrals_asked, pending_deferrals
from govsched.http.web.years import asked_year
from govsched.i18n.documents import message_in_reading
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import roster as roster_repo
from govsched.services.roster import RosterService, forecast_years

router = APIRouter(route_class=WebRoute, include_in_schema=False)

FORECAST_YEARS = min(3, MAX_FORECAST_YEARS)
# The fairness report simulates the rule: the same rules give the same text, so keep it.
REPORT_YEARS, REPORT_SEED = 10, 2027
_figures: dict[str, dict[str, Figures]] = {}
_reports: dict[tuple[str, str], str] = {}


def fairness_report(rules: RosterRules) -> str:
    """In the language being written (the page's reader); the simulation is run once per rules,
    its words once per language."""
    key = rules.model_dump_json()
    if key not in _figures:
        _figures[key] = simulate(rules, REPORT_YEARS, REPORT_SEED)
    written = (key, reading_key())
    if written not in _reports:
        _reports[written] = report_text(
            _figures[key], REPORT_YEARS, write=lambda message: message_in_reading(message)
        )
    return _reports[written]


def _chosen(
    documents: list[RosterDocument], wanted: str | None, year: int
) -> RosterDocument | None:
    asked = asked_year(wanted)
    if asked is not None:
        return next((d for d in documents if d.year == asked), None)
    ahead = [d for d in documents if d.year >= year]
    if ahead:
        return min(ahead, key=lambda d: d.year)
    return max(documents, key=lambda d: d.year) if documents else None


@page(r"/web/roster")
def roster_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    today = local_date(state.settings.now(), state.rulebook.initiative.timezone)
    with state.db.reading() as session:
        documents = roster_repo.documents(session)
        document = _chosen(documents, params.get("year"), today.year)
        members = dict(registry_repo.member_choices(session))
        pending = pending_deferrals(session, document) if document else []
        asked = deferrals_asked(session, document) if document else set()
    forecast = forecast_years(state.db, state.rulebook, FORECAST_YEARS, today)
    own = viewer.person.member
    back = f"/web/roster?year={document.year}" if document else "/web/roster"
    deferral = None
    if (
        document is not None
        and own is not None
        and viewer.holds(Role.FOCAL_POINT)
        and own in {s.member for s in document.slots}
        and own not in asked
    ):
        deferral = forms.request_deferral(document.year, own, back)
    deciding = viewer.holds(Role.CHAIR, Role.SECRETARIAT) and document is not None
    requests = [
        (member, reason, forms.decide_deferral(document.year, member, back) if deciding else None)
        for member, reason in pending
        if document is not None
    ]
    longest = max([len(f.slots) for f in forecast] + [len(document.slots) if document else 0])
    rows = paging.paging(paging.asked_page(params), longest)
    rules = RosterRules.of(state.rulebook)
    plans = pictures.plans(documents, [(f.year, f.slots, f.eligible) for f in forecast], rules)
    context = {
        "shares": pictures.shares_picture(pictures.shares(plans[-pictures.SHARE_YEARS :])),
        "waits": pictures.waits_picture(
            pictures.waits(document, plans), members, document.rules.cycle_years
        )
        if document is not None
        else None,
        "requests": requests,
        "document": document,
        "years": sorted(d.year for d in documents),
        "names": members,
        "forecast": forecast,
        "rows": rows,
        "rows_link": "/web/roster?"
        + urlencode({"year": document.year} if document else {})
        + ("&" if document else "")
        + "page=",
        "fairness": fairness_report(rules),
        "deferral": deferral,
    }
    return render(request, "roster.html", context, status, viewer, form_state)


@router.get("/web/roster")
def roster(request: Request, viewer: SignedIn) -> Response:
    return roster_page(request, viewer, dict(request.query_params))


@router.post("/web/rosters/{year}/deferrals")
async def request_deferral(request: Request, viewer: SignedIn, year: Year) -> Response:
    async def perform(values: dict[str, str]) -> None:
        body = parse(DeferralBody, values)
        command = RequestDeferral(
            year=year, member=body.member, by=viewer.person.id, reason=body.reason
        )
        state: AppState = request.app.state.govsched
        client = await state.temporal.client()
        service = RosterService(
            client, state.db, state.rulebook, state.settings.task_queue, state.settings.clock_offset
        )
        await service.request_deferral(command, state.settings.now())

    fields = ["member", "reason"]
    return await act(request, viewer, fields, perform, "deferral requested", "/web/roster")


@router.post("/web/rosters/{year}/deferrals/{member}/decision")
async def decide_deferral(request: Request, viewer: SignedIn, year: Year, member: str) -> Response:
    async def perform(values: dict[str, str]) -> None:
        body = parse(DecisionBody, values)
        command = DecideDeferral(
            year=year, member=member, by=viewer.person.id, approve=body.approve
        )
        state: AppState = request.app.state.govsched
        client = await state.temporal.client()
        service = RosterService(
            client, state.db, state.rulebook, state.settings.task_queue, state.settings.clock_offset
        )
        await service.decide_deferral(command, state.settings.now())

    return await act(request, viewer, ["approve"], perform, "deferral decided", "/web/roster")
