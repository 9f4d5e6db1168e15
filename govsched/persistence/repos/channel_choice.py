"""Each person's choice of notification channels and email cadence (issue 19)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.notifications.channels import Channels, DeliveryChoice, EmailCadence
from govsched.persistence.tables import NotificationChannelChoiceRow


def _choice(row: NotificationChannelChoiceRow | None) -> DeliveryChoice:
    if row is None:
        return DeliveryChoice()
    channels = None if row.channels is None else Channels(row.channels)
    return DeliveryChoice(channels=channels, email=EmailCadence(row.email_cadence))


def choice_of(session: Session, person_id: str) -> DeliveryChoice:
    return _choice(session.get(NotificationChannelChoiceRow, person_id))


def choices_of(session: Session, people: Iterable[str]) -> dict[str, DeliveryChoice]:
    """Every listed person's choice (the default for those who never chose)."""
    wanted = sorted(set(people))
    found = {
        row.person_id: _choice(row)
        for row in session.scalars(
            select(NotificationChannelChoiceRow).where(
                NotificationChannelChoiceRow.person_id.in_(wanted)
            )
        )
    }
    return {person: found.get(person, DeliveryChoice()) for person in wanted}


def set_choice(session: Session, person_id: str, choice: DeliveryChoice, at: datetime) -> None:
    row = session.get(NotificationChannelChoiceRow, person_id)
    channels = None if choice.channels is None else choice.channels.value
    if row is None:
        session.add(
            NotificationChannelChoiceRow(
                person_id=person_id,
                channels=channels,
                email_cadence=choice.email.value,
                updated_at=at,
            )
        )
    else:
        row.channels, row.email_cadence, row.updated_at = channels, choice.email.value, at
    session.flush()


def daily_digest_people(session: Session) -> list[str]:
    query = select(NotificationChannelChoiceRow.person_id).where(
        NotificationChannelChoiceRow.email_cadence == EmailCadence.DAILY.value
    )
    return sorted(session.scalars(query))
