"""Generated hostile text and generated crash schedules, against the real SMTP server.

- Any text a person could have typed (controls, line breaks of every kind, bidirectional
  overrides, markup, quotes) in a notice or a name gives one email with exactly a text and an
  HTML part, the headers govsched writes and no other, and no tag or link of its own.
- Any schedule of faults (the relay down, the relay busy, the worker dying after the relay
  accepted a message) over any set of recipients ends with every email at the relay, and a
  second copy only for a message the worker died holding in the window, never a third.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.notifications import NotificationActivities
from governance.kernel.notices import Notification, direct_notice
from governance.rulebook.model import NotificationKind
from govsched.notify.email import wire
from govsched.notify.email.messages import Recipient, message_id, notice_email
from govsched.persistence.db import Database
from govsched.persistence.repos import email as email_repo
from govsched.persistence.repos import notifications as notification_repo
from tests.email_helpers import email_notifier, sender
from tests.slack_helpers import add_person
from tests.smtp_sink import SmtpSink

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
HOSTILE_CHARS = st.sampled_from(
    list("<>&\"'\r\n\t\x0b\x0c\x1b\x7f\u0085\u2028\u2029\u202a\u202e\u2066\u2069:;=@,")
)
HOSTILE_TEXT = st.lists(
    st.one_of(HOSTILE_CHARS, st.characters(exclude_categories=["Cs"], exclude_characters="\x00")),
    min_size=1,
    max_size=120,
).map("".join)
HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "auto-submitted",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "content-type",
    "mime-version",
}
TEMPLATE_TAGS = {"html", "head", "meta", "title", "body", "p", "br", "hr", "div", "a"}


@settings(max_examples=150, deadline=None)
@given(text=HOSTILE_TEXT.filter(lambda t: t.strip()), name=HOSTILE_TEXT)
def test_hostile_text_and_names_stay_text(text: str, name: str) -> None:
    notice = direct_notice(NotificationKind.DECISION, "p-1", "item-1", 1, text[:3000], T0)
    built = notice_email(notice, Recipient("p-1", name, "p1@example.org"), sender())
    raw = built.as_bytes(policy=wire.SMTP)
    parsed = message_from_bytes(raw, policy=policy.default)

    assert {key.lower() for key in parsed} == HEADERS
    # every character and space of the subject arrives, wherever the line folds
    assert str(parsed["Subject"]) == str(built["Subject"])
    assert re.search(rb"\r\nList-Unsubscribe: <http[^\r\n>]+>\r\n", raw)
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["To"].addresses[0].addr_spec == "p1@example.org"
    assert "\n" not in str(parsed["Subject"])
    for part in parsed.iter_parts():
        content = part.get_content()
        for char in "\u2028\u2029\u0085\u202a\u202e\u2066\u2069":
            assert char not in content
    html_part = parsed.get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert set(re.findall(r"</?([A-Za-z][A-Za-z0-9]*)", html)) <= TEMPLATE_TAGS
    assert html.count("<a ") == 3  # your work, unsubscribe, preferences: nothing else links


# (attempt, recipient index, fault): what goes wrong where, before the delivery succeeds
FAULTS = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(["relay down", "relay busy", "crash after 250"])),
    max_size=4,
)
_keys = itertools.count()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        yield server


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(recipients=st.integers(1, 4), faults=FAULTS)
def test_any_fault_schedule_delivers_every_email_and_copies_only_in_the_window(
    sqlite_db: Database, sink: SmtpSink, recipients: int, faults: list[tuple[int, str]]
) -> None:
    db = sqlite_db
    people = [f"p-{n}" for n in range(recipients)]
    with db.reading() as session:
        known = email_repo.addresses(session, people)
    for person in people:
        if person not in known:
            add_person(db, person, f"{person}@example.org")
    key = f"decision:item-{next(_keys)}:v1:group"
    notice = Notification(
        key=key,
        kind=NotificationKind.DECISION,
        channel="direct",
        recipients=tuple(people),
        text="The Plenary admitted Norland.",
        item="item",
        issued_at=T0,
    )
    expected_copies = Counter({message_id(key, p, "vpi.example.org"): 1 for p in people})
    crashes_left = [
        person
        for attempt, fault in faults
        if fault == "crash after 250"
        for person in [people[attempt % recipients]]
    ]

    def crash(_notice: Notification, person: str) -> None:
        if crashes_left and crashes_left[0] == person:
            crashes_left.pop(0)
            expected_copies[message_id(key, person, "vpi.example.org")] += 1
            raise SystemExit("worker died after the relay accepted")

    attempts = 0
    for _attempt, fault in faults:
        if fault == "relay busy":
            sink.handler.busy_data += 1
    while True:
        attempts += 1
        assert attempts < 20, "never delivered"
        down = any(f == "relay down" for a, f in faults if a == attempts - 1)
        relay_sink = sink if not down else _closed_port_sink()
        activities = NotificationActivities(db, email_notifier(db, relay_sink, after_accept=crash))
        try:
            receipt = activities.deliver(notice)
        except (SystemExit, Exception):  # a retry is what the worker does next
            continue
        assert receipt.status == notification_repo.SENT
        break
    sink.handler.busy_data = 0
    ours = Counter(r.message_id for r in sink.received if r.message_id in expected_copies)

    assert ours == expected_copies
    with db.reading() as session:
        for person in people:
            row = email_repo.get(session, key, person)
            assert row is not None
            assert row.state == "accepted"
            assert row.handovers >= ours[message_id(key, person, "vpi.example.org")]


class _Closed:
    """A relay address nobody listens on (a port that was free a moment ago)."""

    def __init__(self) -> None:
        with SmtpSink() as gone:
            self.port = gone.port


def _closed_port_sink() -> SmtpSink:
    return _Closed()  # type: ignore[return-value]


def test_a_folded_subject_keeps_its_spaces_and_the_unsubscribe_address_stays_a_link() -> None:
    """Found by a review: the library folded the long unsubscribe address into encoded words
    (no mail program showed its button), and a French subject folded between two encoded words
    lost a space ("lapréoccupation") in 16 of 60 lengths tried here."""
    for n in range(60):
        text = f"Le dialogue{' x' * n} sur la préoccupation concernant Basalt Energy est terminé"
        notice = direct_notice(NotificationKind.DECISION, "p-1", "item-1", 1, text, T0)
        built = notice_email(notice, Recipient("p-1", "Mira", "p1@example.org"), sender())
        for policy_used in (wire.SMTP, wire.SMTPUTF8):
            raw = built.as_bytes(policy=policy_used)
            parsed = message_from_bytes(raw, policy=policy.default)
            assert str(parsed["Subject"]) == str(built["Subject"])
            (line,) = [x for x in raw.split(b"\r\n") if x.startswith(b"List-Unsubscribe:")]
            assert line == f"List-Unsubscribe: {built['List-Unsubscribe']}".encode()
            assert max(len(x) for x in raw.split(b"\r\n")) <= 998


def test_a_request_to_act_carries_no_unsubscribe_header() -> None:
    """A request to act cannot be stopped, so a mail program's unsubscribe button, which would
    do nothing, is not offered."""
    notice = direct_notice(NotificationKind.REQUEST, "p-1", "item-1", 1, "Please review.", T0)
    built = notice_email(notice, Recipient("p-1", "Mira", "p1@example.org"), sender())
    assert "List-Unsubscribe" not in built
    assert "List-Unsubscribe-Post" not in built
