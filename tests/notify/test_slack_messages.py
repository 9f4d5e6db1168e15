"""No text a person wrote can become Slack markup: mentions, channel pings or links."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.languages import Language
from governance.kernel.notices import RECOMMEND, Notification, notification_key
from governance.kernel.text import shown
from governance.rulebook.model import NotificationKind
from govsched.i18n.current import use_language
from govsched.notify.slack.messages import SECTION_LIMIT, build, clip, decided, escape, unescape

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
INJECTIONS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U0ADMIN>",
    "<#C0GENERAL>",
    "<!subteam^S123>",
    "<https://evil.example|Click here>",
    "&lt;!channel&gt;",
    "&amp;",
    "<",
    ">",
    "&",
]
# any text the models take in (no NUL, no unpaired surrogate: governance.kernel.text)
accepted = st.characters(codec="utf-8", exclude_characters="\x00")
pieces = st.one_of(st.sampled_from(INJECTIONS), st.text(accepted, min_size=0, max_size=40))
texts = st.lists(pieces, min_size=1, max_size=12).map("".join).filter(lambda t: t.strip() != "")


def _strings(value: Any) -> list[str]:
    """Every string in a Block Kit payload (texts, labels, ids, values)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@given(text=texts, item=texts.map(lambda t: t[:200]), kind=st.sampled_from(NotificationKind))
def test_no_user_text_reaches_slack_as_markup(text: str, item: str, kind: NotificationKind) -> None:
    notice = Notification(
        key=notification_key(kind, item, 1, "direct")[:300],
        kind=kind,
        channel="direct",
        recipients=("sc-jonas",),
        text=text[:3000],
        item=item,
        issued_at=T0,
        action=RECOMMEND,
    )
    message = build(notice, with_buttons=True)

    fields = [message.text, *_strings(message.blocks)]
    for field in fields:
        assert "<" not in field
        assert ">" not in field
    # what people read is the text made safe to show (separators as spaces, no bidi controls)
    assert html.unescape(message.text).rstrip("…") in shown(notice.text)
    assert shown(notice.text).startswith(html.unescape(message.text).rstrip("…"))
    buttons = message.blocks[-1]["elements"]
    assert {unescape(button["value"]) for button in buttons} == {item}
    section = message.blocks[0]["text"]["text"]
    assert len(section) <= SECTION_LIMIT
    json.dumps(message.metadata)  # metadata is data, never displayed


def test_the_footer_names_the_kind_and_never_the_items_id() -> None:
    notice = Notification(
        key=notification_key(NotificationKind.DEADLINE_REMINDER, "app-a9c0f73b7c32", 1, "d"),
        kind=NotificationKind.DEADLINE_REMINDER,
        channel="direct",
        recipients=("sc-jonas",),
        text="Please record your recommendation.",
        item="app-a9c0f73b7c32",
        issued_at=T0,
    )

    message = build(notice)

    [footer] = message.blocks[1]["elements"]
    assert footer["text"] == "Deadline reminder"
    assert message.metadata["event_payload"]["item"] == "app-a9c0f73b7c32"


@given(name=texts.map(lambda t: t[:200]), original=texts.map(lambda t: t[:3000]))
def test_a_decision_line_mentions_only_the_decider(name: str, original: str) -> None:
    message = decided(original, "UJONAS", name, "support", T0)
    markup = [s for s in _strings(message.blocks) if "<" in s]
    for field in markup:
        assert field.count("<") == 1
        assert field.startswith("<@UJONAS>")


@given(text=texts)
def test_clipping_never_cuts_an_entity_in_two(text: str) -> None:
    escaped = escape(text * 50)
    clipped = clip(escaped, 101)
    assert len(clipped) <= 101
    assert escaped.startswith(clipped.rstrip("…"))
    tail = clipped.rstrip("…")
    amp = tail.rfind("&")
    assert amp == -1 or ";" in tail[amp:]


def test_line_separators_become_spaces_and_bidirectional_controls_go() -> None:
    notice = Notification(
        key="deadline_reminder:app-1:v1:direct",
        kind=NotificationKind.DEADLINE_REMINDER,
        channel="direct",
        recipients=("sc-jonas",),
        text="Review\u2028\u202eexe.live\u202c\u2029by \u2066Friday\u2069\u0085please.",
        item="app-1",
        issued_at=T0,
    )
    message = build(notice)
    assert message.text == "Review exe.live by Friday please."
    assert message.blocks[0]["text"]["text"] == "Review exe.live by Friday please."


def test_the_decision_line_is_written_in_the_clickers_language() -> None:
    with use_language(Language.ZH):
        chinese = decided("原文", "UJONAS", "Jonas", "support", T0)
    with use_language(Language.FR):
        french = decided("Texte", "UJONAS", "Jonas", "object", T0)
    assert chinese.blocks[1]["elements"][0]["text"] == (
        "<@UJONAS>（Jonas）于2027年1月4日 UTC 14:00:00记录了*支持*。"  # noqa: RUF001 (Chinese brackets)
    )
    assert french.blocks[1]["elements"][0]["text"] == (
        "<@UJONAS> (Jonas) a enregistré *objection* le 4 janvier 2027, 14:00:00 TU."
    )
