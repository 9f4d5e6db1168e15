"""Every notice written as a message renders in every language, and nothing it says bypasses
the catalog (issue 20): in the pseudo-locale every word a notice says is bracketed, so a word
left outside the brackets is text that was never translated."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.languages import Language
from governance.kernel.messages import Message, Names, Term, Terms, Text
from governance.kernel.notices import TEXT_LIMIT, Notification
from governance.rulebook.model import Rulebook
from govsched.i18n.catalogs import PSEUDO_CLOSE, PSEUDO_OPEN
from govsched.i18n.messages import render
from tests.i18n.notice_samples import every_notice, named_notices

RULEBOOK = Rulebook()
LETTER = re.compile(r"[^\W\d_]")
HOSTILE = st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and "\x00" not in t)


def outside_brackets(text: str) -> str:
    """What a pseudo-locale rendering says outside every ⟦...⟧ (nested ones included)."""
    depth, kept = 0, []
    for char in text:
        if char == PSEUDO_OPEN:
            depth += 1
        elif char == PSEUDO_CLOSE:
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def as_written(message: Message) -> list[str]:
    """Every text of `message` shown as written (names, links), nested ones included."""
    found: list[str] = []
    for param in message.params.values():
        match param:
            case Text(value=value):
                found.append(value)
            case Names(values=values, shown=shown):
                found.extend(values[:shown])
            case Term(message=inner):
                found.extend(as_written(inner))
            case Terms(messages=inner):
                found.extend(value for each in inner for value in as_written(each))
    return found + [value for sentence in message.then for value in as_written(sentence)]


def _message(notice: Notification) -> str:
    assert notice.message is not None, f"{notice.key} carries no message"
    return render(notice.message, Language.EN, RULEBOOK.label_text, pseudo=True)


def test_every_notice_is_translated_all_through() -> None:
    notices = every_notice()
    kinds = {notice.kind for notice in notices}
    assert len(kinds) >= 4
    for notice in notices:
        pseudo = _message(notice)
        assert pseudo.startswith(PSEUDO_OPEN), pseudo
        assert not LETTER.search(outside_brackets(pseudo)), f"{notice.key}: {pseudo}"


def test_every_notice_reads_as_issued_in_english_and_otherwise_elsewhere() -> None:
    for notice in every_notice():
        assert notice.message is not None
        assert notice.message.english()[:TEXT_LIMIT] == notice.text
        for language in (Language.FR, Language.ES, Language.ZH):
            translated = render(notice.message, language, RULEBOOK.label_text)
            assert translated != notice.text, (language, notice.text)


# every notice in four languages is some work per example: a modest count, no deadline
@settings(max_examples=25, deadline=None)
@given(name=HOSTILE, count=st.integers(min_value=1, max_value=60))
def test_what_members_wrote_is_shown_as_written_in_every_language(name: str, count: int) -> None:
    """Names with placeholders, brackets or markup in them, and lists long enough to be cut,
    render in every language without failing, the name as written."""
    for notice in named_notices(name, count):
        assert notice.message is not None
        written = as_written(notice.message)
        for language in Language:
            text = render(notice.message, language, RULEBOOK.label_text)
            for value in written:
                assert value in text, (language, value, text)
