"""Email delivery through aiosmtplib to a real SMTP server (aiosmtpd) in the test process:
the content of both parts, the recipients and headers, refusals, retries and the window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from activities.notifications import NotificationActivities
from governance.kernel.notices import Notification, direct_notice
from governance.notifications.channels import EmailState
from governance.rulebook.model import NotificationKind
from govsched.notify.delivery import DeliveryReceipt
from govsched.notify.email.messages import message_id
from govsched.persistence.db import Database
from govsched.persistence.repos import email as email_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.tables import PersonRow
from tests.email_helpers import email_notifier, unsubscribe_of
from tests.slack_helpers import add_person, attempt_environment
from tests.smtp_sink import SmtpSink

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
K = NotificationKind
HOSTILE = (
    "Report of <script>alert('x')</script> & <b>Co</b> is due on 15 February.\r\n"
    "Bcc: everyone@example.org\n"
    "\u202eevil\u202c name\u2028next line"
)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        yield server


@pytest.fixture
def people(db: Database) -> Database:
    add_person(db, "fp-norland", "focal@norland.example", ("focal_point",), "Ana <Norland>")
    add_person(db, "sec-amina", "amina@example.org", ("secretariat",), "Amina Okafor")
    return db


def _deliver(activities: NotificationActivities, notice: Notification) -> DeliveryReceipt:
    return attempt_environment().run(activities.deliver, notice)


def _notice(
    text: str = "Your annual report is due on 15 February.", person: str = "fp-norland"
) -> Notification:
    return direct_notice(K.DEADLINE_REMINDER, person, "report-2026", 1, text, T0)


def test_a_notice_arrives_once_as_text_and_html_with_its_headers(
    people: Database, sink: SmtpSink
) -> None:
    activities = NotificationActivities(people, email_notifier(people, sink))
    notice = _notice(HOSTILE)

    receipt = _deliver(activities, notice)
    again = _deliver(activities, notice)

    assert receipt.status == notification_repo.SENT
    assert again.already_sent is True
    [received] = sink.wait_for(1)
    message = received.message
    assert received.rcpt_tos == ("focal@norland.example",)
    assert received.mail_from == "secretariat@vpi.example.org"
    assert message["Message-ID"].strip() == message_id(notice.key, "fp-norland", "vpi.example.org")
    assert message["To"].addresses[0].addr_spec == "focal@norland.example"
    assert message["To"].addresses[0].display_name == "Ana <Norland>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_of(message["List-Unsubscribe"]) == ("fp-norland", "deadline_reminder")
    # nothing typed into the text became a header, a part or a bidirectional trick
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]
    assert "\r" not in message["Subject"]
    assert message["Subject"].startswith("[VPI] Deadline reminder: Report of <script>")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    text, html = received.part("plain"), received.part("html")
    for part in (text, html):
        assert "\u202e" not in part
        assert "\u2028" not in part
    assert "<script>alert('x')</script>" in text
    assert "<script>" not in html
    assert "<b>Co</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in html
    assert "Bcc: everyone@example.org" in text  # shown as typed, in the body
    with people.reading() as session:
        row = email_repo.get(session, notice.key, "fp-norland")
        assert row is not None
        assert row.state == EmailState.ACCEPTED.value
        assert row.handovers == 1
        assert row.relay_reply is not None
        assert row.relay_reply.startswith("250")


def test_a_refused_mailbox_is_recorded_and_the_others_still_get_theirs(
    people: Database, sink: SmtpSink
) -> None:
    sink.handler.refuse.add("focal@norland.example")
    activities = NotificationActivities(people, email_notifier(people, sink))
    notice = Notification(
        key="deadline_reminder:report-2026:v1:both",
        kind=K.DEADLINE_REMINDER,
        channel="direct",
        recipients=("fp-norland", "sec-amina"),
        text="Reports are due on 15 February.",
        item="report-2026",
        issued_at=T0,
    )

    receipt = _deliver(activities, notice)

    assert receipt.status == notification_repo.SENT
    assert [r.rcpt_tos for r in sink.wait_for(1)] == [("amina@example.org",)]
    with people.reading() as session:
        refused = email_repo.get(session, notice.key, "fp-norland")
        assert refused is not None
        assert refused.state == EmailState.REFUSED.value
        assert refused.error is not None
        assert "550" in refused.error


def test_every_recipient_refused_is_a_permanent_failure_in_the_ledger(
    people: Database, sink: SmtpSink
) -> None:
    sink.handler.refuse.add("focal@norland.example")
    activities = NotificationActivities(people, email_notifier(people, sink))

    receipt = _deliver(activities, _notice())

    assert receipt.status == notification_repo.FAILED
    assert sink.received == []


def test_a_busy_relay_is_retried_and_the_email_arrives_once(
    people: Database, sink: SmtpSink
) -> None:
    sink.handler.busy_data = 1
    activities = NotificationActivities(people, email_notifier(people, sink))
    notice = _notice()

    with pytest.raises(Exception, match="451"):
        _deliver(activities, notice)
    receipt = _deliver(activities, notice)

    assert receipt.status == notification_repo.SENT
    assert sink.copies() == {message_id(notice.key, "fp-norland", "vpi.example.org"): 1}


def test_an_unreachable_relay_is_transient_and_nothing_is_lost(people: Database) -> None:
    with SmtpSink() as sink:
        activities = NotificationActivities(people, email_notifier(people, sink))
    notice = _notice()  # the relay is gone

    with pytest.raises(Exception, match="connecting to"):
        _deliver(activities, notice)

    with people.reading() as session:
        row = email_repo.get(session, notice.key, "fp-norland")
        assert row is not None
        assert row.state == EmailState.SENDING.value
        assert row.handovers == 0
        assert notification_repo.status_of(session, notice.key) == notification_repo.PENDING


def test_a_crash_after_the_relay_accepted_sends_it_again_with_the_same_message_id(
    people: Database, sink: SmtpSink
) -> None:
    """The documented window: the relay said 250, the outbox never heard it."""

    def crash(_notice: Notification, _person: str) -> None:
        raise SystemExit("worker killed")

    notice = _notice()
    crashing = NotificationActivities(people, email_notifier(people, sink, after_accept=crash))
    with pytest.raises(SystemExit):
        _deliver(crashing, notice)
    with people.reading() as session:
        row = email_repo.get(session, notice.key, "fp-norland")
        assert row is not None
        assert row.state == EmailState.HANDED_OVER.value

    _deliver(NotificationActivities(people, email_notifier(people, sink)), notice)

    first, second = sink.wait_for(2)
    assert first.raw == second.raw  # the same message, byte for byte: recognisable
    with people.reading() as session:
        row = email_repo.get(session, notice.key, "fp-norland")
        assert row is not None
        assert row.state == EmailState.ACCEPTED.value
        assert row.handovers == 2


def test_an_unknown_person_fails_permanently(people: Database, sink: SmtpSink) -> None:
    activities = NotificationActivities(people, email_notifier(people, sink))

    receipt = _deliver(activities, _notice(person="nobody"))

    assert receipt.status == notification_repo.FAILED
    assert sink.received == []


def test_unusual_addresses_go_to_the_mailbox_they_name(db: Database, sink: SmtpSink) -> None:
    """A quoted local part stays quoted on the envelope (not cut at the quote); an address
    that needs SMTPUTF8 is refused for good by a relay without it, not retried forever."""
    with db.writing() as session:
        session.add(PersonRow(id="odd", name="Odd", email='a"b,c@example.org'))
        session.add(PersonRow(id="jose", name="José", email="josé@exämple.org"))
    activities = NotificationActivities(db, email_notifier(db, sink))

    odd = _deliver(activities, _notice(person="odd"))
    jose = _deliver(activities, _notice(person="jose"))

    assert odd.status == notification_repo.SENT
    assert [r.rcpt_tos for r in sink.received] == [('"a\\"b,c"@example.org',)]
    assert jose.status == notification_repo.FAILED
    with db.reading() as session:
        row = email_repo.get(session, _notice(person="jose").key, "jose")
        assert row is not None
        assert row.state == EmailState.REFUSED.value
        assert row.error is not None
        assert "SMTPUTF8" in row.error


def test_an_address_beyond_ascii_arrives_through_a_relay_offering_smtputf8(db: Database) -> None:
    with db.writing() as session:
        session.add(PersonRow(id="jose", name="José", email="josé@exämple.org"))
    with SmtpSink(smtputf8=True) as sink:
        activities = NotificationActivities(db, email_notifier(db, sink))

        receipt = _deliver(activities, _notice("Hola José.", person="jose"))

        assert receipt.status == notification_repo.SENT
        [received] = sink.wait_for(1)
    assert received.rcpt_tos == ("josé@exämple.org",)
    assert received.message["To"].addresses[0].addr_spec == "josé@exämple.org"
    assert "Hola José." in received.part("plain")
