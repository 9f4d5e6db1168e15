"""No text a person wrote can become Slack markup: mentions, channel pings or links."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.notices import RECOMMEND, Notification, notification_key
from governance.rulebook.model import NotificationKind
from govsched.notify.slack.messages import SECTION_LIMIT, build, clip, decided, escape, unescape
from govsched.notify.slack.pacing import ChannelPacer

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
pieces = st.one_of(st.sampled_from(INJECTIONS), st.text(min_size=0, max_size=40))
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

    shown = [message.text, *_strings(message.blocks)]
    for field in shown:
        assert "<" not in field
        assert ">" not in field
    assert html.unescape(message.text).rstrip("…") in notice.text
    assert notice.text.startswith(html.unescape(message.text).rstrip("…"))
    buttons = message.blocks[-1]["elements"]
    assert {unescape(button["value"]) for button in buttons} == {item}
    section = message.blocks[0]["text"]["text"]
    assert len(section) <= SECTION_LIMIT
    json.dumps(message.metadata)  # metadata is data, never displayed


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


def test_the_pacer_spaces_one_channel_and_leaves_others_alone() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    pacer = ChannelPacer(1.0, clock=lambda: now[0], sleep=sleep)
    waits = [pacer.wait("C1"), pacer.wait("C1"), pacer.wait("C2"), pacer.wait("C1")]
    assert waits == [0.0, 1.0, 0.0, 2.0]
    now[0] = 110.0
    assert pacer.wait("C1") == 0.0
    assert slept == [1.0, 2.0]
