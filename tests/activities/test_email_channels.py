"""Each person told on the channels they chose (Slack through the Slack-compatible server,
email through a real SMTP server), the daily digest, and unsubscribing by the email's link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from activities.notifications import NotificationActivities
from governance.kernel.languages import Language
from governance.kernel.notices import channel_notice, direct_notice
from governance.notifications.channels import Channels, EmailCadence, EmailState
from governance.notifications.email_digest import digest_key
from governance.rulebook.model import NotificationKind, Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import channel_choice as channel_choice_repo
from govsched.persistence.repos import email as email_repo
from govsched.persistence.repos import notification_preferences as preference_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.tables import PersonRow
from govsched.services.email_digest import send_daily_email_digests
from tests.email_helpers import add_member, choose, choosing_notifier, email_notifier
from tests.slack_fake import SlackFake
from tests.slack_helpers import add_person, attempt_environment, slack_notifier
from tests.smtp_sink import SmtpSink

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
K = NotificationKind
# who chose what: (person, address, Slack user, choice)
PEOPLE = (
    ("p-slack", "slack@example.org", "USLACK", Channels.SLACK),
    ("p-email", "email@example.org", "UEMAIL", Channels.EMAIL),
    ("p-both", "both@example.org", "UBOTH", Channels.BOTH),
    ("p-unset", "unset@example.org", "UUNSET", None),
)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        yield server


@pytest.fixture
def slack() -> Iterator[SlackFake]:
    server = SlackFake().start()
    for _person, address, user, _choice in PEOPLE:
        server.add_user(address, user)
    yield server
    server.stop()


@pytest.fixture
def people(db: Database) -> Database:
    for person, address, _user, choice in PEOPLE:
        add_person(db, person, address, ("secretariat",))
        if choice is not None:
            choose(db, person, choice)
    return db


def _dm_targets(slack: SlackFake) -> set[str]:
    return {m.channel for m in slack.all_messages() if m.channel.startswith("D")}


def test_direct_notices_follow_each_persons_choice(
    people: Database, sink: SmtpSink, slack: SlackFake
) -> None:
    notifier = choosing_notifier(people, slack_notifier(people, slack), sink)
    activities = NotificationActivities(people, notifier)
    notice = direct_notice(K.DEADLINE_REMINDER, "p-slack", "report-2026", 1, "Due soon.", T0)
    everyone = notice.model_copy(
        update={
            "key": "deadline_reminder:report-2026:v1:all",
            "recipients": tuple(p[0] for p in PEOPLE),
        }
    )

    receipt = attempt_environment().run(activities.deliver, everyone)
    attempt_environment().run(activities.deliver, everyone)  # a retry: nothing more

    assert receipt.status == notification_repo.SENT
    # Slack: those who chose Slack or both, and the unset (Slack is configured)
    assert _dm_targets(slack) == {"DUSLACK", "DUBOTH", "DUUNSET"}
    assert len(slack.all_messages()) == 3
    # email: those who chose email or both, and the unset (email is configured)
    emailed = sorted(r.rcpt_tos[0] for r in sink.wait_for(3))
    assert emailed == ["both@example.org", "email@example.org", "unset@example.org"]
    assert sum(sink.copies().values()) == 3


def test_without_slack_the_unset_get_email_and_slack_choosers_get_the_console(
    people: Database, sink: SmtpSink
) -> None:
    printed: list[str] = []

    class Console:
        def deliver(self, notification: object) -> str | None:
            printed.extend(getattr(notification, "recipients", ()))
            return None

    notifier = choosing_notifier(people, Console(), sink, slack_configured=False)
    notice = direct_notice(K.OVERDUE, "p-slack", "report-2026", 1, "Overdue.", T0)
    everyone = notice.model_copy(
        update={"key": "overdue:report-2026:v1:all", "recipients": tuple(p[0] for p in PEOPLE)}
    )

    NotificationActivities(people, notifier).deliver(everyone)

    assert sorted(printed) == ["p-both", "p-slack"]
    emailed = sorted(r.rcpt_tos[0] for r in sink.wait_for(3))
    assert emailed == ["both@example.org", "email@example.org", "unset@example.org"]


def test_a_channel_post_stays_one_slack_post_and_emails_the_people_it_stands_for(
    db: Database, sink: SmtpSink, slack: SlackFake
) -> None:
    add_member(db, "gov-norland", "government")
    add_member(db, "ngo-gone", "ngo", status="withdrawn")
    with db.writing() as session:
        session.add(
            PersonRow(id="fp-norland", name="Ana", email="ana@example.org", member_id="gov-norland")
        )
        session.add(
            PersonRow(id="fp-quiet", name="Q", email="q@example.org", member_id="gov-norland")
        )
        session.add(
            PersonRow(id="fp-slack", name="S", email="s@example.org", member_id="gov-norland")
        )
        session.add(PersonRow(id="fp-gone", name="G", email="g@example.org", member_id="ngo-gone"))
        session.add(PersonRow(id="sec-only", name="Sec", email="sec@example.org"))
        preference_repo.set_opt_outs(session, "fp-quiet", [K.ANNOUNCEMENT], T0)
    choose(db, "fp-slack", Channels.SLACK)
    notifier = choosing_notifier(db, slack_notifier(db, slack), sink)
    post = channel_notice(K.ANNOUNCEMENT, "all_members", "plenary-2027", 1, "Plenary in May.", T0)

    receipt = attempt_environment().run(NotificationActivities(db, notifier).deliver, post)

    assert receipt.status == notification_repo.SENT
    assert [m.channel for m in slack.all_messages()] == ["CMEMBERS"]
    # active members' people who want email and did not opt out; not a withdrawn member's
    assert [r.rcpt_tos for r in sink.wait_for(1)] == [("ana@example.org",)]


def test_the_committees_request_to_act_is_emailed_to_who_stopped_reminders(
    db: Database, sink: SmtpSink, slack: SlackFake
) -> None:
    add_person(db, "sc-ana", "ana@example.org", ("steering_committee",))
    with db.writing() as session:
        preference_repo.set_opt_outs(session, "sc-ana", [K.DEADLINE_REMINDER], T0)
    notifier = choosing_notifier(db, slack_notifier(db, slack), sink)
    post = channel_notice(K.REQUEST, "steering_committee", "c-1", 3, "Please review c-1.", T0)

    receipt = attempt_environment().run(NotificationActivities(db, notifier).deliver, post)

    assert receipt.status == notification_repo.SENT
    assert [r.rcpt_tos for r in sink.wait_for(1)] == [("ana@example.org",)]


@pytest.mark.parametrize(
    ("choice", "cadence"), list(product([Channels.EMAIL, Channels.BOTH, None], EmailCadence))
)
def test_the_matrix_of_choices_each_notice_once_on_each_chosen_channel(
    db: Database, sink: SmtpSink, slack: SlackFake, choice: Channels | None, cadence: EmailCadence
) -> None:
    add_person(db, "p-both", "both@example.org", ())
    choose(db, "p-both", choice, cadence)
    notifier = choosing_notifier(db, slack_notifier(db, slack), sink)
    activities = NotificationActivities(db, notifier)
    notices = [
        direct_notice(K.DEADLINE_REMINDER, "p-both", f"item-{n}", 1, f"Notice {n}.", T0)
        for n in range(3)
    ]

    for notice in [*notices, *notices]:
        attempt_environment().run(activities.deliver, notice)
    send_daily_email_digests(
        db, Rulebook(), NotificationActivities(db, email_notifier(db, sink)), T0
    )

    wants_slack = choice in (Channels.BOTH, None)
    assert len(slack.all_messages()) == (3 if wants_slack else 0)
    expected = 3 if cadence is EmailCadence.IMMEDIATE else 1
    received = sink.wait_for(expected)
    assert len(received) == expected
    if cadence is EmailCadence.DAILY:
        text = received[0].part("plain")
        assert all(f"Notice {n}." in text for n in range(3))


def test_the_daily_digest_carries_each_held_notice_once_even_across_a_crash(
    people: Database, sink: SmtpSink
) -> None:
    choose(people, "p-email", Channels.EMAIL, EmailCadence.DAILY)
    activities = NotificationActivities(people, email_notifier(people, sink))
    for n in range(2):
        notice = direct_notice(K.DEADLINE_REMINDER, "p-email", f"r-{n}", 1, f"Report {n} due.", T0)
        assert activities.deliver(notice).status == notification_repo.SENT
    assert sink.received == []  # held

    def crash(*_: object) -> None:
        raise SystemExit("worker killed after the relay took the digest")

    crashing = NotificationActivities(people, email_notifier(people, sink, after_accept=crash))
    with pytest.raises(SystemExit):
        send_daily_email_digests(people, Rulebook(), crashing, T0)
    # a notice that arrives after the crash goes in the next digest, not in the open one
    late = direct_notice(K.DEADLINE_REMINDER, "p-email", "r-late", 1, "Late notice.", T0)
    activities.deliver(late)
    send_daily_email_digests(people, Rulebook(), activities, T0 + timedelta(hours=1))
    send_daily_email_digests(people, Rulebook(), activities, T0 + timedelta(hours=2))

    first, again, second = sink.wait_for(3)
    # the first digest twice (the documented window, same bytes), then the late one once
    assert first.raw == again.raw
    assert "Report 0 due." in first.part("plain")
    assert "Report 1 due." in first.part("plain")
    assert "Late notice." not in first.part("plain")
    assert "Late notice." in second.part("plain")
    assert "Report 0 due." not in second.part("plain")
    with people.reading() as session:
        assert email_repo.people_with_held(session) == []
        assert email_repo.open_digests(session) == []
        row = email_repo.get(session, late.key, "p-email")
        assert row is not None
        assert row.digest_key == digest_key("p-email", T0.date(), 2)
        assert row.state == EmailState.IN_DIGEST.value
        choice = channel_choice_repo.choice_of(session, "p-email")
    assert choice.email is EmailCadence.DAILY


def test_the_daily_digest_is_framed_in_its_readers_language(
    people: Database, sink: SmtpSink
) -> None:
    with people.writing() as session:
        row = session.get(PersonRow, "p-email")
        assert row is not None
        row.language = Language.FR.value
    choose(people, "p-email", Channels.EMAIL, EmailCadence.DAILY)
    activities = NotificationActivities(people, email_notifier(people, sink))
    notice = direct_notice(K.DEADLINE_REMINDER, "p-email", "r-fr", 1, "Report 0 due.", T0)
    activities.deliver(notice)
    send_daily_email_digests(people, Rulebook(), activities, T0)
    (digest,) = sink.wait_for(1)
    assert (
        str(digest.message["Subject"]) == "[VPI] Récapitulatif : Vos avis du 4 janvier 2027 (1) :"
    )
    plain = digest.part("plain").replace("\r\n", "\n")
    assert plain.startswith(
        "Bonjour p-email,\n\nVos avis du 4 janvier 2027 (1) :\n\n"
        "• Rappel d'échéance : Report 0 due.\n\n"
        "Votre travail : https://govsched.example.org/web/my-work\n"
    )
    assert (
        "Arrêter le récapitulatif quotidien : un courriel par avis à la place : https://" in plain
    )
    assert '<html lang="fr">' in digest.part("html")
