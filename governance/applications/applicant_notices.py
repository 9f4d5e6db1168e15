"""What the applicant itself is told: the Secretariat's question, and a reminder before it is due.

An organisation that applies is nobody in the directory: its notices go to the APPLICANT
channel, which the delivery emails to the contact its application names, with its private
status link, in the language the applicant applied in (govsched/notify/applicant.py). The
question is quoted as the Secretariat wrote it; nothing of the review is ever in these notices,
nor anything the public application form took (not even the organisation's name): the form must
not become a way to have a stranger's text emailed to any address.
"""

from __future__ import annotations

from datetime import datetime

from governance.applications.model import ApplicationRecord, ApplicationState, InformationRequest
from governance.applications.timeline import TimedEvent
from governance.kernel.messages import Day, say
from governance.kernel.notices import Notification, applicant_notice
from governance.rulebook.model import NotificationKind


def _open_question(record: ApplicationRecord) -> InformationRequest | None:
    if record.state is not ApplicationState.INFORMATION_REQUESTED:
        return None
    last = record.information_requests[-1] if record.information_requests else None
    return last if last is not None and last.answer is None else None


def question_notices(record: ApplicationRecord, at: datetime) -> list[Notification]:
    """Tells the applicant of the question just asked (nothing when none is open)."""
    question = _open_question(record)
    if question is None:
        return []
    text = say(
        "The Secretariat has a question about your application (%(id)s). Please answer it by "
        "%(due)s on your application's private status link.\n\n%(question)s",
        id=record.id,
        due=Day(value=question.due_date),
        question=question.question,
    )
    return [applicant_notice(NotificationKind.REQUEST, record.id, record.version, text, at)]


def question_reminders(record: ApplicationRecord, event: TimedEvent) -> list[Notification]:
    """Reminds the applicant of a question it has not answered (nothing once it has)."""
    question = _open_question(record)
    if question is None:
        return []
    text = say(
        "Reminder: the Secretariat's question about your application (%(id)s) has no answer "
        "yet. Please answer it by %(due)s on your application's private status link; without "
        "an answer by then, the application lapses.\n\n%(question)s",
        id=record.id,
        due=Day(value=question.due_date),
        question=question.question,
    )
    kind = NotificationKind.DEADLINE_REMINDER
    # keyed by the reminder's own step ("information-1-reminder-7"), as the Secretariat's is
    return [applicant_notice(kind, record.id, event.key, text, event.at)]
