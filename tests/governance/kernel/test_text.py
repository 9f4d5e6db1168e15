"""The text rule (governance.kernel.text): what is taken in, how stored text is repaired, and how
text is made safe to show."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from governance.kernel.model import Frozen, OneLine
from governance.kernel.notices import Notification
from governance.kernel.text import repaired, repaired_all, shown, text_problem
from governance.rulebook.model import NotificationKind
from govsched.notify.console import ConsoleNotifier
from tests.helpers import T0

SEPARATORS_AND_BIDI = set(
    "\u2028\u2029\u0085\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# any code point, unpaired surrogates and NUL included
anything = st.text(
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF, codec=None, categories=None)
)


class Sample(Frozen):
    title: OneLine
    tags: tuple[str, ...] = ()
    extra: dict[str, object] = {}


def _invalid(text: str) -> bool:
    return "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


@given(text=anything)
def test_text_is_taken_in_exactly_when_it_is_valid_and_refusals_name_the_field(text: str) -> None:
    # control characters other than NUL are OneLine's own refusal, not the text rule's
    one_line = "".join(c for c in text if c == "\x00" or (ord(c) >= 32 and ord(c) != 127))
    for fields, where in (
        ({"title": one_line}, "title"),
        ({"title": "t", "tags": ["ok", one_line]}, "tags"),
        ({"title": "t", "extra": {one_line: 1}}, "extra"),
        ({"title": "t", "extra": {"k": [one_line]}}, "extra"),
    ):
        if _invalid(one_line):
            with pytest.raises(ValidationError) as refused:
                Sample.model_validate(fields)
            assert [e["loc"][0] for e in refused.value.errors()] == [where]
        else:
            Sample.model_validate(fields)
    assert (text_problem(text) is None) == (not _invalid(text))


@given(text=anything)
def test_repaired_text_is_valid_and_valid_text_is_left_alone(text: str) -> None:
    assert text_problem(repaired(text)) is None
    if not _invalid(text):
        assert repaired(text) == text
    assert repaired_all({text: [text, {"k": text}]}) == {
        repaired(text): [repaired(text), {"k": repaired(text)}]
    }


@given(text=anything)
def test_shown_text_has_no_separators_or_bidirectional_controls(text: str) -> None:
    readable = shown(text)
    assert not set(readable) & SEPARATORS_AND_BIDI
    assert text_problem(readable) is None
    assert shown(readable) == readable
    # nothing else changes: separators become one space each, controls go
    expected = "".join(
        " " if c in "\u2028\u2029\u0085" else "" if c in SEPARATORS_AND_BIDI else c
        for c in repaired(text)
    )
    assert readable == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [("a\ud800", "unpaired surrogate (U+D800)"), ("\x00", "NUL"), ("\udfff b", "U+DFFF")],
)
def test_a_refusal_says_what_is_wrong(value: str, reason: str) -> None:
    problem = text_problem(value)
    assert problem is not None
    assert reason in problem.english()


def test_the_console_shows_notices_safely() -> None:
    import io

    stream = io.StringIO()
    notice = Notification(
        key="deadline_reminder:app-1:v1:direct",
        kind=NotificationKind.DEADLINE_REMINDER,
        channel="direct",
        recipients=("sc-jonas",),
        text="Due\u2028\u202eexe.live\u202c",
        item="app-1",
        issued_at=T0,
    )
    ConsoleNotifier(stream).deliver(notice)
    assert stream.getvalue().endswith(": Due exe.live\n")
