"""In-country groups in the workspace (issue 23): every group for anyone signed in, and on a
group's page the coordinator's tasks: record who came to a meeting (counts only), cancel one
meeting of a series, plan a meeting (one-off, a visit of several days or a series whose
repetition is chosen in plain words), move one meeting of a series and nominate the group's
member to an annual plenary; the Secretariat's forms of the registry are there too (posted to
`group_registry`). The forms call the same
service as the API, so the same rules refuse the same things; a refusal comes back on the page
beside the field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from babel.dates import format_skeleton
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from governance.groups.access import may_run
from governance.groups.attendance import Attendance
from governance.groups.meetings import MovedOccurrence, Occurrence
from governance.groups.model import GroupStatus
from governance.groups.requests import CancelGroupOccurrence
from governance.kernel.errors import GovernanceError, InvalidInput, Problem
from governance.kernel.messages import say
from governance.kernel.model import PlenaryKind, Role
from govsched.http.state import AppState
from govsched.http.web import group_forms, meeting_forms
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.forms import Field, Form, FormState
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render
from govsched.i18n import formatting
from govsched.i18n.current import current_language
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_
from govsched.persistence.repos import registry as registry_repo
from govsched.services import groups as service

router = APIRouter(route_class=WebRoute, include_in_schema=False)

# How far ahead and back the page looks: a quarter either way is a coordinator's horizon.
AHEAD = timedelta(days=90)
BEHIND = timedelta(days=90)


def _label(o: Occurrence, titles: dict[str, str]) -> str:
    """The day and hour first: that is what tells a series' meetings apart in a narrow list.
    The day is written as the reader's locale writes a weekday, a date and a 24-hour time."""
    locale = formatting.babel_locale(current_language())
    values = {
        "day": format_skeleton("yMMMEd", o.local_starts, locale=locale),
        "time": format_skeleton("Hm", o.local_starts, locale=locale),
        "title": titles[o.meeting_id],
    }
    if o.moved:
        return _("%(day)s %(time)s (moved), %(title)s") % values
    return _("%(day)s %(time)s, %(title)s") % values


def _key(o: Occurrence) -> str:
    return f"{o.meeting_id}|{o.recurrence_id.isoformat() if o.recurrence_id else ''}"


def attendance_form(group_id: str, held: list[Occurrence], titles: dict[str, str]) -> Form:
    return Form(
        "group-attendance",
        f"/web/groups/{group_id}/attendance",
        N_("Record attendance"),
        (
            Field(
                "occurrence",
                N_("Meeting"),
                "select",
                [(_key(o), _label(o, titles)) for o in reversed(held)],
                required=True,
            ),
            Field("total", N_("People who attended"), "number", required=True),
            Field(
                "women",
                N_("Of whom women"),
                "number",
                hint=N_("Counts only; leave empty if unknown"),
            ),
            Field("men", N_("Of whom men"), "number"),
            Field("another_gender", N_("Of another gender"), "number"),
            Field("womens_organisations", N_("Women's organisations represented"), "number"),
        ),
        f"/web/groups/{group_id}",
    )


def cancel_form(group_id: str, coming: list[Occurrence], titles: dict[str, str]) -> Form:
    series = [o for o in coming if o.recurrence_id is not None]
    return Form(
        "group-cancel",
        f"/web/groups/{group_id}/cancellations",
        N_("Cancel this meeting"),
        (
            Field(
                "occurrence",
                N_("Meeting of a series"),
                "select",
                [(_key(o), _label(o, titles)) for o in series],
                required=True,
            ),
        ),
        f"/web/groups/{group_id}",
    )


@page(r"/web/groups")
def groups_page(
    request: Request,
    viewer: Viewer,
    _params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    keeper = Role.SECRETARIAT in viewer.person.roles
    context = {
        "groups": service.list_groups(state.db),
        "create": group_forms.create_form() if keeper else None,
    }
    return render(request, "groups.html", context, status, viewer, form_state)


@router.get("/web/groups")
def groups(request: Request, viewer: SignedIn) -> Response:
    return groups_page(request, viewer, {})


@page(r"/web/groups/(?P<group_id>[a-z0-9-]+)")
def group_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    state: AppState = request.app.state.govsched
    now = state.settings.now()
    group = service.get_group(state.db, params["group_id"])
    meetings = service.list_meetings(state.db, group.id)
    titles = {m.id: m.title for m in meetings}
    around = service.group_occurrences(state.db, group.id, now - BEHIND, now + AHEAD)
    held = [o for o in around if o.starts <= now]
    coming = [o for o in around if o.starts > now]
    runs = may_run(group, viewer.person.id, viewer.person.roles)
    counted: dict[str, Attendance] = {}
    for meeting in meetings:
        for record in service.meeting_attendance(state.db, meeting.id):
            when = record.recurrence_id.isoformat() if record.recurrence_id else ""
            counted[f"{meeting.id}|{when}"] = record
    keeper = Role.SECRETARIAT in viewer.person.roles
    nominations = service.group_nominations(state.db, group.id)
    with state.db.reading() as session:
        members = registry_repo.list_members(session)
        people = registry_repo.list_people(session)
        coming_plenaries = [
            p
            for p in registry_repo.list_plenaries(session)
            if p.kind is PlenaryKind.ANNUAL and p.starts >= now.date()
        ]
    context = {
        "registry": group_forms.registry_forms(group, members, people) if keeper else [],
        "nominations": nominations,
        "nominate": group_forms.nomination_form(group, coming_plenaries, people, nominations)
        if runs and group.status is GroupStatus.ACTIVE and coming_plenaries
        else None,
        "confirm": group_forms.confirmation_form(group, nominations) if keeper else None,
        "group": group,
        "held": [(o, _label(o, titles), counted.get(_key(o))) for o in reversed(held)],
        "coming": [(o, _label(o, titles)) for o in coming],
        "attendance": attendance_form(group.id, held, titles) if runs and held else None,
        "cancel": cancel_form(group.id, coming, titles)
        if runs and any(o.recurrence_id for o in coming)
        else None,
        "plan": meeting_forms.plan_form(group.id) if runs else None,
        "move": meeting_forms.move_form(
            group.id, [(_key(o), _label(o, titles)) for o in coming if o.recurrence_id]
        )
        if runs and any(o.recurrence_id for o in coming)
        else None,
        "runs": runs,
    }
    return render(request, "group.html", context, status, viewer, form_state)


@router.get("/web/groups/{group_id}")
def group(request: Request, viewer: SignedIn, group_id: str) -> Response:
    return group_page(request, viewer, {"group_id": group_id})


def _occurrence(raw: str) -> tuple[str, str | None]:
    meeting_id, _, when = raw.partition("|")
    return meeting_id, when or None


@router.post("/web/groups/{group_id}/attendance")
async def record_attendance(request: Request, viewer: SignedIn, group_id: str) -> Response:
    async def perform(values: dict[str, str]) -> None:
        state: AppState = request.app.state.govsched
        meeting_id, when = _occurrence(values.get("occurrence", ""))
        counts = {k: values[k] for k in ("women", "men", "another_gender") if values.get(k)}
        data: dict[str, object] = {
            "meeting_id": meeting_id,
            "recurrence_id": when,
            "total": values.get("total") or None,
            "by_gender": counts or None,
            "womens_organisations": values.get("womens_organisations") or None,
        }
        record = service.made(Attendance, data, prefix="")
        service.record_attendance(state.db, record, viewer.person, state.settings.now())

    fields = ["occurrence", "total", "women", "men", "another_gender", "womens_organisations"]
    back = f"/web/groups/{group_id}"
    return await act(request, viewer, fields, _on_form(perform), "attendance recorded", back)


@router.post("/web/groups/{group_id}/cancellations")
async def cancel_occurrence(request: Request, viewer: SignedIn, group_id: str) -> Response:
    async def perform(values: dict[str, str]) -> None:
        state: AppState = request.app.state.govsched
        meeting_id, when = _occurrence(values.get("occurrence", ""))
        data = {"by": viewer.person.id, "meeting": meeting_id, "recurrence_id": when}
        asked = service.made(CancelGroupOccurrence, data, prefix="")
        service.perform(state.db, asked, state.settings.now())

    back = f"/web/groups/{group_id}"
    return await act(request, viewer, ["occurrence"], _on_form(perform), "meeting cancelled", back)


# How the rules name a meeting's fields, and the field of the forms that asks for it.
_FORM_FIELDS = {"recurrence_id": "occurrence", "rule": "repeats", "by_gender": "women"}


def _on_form(perform: Callable[[dict[str, str]], Awaitable[None]]) -> Any:
    """`perform`, its refusals naming the form's fields: the service's `body.starts` is the
    form's `starts`, a rule's problem is the choice of repetition, an occurrence's is the
    meeting chosen."""

    async def performed(values: dict[str, str]) -> None:
        try:
            await perform(values)
        except GovernanceError as refused:
            problems = []
            for problem in refused.problems:
                name = problem.path.removeprefix("body.")
                problems.append(
                    Problem(_FORM_FIELDS.get(name, name), problem.reason, words=problem.words)
                )
            refused.problems = problems
            raise

    return performed


def _local(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None  # the model's refusal names the field


def _day(values: dict[str, str], name: str) -> date | None:
    raw = values.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        reason = say("give a date as year-month-day")
        raise InvalidInput(say("the form is refused"), [Problem(name, reason)]) from None


def _count(values: dict[str, str]) -> int | None:
    raw = values.get("count", "").strip()
    if not raw:
        return None
    # `isdigit` alone takes "²", which `int` refuses
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 1000:
        reason = say("give a whole number of meetings from 1 to 1000")
        raise InvalidInput(say("the form is refused"), [Problem("count", reason)])
    return int(raw)


@router.post("/web/groups/{group_id}/meetings")
async def plan_meeting(request: Request, viewer: SignedIn, group_id: str) -> Response:
    async def perform(values: dict[str, str]) -> None:
        state: AppState = request.app.state.govsched
        data: dict[str, object] = {
            k: values[k].strip()
            for k in ("id", "title", "kind", "starts", "ends", "location", "description")
            if values.get(k, "").strip()
        }
        starts = _local(values.get("starts", "").strip())
        rule = meeting_forms.rule_from_choice(
            values.get("repeats", ""), starts, _day(values, "until"), _count(values)
        )
        if rule is not None:
            data["rule"] = rule
        # the service the API calls, which checks the meeting as the API's body and more
        service.plan_meeting(state.db, group_id, data, viewer.person, state.settings.now())

    fields = [
        "id",
        "title",
        "kind",
        "starts",
        "ends",
        "location",
        "repeats",
        "until",
        "count",
        "description",
    ]
    back = f"/web/groups/{group_id}"
    return await act(request, viewer, fields, _on_form(perform), "meeting planned", back)


@router.post("/web/groups/{group_id}/moves")
async def move_occurrence(request: Request, viewer: SignedIn, group_id: str) -> Response:
    async def perform(values: dict[str, str]) -> None:
        state: AppState = request.app.state.govsched
        meeting_id, when = _occurrence(values.get("occurrence", ""))
        data = {
            "recurrence_id": when,
            "starts": values.get("starts", "").strip() or None,
            "ends": values.get("ends", "").strip() or None,
            "location": values.get("location", "").strip() or None,
        }
        move = service.made(MovedOccurrence, data, prefix="")
        service.move_occurrence(state.db, meeting_id, move, viewer.person, state.settings.now())

    fields = ["occurrence", "starts", "ends", "location"]
    back = f"/web/groups/{group_id}"
    return await act(request, viewer, fields, _on_form(perform), "meeting moved", back)
