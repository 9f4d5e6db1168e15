"""The plenary agenda people keep (issue 19): the published versions any signed-in person
reads, each with what changed since the one before, and the working copy the Secretariat and
the Chair edit and publish. The web workspace's plenary page calls the same service."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response

from governance.kernel.errors import NotFound
from governance.kernel.languages import Language
from governance.kernel.model import Frozen, Person
from governance.year import published_agenda as rules
from governance.year.published_agenda import AgendaItem, AgendaVersion, Change, DocumentLink
from govsched.http.agenda_bodies import AgendaDecisionIn, AgendaItemIn, DocumentIn, MoveIn
from govsched.http.api.reading import request_language
from govsched.http.api.routes.registry import ERRORS
from govsched.http.deps import CurrentPerson, State
from govsched.i18n.current import use_language
from govsched.i18n.documents import message_in_reading
from govsched.services import published_agenda as agenda

router = APIRouter(tags=["plenaries"])


class VersionReading(Frozen):
    version: AgendaVersion
    changes: list[Change]


def _item(person: Person, raw: str) -> int:
    """Who may edit is asked before whether the item exists."""
    rules.check_editor(person.roles)
    return rules.item_number(raw)


def _reading(
    versions: list[AgendaVersion], number: int, language: Language = Language.EN
) -> VersionReading:
    found = next((v for v in versions if v.number == number), None)
    if found is None:
        raise NotFound("agenda version", str(number))
    before = next((v for v in versions if v.number == number - 1), None)
    found_changes = rules.changes(before, found)
    if language is not Language.EN:
        # each change's text in the reader's language (Accept-Language), as the page words it
        with use_language(language):
            found_changes = [
                c.model_copy(update={"text": message_in_reading(c.words)})
                if c.words is not None
                else c
                for c in found_changes
            ]
    return VersionReading(version=found, changes=found_changes)


@router.get("/plenaries/{plenary_id}/agenda/versions", responses=ERRORS)
def list_versions(
    request: Request, state: State, _: CurrentPerson, plenary_id: str
) -> list[VersionReading]:
    """Every published version, the first first, each with what it changed (in the reader's
    language: Accept-Language, else the initiative's)."""
    versions = agenda.book(state.db, plenary_id).versions
    language = request_language(request)
    return [_reading(versions, v.number, language) for v in versions]


@router.get("/plenaries/{plenary_id}/agenda/items", responses=ERRORS)
def list_items(state: State, person: CurrentPerson, plenary_id: str) -> list[AgendaItem]:
    """The working copy, with each item's decision (the Secretariat and the Chair)."""
    rules.check_editor(person.roles)
    return agenda.book(state.db, plenary_id).items


@router.post("/plenaries/{plenary_id}/agenda/items", status_code=201, responses=ERRORS)
def add_item(
    state: State, person: CurrentPerson, plenary_id: str, body: AgendaItemIn
) -> AgendaItem:
    """A new item at the end of the working copy."""
    return agenda.add_item(state.db, plenary_id, body.title, person, state.settings.now())


@router.post("/plenaries/{plenary_id}/agenda/items/{agenda_item}/move", responses=ERRORS)
def move_item(
    state: State, person: CurrentPerson, plenary_id: str, agenda_item: str, body: MoveIn
) -> list[AgendaItem]:
    """One place up or down; answers the working copy in its new order."""
    item = _item(person, agenda_item)
    agenda.move_item(state.db, plenary_id, item, body.direction, person, state.settings.now())
    return agenda.book(state.db, plenary_id).items


@router.post("/plenaries/{plenary_id}/agenda/items/{agenda_item}/documents", responses=ERRORS)
def attach_document(
    state: State, person: CurrentPerson, plenary_id: str, agenda_item: str, body: DocumentIn
) -> AgendaItem:
    item = _item(person, agenda_item)
    link = DocumentLink(title=body.title, url=body.url)
    agenda.attach_document(state.db, plenary_id, item, link, person, state.settings.now())
    return rules.find(agenda.book(state.db, plenary_id).items, item)


@router.delete(
    "/plenaries/{plenary_id}/agenda/items/{agenda_item}", status_code=204, responses=ERRORS
)
def remove_item(state: State, person: CurrentPerson, plenary_id: str, agenda_item: str) -> Response:
    """An item the plenary has decided stays (409)."""
    item = _item(person, agenda_item)
    agenda.remove_item(state.db, plenary_id, item, person, state.settings.now())
    return Response(status_code=204)


@router.post("/plenaries/{plenary_id}/agenda/publish", status_code=201, responses=ERRORS)
async def publish(state: State, person: CurrentPerson, plenary_id: str) -> VersionReading:
    """The working copy as the next numbered version; all members are told, with what changed
    (409 when nothing changed since the last version, or the agenda is empty)."""
    delivery = agenda.delivery_for(state.settings, state.db, state.rulebook)
    # Slack and SMTP calls block: keep them off the event loop.
    version = await asyncio.to_thread(
        agenda.publish, state.db, plenary_id, person, state.settings.now(), delivery
    )
    return _reading(agenda.book(state.db, plenary_id).versions, version.number)


@router.post("/plenaries/{plenary_id}/agenda/items/{agenda_item}/decision", responses=ERRORS)
def record_decision(
    state: State, person: CurrentPerson, plenary_id: str, agenda_item: str, body: AgendaDecisionIn
) -> AgendaItem:
    """The plenary's decision on a published item: only while the plenary sits (its days and
    `plenary.decision_grace_days` after), else 409 naming the next plenary."""
    item = _item(person, agenda_item)
    now = state.settings.now()
    agenda.record_decision(state.db, plenary_id, item, body.text, person, now, state.rulebook)
    return rules.find(agenda.book(state.db, plenary_id).items, item)
