"""The directory: members with their status history, people and their roles, Steering Committee
seats and Chair terms; the Secretariat changes them through forms.

Reads come from the registry as the API's `GET /members`, `/people`, `/steering-committee/seats`
and `/chair-terms` give them, to any signed-in person; an email address only to the Secretariat
and the person themselves (`governance.registry.contact`). Changes post the API's bodies to the
same registry-change workflow (`govsched.http.changes.submit_change`), so the registry's rules
refuse them, and they are applied once, audited and announced exactly as through the API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse, Response

from governance.kernel.errors import Forbidden, NotFound
from governance.kernel.messages import Message, say
from governance.kernel.model import Pillar, Role, incoming
from governance.kernel.timekeeping import local_date
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SetChair
from governance.registry.contact import may_see_email
from governance.registry.member_status import FINAL, ChangeMemberStatus
from governance.registry.person_roles import ChangePersonRoles
from governance.year.seats import RecordSeat
from govsched.http.changes import submit_change
from govsched.http.state import AppState
from govsched.http.web import directory_forms as forms
from govsched.http.web import paging
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.forms import Form, FormState, parse
from govsched.http.web.pages import act, page
from govsched.http.web.rendering import WebRoute, render
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_
from govsched.persistence.repos import registry as registry_repo

router = APIRouter(route_class=WebRoute, include_in_schema=False)
MemberId = Annotated[str, Path(pattern=r"^[\w-]{1,80}$")]
SECTIONS = (
    ("/web/directory", N_("Members")),
    ("/web/directory/people", N_("People")),
    ("/web/directory/committee", N_("Steering Committee and Chair")),
)


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.govsched
    return state


def _secretariat(viewer: Viewer) -> bool:
    return viewer.holds(Role.SECRETARIAT)


def _render(
    request: Request,
    template: str,
    context: dict[str, Any],
    viewer: Viewer,
    form_state: FormState | None,
    status: int,
) -> HTMLResponse:
    tz = _state(request).rulebook.initiative.timezone
    context = {
        "sections": [(href, _(label)) for href, label in SECTIONS],
        "today": local_date(_state(request).settings.now(), tz),
        **context,
    }
    return render(request, template, context, status, viewer, form_state)


@page(r"/web/directory")
def members_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    with _state(request).db.reading() as session:
        members, listing = paging.searched(
            session, "/web/directory", params, registry_repo.search_members
        )
    form = forms.add_member("/web/directory") if _secretariat(viewer) else None
    context = {"members": members, "listing": listing, "form": form}
    return _render(request, "directory.html", context, viewer, form_state, status)


@router.get("/web/directory")
def members(request: Request, viewer: SignedIn) -> Response:
    return members_page(request, viewer, dict(request.query_params))


@page(r"/web/directory/members/(?P<member_id>[\w-]{1,80})")
def member_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    member_id = params["member_id"]
    with _state(request).db.reading() as session:
        found = registry_repo.get_member(session, member_id)
        if found is None:
            raise NotFound("member", member_id)
        people = registry_repo.list_people(session, member_id)
        seats = [s for s in registry_repo.list_seats(session) if s.member == member_id]
        terms = registry_repo.list_chair_terms(session, member_id)
    back = f"/web/directory/members/{member_id}"
    context = {
        "member": found,
        "people": [(p, may_see_email(p, viewer.person)) for p in people],
        "seats": seats,
        "terms": terms,
        "status_form": forms.change_status(found, back)
        if _secretariat(viewer) and found.status not in FINAL
        else None,
    }
    return _render(request, "directory_member.html", context, viewer, form_state, status)


@router.get("/web/directory/members/{member_id}")
def member(request: Request, viewer: SignedIn, member_id: MemberId) -> Response:
    return member_page(request, viewer, {"member_id": member_id})


@page(r"/web/directory/people")
def people_page(
    request: Request,
    viewer: Viewer,
    params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    form: Form | None = None
    roles_form: Form | None = None
    with _state(request).db.reading() as session:
        people, listing = paging.searched(
            session, "/web/directory/people", params, registry_repo.search_people
        )
        names = registry_repo.member_names(session, {p.member for p in people if p.member})
        if _secretariat(viewer):
            members = registry_repo.member_choices(session)
            form = forms.add_person(members, "/web/directory/people")
            staff = _("Secretariat staff")
            choices = [
                (person, _("%(name)s (%(member)s)") % {"name": name, "member": member or staff})
                for person, name, member in registry_repo.person_choices(session)
            ]
            roles_form = forms.change_roles(choices, "/web/directory/people")
    context = {
        "people": [(p, may_see_email(p, viewer.person)) for p in people],
        "listing": listing,
        "names": names,
        "form": form,
        "roles_form": roles_form,
        "role_labels": forms.ROLE_LABELS,
    }
    return _render(request, "directory_people.html", context, viewer, form_state, status)


@router.get("/web/directory/people")
def people(request: Request, viewer: SignedIn) -> Response:
    return people_page(request, viewer, dict(request.query_params))


@page(r"/web/directory/committee")
def committee_page(
    request: Request,
    viewer: Viewer,
    _params: dict[str, str],
    form_state: FormState | None = None,
    status: int = 200,
) -> HTMLResponse:
    back = "/web/directory/committee"
    actions: list[Form] = []
    with _state(request).db.reading() as session:
        seats = registry_repo.list_seats(session)
        terms = registry_repo.list_chair_terms(session)
        named = [s.member for s in seats] + [t.member for t in terms]
        names = registry_repo.member_names(session, set(named))
        if _secretariat(viewer):
            actions = [
                forms.record_seat(registry_repo.member_choices(session), back),
                forms.record_chair_term(
                    registry_repo.member_choices(session, Pillar.GOVERNMENT), back
                ),
            ]
    context = {
        "seats": sorted(seats, key=lambda s: (s.starts, s.member), reverse=True),
        "terms": sorted(terms, key=lambda t: t.starts, reverse=True),
        "names": names,
        "actions": actions,
        "now": _state(request).settings.now(),
    }
    return _render(request, "directory_committee.html", context, viewer, form_state, status)


@router.get("/web/directory/committee")
def committee(request: Request, viewer: SignedIn) -> Response:
    return committee_page(request, viewer, {})


# -- changes ------------------------------------------------------------------------------------


def _change(
    request: Request,
    viewer: Viewer,
    command: Callable[[dict[str, str]], RegistryCommand],
    action: Message,
) -> Callable[[dict[str, str]], Awaitable[Any]]:
    async def perform(values: dict[str, str]) -> None:
        # the API's own check (`requires(SECRETARIAT, ...)` on each registry route)
        if not _secretariat(viewer):
            raise Forbidden(Role.SECRETARIAT.value, action)
        reason = values.get("reason", "").strip()
        await submit_change(_state(request), viewer.person, reason, command(values), None)

    return perform


def _without_reason(values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if k != "reason"}


@router.post("/web/directory/members")
async def add_member(request: Request, viewer: SignedIn) -> Response:
    def command(values: dict[str, str]) -> RegistryCommand:
        return parse(AddMember, _without_reason(values))

    fields = ["id", "name", "pillar", "country", "joined", "status", "reason"]
    perform = _change(request, viewer, command, say("recording a member"))
    return await act(request, viewer, fields, perform, "member recorded", "/web/directory")


@router.post("/web/directory/members/{member_id}/status")
async def change_status(request: Request, viewer: SignedIn, member_id: MemberId) -> Response:
    def command(values: dict[str, str]) -> RegistryCommand:
        return parse(ChangeMemberStatus, {**_without_reason(values), "member": member_id})

    fields = ["status", "decision", "since", "reason"]
    perform = _change(request, viewer, command, say("changing a member's status"))
    back = f"/web/directory/members/{member_id}"
    return await act(request, viewer, fields, perform, "status changed", back)


@router.post("/web/directory/people")
async def add_person(request: Request, viewer: SignedIn) -> Response:
    boxes = [f"role_{role.value}" for role in forms.ROLE_LABELS]
    form = await request.form()
    ticked = [box for box in boxes if box in form]

    def command(values: dict[str, str]) -> RegistryCommand:
        data: dict[str, Any] = {
            k: v for k, v in _without_reason(values).items() if not k.startswith("role_")
        }
        data = {k: v for k, v in data.items() if v.strip()}
        data["roles"] = [box.removeprefix("role_") for box in ticked]
        return incoming(AddPerson, data)

    fields = ["id", "name", "email", "member", "roles", "reason", *ticked]
    perform = _change(request, viewer, command, say("adding a person"))
    return await act(request, viewer, fields, perform, "person added", "/web/directory/people")


@router.post("/web/directory/roles")
async def change_roles(request: Request, viewer: SignedIn) -> Response:
    """The ticked roles become the person's roles: those not ticked are taken away."""
    boxes = [f"role_{role.value}" for role in forms.ROLE_LABELS]
    form = await request.form()
    ticked = [box for box in boxes if box in form]

    def command(values: dict[str, str]) -> RegistryCommand:
        roles = [box.removeprefix("role_") for box in ticked]
        return ChangePersonRoles.model_validate(
            {"person": values.get("person", ""), "roles": roles}
        )

    fields = ["person", "reason", *ticked]
    perform = _change(request, viewer, command, say("changing a person's roles"))
    return await act(request, viewer, fields, perform, "roles changed", "/web/directory/people")


@router.post("/web/directory/seats")
async def record_seat(request: Request, viewer: SignedIn) -> Response:
    def command(values: dict[str, str]) -> RegistryCommand:
        return parse(RecordSeat, _without_reason(values))

    fields = ["member", "starts", "ends", "reason"]
    perform = _change(request, viewer, command, say("recording a seat"))
    back = "/web/directory/committee"
    return await act(request, viewer, fields, perform, "seat recorded", back)


@router.post("/web/directory/chair-terms")
async def record_chair_term(request: Request, viewer: SignedIn) -> Response:
    def command(values: dict[str, str]) -> RegistryCommand:
        return parse(SetChair, _without_reason(values))

    fields = ["member", "starts", "ends", "reason"]
    perform = _change(request, viewer, command, say("recording a Chair term"))
    back = "/web/directory/committee"
    return await act(request, viewer, fields, perform, "Chair term recorded", back)
