"""Impact indicators in the workspace (issue 22): a member's form on its report page (draft or
submission, each refusal beside its field), a reviewer's comment per indicator on the review
page, the year-on-year pictures per pillar, the Secretariat's exports, the plenary agenda item,
and a public page of aggregates only.

Every read and write goes through `IndicatorService`, as the API's routes do: the same checks,
the same confidentiality (small cells suppressed for all but the Secretariat and the Steering
Committee, and always on the public page).
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.errors import Forbidden, GovernanceError
from governance.kernel.messages import say
from governance.kernel.model import Person, Pillar, Role, incoming, plenary_id
from governance.reports.indicators.comparison import Comparison
from governance.reports.indicators.model import Indicator, IndicatorSet, IndicatorType
from governance.reports.indicators.submission import CommentIndicator, SubmitIndicators
from governance.year.published_agenda import DocumentLink
from govsched.http.path_years import ReportingYear as Year
from govsched.http.state import AppState
from govsched.http.web import indicator_comparison_words as comparison_words
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.charts.indicator_countries import country_picture
from govsched.http.web.charts.indicators import pillar_picture
from govsched.http.web.forms import Field, Form, FormState
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render
from govsched.http.web.years import asked_year
from govsched.i18n.current import current_language
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_
from govsched.i18n.refusals import refusal_text
from govsched.services import published_agenda as agenda
from govsched.services.indicator_exports import CSV_TYPE, XLSX_TYPE, csv_export, xlsx_export
from govsched.services.indicators import IndicatorService, IndicatorsView

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PREFIX = "indicators."
CURRENCY = "currency."
DRAFT = "draft"


def _service(request: Request) -> IndicatorService:
    state: AppState = request.app.state.govsched
    return state.indicators()


def _wording_language() -> str:
    # the rulebook keys an indicator's wording by the bare language code ("zh", not "zh-Hans")
    return current_language().value.split("-")[0]


def _field(ind: Indicator, value: Any) -> list[Field]:
    language = _wording_language()
    label = ind.label(language)
    guidance = (ind.texts.get(language) or ind.texts["en"]).guidance
    name = PREFIX + ind.key
    match ind.type:
        case IndicatorType.YES_NO:
            shown = "" if value is None else ("yes" if value else "no")
            return [
                Field(
                    name,
                    label,
                    "select",
                    (("yes", N_("Yes")), ("no", N_("No"))),
                    ind.required,
                    guidance,
                    shown,
                )
            ]
        case IndicatorType.CHOICE:
            return [
                Field(
                    name,
                    label,
                    "select",
                    tuple((c, c) for c in ind.choices),
                    ind.required,
                    guidance,
                    value or "",
                )
            ]
        case IndicatorType.AMOUNT:
            amount = value.get("amount", "") if isinstance(value, dict) else ""
            currency = value.get("currency", "") if isinstance(value, dict) else ""
            codes = ", ".join(ind.currencies) or _("an ISO code such as USD")
            return [
                Field(
                    name,
                    label,
                    "text",
                    (),
                    ind.required,
                    guidance or _("The amount, e.g. 1200.50"),
                    str(amount),
                ),
                Field(
                    CURRENCY + ind.key,
                    _("%(indicator)s: currency") % {"indicator": label},
                    "text",
                    (),
                    False,
                    codes,
                    str(currency),
                ),
            ]
        case IndicatorType.SHORT_TEXT:
            return [Field(name, label, "text", (), ind.required, guidance, value or "")]
        case _:
            bounds = [
                _("at least %(least)s") % {"least": ind.minimum} if ind.minimum is not None else "",
                _("at most %(most)s") % {"most": ind.maximum} if ind.maximum is not None else "",
            ]
            hint = "; ".join(x for x in (guidance, *bounds) if x)
            return [
                Field(
                    name, label, "text", (), ind.required, hint, "" if value is None else str(value)
                )
            ]


def indicator_form(
    year: int, member: str, indicators: list[Indicator], values: dict[str, Any], back: str
) -> Form:
    fields = [f for ind in indicators for f in _field(ind, values.get(ind.key))]
    fields.insert(0, Field("member", N_("Member"), "hidden", value=member))
    fields.append(Field(DRAFT, N_("Save as a draft (required values may wait)"), "checkbox"))
    return Form(
        f"indicators-{year}-{member}",
        f"/web/reports/{year}/indicators",
        N_("Save the indicators"),
        tuple(fields),
        back,
    )


def comment_form(year: int, report_of: str, reviewer: str, view: IndicatorsView, back: str) -> Form:
    return Form(
        f"indicator-comment-{year}-{report_of}",
        f"/web/reports/{year}/{report_of}/indicator-comments",
        N_("Send the comment with the review"),
        (
            Field("reviewer", N_("Reviewing member"), "hidden", value=reviewer),
            Field(
                "key",
                N_("Indicator"),
                "select",
                tuple((q.key, q.label) for q in view.questions),
                True,
            ),
            Field(
                "text",
                N_("Comment"),
                "textarea",
                (),
                True,
                N_("It reaches the member with your review."),
            ),
        ),
        back,
    )


def indicators_section(
    request: Request, viewer: Viewer, year: int, member: str, back: str, may_submit: bool
) -> dict[str, Any]:
    """What the report page shows of the member's indicators (nothing if it may not see them)."""
    try:
        view = _service(request).view(year, member, viewer.person)
    except GovernanceError:
        return {}
    values = view.draft if view.draft is not None else (view.submitted or {})
    state: AppState = request.app.state.govsched
    indicators = state.rulebook.indicators.set_by_version(view.version)
    pillar = next(
        (
            p
            for p, inds in indicators.pillars.items()
            if [i.key for i in inds] == [q.key for q in view.questions]
        ),
        None,
    )
    form = None
    if may_submit and pillar is not None:
        form = indicator_form(year, member, indicators.indicators(pillar), values, back)
    return {"indicators": _in_reader_language(view, indicators), "indicator_form": form}


def _in_reader_language(view: IndicatorsView, indicators: IndicatorSet) -> IndicatorsView:
    """The view with each question's label in the reader's language where the rulebook has it
    (the service, shared with the API, words them in English)."""
    language = _wording_language()
    by_key = {i.key: i for inds in indicators.pillars.values() for i in inds}
    questions = [
        q.model_copy(update={"label": by_key[q.key].label(language)}) if q.key in by_key else q
        for q in view.questions
    ]
    return view.model_copy(update={"questions": questions})


def _raw_values(values: dict[str, str]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for name, value in values.items():
        if name.startswith(PREFIX):
            raw[name.removeprefix(PREFIX)] = value
    for name, value in values.items():
        if name.startswith(CURRENCY):
            key = name.removeprefix(CURRENCY)
            amount = raw.get(key, "")
            if amount.strip() or value.strip():
                raw[key] = {"amount": amount, "currency": value.strip()}
    return raw


@router.post("/web/reports/{year}/indicators")
async def save_indicators(request: Request, viewer: SignedIn, year: Year) -> Response:
    form = await request.form()
    fields = [n for n in form if isinstance(n, str) and n.startswith((PREFIX, CURRENCY))]
    fields += ["member", DRAFT]

    async def perform(values: dict[str, str]) -> None:
        draft = DRAFT in values
        command = SubmitIndicators(
            year=year,
            member=values.get("member", ""),
            by=viewer.person.id,
            indicators=_raw_values(values),
            draft=draft,
        )
        state: AppState = request.app.state.govsched
        # an amendment is told to the reviewers by a notifier that may block
        await asyncio.to_thread(_service(request).submit, command, state.settings.now())

    return await act(request, viewer, fields, perform, "indicators saved", "/web/reports")


@router.post("/web/reports/{year}/{report_of}/indicator-comments")
async def comment(request: Request, viewer: SignedIn, year: Year, report_of: str) -> Response:
    async def perform(values: dict[str, str]) -> None:
        asked = {
            "year": year,
            "report_of": report_of,
            "reviewer": values.get("reviewer", ""),
            "by": viewer.person.id,
            "key": values.get("key", ""),
            "text": values.get("text", ""),
        }
        command = incoming(CommentIndicator, asked)
        state: AppState = request.app.state.govsched
        await asyncio.to_thread(_service(request).comment, command, state.settings.now())

    fields = ["reviewer", "key", "text"]
    return await act(request, viewer, fields, perform, "comment saved", "/web/reports")


def _years(request: Request, params: dict[str, str]) -> tuple[int, int]:
    state: AppState = request.app.state.govsched
    this = state.settings.now().year
    year = asked_year(params.get("year")) or this
    earlier = asked_year(params.get("earlier"))
    return year, earlier if earlier is not None and earlier < year else year - 1


def _comparison(request: Request, year: int, earlier: int, person: Person | None) -> Comparison:
    return _service(request).comparison(earlier, year, person)


def _page_context(
    request: Request, params: dict[str, str], person: Person | None
) -> dict[str, Any]:
    year, earlier = _years(request, params)
    service = _service(request)
    try:
        comparison = _comparison(request, year, earlier, person)
    except GovernanceError as refused:
        return {
            "year": year,
            "earlier": earlier,
            "refused": refusal_text(refused),
            "pictures": [],
            "country_pictures": [],
        }
    later_set = service.year_set(year)
    shown_note = comparison_words.note(comparison)
    left_out: list[dict[str, Any]] = []
    if shown_note is not None:
        # different versions: the earlier year has a set of its own
        earlier_set = service.year_set(earlier)
        language = _wording_language()
        left_out = [
            {
                "pillar": x.pillar,
                "indicator": comparison_words.label(x, earlier_set, later_set, language),
                "reason": comparison_words.reason(x, earlier_set, later_set),
            }
            for x in comparison.left_out
        ]
    pillars = [pillar for pillar in Pillar if later_set.indicators(pillar)]
    pictures = [pillar_picture(comparison, later_set, pillar) for pillar in pillars]
    per_country = [country_picture(comparison, later_set, pillar) for pillar in pillars]
    return {
        "year": year,
        "earlier": earlier,
        "comparison": comparison,
        "note": shown_note,
        "left_out": left_out,
        "pictures": pictures,
        "country_pictures": per_country,
        "default_set": later_set.default,
        "min_members": service.rulebook.indicators.min_members_per_cell,
    }


@page(r"/web/indicators")
def indicators_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = _page_context(request, params, viewer.person)
    context["entitled"] = viewer.holds(Role.SECRETARIAT, Role.STEERING_COMMITTEE)
    context["exports"] = viewer.holds(Role.SECRETARIAT)
    context["agenda_form"] = (
        Form(
            f"indicators-agenda-{context['year']}",
            f"/web/indicators/{context['year']}/agenda",
            _("Put the %(earlier)s-%(year)s comparison on the plenary agenda")
            % {"earlier": context["earlier"], "year": context["year"]},
            (Field("earlier", N_("Earlier year"), "hidden", value=str(context["earlier"])),),
            f"/web/indicators?year={context['year']}&earlier={context['earlier']}",
        )
        if viewer.holds(Role.SECRETARIAT, Role.CHAIR)
        else None
    )
    return render(request, "indicators.html", context, status, viewer, form_state)


@router.get("/web/indicators")
def indicators(request: Request, viewer: SignedIn) -> Response:
    return indicators_page(request, viewer, dict(request.query_params))


@router.get("/public/indicators")
def public_indicators(request: Request) -> Response:
    """Aggregates only, every small cell suppressed: no sign-in."""
    context = _page_context(request, dict(request.query_params), None)
    context |= {"entitled": False, "exports": False, "agenda_form": None, "public": True}
    return render(request, "indicators.html", context)


def _secretariat(viewer: Viewer) -> None:
    if not viewer.holds(Role.SECRETARIAT):
        raise Forbidden(Role.SECRETARIAT.value, say("exporting indicator values"))


@router.get("/web/indicators/{year}/export.csv")
def export_csv(request: Request, viewer: SignedIn, year: Year) -> Response:
    _secretariat(viewer)
    service = _service(request)
    body = csv_export(service.db, service.rulebook, year)
    disposition = {"Content-Disposition": f'attachment; filename="indicators-{year}.csv"'}
    return Response(body, media_type=CSV_TYPE, headers=disposition)


@router.get("/web/indicators/{year}/export.xlsx")
def export_xlsx(request: Request, viewer: SignedIn, year: Year) -> Response:
    _secretariat(viewer)
    service = _service(request)
    body = xlsx_export(service.db, service.rulebook, year)
    disposition = {"Content-Disposition": f'attachment; filename="indicators-{year}.xlsx"'}
    return Response(body, media_type=XLSX_TYPE, headers=disposition)


@router.post("/web/indicators/{year}/agenda")
async def put_on_agenda(request: Request, viewer: SignedIn, year: Year) -> Response:
    """An agenda item of the year's annual plenary, with the comparison page as its document."""

    async def perform(values: dict[str, str]) -> None:
        state: AppState = request.app.state.govsched
        now = state.settings.now()
        earlier = asked_year(values.get("earlier")) or year - 1
        title = f"Impact indicators: {earlier} and {year} compared"
        item = agenda.add_item(state.db, plenary_id(year), title, viewer.person, now)
        link = DocumentLink(
            title="Indicator comparison (aggregates)",
            url=f"{str(request.base_url).rstrip('/')}/public/indicators?year={year}&earlier={earlier}",
        )
        agenda.attach_document(state.db, plenary_id(year), item.id, link, viewer.person, now)

    return await act(request, viewer, ["earlier"], perform, "put on the agenda", "/web/indicators")
