"""What govsched knows about Slack: people's Slack ids, and the message of each notification."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from govsched.persistence.tables import (
    PersonRow,
    SlackChannelTurnRow,
    SlackMessageRow,
    SlackUserRow,
)


def slack_user(session: Session, email: str) -> SlackUserRow | None:
    return session.get(SlackUserRow, email.lower())


def remember_user(
    session: Session, email: str, user_id: str, dm_channel: str | None, at: datetime
) -> None:
    row = session.get(SlackUserRow, email.lower())
    if row is None:
        session.add(
            SlackUserRow(
                email=email.lower(), slack_user_id=user_id, dm_channel=dm_channel, looked_up_at=at
            )
        )
        return
    row.slack_user_id, row.dm_channel, row.looked_up_at = user_id, dm_channel, at


def person_for_slack_user(session: Session, user_id: str) -> str | None:
    """The person whose email maps to this Slack user (button clicks name Slack users)."""
    query = (
        select(PersonRow.id)
        .join(SlackUserRow, func.lower(PersonRow.email) == SlackUserRow.email)
        .where(SlackUserRow.slack_user_id == user_id)
    )
    return session.scalars(query).first()


def person_with_email(session: Session, email: str) -> str | None:
    query = select(PersonRow.id).where(func.lower(PersonRow.email) == email.lower())
    return session.scalars(query).first()


def email_of(session: Session, person_id: str) -> str | None:
    row = session.get(PersonRow, person_id)
    return None if row is None else row.email


def message(session: Session, key: str, target: str) -> SlackMessageRow | None:
    return session.get(SlackMessageRow, (key, target))


def start_post(
    session: Session, key: str, target: str, channel_id: str, kind: str, item: str, at: datetime
) -> SlackMessageRow:
    """Record that a post is about to be made: from now on its outcome is in doubt until
    `finish_post`, and a retry must look in the channel before posting again."""
    row = session.get(SlackMessageRow, (key, target))
    if row is None:
        row = SlackMessageRow(
            notification_key=key,
            target=target,
            channel_id=channel_id,
            kind=kind,
            item=item,
            started_at=at,
        )
        session.add(row)
        session.flush()
    return row


def finish_post(session: Session, key: str, target: str, ts: str, at: datetime) -> None:
    row = session.get(SlackMessageRow, (key, target))
    if row is not None:
        row.ts, row.posted_at = ts, at


def latest_for_item(
    session: Session, kind: str, item: str, target: str, except_key: str
) -> SlackMessageRow | None:
    """The newest posted message of this kind about this item to this target (another key)."""
    query = (
        select(SlackMessageRow)
        .where(
            SlackMessageRow.kind == kind,
            SlackMessageRow.item == item,
            SlackMessageRow.target == target,
            SlackMessageRow.notification_key != except_key,
            SlackMessageRow.ts.is_not(None),
        )
        .order_by(SlackMessageRow.posted_at.desc(), SlackMessageRow.notification_key.desc())
    )
    return session.scalars(query).first()


def message_at(session: Session, channel_id: str, ts: str) -> SlackMessageRow | None:
    query = select(SlackMessageRow).where(
        SlackMessageRow.channel_id == channel_id, SlackMessageRow.ts == ts
    )
    return session.scalars(query).first()


def take_turn(
    session: Session, channel_id: str, holder: str, now: datetime, held_until: datetime
) -> datetime | None:
    """Take the channel's turn for `holder` until `held_until`; None if taken, else when to
    ask again (the next post's instant, or `now` while another holder's turn lasts).

    The row is locked for the transaction (FOR UPDATE on PostgreSQL; SQLite's write
    transactions are serialised), so two processes never hold one channel's turn together.
    """
    row = session.get(SlackChannelTurnRow, channel_id, with_for_update=True)
    if row is None:
        try:
            with session.begin_nested():
                session.add(SlackChannelTurnRow(channel_id=channel_id, next_post_at=now))
        except IntegrityError:
            pass  # another process created it first
        row = session.get(SlackChannelTurnRow, channel_id, with_for_update=True)
        assert row is not None
    if row.holder is not None and row.held_until is not None and row.held_until > now:
        return max(now, row.next_post_at)
    if row.next_post_at > now:
        return row.next_post_at
    row.holder, row.held_until = holder, held_until
    return None


def end_turn(session: Session, channel_id: str, holder: str, next_post_at: datetime) -> None:
    """End `holder`'s turn: nobody posts to the channel before `next_post_at`."""
    row = session.get(SlackChannelTurnRow, channel_id, with_for_update=True)
    if row is None:
        return
    if row.holder == holder:
        row.holder, row.held_until = None, None
    row.next_post_at = max(row.next_post_at, next_post_at)
