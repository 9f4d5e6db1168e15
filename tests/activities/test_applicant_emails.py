"""The applicant emailed the Secretariat's question, through the delivery activity and the
notifier a worker builds, to a real SMTP server: as the applicant reads it (its words, its
status link, its language), once, and recorded in the email outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from activities.notifications import NotificationActivities
from governance.applications import rules
from governance.applications.applicant_notices import question_notices, question_reminders
from governance.applications.model import ApplicationRecord, DeadlineKind
from governance.applications.timeline import TimedEventKind, deadline_after, pending_events
from governance.kernel.languages import Language
from governance.kernel.notices import TEXT_LIMIT, Notification
from governance.rulebook.model import Rulebook
from govsched.config import Settings, SmtpTls
from govsched.notify.applicant import NO_RELAY
from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import email as email_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.tables import NotificationRow
from govsched.services.ids import IdMaker, server_secret
from govsched.services.notifiers import notifier_for
from govsched.services.status_links import status_path
from tests.governance.applications.application_cast import RULES, SECRETARIAT, TZ, admission
from tests.slack_helpers import attempt_environment
from tests.smtp_sink import SmtpSink

ASKED = datetime(2027, 2, 3, 15, 0, tzinfo=UTC)
BASE_URL = "https://vpi.example.org"
# What a Secretariat might paste: markup, quotes, an ampersand, a percent sign.
QUESTION = 'Please send <b>the statutes</b> & your 2026 accounts ("audited", 100% of them).'


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        yield server


def _settings(db_url: str, port: int | None) -> Settings:
    settings = Settings(database_url=db_url, id_secret="applicant email tests", public_url=BASE_URL)
    if port is None:
        return settings
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_tls": SmtpTls.NONE,
            "smtp_from": "VPI Secretariat <secretariat@vpi.example.org>",
        }
    )


def _asked(
    db: Database, language: Language | None = None, question: str = QUESTION
) -> ApplicationRecord:
    start = admission()
    applicant = start.applicant.model_copy(update={"language": language})
    record = start.model_copy(update={"applicant": applicant})
    deadline = deadline_after(DeadlineKind.INFORMATION, ASKED, 21, TZ)
    asked = rules.request_information(record, SECRETARIAT, ASKED, question, deadline).record
    with db.writing() as session:
        application_repo.save(session, asked)
    return asked


def _delivered(db: Database, settings: Settings, notice: Notification) -> str:
    activities = NotificationActivities(db, notifier_for(settings, db, Rulebook()))
    return attempt_environment().run(activities.deliver, notice).status


def _link(settings: Settings, application: str) -> str:
    return BASE_URL + status_path(IdMaker(server_secret(settings)), application)


def test_the_question_reaches_the_applicant_in_its_words_with_its_status_link(
    db: Database, db_url: str, sink: SmtpSink
) -> None:
    settings = _settings(db_url, sink.port)
    record = _asked(db)
    [notice] = question_notices(record, ASKED)
    statuses = [_delivered(db, settings, notice), _delivered(db, settings, notice)]
    assert statuses == [notification_repo.SENT, notification_repo.SENT]
    [mail] = sink.wait_for(1)
    assert mail.rcpt_tos == ("contact@ember.example",)
    subject = str(mail.message["Subject"])
    assert subject == (
        "[VPI] Action required: The Secretariat has a question about your application "
        "(app-ember). Please answer it by 24…"
    )
    link = _link(settings, "app-ember")
    assert mail.part("plain").replace("\r\n", "\n") == (
        "The Secretariat has a question about your application (app-ember). Please answer it "
        "by 24 February 2027 on your application's private status link.\n\n"
        f"{QUESTION}\n\n"
        f"Your private status link: {link}\n\n"
        "-- \n"
        "An application to join the Voluntary Principles Initiative gives this address as its "
        "contact.\n"
        "Sent to contact@ember.example.\n"
    )
    html = mail.part("html")
    assert "<b>" not in html
    assert (
        "Please send &lt;b&gt;the statutes&lt;/b&gt; &amp; your 2026 accounts "
        "(&quot;audited&quot;, 100% of them)." in html
    )
    assert f'<a href="{link}">Your private status link</a>' in html
    with db.reading() as session:
        row = email_repo.get(session, notice.key, "app-ember")
    assert row is not None
    assert (row.state, row.address, row.kind) == ("accepted", "contact@ember.example", "request")
    # the link is a credential: the ledger keeps the notice, never the link
    with db.reading() as session:
        assert link not in (notification_repo.text_of(session, notice.key) or "")


def test_the_reminder_reaches_a_french_applicant_in_french(
    db: Database, db_url: str, sink: SmtpSink
) -> None:
    settings = _settings(db_url, sink.port)
    # a direction override pasted with the question cannot turn the email's text around
    record = _asked(db, Language.FR, QUESTION + "\nRef. \u202egnp.txe\u202c")
    [event] = [
        e for e in pending_events(record, RULES) if e.kind is TimedEventKind.INFORMATION_REMINDER
    ]
    [notice] = question_reminders(record, event)
    assert _delivered(db, settings, notice) == notification_repo.SENT
    [mail] = sink.wait_for(1)
    assert str(mail.message["Subject"]).startswith("[VPI] Rappel d'échéance : ")
    plain = mail.part("plain")
    # the day as French writes it, the question as the Secretariat wrote it
    assert "24 février 2027" in plain
    assert f"{QUESTION}\nRef. gnp.txe" in plain.replace("\r\n", "\n")
    assert "Envoyé à contact@ember.example." in plain
    assert _link(settings, "app-ember") in plain
    html = mail.part("html")
    assert '<html lang="fr">' in html
    assert "\u202e" not in plain + html + str(mail.message["Subject"])


def test_without_a_relay_the_notice_fails_for_good_and_says_why(db: Database, db_url: str) -> None:
    settings = _settings(db_url, None)
    record = _asked(db)
    [notice] = question_notices(record, ASKED)
    assert _delivered(db, settings, notice) == notification_repo.FAILED
    with db.reading() as session:
        ledger = session.get(NotificationRow, notice.key)
        assert email_repo.get(session, notice.key, "app-ember") is None
    assert ledger is not None
    assert ledger.error == NO_RELAY


def test_a_long_question_is_emailed_whole_though_the_ledger_keeps_its_start(
    db: Database, db_url: str, sink: SmtpSink
) -> None:
    settings = _settings(db_url, sink.port)
    question = "Please explain " + "in detail " * 385 + "the end."
    record = _asked(db, question=question)
    [notice] = question_notices(record, ASKED)
    assert len(notice.text) == TEXT_LIMIT < len(question)
    assert _delivered(db, settings, notice) == notification_repo.SENT
    [mail] = sink.wait_for(1)
    assert question in mail.part("plain").replace("\r\n", "\n")
