"""The email outbox: one row per notification (or sign-in link) and person (issue 19).

A row is written before anything goes to the relay, marked just before the message's DATA and
again when the relay accepted it; the notifier reads it first on every attempt, so an email
the relay accepted is never handed over again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from governance.kernel.messages import Message
from governance.kernel.model import MemberStatus
from governance.notifications.channels import ChannelReach, EmailState, OutboxEmail
from governance.notifications.email_digest import DigestEntry
from govsched.persistence.tables import (
    EmailMessageRow,
    MemberRow,
    NotificationOptOutRow,
    NotificationRow,
    PersonRoleRow,
    PersonRow,
)


@dataclass(frozen=True)
class Draft:
    """What the outbox row of a new email records (its body is never stored)."""

    key: str
    person_id: str
    address: str
    kind: str
    subject: str
    message_id: str


def get(session: Session, key: str, person_id: str) -> EmailMessageRow | None:
    return session.get(EmailMessageRow, (key, person_id))


def record(session: Session, draft: Draft, state: EmailState, at: datetime) -> EmailMessageRow:
    """The row for this email, created in `state` if new (an existing row is kept as it is)."""
    row = get(session, draft.key, draft.person_id)
    if row is not None:
        return row
    row = EmailMessageRow(
        notification_key=draft.key,
        person_id=draft.person_id,
        address=draft.address,
        kind=draft.kind,
        subject=draft.subject[:300],
        message_id=draft.message_id,
        state=state.value,
        created_at=at,
        handovers=0,
    )
    session.add(row)
    session.flush()
    return row


def handing_over(session: Session, key: str, person_id: str, at: datetime) -> None:
    """Just before DATA: from here until `accepted`, the relay may have it unrecorded."""
    row = get(session, key, person_id)
    if row is not None:
        row.state = EmailState.HANDED_OVER.value
        row.handed_over_at = at
        row.handovers += 1


def accepted(session: Session, key: str, person_id: str, at: datetime, reply: str) -> None:
    row = get(session, key, person_id)
    if row is not None:
        row.state = EmailState.ACCEPTED.value
        row.accepted_at = at
        row.relay_reply = reply[:300]
        row.error = None


def refused(session: Session, key: str, person_id: str, error: str) -> None:
    row = get(session, key, person_id)
    if row is not None:
        row.state = EmailState.REFUSED.value
        row.error = error[:4000]


def not_handed_over(session: Session, key: str, person_id: str, error: str) -> None:
    """A transient failure before DATA (no connection, a 4xx): nothing reached the relay."""
    row = get(session, key, person_id)
    if row is not None and row.state == EmailState.SENDING.value:
        row.error = error[:4000]


# -- the daily digest -----------------------------------------------------------------------------


def people_with_held(session: Session) -> list[str]:
    query = (
        select(EmailMessageRow.person_id)
        .where(EmailMessageRow.state == EmailState.HELD.value)
        .distinct()
    )
    return sorted(session.scalars(query))


def assign_held(session: Session, person_id: str, digest_key: str) -> int:
    """Give the person's held emails to the digest `digest_key` (before it is sent, so a retry
    after a crash sends the same digest and no held email goes in two). Returns how many."""
    rows = session.scalars(
        select(EmailMessageRow).where(
            EmailMessageRow.person_id == person_id,
            EmailMessageRow.state == EmailState.HELD.value,
        )
    ).all()
    for row in rows:
        row.state, row.digest_key = EmailState.IN_DIGEST.value, digest_key
    session.flush()
    return len(rows)


def digest_contents(session: Session, digest_key: str) -> list[DigestEntry]:
    """Each notice a digest carries (issued at, kind, text, message), oldest first."""
    query = (
        select(
            NotificationRow.issued_at,
            NotificationRow.kind,
            NotificationRow.text,
            NotificationRow.message,
        )
        .join(EmailMessageRow, EmailMessageRow.notification_key == NotificationRow.key)
        .where(EmailMessageRow.digest_key == digest_key)
        .order_by(NotificationRow.issued_at, NotificationRow.key)
    )
    return [
        DigestEntry(at, kind, text, None if message is None else Message.model_validate(message))
        for at, kind, text, message in session.execute(query)
    ]


def open_digests(session: Session) -> list[str]:
    """Keys of digests that were given emails and have not gone out (no ledger row yet, or
    one still pending: a crash or a failed attempt before the relay took it)."""
    query = (
        select(EmailMessageRow.digest_key)
        .outerjoin(NotificationRow, NotificationRow.key == EmailMessageRow.digest_key)
        .where(
            EmailMessageRow.state == EmailState.IN_DIGEST.value,
            EmailMessageRow.digest_key.is_not(None),
            (NotificationRow.key.is_(None)) | (NotificationRow.status == "pending"),
        )
        .distinct()
    )
    return sorted(str(key) for key in session.scalars(query))


def has_ledger_row(session: Session, key: str) -> bool:
    return session.get(NotificationRow, key) is not None


def ledger_issued_at(session: Session, key: str) -> datetime | None:
    row = session.get(NotificationRow, key)
    return None if row is None else row.issued_at


# -- who a channel is, by email ------------------------------------------------------------------


def channel_people(session: Session, reach: ChannelReach) -> list[str]:
    """The people a logical channel stands for (governance.notifications.channels)."""
    found: set[str] = set()
    if reach.roles:
        roles = [role.value for role in reach.roles]
        found.update(
            session.scalars(select(PersonRoleRow.person_id).where(PersonRoleRow.role.in_(roles)))
        )
    if reach.pillars:
        statuses = [status.value for status in reach.member_statuses or set(MemberStatus)]
        query = (
            select(PersonRow.id)
            .join(MemberRow, MemberRow.id == PersonRow.member_id)
            .where(
                MemberRow.pillar.in_([pillar.value for pillar in reach.pillars]),
                MemberRow.status.in_(statuses),
            )
        )
        found.update(session.scalars(query))
    return sorted(found)


def opted_out_people(session: Session, people: list[str], kind: str) -> set[str]:
    """Those of `people` who opted out of `kind` (notification_opt_outs)."""
    query = select(NotificationOptOutRow.person_id).where(
        NotificationOptOutRow.person_id.in_(people), NotificationOptOutRow.kind == kind
    )
    return set(session.scalars(query))


def person_with_address(session: Session, address: str) -> str | None:
    """The person whose address this is (addresses are unique, compared without case)."""
    query = select(PersonRow.id).where(func.lower(PersonRow.email) == address.strip().lower())
    return session.scalars(query).first()


def addresses(session: Session, people: list[str]) -> dict[str, tuple[str, str]]:
    """person -> (name, email address), for the people that exist."""
    query = select(PersonRow.id, PersonRow.name, PersonRow.email).where(PersonRow.id.in_(people))
    return {pid: (name, email) for pid, name, email in session.execute(query)}


# -- the outbox page ------------------------------------------------------------------------------


def outbox(
    session: Session,
    limit: int = 200,
    kind: str | None = None,
    outside_ledger: bool = False,
) -> list[OutboxEmail]:
    """The newest emails first, with the person's name; `outside_ledger`: only those no
    notification stands for (sign-in links)."""
    query = _outbox_query().limit(limit)
    if kind is not None:
        query = query.where(EmailMessageRow.kind == kind)
    if outside_ledger:
        in_ledger = select(NotificationRow.key).where(
            NotificationRow.key == EmailMessageRow.notification_key
        )
        query = query.where(~in_ledger.exists())
    return [_outbox_email(row, name) for row, name in session.execute(query)]


def outbox_of(session: Session, keys: list[str]) -> list[OutboxEmail]:
    """The emails of these notifications (the full outbox shows them under each)."""
    query = _outbox_query().where(EmailMessageRow.notification_key.in_(keys))
    return [_outbox_email(row, name) for row, name in session.execute(query)]


def _outbox_query() -> Select[EmailMessageRow, str]:
    return (
        select(EmailMessageRow, PersonRow.name)
        .outerjoin(PersonRow, PersonRow.id == EmailMessageRow.person_id)
        .order_by(EmailMessageRow.created_at.desc(), EmailMessageRow.notification_key)
    )


def _outbox_email(row: EmailMessageRow, name: str | None) -> OutboxEmail:
    return OutboxEmail(
        notification_key=row.notification_key,
        person_id=row.person_id,
        person_name=name,
        address=row.address,
        kind=row.kind,
        subject=row.subject,
        state=EmailState(row.state),
        created_at=row.created_at,
        accepted_at=row.accepted_at,
        handovers=row.handovers,
        error=row.error,
        digest_key=row.digest_key,
    )
