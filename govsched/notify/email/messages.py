"""Notifications as emails: text and HTML alternatives, every person's text made safe.

Text that came from people (a notice's text quotes names, statements, item ids) is passed
through `governance.kernel.text.shown` for both parts and HTML-escaped for the HTML part; headers
get it with every control character (line breaks included) turned into a space, so nothing typed
into a name or a title can add a header or a part. The same notification for the same person
always gives the same Message-ID and Date, so a copy sent again after a crash is recognisable
as the same message (by people, and by mail systems that drop repeated Message-IDs).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from hashlib import sha256

from governance.kernel.languages import Language
from governance.kernel.notices import Notification
from governance.kernel.text import shown
from governance.notifications.email_digest import EMAIL_DIGEST_CHANNEL
from governance.rulebook.model import NotificationKind, stoppable
from govsched.i18n.current import current_language, gettext, ngettext
from govsched.notify.email.links import unsubscribe_url
from govsched.notify.kind_titles import kind_title

SUBJECT_TEXT_LIMIT = 90
SIGN_IN_KIND = "sign_in"
# The applicant's private status link (issue 19), sent to the contact an application names.
STATUS_LINK_KIND = "status_link"
PREFERENCES_PATH = "/web/notifications"


class UnusableAddress(ValueError):
    """An address an email header cannot carry (it passed the directory's looser check)."""


@dataclass(frozen=True)
class Sender:
    """Where emails come from and what their links point at."""

    from_address: str
    base_url: str
    # the installation's secret, for unsubscribe links (govsched/notify/email/links.py)
    secret: bytes
    initiative: str = "VPI"
    # the initiative's full name in each language, for sentences ("l'Initiative des ..."): a
    # short name reads wrong inside them; a language not given reads `initiative`
    initiative_names: Mapping[Language, str] = field(default_factory=dict)

    def initiative_name(self) -> str:
        """The initiative's name in the language being written (`use_language`)."""
        return self.initiative_names.get(current_language(), self.initiative)

    @property
    def domain(self) -> str:
        address = self.from_address.rsplit("<", 1)[-1].rstrip(">").strip()
        return address.rpartition("@")[2] or "localhost"


@dataclass(frozen=True)
class Recipient:
    person: str
    name: str
    address: str


def header_text(text: str) -> str:
    """Text for a header: shown, every control character a space, runs of spaces one."""
    cleaned = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in shown(text)
    )
    return " ".join(cleaned.split())


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def message_id(key: str, person: str, domain: str) -> str:
    """The same for the same notification and person, whichever attempt sends it."""
    # 128 bits, short enough that the header is never folded for an ordinary domain
    digest = sha256(f"{key}\x00{person}".encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def subject_for(kind: NotificationKind, text: str, initiative: str) -> str:
    """In the language being written (`use_language`), as the notice's text is."""
    first_line = header_text(shown(text).strip().split("\n", 1)[0])
    title = kind_title(kind)
    # punctuated as the language does ("Rappel d'échéance : ...")
    titled = gettext("%(kind)s: %(text)s") % {
        "kind": title,
        "text": clip(first_line, SUBJECT_TEXT_LIMIT),
    }
    return f"[{header_text(initiative)}] {titled}"


def _to(recipient: Recipient) -> Address:
    user, _, domain = recipient.address.rpartition("@")
    try:
        return Address(display_name=header_text(recipient.name), username=user, domain=domain)
    except (ValueError, IndexError) as exc:
        raise UnusableAddress(f"{recipient.address!r}: {exc}") from None


def _html_page(title: str, paragraphs: list[str], footer: list[str]) -> str:
    """A small HTML body; every argument is already escaped HTML."""
    lang = current_language().value
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    foot = "\n".join(f"<p>{line}</p>" for line in footer)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n"
        '<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a">\n'
        f"{body}\n"
        '<hr style="border: 0; border-top: 1px solid #999">\n'
        f'<div style="font-size: 0.9em; color: #333">\n{foot}\n</div>\n</body></html>\n'
    )


def _escaped_paragraphs(text: str) -> list[str]:
    """The text's paragraphs, HTML-escaped, its single line breaks kept as <br>."""
    blocks = [block for block in shown(text).split("\n\n") if block.strip()]
    return [html.escape(block).replace("\n", "<br>\n") for block in blocks] or [""]


def _link(url: str, label: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>'


def _envelope(
    subject: str, recipient: Recipient, sender: Sender, mid: str, at: datetime
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender.from_address
    message["To"] = _to(recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = mid
    # RFC 3834: no auto-replies (vacation notices) to a machine's message
    message["Auto-Submitted"] = "auto-generated"
    return message


def _fixed_boundary(message: EmailMessage) -> EmailMessage:
    """A boundary made from the parts themselves (the library picks a random one), so the same
    email built again is the same bytes; no part can contain the hash of its own content."""
    content = b"".join(part.as_bytes() for part in message.iter_parts())
    message.set_boundary(f"==govsched-{sha256(content).hexdigest()[:32]}")
    return message


def notice_email(notification: Notification, recipient: Recipient, sender: Sender) -> EmailMessage:
    """One notification for one person: text and HTML, with its unsubscribe link."""
    kind = notification.kind
    subject = subject_for(kind, notification.text, sender.initiative)
    mid = message_id(notification.key, recipient.person, sender.domain)
    message = _envelope(subject, recipient, sender, mid, notification.issued_at)
    unsubscribe = unsubscribe_url(sender.base_url, sender.secret, recipient.person, kind)
    preferences = f"{sender.base_url.rstrip('/')}{PREFERENCES_PATH}"
    my_work = f"{sender.base_url.rstrip('/')}/web/my-work"
    # a request to act offers no link that would not stop it
    stops = stoppable(kind)
    if stops:
        # RFC 2369 and RFC 8058: mail programs show an "unsubscribe" button that POSTs here
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    what = kind_title(kind)
    text = shown(notification.text).strip()
    name, address = shown(recipient.name), recipient.address
    receive = gettext("You receive this as %(name)s (%(address)s).")
    stop = gettext("Stop emails of this kind (%(kind)s)") % {"kind": what}
    choose = gettext("Choose Slack, email or a daily digest")
    your_work = gettext("Your work")
    opening = ""
    if notification.channel == EMAIL_DIGEST_CHANNEL:
        # the person's own daily email: greeted by name, and its link ends the digest only
        opening = gettext("Hello %(name)s,") % {"name": shown(recipient.name)}
        stop = gettext("Stop the daily digest: one email per notice instead")
    # a label and its address, punctuated as the language does ("Votre travail : https://...")
    labelled = gettext("%(label)s: %(link)s")
    message.set_content(
        (f"{opening}\n\n" if opening else "") + f"{text}\n\n"
        f"{labelled % {'label': your_work, 'link': my_work}}\n\n"
        "-- \n"
        f"{receive % {'name': name, 'address': address}}\n"
        + (f"{labelled % {'label': stop, 'link': unsubscribe}}\n" if stops else "")
        + f"{labelled % {'label': choose, 'link': preferences}}\n"
    )
    links = [_link(unsubscribe, stop)] if stops else []
    footer = [
        html.escape(receive % {"name": name, "address": address}),
        " · ".join([*links, _link(preferences, choose)]),
    ]
    paragraphs = [*_escaped_paragraphs(text), _link(my_work, gettext("Open your work"))]
    if opening:
        paragraphs.insert(0, html.escape(opening))
    message.add_alternative(_html_page(html.escape(subject), paragraphs, footer), subtype="html")
    return _fixed_boundary(message)


def sign_in_email(
    key: str, recipient: Recipient, sender: Sender, link: str, lasts_days: int, at: datetime
) -> EmailMessage:
    """A one-time sign-in link, for its person only (no unsubscribe: nobody is subscribed), in
    the language being written (`use_language`)."""
    title = gettext("Your sign-in link")
    subject = f"[{header_text(sender.initiative)}] {title}"
    message = _envelope(
        subject, recipient, sender, message_id(key, recipient.person, sender.domain), at
    )
    hello = gettext("Hello %(name)s,")
    opening = ngettext(
        "Open this link to sign in to the workspace. It works once, within %(count)s day:",
        "Open this link to sign in to the workspace. It works once, within %(count)s days:",
        lasts_days,
    ) % {"count": lasts_days}
    ignore = gettext(
        "If you did not ask for it, ignore this email: nobody can use the link but you."
    )
    message.set_content(
        f"{hello % {'name': shown(recipient.name)}}\n\n{opening}\n\n{link}\n\n{ignore}\n"
    )
    paragraphs = [
        html.escape(hello % {"name": shown(recipient.name)}),
        html.escape(opening),
        _link(link, gettext("Sign in")),
        html.escape(ignore),
    ]
    footer = [html.escape(gettext("Sent to %(address)s.") % {"address": recipient.address})]
    message.add_alternative(_html_page(html.escape(subject), paragraphs, footer), subtype="html")
    return _fixed_boundary(message)


def status_link_email(
    key: str, recipient: Recipient, sender: Sender, link: str, at: datetime
) -> EmailMessage:
    """An applicant's private status link, in the language being written (`use_language`). It
    carries none of the application's words: a public form must not become a way to send a
    stranger's text to any address."""
    title = gettext("Your application: its private status link")
    subject = f"[{header_text(sender.initiative)}] {title}"
    message = _envelope(
        subject, recipient, sender, message_id(key, recipient.person, sender.domain), at
    )
    lines = [
        gettext("An application to join the %(initiative)s gives this address as its contact.")
        % {"initiative": shown(sender.initiative_name())},
        gettext(
            "This private link shows where the application is, the next step and its date, and "
            "lets you answer the Secretariat's questions. Keep it, and share it only within your "
            "organisation:"
        ),
    ]
    ignore = gettext("If you did not apply, ignore this email.")
    message.set_content("\n\n".join([*lines, link, ignore]) + "\n")
    paragraphs = [*(html.escape(line) for line in lines), _link(link, link), html.escape(ignore)]
    footer = [html.escape(gettext("Sent to %(address)s.") % {"address": recipient.address})]
    message.add_alternative(_html_page(html.escape(subject), paragraphs, footer), subtype="html")
    return _fixed_boundary(message)


def applicant_email(
    notification: Notification, recipient: Recipient, sender: Sender, link: str
) -> EmailMessage:
    """A notice to an applicant (`notification.text` already in its language, the one being
    written: `use_language`), with its private status link. Everything from people (the
    Secretariat's question, the organisation's name) is shown as text, never as markup, and
    the subject carries one line of it with every control character a space."""
    subject = subject_for(notification.kind, notification.text, sender.initiative)
    mid = message_id(notification.key, recipient.person, sender.domain)
    message = _envelope(subject, recipient, sender, mid, notification.issued_at)
    text = shown(notification.text).strip()
    label = gettext("Your private status link")
    contact = gettext(
        "An application to join the %(initiative)s gives this address as its contact."
    ) % {"initiative": shown(sender.initiative_name())}
    sent_to = gettext("Sent to %(address)s.") % {"address": recipient.address}
    labelled = gettext("%(label)s: %(link)s") % {"label": label, "link": link}
    message.set_content(f"{text}\n\n{labelled}\n\n-- \n{contact}\n{sent_to}\n")
    paragraphs = [*_escaped_paragraphs(text), _link(link, label)]
    footer = [html.escape(contact), html.escape(sent_to)]
    message.add_alternative(_html_page(html.escape(subject), paragraphs, footer), subtype="html")
    return _fixed_boundary(message)
