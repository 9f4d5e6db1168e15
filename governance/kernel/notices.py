"""Notifications the initiative sends, each with an idempotency key.

The key names the kind, the item, the item's version and the recipient: sending the same notice
twice (an activity retried after a crash) finds the key in the ledger and sends nothing more,
while a new version of the item (a moved deadline) is a new notice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, Field

from governance.kernel.audit import AuditEntry
from governance.kernel.messages import Message
from governance.kernel.model import Frozen, Role
from governance.rulebook.model import NotificationKind

DIRECT = "direct"
# An application's own applicant, who is nobody in the directory: its notices are emailed to the
# contact its application names (the notice's `item`), with its private status link
# (govsched/notify/applicant.py); never to chat.
APPLICANT = "applicant"
# The action of a review request: its recipient records a recommendation from the message.
RECOMMEND = "recommend"
TEXT_LIMIT = 3000


def notification_key(kind: NotificationKind, item: str, version: int | str, recipient: str) -> str:
    """`version` is the item's version, or the name of the step a reminder belongs to."""
    return f"{kind.value}:{item}:v{version}:{recipient}"


def direct_notice(
    kind: NotificationKind,
    person: str,
    item: str,
    version: int | str,
    text: str | Message,
    issued_at: AwareDatetime,
    action: str | None = None,
) -> Notification:
    """A notice to one person (a Slack direct message, an email)."""
    return Notification(
        key=notification_key(kind, item, version, person),
        kind=kind,
        channel=DIRECT,
        recipients=(person,),
        text=_english(text),
        message=None if isinstance(text, str) else text,
        item=item,
        issued_at=issued_at,
        action=action,
    )


class Notification(Frozen):
    key: Annotated[str, Field(min_length=1, max_length=300)]
    kind: NotificationKind
    channel: Annotated[str, Field(min_length=1, max_length=80)]
    recipients: tuple[str, ...] = ()
    # The English text: the ledger's record, and what a notice without `message` says.
    text: Annotated[str, Field(min_length=1, max_length=TEXT_LIMIT)]
    item: Annotated[str, Field(min_length=1, max_length=200)]
    issued_at: AwareDatetime
    # What the recipient can decide from the message itself ("recommend": the Steering
    # Committee's buttons on an application under review); None for information only.
    action: str | None = None
    # What the text says, for each reader's language (issue 20); None in notices issued
    # before languages (histories in flight), which read as `text` in every language.
    message: Message | None = None
    # The role a recipient must still hold when the notice goes out (None: anyone addressed):
    # a reminder planned for a reviewer is not sent once the role is taken away, since it
    # names a confidential application (README: a role taken away stops at once).
    for_role: Role | None = None


def _english(text: str | Message) -> str:
    return text if isinstance(text, str) else text.english()[:TEXT_LIMIT]


def channel_notice(
    kind: NotificationKind,
    channel: str,
    item: str,
    version: int | str,
    text: str | Message,
    issued_at: AwareDatetime,
) -> Notification:
    """A notice posted to a logical channel (all_members, secretariat...)."""
    return Notification(
        key=notification_key(kind, item, version, channel),
        kind=kind,
        channel=channel,
        text=_english(text),
        message=None if isinstance(text, str) else text,
        item=item,
        issued_at=issued_at,
    )


def applicant_notice(
    kind: NotificationKind,
    application: str,
    version: int | str,
    text: Message,
    issued_at: AwareDatetime,
) -> Notification:
    """A notice to the applicant of `application` (the APPLICANT channel)."""
    return Notification(
        key=notification_key(kind, application, version, APPLICANT),
        kind=kind,
        channel=APPLICANT,
        text=_english(text),
        message=text,
        item=application,
        issued_at=issued_at,
    )


def not_before(notice: Notification, instant: datetime | None) -> Notification:
    """The notice stamped no earlier than `instant`: the moment the thing it is about was
    scheduled (a plenary planned after its milestones' reminder days, a seat recorded late).
    A step that fell before then could not have been sent then; it is sent from then on."""
    if instant is None or notice.issued_at >= instant:
        return notice
    return notice.model_copy(update={"issued_at": instant})


class ScheduledNotice(Frozen):
    """A notice that falls due later (a term that begins in the future), with its audit entry."""

    due: AwareDatetime
    notification: Notification
    audit: AuditEntry
