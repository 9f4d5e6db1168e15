"""The outbox read from the delivery ledger: each notification with what each channel did.

One source: the notification ledger (`notifications`) and the rows each channel keeps per
target (`slack_messages`, `email_messages`); nothing here is a second record of sending.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from governance.notifications.channels import OutboxEmail
from govsched.persistence.repos import email as email_repo
from govsched.persistence.tables import (
    EmailMessageRow,
    NotificationRow,
    PersonRow,
    SlackMessageRow,
)


@dataclass(frozen=True)
class LedgerLine:
    key: str
    kind: str
    channel: str
    recipients: tuple[str, ...]
    text: str
    issued_at: datetime
    status: str
    attempts: int
    delivered_at: datetime | None
    error: str | None


@dataclass(frozen=True)
class SlackPost:
    target: str
    channel_id: str
    ts: str | None
    posted_at: datetime | None


def ledger(
    session: Session,
    limit: int,
    kind: str | None = None,
    status: str | None = None,
    medium: str | None = None,
) -> list[LedgerLine]:
    """The newest notifications first; `medium` keeps those with a Slack post or an email."""
    query = select(NotificationRow).order_by(NotificationRow.issued_at.desc(), NotificationRow.key)
    if kind:
        query = query.where(NotificationRow.kind == kind)
    if status:
        query = query.where(NotificationRow.status == status)
    if medium == "slack":
        query = query.where(exists().where(SlackMessageRow.notification_key == NotificationRow.key))
    elif medium == "email":
        query = query.where(exists().where(EmailMessageRow.notification_key == NotificationRow.key))
    elif medium == "console":
        # what reached the console has no Slack post; the caller keeps those with a chat part
        query = query.where(
            ~exists().where(SlackMessageRow.notification_key == NotificationRow.key)
        )
    return [
        LedgerLine(
            key=row.key,
            kind=row.kind,
            channel=row.channel,
            recipients=tuple(row.recipients),
            text=row.text,
            issued_at=row.issued_at,
            status=row.status,
            attempts=row.attempts,
            delivered_at=row.delivered_at,
            error=row.error,
        )
        for row in session.scalars(query.limit(limit))
    ]


def slack_posts(session: Session, keys: list[str]) -> dict[str, list[SlackPost]]:
    found: dict[str, list[SlackPost]] = defaultdict(list)
    query = (
        select(SlackMessageRow)
        .where(SlackMessageRow.notification_key.in_(keys))
        .order_by(SlackMessageRow.notification_key, SlackMessageRow.target)
    )
    for row in session.scalars(query):
        found[row.notification_key].append(
            SlackPost(row.target, row.channel_id, row.ts, row.posted_at)
        )
    return found


def emails(session: Session, keys: list[str]) -> dict[str, list[OutboxEmail]]:
    found: dict[str, list[OutboxEmail]] = defaultdict(list)
    for line in email_repo.outbox_of(session, keys):
        found[line.notification_key].append(line)
    return found


def loose_emails(session: Session, limit: int, kind: str | None) -> list[OutboxEmail]:
    """Emails with no notification in the ledger (sign-in links), newest first."""
    return email_repo.outbox(session, limit, kind, outside_ledger=True)


def names(session: Session) -> dict[str, str]:
    # Result has keys() (its column names), so dict() must be given the rows themselves
    return dict(session.execute(select(PersonRow.id, PersonRow.name)).all())


def kinds(session: Session) -> list[str]:
    """Every kind in the ledger or the email outbox (sign-in links have no notice)."""
    noticed = select(NotificationRow.kind).distinct()
    emailed = select(EmailMessageRow.kind).distinct()
    return sorted(set(session.scalars(noticed)) | set(session.scalars(emailed)))
