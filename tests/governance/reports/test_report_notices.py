"""The reporting cycle's notices: every word a reader reads is a message of the catalog."""

from __future__ import annotations

from governance.kernel.messages import Message, Term, Terms, Text
from governance.reports import notices
from tests.i18n.notice_samples import AT, DATES


def _texts(message: Message) -> list[str]:
    """Every text as written anywhere in the message (names, ids): never translated."""
    found: list[str] = []
    for param in message.params.values():
        if isinstance(param, Text):
            found.append(param.value)
        elif isinstance(param, Term):
            found += _texts(param.message)
        elif isinstance(param, Terms):
            found += [t for m in param.messages for t in _texts(m)]
    return found


def test_late_reviews_say_whose_reports_in_a_translated_message_not_in_english_text() -> None:
    late = [("Government of Estavia", ["Coastal Rights", "Aurum Mining"]), ("Ondo", ["Basalt"])]

    [notice] = notices.reviews_late(DATES, late, AT)

    assert notice.text.endswith(
        ": Government of Estavia (of Aurum Mining, Coastal Rights), Ondo (of Basalt)."
    )
    assert notice.message is not None
    assert not any("(of" in text for text in _texts(notice.message))


def test_past_the_listed_reviewers_late_reviews_say_how_many_more() -> None:
    late = [(f"Reviewer {n:02}", ["Basalt"]) for n in range(45)]

    [notice] = notices.reviews_late(DATES, late, AT)

    assert "Reviewer 39 (of Basalt), 5 more." in notice.text
    assert "Reviewer 40" not in notice.text
