"""Slack delivery through the real slack_sdk client against the Slack-compatible server."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from activities.notifications import NotificationActivities
from governance.kernel.notices import RECOMMEND, Notification, channel_notice, direct_notice
from governance.rulebook.model import NotificationKind
from govsched.notify.delivery import DeliveryReceipt
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import notification_preferences as preference_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.tables import NotificationRow
from tests.slack_fake import Fault, SlackFake
from tests.slack_helpers import CHANNELS, add_person, attempt_environment, slack_notifier

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
K = NotificationKind
PLENARY = channel_notice(
    K.ANNOUNCEMENT, "all_members", "plenary-2027", 1, "The 2027 Plenary meets in Norland.", T0
)


@pytest.fixture
def fake() -> Iterator[SlackFake]:
    server = SlackFake().start()
    server.add_user("amina@example.org", "UAMINA")
    server.add_user("jonas@example.org", "UJONAS")
    yield server
    server.stop()


@pytest.fixture
def people(db: Database) -> Database:
    add_person(db, "sec-amina", "Amina@Example.org", ("secretariat",))
    add_person(db, "sc-jonas", "jonas@example.org", ("steering_committee",))
    return db


def _deliver(activities: NotificationActivities, notice: Notification) -> DeliveryReceipt:
    return attempt_environment().run(activities.deliver, notice)


def _ledger(db: Database, key: str) -> NotificationRow:
    with db.reading() as session:
        row = session.get(NotificationRow, key)
    assert row is not None
    return row


def test_a_channel_notice_is_posted_once_with_blocks_fallback_and_metadata(
    people: Database, fake: SlackFake
) -> None:
    activities = NotificationActivities(people, slack_notifier(people, fake))

    first = _deliver(activities, PLENARY)
    second = _deliver(activities, PLENARY)

    assert first.status == "sent"
    assert second.already_sent is True
    [message] = fake.messages(CHANNELS["all_members"])
    assert message.text == "The 2027 Plenary meets in Norland."
    assert [b["type"] for b in message.blocks] == ["section", "context"]
    assert message.metadata == {
        "event_type": "govsched_notification",
        "event_payload": {"key": PLENARY.key, "item": "plenary-2027"},
    }
    assert _ledger(people, PLENARY.key).external_ref == f"CMEMBERS:{message.ts}"


def test_direct_messages_look_each_person_up_once_by_email(
    people: Database, fake: SlackFake
) -> None:
    activities = NotificationActivities(people, slack_notifier(people, fake))
    for version in (1, 2):
        notice = direct_notice(K.OVERDUE, "sec-amina", "report-2026", version, f"v{version}", T0)
        assert _deliver(activities, notice).status == "sent"

    assert [m.text for m in fake.messages("DUAMINA")] == ["v1", "v2"]
    assert fake.calls("users.lookupByEmail") == 1
    assert fake.calls("conversations.open") == 1


def test_a_review_request_carries_the_recommendation_buttons(
    people: Database, fake: SlackFake
) -> None:
    activities = NotificationActivities(people, slack_notifier(people, fake))
    notice = direct_notice(
        K.DEADLINE_REMINDER, "sc-jonas", "app-1", 3, "Please recommend.", T0, RECOMMEND
    )
    _deliver(activities, notice)

    [message] = fake.messages("DUJONAS")
    actions = message.blocks[-1]
    assert actions["type"] == "actions"
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        ("recommend:support", "app-1"),
        ("recommend:object", "app-1"),
        ("recommend:abstain", "app-1"),
    ]


def test_people_who_opted_out_of_a_kind_get_no_direct_message_of_it(
    people: Database, fake: SlackFake
) -> None:
    with people.writing() as session:
        preference_repo.set_opt_outs(session, "sec-amina", [K.OVERDUE], T0)
    activities = NotificationActivities(people, slack_notifier(people, fake))

    skipped = _deliver(activities, direct_notice(K.OVERDUE, "sec-amina", "r", 1, "late", T0))
    sent = _deliver(activities, direct_notice(K.DECISION, "sec-amina", "r", 1, "decided", T0))

    assert skipped.status == notification_repo.OPTED_OUT
    assert sent.status == "sent"
    assert [m.text for m in fake.messages("DUAMINA")] == ["decided"]


def test_who_stopped_reminders_still_gets_the_request_to_act(
    people: Database, fake: SlackFake
) -> None:
    with people.writing() as session:
        preference_repo.set_opt_outs(session, "sc-jonas", [K.DEADLINE_REMINDER], T0)
    activities = NotificationActivities(people, slack_notifier(people, fake))
    asked = direct_notice(K.REQUEST, "sc-jonas", "app-1", 3, "Please recommend.", T0, RECOMMEND)
    reminded = direct_notice(K.DEADLINE_REMINDER, "sc-jonas", "app-1", "r-14", "Reminder.", T0)

    assert _deliver(activities, asked).status == "sent"
    assert _deliver(activities, reminded).status == notification_repo.OPTED_OUT
    assert [m.text for m in fake.messages("DUJONAS")] == ["Please recommend."]


def test_a_crash_between_post_and_record_finds_the_message_instead_of_posting_again(
    people: Database, fake: SlackFake
) -> None:
    crashes = [RuntimeError("worker killed after Slack answered")]

    def crash_once(_notice: Notification, _ts: str) -> None:
        if crashes:
            raise crashes.pop()

    activities = NotificationActivities(people, slack_notifier(people, fake, after_post=crash_once))
    with pytest.raises(RuntimeError, match="worker killed"):
        _deliver(activities, PLENARY)
    assert _ledger(people, PLENARY.key).status == notification_repo.PENDING

    retried = _deliver(activities, PLENARY)

    assert retried.status == "sent"
    [message] = fake.messages("CMEMBERS")
    assert fake.calls("chat.postMessage") == 1
    assert fake.calls("conversations.history") == 1
    assert _ledger(people, PLENARY.key).external_ref == f"CMEMBERS:{message.ts}"


def test_a_post_that_timed_out_after_reaching_slack_is_not_repeated(
    people: Database, fake: SlackFake
) -> None:
    fake.inject("chat.postMessage", Fault(delay=2.0))
    activities = NotificationActivities(people, slack_notifier(people, fake, timeout=1))

    assert _deliver(activities, PLENARY).status == "sent"

    assert len(fake.messages("CMEMBERS")) == 1
    assert fake.calls("chat.postMessage") == 1


@pytest.mark.parametrize("fault", [Fault(status=500), Fault(status=503), Fault(status=429)])
def test_server_faults_and_rate_limits_are_retried_into_one_message(
    people: Database, fake: SlackFake, fault: Fault
) -> None:
    fake.inject("chat.postMessage", fault)
    activities = NotificationActivities(people, slack_notifier(people, fake))

    assert _deliver(activities, PLENARY).status == "sent"

    assert len(fake.messages("CMEMBERS")) == 1
    assert fake.calls("chat.postMessage") == 2


@pytest.mark.parametrize(
    "error", ["channel_not_found", "not_in_channel", "invalid_auth", "token_revoked"]
)
def test_permanent_errors_are_recorded_audited_and_reported_never_raised(
    people: Database, fake: SlackFake, error: str
) -> None:
    fake.inject("chat.postMessage", Fault(error=error), times=5)
    report = io.StringIO()
    activities = NotificationActivities(
        people, slack_notifier(people, fake), report=lambda line: print(line, file=report)
    )

    receipt = _deliver(activities, PLENARY)

    assert receipt.status == notification_repo.FAILED
    assert fake.calls("chat.postMessage") == 1  # never retried
    assert _ledger(people, PLENARY.key).error == f"{error}: posting to CMEMBERS"
    with people.reading() as session:
        [entry] = audit_repo.entries(session, item_kind="notification")
    assert (entry.action, entry.reason) == ("notification.failed", f"{error}: posting to CMEMBERS")
    assert f"could not deliver {PLENARY.key}" in report.getvalue()


def test_a_channel_missing_from_the_routing_fails_permanently(
    people: Database, fake: SlackFake
) -> None:
    notice = channel_notice(K.DECISION, "nowhere", "x", 1, "text", T0)
    activities = NotificationActivities(people, slack_notifier(people, fake))
    assert _deliver(activities, notice).status == notification_repo.FAILED
    assert fake.all_messages() == []


def test_a_moved_date_edits_the_earlier_change_notice_in_place(
    people: Database, fake: SlackFake
) -> None:
    activities = NotificationActivities(people, slack_notifier(people, fake))
    first = channel_notice(K.CHANGE_NOTICE, "secretariat", "plenary-2027", 1, "to 8 June", T0)
    second = channel_notice(K.CHANGE_NOTICE, "secretariat", "plenary-2027", 2, "to 15 June", T0)

    _deliver(activities, first)
    _deliver(activities, second)

    [message] = fake.messages("CSECRETARIAT")
    assert (message.text, message.edited) == ("to 15 June", True)
    assert message.metadata is not None
    assert message.metadata["event_payload"]["key"] == second.key
    assert _ledger(people, second.key).external_ref == _ledger(people, first.key).external_ref


def test_other_kinds_about_the_same_item_are_new_messages(
    people: Database, fake: SlackFake
) -> None:
    activities = NotificationActivities(people, slack_notifier(people, fake))
    for version in (1, 2):
        _deliver(activities, channel_notice(K.DECISION, "secretariat", "a", version, "t", T0))
    assert len(fake.messages("CSECRETARIAT")) == 2


@pytest.mark.parametrize(
    ("token", "error"), [("xoxb-old", "token_revoked"), ("xoxb-x", "invalid_auth")]
)
def test_a_bad_token_fails_permanently_at_the_first_call(
    people: Database, fake: SlackFake, token: str, error: str
) -> None:
    fake.state.revoked.add("xoxb-old")
    notify = NotificationActivities(people, slack_notifier(people, fake, token=token))

    channel = _deliver(notify, PLENARY)
    direct = _deliver(notify, direct_notice(K.OVERDUE, "sec-amina", "r", 1, "late", T0))

    assert (channel.status, direct.status) == ("failed", "failed")
    assert _ledger(people, PLENARY.key).error == f"{error}: posting to CMEMBERS"
    assert _ledger(people, direct.key).error == f"{error}: looking up sec-amina"
    assert fake.all_messages() == []
