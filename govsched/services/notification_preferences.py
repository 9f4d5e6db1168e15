"""Notification preferences: which kinds of direct message a person does not want."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from governance.kernel.audit import AuditEntry
from governance.kernel.errors import NotFound
from governance.rulebook.model import NotificationKind, stoppable
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import notification_preferences as preference_repo
from govsched.persistence.repos import registry as registry_repo


def opted_out(db: Database, person: str) -> list[NotificationKind]:
    with db.reading() as session:
        if registry_repo.get_person(session, person) is None:
            raise NotFound("person", person)
        return sorted(preference_repo.opted_out(session, person))


def set_opted_out(
    db: Database, person: str, kinds: Iterable[NotificationKind], by: str, at: datetime
) -> list[NotificationKind]:
    """Replace the person's opt-outs (audited: who turned whose notices off, and when); a kind
    no opt-out stops (a request to act) is never recorded."""
    wanted = sorted(kind for kind in set(kinds) if stoppable(kind))
    with db.writing() as session:
        if registry_repo.get_person(session, person) is None:
            raise NotFound("person", person)
        before = sorted(preference_repo.opted_out(session, person))
        preference_repo.set_opt_outs(session, person, wanted, at)
        if before != wanted:
            audit_repo.append(
                session,
                AuditEntry(
                    key=f"notification.preferences:{person}:{at.isoformat()}",
                    at=at,
                    actor=by,
                    action="notification.preferences_changed",
                    item_kind="person",
                    item_id=person,
                    data={"opt_out": [k.value for k in wanted]},
                ),
            )
    return wanted


def change(
    db: Database,
    person: str,
    add: Iterable[NotificationKind],
    remove: Iterable[NotificationKind],
    by: str,
    at: datetime,
) -> list[NotificationKind]:
    current = set(opted_out(db, person))
    return set_opted_out(db, person, (current | set(add)) - set(remove), by, at)
