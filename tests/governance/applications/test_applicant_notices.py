"""What the applicant is told of the Secretariat's question: the question itself, quoted as
written, when it is asked and at its reminder; nothing once it is answered or lapsed."""

from __future__ import annotations

from datetime import timedelta

from governance.applications import rules
from governance.applications.applicant_notices import question_notices, question_reminders
from governance.applications.model import APPLICANT, DeadlineKind
from governance.applications.timeline import TimedEventKind, deadline_after, pending_events
from governance.kernel.notices import APPLICANT as APPLICANT_CHANNEL
from governance.rulebook.model import NotificationKind
from tests.governance.applications.application_cast import (
    CHECKED,
    RULES,
    SECRETARIAT,
    TZ,
    admission,
)

# What a Secretariat might paste: markup, quotes, a percent sign and a placeholder's shape.
QUESTION = (
    'Please send <b>the statutes</b> & your 2026 accounts ("audited", 100% of them).\n\n'
    "Our reference: %(org)s."
)


def _asked(days: int = 21) -> rules.Transition:
    deadline = deadline_after(DeadlineKind.INFORMATION, CHECKED, days, TZ)
    return rules.request_information(admission(), SECRETARIAT, CHECKED, QUESTION, deadline)


def test_the_question_is_addressed_to_the_applicant_with_its_words_as_written() -> None:
    record = _asked().record
    [notice] = question_notices(record, CHECKED)
    # nothing the public form took (the organisation's name) is emailed, only the Secretariat's
    assert record.applicant.organisation not in notice.text
    assert notice.channel == APPLICANT_CHANNEL
    assert notice.item == record.id == "app-ember"
    assert notice.kind is NotificationKind.REQUEST
    assert notice.key == f"request:app-ember:v{record.version}:applicant"
    assert notice.text == (
        "The Secretariat has a question about your application (app-ember). Please answer it "
        "by 24 February 2027 on your application's private status link.\n\n" + QUESTION
    )


def test_the_reminder_repeats_the_question_and_what_happens_without_an_answer() -> None:
    record = _asked().record
    [reminder] = [
        e for e in pending_events(record, RULES) if e.kind is TimedEventKind.INFORMATION_REMINDER
    ]
    [notice] = question_reminders(record, reminder)
    assert notice.kind is NotificationKind.DEADLINE_REMINDER
    assert notice.key == "deadline_reminder:app-ember:vinformation-1-reminder-7:applicant"
    assert notice.issued_at == reminder.at
    assert notice.text == (
        "Reminder: the Secretariat's question about your application (app-ember) has no answer "
        "yet. Please answer it by 24 February 2027 on your application's private status link; "
        "without an answer by then, the application lapses.\n\n" + QUESTION
    )


def test_an_answered_or_lapsed_question_tells_the_applicant_nothing_more() -> None:
    record = _asked().record
    [reminder] = [
        e for e in pending_events(record, RULES) if e.kind is TimedEventKind.INFORMATION_REMINDER
    ]
    answered = rules.provide_information(record, APPLICANT, CHECKED + timedelta(days=1), "Here.")
    lapsed = rules.lapse(record, record.deadline.due if record.deadline else CHECKED)
    for after in (answered.record, lapsed.record, admission()):
        assert question_notices(after, CHECKED) == []
        assert question_reminders(after, reminder) == []
