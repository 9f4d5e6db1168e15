"""A person's notification channels (Slack, email, both) and email cadence (issue 19)."""

from __future__ import annotations

from datetime import datetime

from governance.kernel.audit import AuditEntry
from governance.kernel.errors import NotFound
from governance.notifications.channels import DeliveryChoice
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import channel_choice as channel_choice_repo
from govsched.persistence.repos import registry as registry_repo


def delivery_choice(db: Database, person: str) -> DeliveryChoice:
    with db.reading() as session:
        if registry_repo.get_person(session, person) is None:
            raise NotFound("person", person)
        return channel_choice_repo.choice_of(session, person)


def set_delivery_choice(
    db: Database, person: str, choice: DeliveryChoice, by: str, at: datetime
) -> DeliveryChoice:
    """Record the choice (audited: who changed whose channels, and when)."""
    with db.writing() as session:
        if registry_repo.get_person(session, person) is None:
            raise NotFound("person", person)
        before = channel_choice_repo.choice_of(session, person)
        if before == choice:
            return choice
        channel_choice_repo.set_choice(session, person, choice, at)
        audit_repo.append(
            session,
            AuditEntry(
                key=f"notification.channels:{person}:{at.isoformat()}",
                at=at,
                actor=by,
                action="notification.channels_changed",
                item_kind="person",
                item_id=person,
                data={
                    "channels": None if choice.channels is None else choice.channels.value,
                    "email": choice.email.value,
                },
            ),
        )
    return choice
