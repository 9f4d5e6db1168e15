"""Unsubscribing from a kind of email through the signed link every email carries.

No sign-in: the link's signature is the proof (govsched/notify/email/links.py). It records the same
opt-out a person can set on their preferences page (audited as done by the person), so it
stops that kind of direct notice on every channel, and that kind's emails from channel posts.
Unsubscribing from the digest also switches a person on the daily email digest back to one
email per notice: their notices keep coming, the digests stop. A request to act cannot be
stopped: its link changes nothing, and its page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from governance.kernel.languages import Language
from governance.notifications.channels import EmailCadence
from governance.rulebook.model import NotificationKind, stoppable
from govsched.config import Settings
from govsched.notify.email.links import read_unsubscribe_token
from govsched.persistence.db import Database
from govsched.persistence.repos import channel_choice as channel_choice_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import notification_preferences
from govsched.services.channel_choices import set_delivery_choice
from govsched.services.ids import server_secret


@dataclass(frozen=True)
class Unsubscription:
    person: str
    name: str
    kind: NotificationKind
    # already opted out before this link was used
    already: bool
    # the person's own language (None: the initiative's), which its page is written in
    language: Language | None = None

    @property
    def stoppable(self) -> bool:
        """False for a request to act: the link (a mail program's unsubscribe button reaches it
        too) then changes nothing, and its page says so."""
        return stoppable(self.kind)


def read(db: Database, settings: Settings, token: str) -> Unsubscription | None:
    """What the link would do; None for a forged, mangled or stale (person gone) link."""
    found = read_unsubscribe_token(server_secret(settings), token)
    if found is None:
        return None
    person, kind = found
    with db.reading() as session:
        record = registry_repo.get_person(session, person)
    if record is None:
        return None
    already = kind in notification_preferences.opted_out(db, person)
    return Unsubscription(person, record.name, kind, already, record.language)


def unsubscribe(
    db: Database, settings: Settings, token: str, at: datetime
) -> Unsubscription | None:
    found = read(db, settings, token)
    if found is None or not found.stoppable:
        return found
    notification_preferences.change(db, found.person, [found.kind], [], found.person, at)
    if found.kind is NotificationKind.DIGEST:
        with db.reading() as session:
            choice = channel_choice_repo.choice_of(session, found.person)
        if choice.email is EmailCadence.DAILY:
            immediate = choice.model_copy(update={"email": EmailCadence.IMMEDIATE})
            set_delivery_choice(db, found.person, immediate, found.person, at)
    return found
