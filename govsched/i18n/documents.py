"""Governance's documents in the reader's language (issue 20): the draft plenary agenda, a
roster slot's reason, a published agenda's change lines.

`governance` writes these as messages (it is pure and knows no catalog); this module renders a
copy for one reader, in the language being written (`use_language`), the English copy being
the document as the rules write it.
"""

from __future__ import annotations

from governance.kernel.languages import Language
from governance.kernel.messages import Message
from governance.reports.peer_review.reason_words import assignment_reason
from governance.roster.reason_words import slot_reason
from governance.year.plenary_agenda import AgendaSection, AgendaWords, DraftAgenda
from govsched.i18n import formatting
from govsched.i18n.current import current_language, gettext, writing_pseudo
from govsched.i18n.messages import LabelTexts, in_current_language


def _say(message: Message, labels: LabelTexts | None) -> str:
    # Without labels given, the request's rulebook names them (`use_label_texts`), as the
    # feeds do: a page and a feed call the Annual Plenary the same in each language.
    return in_current_language(message, labels)


def agenda_in_reading(words: AgendaWords, labels: LabelTexts | None = None) -> DraftAgenda:
    """The draft agenda in the language being written."""
    if current_language() is Language.EN and not writing_pseudo():
        return words.english()
    return DraftAgenda(
        plenary=words.plenary,
        title=_say(words.title, labels),
        dates=formatting.day_range(words.starts, words.ends),
        location=words.location,
        as_of=words.as_of,
        sections=tuple(
            AgendaSection(
                key=s.key,
                title=_say(s.title, labels),
                items=tuple(_say(i, labels) for i in s.items),
                empty=_say(s.empty, labels) if s.empty is not None else "",
            )
            for s in words.sections
        ),
    )


def agenda_draft_note(agenda: DraftAgenda) -> str:
    """The line under the agenda's title: where, when, and the day it was drawn up."""
    return gettext("%(location)s, %(dates)s. Draft as of %(day)s.") % {
        "location": agenda.location,
        "dates": agenda.dates,
        "day": formatting.day(agenda.as_of),
    }


def reason_in_reading(reason: str, labels: LabelTexts | None = None) -> str:
    """A roster slot's reason (written by the rule in English) in the language being written."""
    if current_language() is Language.EN and not writing_pseudo():
        return reason
    return _say(slot_reason(reason), labels)


def message_in_reading(message: Message, labels: LabelTexts | None = None) -> str:
    if current_language() is Language.EN and not writing_pseudo():
        return message.english()
    return _say(message, labels)


def assignment_reason_in_reading(reason: str) -> str:
    """Why a reviewer was paired with a report (written by the rule in English, kept as
    stored) in the language being written; English readers read the pillars as words too."""
    return _say(assignment_reason(reason), None)
