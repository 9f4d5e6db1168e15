"""Notifications as Slack messages: Block Kit with a plain-text fallback, all text escaped.

Everything that came from a person (names, statements, comments, ids) passes through `escape`
before it reaches Slack, so `<!channel>`, `<@U123>` or a `<https://evil|link>` in someone's text
shows as typed instead of pinging a channel or disguising a link. Only markup govsched writes
itself (the decider's mention after a button click) is left unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from governance.kernel.notices import RECOMMEND, Notification
from governance.kernel.text import shown
from govsched.i18n import formatting
from govsched.i18n.current import N_, gettext, pgettext
from govsched.notify.kind_titles import kind_title

METADATA_EVENT = "govsched_notification"
# Block Kit's limits: a section's text, a context element's text; the fallback text is kept
# to what Slack's notifications show in full.
SECTION_LIMIT = 3000
CONTEXT_LIMIT = 2000
FALLBACK_LIMIT = 4000
RECOMMEND_ACTION = RECOMMEND
CHOICES = (
    ("support", N_("Support"), "primary"),
    ("object", N_("Object"), "danger"),
    ("abstain", N_("Abstain"), None),
)


def escape_markup(text: str) -> str:
    """Slack's three control characters, as its formatting guide asks (& first)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape(text: str) -> str:
    """Text for people to read: made safe to show (governance.kernel.text.shown), then escaped."""
    return escape_markup(shown(text))


def clip(escaped: str, limit: int) -> str:
    """Shorten escaped text to `limit` characters without cutting an entity in two."""
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[dict[str, Any]]
    metadata: dict[str, Any]


def metadata_for(notification: Notification) -> dict[str, Any]:
    return {
        "event_type": METADATA_EVENT,
        "event_payload": {"key": notification.key, "item": notification.item},
    }


def build(notification: Notification, with_buttons: bool = False) -> SlackMessage:
    """In the language being written (`use_language`), as the notice's text is."""
    body = escape(notification.text)
    # the kind only: the item's id is for machines (it stays in the metadata), not for readers
    context = escape(kind_title(notification.kind))
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=clip(body, SECTION_LIMIT))),
        ContextBlock(elements=[MarkdownTextObject(text=clip(context, CONTEXT_LIMIT))]),
    ]
    if with_buttons and notification.action == RECOMMEND_ACTION:
        blocks.append(recommend_buttons(notification.item))
    return SlackMessage(
        text=clip(body, FALLBACK_LIMIT),
        blocks=[block.to_dict() for block in blocks],  # to_dict validates every length
        metadata=metadata_for(notification),
    )


def recommend_buttons(application: str) -> ActionsBlock:
    # The value comes back in the click's payload; it is escaped (it is data, not read, so
    # nothing else), and `unescape` restores the application id on the way in.
    return ActionsBlock(
        block_id=RECOMMEND_ACTION,
        elements=[
            ButtonElement(
                text=gettext(label),
                action_id=f"{RECOMMEND_ACTION}:{choice}",
                value=escape_markup(application),
                style=style,
            )
            for choice, label, style in CHOICES
        ],
    )


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def decided(
    original: str, decider_user: str, person_name: str, choice: str, at: datetime
) -> SlackMessage:
    """The review message once its recipient decided: the buttons give way to the decision."""
    body = escape(original)
    # In the language being written (`use_language`: the clicker's); the mention stays markup.
    when = formatting.moment(at, "UTC")
    # the recommendation as the workspace's pages name it ("soutien", not the button's verb)
    label = pgettext("word", choice) if choice in {c for c, _l, _s in CHOICES} else choice
    line = gettext("%(mention)s (%(name)s) recorded *%(choice)s* on %(when)s.") % {
        "mention": f"<@{decider_user}>",
        "name": escape(person_name),
        "choice": escape(label),
        "when": escape(when),
    }
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=clip(body, SECTION_LIMIT))),
        ContextBlock(elements=[MarkdownTextObject(text=clip(line, CONTEXT_LIMIT))]),
    ]
    return SlackMessage(
        text=clip(f"{body}\n{line}", FALLBACK_LIMIT),
        blocks=[block.to_dict() for block in blocks],
        metadata={},
    )
