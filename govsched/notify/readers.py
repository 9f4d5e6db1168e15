"""Who reads a notice in which language, and the notice as they read it (issue 20).

A person reads their own language (people.language), else the initiative's; a channel reads
the language the rulebook gives it (`notifications.channel_languages`), else the initiative's.
The notice's English `text` stays the ledger's record; each copy that leaves is rendered from
its `message` for its reader at delivery.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.kernel.languages import Language, reading_language
from governance.kernel.notices import TEXT_LIMIT, Notification
from governance.rulebook.model import Rulebook
from govsched.i18n.messages import LabelTexts, render
from govsched.persistence.db import Database
from govsched.persistence.tables import PersonRow


class Readers:
    def __init__(
        self,
        db: Database,
        default: Language = Language.EN,
        channels: Mapping[str, Language] | None = None,
        labels: LabelTexts | None = None,
    ) -> None:
        self._db = db
        self._default = default
        self._channels = dict(channels or {})
        self._labels = labels

    @classmethod
    def of(cls, db: Database, rulebook: Rulebook) -> Readers:
        return cls(
            db,
            rulebook.initiative.language,
            rulebook.notifications.channel_languages,
            rulebook.label_text,
        )

    def languages(self, people: Sequence[str]) -> dict[str, Language]:
        """Each person's reading language (an unknown person reads the default)."""
        with self._db.reading() as session:
            return languages_of(session, people, self._default)

    def of_person(self, person: str) -> Language:
        return self.languages([person])[person]

    def of_channel(self, channel: str) -> Language:
        return self._channels.get(channel, self._default)

    def in_language(self, notification: Notification, language: Language) -> Notification:
        text = text_in(notification, language, self._labels)
        return notification.model_copy(update={"text": text})

    def for_person(self, notification: Notification, person: str) -> Notification:
        return self.in_language(notification, self.of_person(person))

    def for_channel(self, notification: Notification) -> Notification:
        return self.in_language(notification, self.of_channel(notification.channel))


def languages_of(session: Session, people: Sequence[str], default: Language) -> dict[str, Language]:
    rows = session.execute(
        select(PersonRow.id, PersonRow.language).where(PersonRow.id.in_(list(people)))
    ).all()
    chosen = {person: Language(tag) for person, tag in rows if tag}
    return {person: reading_language(chosen.get(person), default) for person in people}


def text_in(notification: Notification, language: Language, labels: LabelTexts | None) -> str:
    """The notice as a reader of `language` reads it; English is the text as issued."""
    if notification.message is None or language is Language.EN:
        return notification.text
    return render(notification.message, language, labels)[:TEXT_LIMIT]
