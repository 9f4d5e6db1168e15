"""The outbox as the Secretariat reads it: every notice the workspace sent, to whom, on which
channel (Slack, email, the console), and where each delivery stands.

Read from the delivery ledger (the `notifications` row of each notice) and the rows each
channel keeps per target; sign-in emails, which no notice stands for, are listed too. The
console keeps no row of its own: a notice the ledger marks sent that had a chat part (a
channel's post, or a direct notice to someone not reached by email) and no Slack post was
printed by the console notifier, which is what chat is when no Slack token is configured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from governance.kernel.notices import APPLICANT, DIRECT
from governance.notifications.channels import Available, OutboxEmail, wants_chat
from govsched.i18n.marking import N_
from govsched.persistence.db import Database
from govsched.persistence.repos import channel_choice as channel_choice_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import outbox as outbox_repo
from govsched.persistence.repos.outbox import LedgerLine, SlackPost
from govsched.services import email_outbox

# a page a phone and a screen reader can take; narrow by channel, kind or delivery for more
LIMIT = 100
MEDIA = ("slack", "email", "console")
# In English; a page shows them in its reader's language.
MEDIUM_WORDS = {"slack": N_("Slack"), "email": N_("Email"), "console": N_("Console")}
STATUSES = (
    notification_repo.PENDING,
    notification_repo.SENT,
    notification_repo.FAILED,
    notification_repo.OPTED_OUT,
)
_LEDGER_WORDS = {
    notification_repo.PENDING: N_("not delivered yet (will be retried)"),
    notification_repo.SENT: N_("delivered"),
    notification_repo.FAILED: N_("failed"),
    notification_repo.OPTED_OUT: N_(
        "not sent: every recipient opted out of this kind or no longer holds the role it was for"
    ),
}


@dataclass(frozen=True)
class Delivery:
    medium: str  # slack, email, console
    to: str
    state: str
    good: bool


@dataclass(frozen=True)
class OutboxNotice:
    key: str
    kind: str
    at: datetime
    to: str
    text: str
    status: str
    status_text: str
    deliveries: list[Delivery] = field(default_factory=list)


def _slack(post: SlackPost, names: dict[str, str]) -> Delivery:
    to = names.get(post.target, post.target)
    to = to if post.target in names else f"#{post.target}"
    if post.ts is None:
        return Delivery("slack", to, N_("posting: Slack's answer not recorded yet"), False)
    return Delivery("slack", to, N_("posted"), True)


def _email(row: OutboxEmail) -> Delivery:
    to = f"{row.person_name or row.person_id} <{row.address}>"
    good = row.state.value in ("accepted", "held", "in_digest")
    return Delivery("email", to, email_outbox.state_text(row), good)


def _console(line: LedgerLine, chat: set[str], names: dict[str, str]) -> Delivery | None:
    # an applicant's notice is only ever emailed (govsched/notify/applicant.py)
    if line.status != notification_repo.SENT or line.channel == APPLICANT:
        return None
    if line.channel != DIRECT:
        return Delivery("console", f"#{line.channel}", N_("printed on the worker's console"), True)
    told = [p for p in line.recipients if p in chat]
    if not told:
        return None
    to = ", ".join(names.get(p, p) for p in told)
    return Delivery("console", to, N_("printed on the worker's console"), True)


def _to(line: LedgerLine, names: dict[str, str]) -> str:
    if line.channel != DIRECT:
        return f"#{line.channel}"
    return ", ".join(names.get(p, p) for p in line.recipients) or "nobody"


def _notice(
    line: LedgerLine,
    posts: list[SlackPost],
    emails: list[OutboxEmail],
    names: dict[str, str],
    chat: set[str],
) -> OutboxNotice:
    deliveries = [_slack(p, names) for p in posts] + [_email(e) for e in emails]
    if not posts:
        console = _console(line, chat, names)
        if console is not None:
            deliveries.append(console)
    status_text = _LEDGER_WORDS.get(line.status, line.status)
    if line.status == notification_repo.FAILED and line.error:
        status_text += f": {line.error}"
    return OutboxNotice(
        line.key,
        line.kind,
        line.issued_at,
        _to(line, names),
        line.text,
        line.status,
        status_text,
        deliveries,
    )


def _sign_in(row: OutboxEmail) -> OutboxNotice:
    delivery = _email(row)
    return OutboxNotice(
        row.notification_key,
        row.kind,
        row.created_at,
        delivery.to,
        row.subject,
        "sent",
        "handed to email",
        [delivery],
    )


def _chat_people(session: Session, lines: list[LedgerLine], available: Available) -> set[str]:
    """Who, of the direct notices' recipients, gets chat: by their choice as it stands now
    (a choice changed since is the one thing this reading cannot know)."""
    people = {p for line in lines if line.channel == DIRECT for p in line.recipients}
    choices = channel_choice_repo.choices_of(session, people)
    return {p for p in people if wants_chat(choices[p], available)}


def notices(
    db: Database,
    slack_configured: bool,
    email_configured: bool,
    medium: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    limit: int = LIMIT,
) -> list[OutboxNotice]:
    """The newest notices first, each with its deliveries, narrowed to what was asked."""
    if medium == "console" and slack_configured:
        return []  # chat goes to Slack here: nothing is printed for anyone
    with db.reading() as session:
        lines = outbox_repo.ledger(session, limit, kind, status, medium)
        keys = [line.key for line in lines]
        posts = outbox_repo.slack_posts(session, keys)
        emails = outbox_repo.emails(session, keys)
        loose = (
            outbox_repo.loose_emails(session, limit, kind)
            if medium in (None, "email") and status in (None, notification_repo.SENT)
            else []
        )
        names = outbox_repo.names(session)
        # the console stands in for chat only without Slack
        chat = (
            set()
            if slack_configured
            else _chat_people(session, lines, Available(slack=False, email=email_configured))
        )
    found = [
        _notice(line, posts.get(line.key, []), emails.get(line.key, []), names, chat)
        for line in lines
    ]
    if medium == "console":
        found = [n for n in found if any(d.medium == "console" for d in n.deliveries)]
    found += [_sign_in(row) for row in loose]
    found.sort(key=lambda n: (n.at, n.key), reverse=True)
    return found[:limit]


def kinds(db: Database) -> list[str]:
    with db.reading() as session:
        return outbox_repo.kinds(session)
