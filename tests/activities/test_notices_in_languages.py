"""A notice reaches each person in their language, on Slack and by email, and a channel's post
in the channel's language (issue 20): through the real clients, the Slack-compatible server and
a real SMTP server, as every other delivery test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from activities.notifications import NotificationActivities
from governance.kernel.languages import Language
from governance.kernel.notices import Notification
from governance.reports import notices
from governance.reports.cycle import CycleDates, ReportKind
from governance.rulebook.model import NotificationKind, Rulebook, load_rulebook
from govsched.config import Settings
from govsched.i18n.current import use_language
from govsched.notify import kind_titles
from govsched.notify.delivery import DeliveryReceipt
from govsched.notify.email import messages as email_messages
from govsched.notify.email.messages import Recipient, sign_in_email, status_link_email
from govsched.persistence.db import Database
from govsched.persistence.tables import PersonRow
from govsched.services.notifiers import email_sender
from tests.email_helpers import email_notifier, sender
from tests.slack_fake import SlackFake
from tests.slack_helpers import CHANNELS, add_person, attempt_environment, slack_notifier
from tests.smtp_sink import SmtpSink

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
DATES = CycleDates(
    year=2027,
    plenary_id="plenary-2027",
    opens=date(2027, 1, 2),
    due=date(2027, 4, 1),
    review_due=date(2027, 4, 20),
    plenary_ends=date(2027, 5, 21),
)
# person, email, Slack user, language, what their reminder says
READERS = (
    ("fp-fr", "fr@example.org", "UFR", Language.FR, "Rappel : votre rapport annuel complet 2027"),
    ("fp-es", "es@example.org", "UES", Language.ES, "Recordatorio: su informe anual completo"),
    ("fp-zh", "zh@example.org", "UZH", Language.ZH, "贵方 2027 完整年度报告的截止日期为"),
)
DAYS = {
    Language.FR: "1 avril 2027",
    Language.ES: "1 de abril de 2027",
    Language.ZH: "2027年4月1日",
}


@pytest.fixture
def fake() -> Iterator[SlackFake]:
    server = SlackFake().start()
    for _, email, user, _, _ in READERS:
        server.add_user(email, user)
    yield server
    server.stop()


@pytest.fixture
def readers(db: Database) -> Database:
    for person, email, _, language, _ in READERS:
        add_person(db, person, email, ("focal_point",), f"Reader {language.value}")
        with db.writing() as session:
            row = session.get(PersonRow, person)
            assert row is not None
            row.language = language.value
    return db


def _deliver(activities: NotificationActivities, notice: Notification) -> DeliveryReceipt:
    return attempt_environment().run(activities.deliver, notice)


def _reminder(person: str) -> Notification:
    (notice,) = notices.report_reminder(DATES, "gov-x", ReportKind.FULL, [person], "due-14", T0)
    return notice


def test_each_person_reads_their_slack_message_in_their_language(
    readers: Database, fake: SlackFake
) -> None:
    activities = NotificationActivities(readers, slack_notifier(readers, fake))
    for person, _, user, language, words in READERS:
        notice = _reminder(person)
        assert _deliver(activities, notice).status == "sent"
        [message] = fake.messages(f"D{user}")
        assert words in message.text
        assert DAYS[language] in message.text
        # the ledger keeps the English text the workflow issued
        assert notice.text == "Reminder: your full annual report for 2027 is due on 1 April 2027."


def test_a_channel_post_is_written_in_the_channel_language(
    readers: Database, fake: SlackFake
) -> None:
    rulebook = load_rulebook({"notifications": {"channel_languages": {"all_members": "es"}}})
    activities = NotificationActivities(readers, slack_notifier(readers, fake, rulebook=rulebook))
    opened, *_ = notices.opened(DATES, T0, [])
    spanish = _deliver(activities, opened)
    back = notices.back_from_inactive(2027, "gov-x", "Norland", T0, Rulebook())

    _deliver(activities, back)

    assert spanish.status == "sent"
    [members] = fake.messages(CHANNELS["all_members"])
    assert members.text.startswith("Se abren los informes anuales de 2027: vencen el 1 de abril")
    # a channel the rulebook gives no language reads the initiative's (English)
    [committee] = fake.messages(CHANNELS["steering_committee"])
    assert committee.text == back.text


def test_each_person_reads_their_email_in_their_language(readers: Database) -> None:
    with SmtpSink() as sink:
        activities = NotificationActivities(readers, email_notifier(readers, sink))
        for person, _, _, _, _ in READERS:
            assert _deliver(activities, _reminder(person)).status == "sent"
        received = {r.rcpt_tos[0]: r.message for r in sink.wait_for(len(READERS))}
    for _, email, _, language, words in READERS:
        message = received[email]
        subject = {Language.FR: "Rappel d'échéance", Language.ES: "Recordatorio de plazo"}
        assert subject.get(language, "截止日期提醒") in message["Subject"]
        plain = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert plain is not None
        assert html is not None
        assert words in plain.get_content()
        assert DAYS[language] in plain.get_content()
        assert f'<html lang="{language.value}">' in html.get_content()


def test_the_sign_in_and_status_link_emails_are_written_in_the_language_being_written() -> None:
    recipient = Recipient("fp-fr", "Amélie", "fr@example.org")
    with use_language(Language.FR):
        sign_in = sign_in_email("k", recipient, sender(), "https://x.example/l", 7, T0)
    with use_language(Language.ZH):
        status = status_link_email("s", recipient, sender(), "https://x.example/s", T0)
    plain = sign_in.get_body(("plain",))
    assert plain is not None
    assert "Votre lien de connexion" in sign_in["Subject"]
    assert "dans un délai de 7 jours" in plain.get_content()
    assert "私人状态链接" in str(status["Subject"])


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (Language.EN, "to join the Voluntary Principles Initiative gives"),
        (Language.FR, "rejoindre l'Initiative des Principes volontaires indique"),
        (Language.ES, "unirse a la Iniciativa de los Principios Voluntarios indica"),
        (Language.ZH, "加入 《自愿原则》倡议 的申请"),
    ],
)
def test_the_status_link_email_names_the_initiative_in_full_in_its_language(
    language: Language, words: str
) -> None:
    settings = Settings(id_secret="status link names", smtp_from="VPI <s@vpi.example.org>")
    recipient = Recipient("app-1", "", "contact@example.org")
    with use_language(language):
        mail = status_link_email(
            "s", recipient, email_sender(settings, Rulebook()), "https://x.example/s", T0
        )
    plain = mail.get_body(("plain",))
    assert plain is not None
    assert words in plain.get_content()
    assert "l'VPI" not in plain.get_content()


def test_a_subject_puts_its_kind_and_text_together_as_the_catalog_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """French writes a space before the colon ("Rappel d'échéance : ..."): the separator is
    the catalog's, not the code's."""
    french = {"%(kind)s: %(text)s": "%(kind)s : %(text)s", "Deadline reminder": "Rappel d'échéance"}
    monkeypatch.setattr(email_messages, "gettext", lambda m: french.get(m, m))
    monkeypatch.setattr(kind_titles, "gettext", lambda m: french.get(m, m))

    subject = email_messages.subject_for(NotificationKind.DEADLINE_REMINDER, "Rapport dû.", "VPI")

    assert subject == "[VPI] Rappel d'échéance : Rapport dû."
