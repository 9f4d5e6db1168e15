"""Keeping the plenary's agenda: items, their order and documents, publishing numbered
versions to members, and recording the plenary's decision on an item while it sits.

Every change is one transaction with its audit entry. Publishing stores the version first and
then tells members through the notification ledger (`LedgerDelivery`, the notifier port): the
notice's key names the version, so sending it again after a failure never sends it twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from governance.kernel.audit import AuditEntry
from governance.kernel.errors import Conflict, NotFound, Problem
from governance.kernel.messages import say
from governance.kernel.model import Person, Plenary
from governance.kernel.notices import Notification, channel_notice
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import NotificationKind, Rulebook
from governance.year import published_agenda as rules
from governance.year.published_agenda import AgendaItem, AgendaVersion, Decision, DocumentLink
from govsched.config import Settings
from govsched.notify.delivery import DeliveryReceipt, LedgerDelivery
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import plenary_agenda as agenda_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.notifiers import notifier_for

ITEM_KIND = "plenary_agenda"
log = logging.getLogger("govsched.agenda")


@dataclass(frozen=True)
class AgendaBook:
    """A plenary's agenda as stored: the items being edited and the versions published."""

    plenary: Plenary
    items: list[AgendaItem]
    versions: list[AgendaVersion]

    @property
    def latest(self) -> AgendaVersion | None:
        return self.versions[-1] if self.versions else None

    def unpublished_changes(self) -> bool:
        latest = self.latest
        return bool(self.items) and (
            latest is None or latest.items != rules.frozen_items(self.items)
        )


def delivery_for(settings: Settings, db: Database, rulebook: Rulebook) -> LedgerDelivery:
    """How a published version reaches members: the process's notifier, once per key."""
    return LedgerDelivery(db, notifier_for(settings, db, rulebook))


def _plenary(session: Session, plenary_id: str) -> Plenary:
    plenary = registry_repo.get_plenary(session, plenary_id)
    if plenary is None:
        raise NotFound("plenary", plenary_id)
    return plenary


def book(db: Database, plenary_id: str) -> AgendaBook:
    with db.reading() as session:
        plenary = _plenary(session, plenary_id)
        return AgendaBook(
            plenary,
            agenda_repo.items(session, plenary_id),
            agenda_repo.versions(session, plenary_id),
        )


def _audit(
    session: Session, plenary_id: str, by: str, at: datetime, action: str, **data: object
) -> None:
    audit_repo.append(
        session,
        AuditEntry(
            key=f"agenda:{plenary_id}:{action}:{by}:{at.isoformat()}",
            at=at,
            actor=by,
            action=f"agenda.{action}",
            item_kind=ITEM_KIND,
            item_id=plenary_id,
            data=dict(data),
        ),
    )


def add_item(db: Database, plenary_id: str, title: str, person: Person, at: datetime) -> AgendaItem:
    rules.check_editor(person.roles)
    with db.writing() as session:
        _plenary(session, plenary_id)
        item = agenda_repo.add(session, plenary_id, title)
        _audit(session, plenary_id, person.id, at, "item_added", item=item.id, title=title)
    return item


def move_item(
    db: Database, plenary_id: str, item_id: int, direction: str, person: Person, at: datetime
) -> None:
    rules.check_editor(person.roles)
    with db.writing() as session:
        _plenary(session, plenary_id)
        positions = rules.moved(agenda_repo.items(session, plenary_id), item_id, direction)
        agenda_repo.reorder(session, plenary_id, positions)
        _audit(session, plenary_id, person.id, at, "item_moved", item=item_id, direction=direction)


def attach_document(
    db: Database, plenary_id: str, item_id: int, link: DocumentLink, person: Person, at: datetime
) -> None:
    rules.check_editor(person.roles)
    with db.writing() as session:
        _plenary(session, plenary_id)
        item = rules.find(agenda_repo.items(session, plenary_id), item_id)
        if any(d.url == link.url for d in item.documents):
            raise Conflict(
                say("this document is already attached to the item"),
                [Problem("url", say("already attached to this item"))],
            )
        changed = item.model_copy(update={"documents": (*item.documents, link)})
        agenda_repo.save(session, changed)
        _audit(session, plenary_id, person.id, at, "document_attached", item=item_id, url=link.url)


def remove_item(db: Database, plenary_id: str, item_id: int, person: Person, at: datetime) -> None:
    rules.check_editor(person.roles)
    with db.writing() as session:
        _plenary(session, plenary_id)
        item = rules.find(agenda_repo.items(session, plenary_id), item_id)
        if item.decision is not None:
            raise Conflict(
                say("an item the plenary decided stays on the agenda"),
                [Problem("", say("its decision is part of the record"))],
            )
        agenda_repo.remove(session, plenary_id, item_id)
        _audit(session, plenary_id, person.id, at, "item_removed", item=item_id, title=item.title)


def publish(
    db: Database, plenary_id: str, person: Person, at: datetime, delivery: LedgerDelivery
) -> AgendaVersion:
    """Store the next version, then announce it to all members."""
    rules.check_editor(person.roles)
    with db.writing() as session:
        plenary = _plenary(session, plenary_id)
        items = agenda_repo.items(session, plenary_id)
        versions = agenda_repo.versions(session, plenary_id)
        latest = versions[-1] if versions else None
        rules.check_publishable(items, latest)
        version = AgendaVersion(
            plenary_id=plenary_id,
            number=(latest.number + 1) if latest else 1,
            published_at=at,
            published_by=person.id,
            items=rules.frozen_items(items),
        )
        agenda_repo.add_version(session, version)
        _audit(session, plenary_id, person.id, at, "published", version=version.number)
    try:
        announce(plenary, version, latest, delivery)
    except Exception:  # the version stands; its page offers to send the notice again
        log.exception("the notice of %s agenda version %s was not sent", plenary_id, version.number)
    return version


def notice(plenary: Plenary, version: AgendaVersion, before: AgendaVersion | None) -> Notification:
    text = rules.announcement(plenary, version, rules.changes(before, version))
    return channel_notice(
        NotificationKind.ANNOUNCEMENT,
        "all_members",
        f"agenda-{plenary.id}",
        version.number,
        text,
        version.published_at,
    )


def announce(
    plenary: Plenary,
    version: AgendaVersion,
    before: AgendaVersion | None,
    delivery: LedgerDelivery,
) -> DeliveryReceipt:
    """Tell members of `version` (once: the ledger drops a second send of the same key)."""
    return delivery.deliver(notice(plenary, version, before))


def announcement_status(
    db: Database, plenary: Plenary, versions: list[AgendaVersion]
) -> dict[int, str]:
    """Each version's notice as the ledger knows it: sent, pending, failed or missing."""
    found: dict[int, str] = {}
    with db.reading() as session:
        for i, version in enumerate(versions):
            key = notice(plenary, version, versions[i - 1] if i else None).key
            found[version.number] = notification_repo.status_of(session, key) or "missing"
    return found


def record_decision(
    db: Database,
    plenary_id: str,
    item_id: int,
    text: str,
    person: Person,
    at: datetime,
    rulebook: Rulebook,
) -> None:
    """The plenary's decision on a published item, recorded only while the plenary sits."""
    rules.check_editor(person.roles)
    day = local_date(at, rulebook.initiative.timezone)
    with db.writing() as session:
        plenary = _plenary(session, plenary_id)
        rules.check_decision_day(
            plenary,
            day,
            rulebook.plenary.decision_grace_days,
            registry_repo.list_plenaries(session),
        )
        item = rules.find(agenda_repo.items(session, plenary_id), item_id)
        versions = agenda_repo.versions(session, plenary_id)
        if not versions or item_id not in {i.id for i in versions[-1].items}:
            raise Conflict(
                say("the plenary decides on items of the published agenda"),
                [Problem("text", say("publish the agenda with this item first"))],
            )
        if item.decision is not None:
            raise Conflict(
                say("the plenary's decision on this item is already recorded"),
                [Problem("text", say("already recorded"))],
            )
        decided = Decision(text=text, at=at, by=person.id)
        agenda_repo.save(session, item.model_copy(update={"decision": decided}))
        _audit(session, plenary_id, person.id, at, "decision_recorded", item=item_id, text=text)
