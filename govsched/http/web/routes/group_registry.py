"""The registry of groups in the workspace (issue 23): the Secretariat records a group being
explored, what exploring found, its status and Partner flag, its member organisations, local
participants and coordinators; a group's coordinators (and the Secretariat) nominate its member
to an annual plenary and the Secretariat confirms. Each form calls the same service as the API,
so the same rules refuse the same things, beside the field, and a refusal records nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from governance.groups.model import Exploration, Group, GroupStatus, LocalParticipant
from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import say
from govsched.http.state import AppState
from govsched.http.web.auth import SignedIn, Viewer
from govsched.http.web.pages import act
from govsched.http.web.rendering import WebRoute
from govsched.services import groups as service

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.govsched
    return state


async def _registry_action(
    request: Request,
    viewer: Viewer,
    group_id: str,
    fields: list[str],
    change: Callable[[AppState, dict[str, str]], Any],
    done: str,
) -> Response:
    async def perform(values: dict[str, str]) -> None:
        change(_state(request), values)

    return await act(request, viewer, fields, perform, done, f"/web/groups/{group_id}")


def _choice(values: dict[str, str], name: str, allowed: dict[str, Any]) -> Any:
    """A select's value as the rules want it, or a refusal beside the field."""
    raw = values.get(name, "")
    if raw not in allowed:
        reason = (
            say("choose one of the options") if raw else say("missing: choose one of the options")
        )
        raise InvalidInput(say("the form is refused"), [Problem(name, reason)])
    return allowed[raw]


def _year(values: dict[str, str]) -> int:
    raw = values.get("year", "")
    if not (raw.isascii() and raw.isdigit()):  # `isdigit` alone takes "²", which `int` refuses
        raise InvalidInput(
            say("the form is refused"), [Problem("year", say("choose an annual plenary"))]
        )
    return int(raw)


@router.post("/web/groups")
async def create_group(request: Request, viewer: SignedIn) -> Response:
    fields = ["id", "name", "country", "region", "timezone"]

    async def perform(values: dict[str, str]) -> None:
        state = _state(request)
        data = {k: v.strip() for k, v in values.items() if v.strip()}
        group = service.made(Group, data, prefix="")
        service.create_group(state.db, group, viewer.person, state.settings.now())

    return await act(request, viewer, fields, perform, "group recorded", "/web/groups")


@router.post("/web/groups/{group_id}/exploration")
async def record_exploration(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        data = {k: v for k, v in values.items() if v.strip()}
        found = service.made(Exploration, data, prefix="")
        service.record_exploration(state.db, group_id, found, viewer.person, state.settings.now())

    fields = ["demand", "support", "recorded_on"]
    return await _registry_action(request, viewer, group_id, fields, change, "findings recorded")


@router.post("/web/groups/{group_id}/status")
async def change_status(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        status = _choice(values, "status", {s.value: s for s in GroupStatus})
        service.change_status(state.db, group_id, status, viewer.person, state.settings.now())

    return await _registry_action(request, viewer, group_id, ["status"], change, "status changed")


@router.post("/web/groups/{group_id}/partner")
async def set_partner(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        partner = _choice(values, "partner", {"yes": True, "no": False})
        service.set_partner(state.db, group_id, partner, viewer.person, state.settings.now())

    return await _registry_action(
        request, viewer, group_id, ["partner"], change, "Partner flag saved"
    )


@router.post("/web/groups/{group_id}/members")
async def add_member(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        member = _required(values, "member_id")
        service.add_member(state.db, group_id, member, viewer.person, state.settings.now())

    return await _registry_action(
        request, viewer, group_id, ["member_id"], change, "organisation added"
    )


@router.post("/web/groups/{group_id}/members/removal")
async def remove_member(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        member = _required(values, "member_id")
        service.remove_member(state.db, group_id, member, viewer.person, state.settings.now())

    return await _registry_action(
        request, viewer, group_id, ["member_id"], change, "organisation removed"
    )


@router.post("/web/groups/{group_id}/participants")
async def add_participant(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        data = {k: v.strip() for k, v in values.items() if v.strip()}
        participant = service.made(LocalParticipant, data, prefix="")
        service.add_participant(
            state.db, group_id, participant, viewer.person, state.settings.now()
        )

    fields = ["id", "name", "organisation", "role"]
    return await _registry_action(request, viewer, group_id, fields, change, "participant added")


@router.post("/web/groups/{group_id}/participants/removal")
async def remove_participant(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        participant = _required(values, "participant_id")
        service.remove_participant(
            state.db, group_id, participant, viewer.person, state.settings.now()
        )

    return await _registry_action(
        request, viewer, group_id, ["participant_id"], change, "participant removed"
    )


@router.post("/web/groups/{group_id}/coordinators")
async def add_coordinator(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        person = _required(values, "person_id")
        service.add_coordinator(state.db, group_id, person, viewer.person, state.settings.now())

    return await _registry_action(
        request, viewer, group_id, ["person_id"], change, "coordinator added"
    )


@router.post("/web/groups/{group_id}/coordinators/removal")
async def remove_coordinator(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        person = _required(values, "person_id")
        service.remove_coordinator(state.db, group_id, person, viewer.person, state.settings.now())

    return await _registry_action(
        request, viewer, group_id, ["person_id"], change, "coordinator removed"
    )


@router.post("/web/groups/{group_id}/nominations")
async def nominate(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        year = _year(values)
        person = _required(values, "person")
        replaces = values.get("replaces") or None
        service.nominate(
            state.db,
            group_id,
            year,
            person,
            replaces,
            viewer.person,
            state.settings.now(),
            state.rulebook,
        )

    fields = ["year", "person", "replaces"]
    return await _registry_action(request, viewer, group_id, fields, change, "nominated")


@router.post("/web/groups/{group_id}/nominations/confirmation")
async def confirm_nomination(request: Request, viewer: SignedIn, group_id: str) -> Response:
    def change(state: AppState, values: dict[str, str]) -> None:
        year = _year(values)
        travel = _choice(values, "travel_supported", {"yes": True, "no": False})
        service.confirm_nomination(
            state.db, group_id, year, travel, viewer.person, state.settings.now()
        )

    fields = ["year", "travel_supported"]
    return await _registry_action(request, viewer, group_id, fields, change, "nominee confirmed")


def _required(values: dict[str, str], name: str) -> str:
    value = values.get(name, "").strip()
    if not value:
        raise InvalidInput(say("the form is refused"), [Problem(name, say("missing: choose one"))])
    return value
