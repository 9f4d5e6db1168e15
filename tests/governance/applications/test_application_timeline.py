"""When things happen to an application without anyone acting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from governance.applications import rules
from governance.applications.model import (
    ApplicationRecord,
    ApplicationRules,
    Deadline,
    DeadlineKind,
    PlenaryDecision,
)
from governance.applications.timeline import (
    TimedEvent,
    TimedEventKind,
    add_months,
    deadline_after,
    decision_marks,
    next_event,
    pending_events,
    window_for,
)
from governance.rulebook.model import MonthDay, Rulebook, load_rulebook
from tests.governance.applications.application_cast import (
    CHECKED,
    MARKS,
    PLENARY_DAY,
    REVIEW_STARTS,
    REVIEWERS,
    RULES,
    SECRETARIAT,
    TZ,
    WINDOW_DUE,
    admission,
    awaiting_plenary,
    complete,
    in_no_objection_period,
    information_requested,
    provisionally_admitted,
)

K = TimedEventKind
WINDOWS = Rulebook().applications.windows
WARNING = datetime(2028, 1, 1, 5, 0, tzinfo=UTC)  # end of 31 December 2027 in Ottawa (EST)
TARGET = datetime(2028, 4, 1, 4, 0, tzinfo=UTC)  # end of 31 March 2028 in Ottawa (EDT)
ESCALATION_1 = datetime(2028, 5, 1, 4, 0, tzinfo=UTC)


def keyed(events: list[TimedEvent]) -> list[tuple[str, datetime, TimedEventKind]]:
    return [(e.key, e.at, e.kind) for e in events]


DECISION_EVENTS = [
    ("decision-warning", WARNING, K.DECISION_WARNING),
    ("decision-target", TARGET, K.DECISION_TARGET),
    ("escalation-1", ESCALATION_1, K.ESCALATION),
]


# window_for


@pytest.mark.parametrize(
    ("day", "window"),
    [
        (date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 3, 30), date(2027, 3, 31)),
        (date(2027, 3, 31), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2027, 9, 15)),
        (date(2027, 9, 14), date(2027, 9, 15)),
        (date(2027, 9, 15), date(2027, 9, 15)),
        (date(2027, 9, 16), date(2028, 3, 31)),
        (date(2027, 12, 31), date(2028, 3, 31)),
    ],
)
def test_an_application_joins_the_first_window_closing_on_or_after_its_day(
    day: date, window: date
) -> None:
    assert window_for(day, WINDOWS) == window


def test_windows_need_not_be_listed_in_order() -> None:
    windows = [MonthDay(month=9, day=15), MonthDay(month=3, day=31)]
    assert window_for(date(2027, 2, 1), windows) == date(2027, 3, 31)
    assert window_for(date(2027, 10, 1), windows) == date(2028, 3, 31)


# add_months and decision_marks


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (date(2027, 3, 31), 0, date(2027, 3, 31)),
        (date(2027, 3, 31), 9, date(2027, 12, 31)),
        (date(2027, 3, 31), 12, date(2028, 3, 31)),
        (date(2027, 9, 15), 9, date(2028, 6, 15)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2027, 5, 31), 1, date(2027, 6, 30)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2027, 12, 15), 1, date(2028, 1, 15)),
        (date(2027, 12, 31), 14, date(2029, 2, 28)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(
    day: date, months: int, result: date
) -> None:
    assert add_months(day, months) == result


def test_the_decision_warning_and_target_are_the_ends_of_local_days_after_the_window() -> None:
    assert decision_marks(date(2027, 3, 31), 9, 12, TZ) == (WARNING, TARGET)
    assert decision_marks(date(2027, 9, 15), 9, 12, TZ) == (
        datetime(2028, 6, 16, 4, 0, tzinfo=UTC),
        datetime(2028, 9, 16, 4, 0, tzinfo=UTC),
    )


# deadline_after


def test_a_deadline_falls_at_the_end_of_the_local_day() -> None:
    at = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
    deadline = deadline_after(DeadlineKind.INFORMATION, at, 30, TZ)
    assert deadline == Deadline(
        kind=DeadlineKind.INFORMATION,
        due_date=date(2027, 2, 3),
        due=datetime(2027, 2, 4, 5, 0, tzinfo=UTC),
        set_at=at,
        number=1,
    )


def test_a_deadline_counts_from_the_local_day_not_the_utc_day() -> None:
    # 03:00 UTC on 5 January is still 4 January in Ottawa.
    at = datetime(2027, 1, 5, 3, 0, tzinfo=UTC)
    deadline = deadline_after(DeadlineKind.REVIEW, at, 1, TZ, number=3)
    assert deadline.due_date == date(2027, 1, 5)
    assert deadline.due == datetime(2027, 1, 6, 5, 0, tzinfo=UTC)
    assert deadline.number == 3


def test_a_deadline_across_the_spring_change_ends_at_local_midnight_in_summer_time() -> None:
    at = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # EST; clocks go forward on 14 March 2027
    deadline = deadline_after(DeadlineKind.NO_OBJECTION, at, 14, TZ)
    assert deadline.due_date == date(2027, 3, 15)
    assert deadline.due == datetime(2027, 3, 16, 4, 0, tzinfo=UTC)


def test_a_deadline_across_the_autumn_change_ends_at_local_midnight_in_standard_time() -> None:
    at = datetime(2027, 10, 25, 14, 0, tzinfo=UTC)  # EDT; clocks go back on 7 November 2027
    deadline = deadline_after(DeadlineKind.REVIEW, at, 14, TZ)
    assert deadline.due_date == date(2027, 11, 8)
    assert deadline.due == datetime(2027, 11, 9, 5, 0, tzinfo=UTC)


# pending_events, state by state


def test_awaiting_the_check_the_window_and_the_decision_marks_are_pending() -> None:
    assert keyed(pending_events(admission(), RULES)) == [
        ("window-due", WINDOW_DUE, K.WINDOW_DUE),
        *DECISION_EVENTS,
    ]
    assert datetime(2027, 4, 1, 4, 0, tzinfo=UTC) == WINDOW_DUE


def test_with_information_requested_its_reminder_and_lapse_come_first() -> None:
    events = pending_events(information_requested(), RULES)
    assert keyed(events) == [
        (
            "information-1-reminder-7",
            datetime(2027, 2, 27, 5, 0, tzinfo=UTC),
            K.INFORMATION_REMINDER,
        ),
        ("information-1-close", datetime(2027, 3, 6, 5, 0, tzinfo=UTC), K.INFORMATION_LAPSE),
        ("window-due", WINDOW_DUE, K.WINDOW_DUE),
        *DECISION_EVENTS,
    ]
    assert events[0].days_before == 7
    assert events[1].days_before is None


def test_a_second_information_request_has_keys_of_its_own() -> None:
    answered = rules.provide_information(information_requested(), SECRETARIAT, CHECKED, "Here.")
    asked = datetime(2027, 2, 10, 15, 0, tzinfo=UTC)
    deadline = deadline_after(DeadlineKind.INFORMATION, asked, 20, TZ, number=2)
    record = rules.request_information(
        answered.record, SECRETARIAT, asked, "More?", deadline
    ).record
    keys = [e.key for e in pending_events(record, RULES)]
    assert keys[:2] == ["information-2-reminder-7", "information-2-close"]


def test_once_complete_only_the_window_and_the_decision_marks_are_pending() -> None:
    assert keyed(pending_events(complete(), RULES)) == [
        ("window-due", WINDOW_DUE, K.WINDOW_DUE),
        *DECISION_EVENTS,
    ]


def test_under_review_the_reminders_and_the_close_are_pending_and_the_window_no_longer() -> None:
    record = rules.start_review(
        complete(),
        SECRETARIAT,
        REVIEW_STARTS,
        REVIEWERS,
        deadline_after(DeadlineKind.REVIEW, REVIEW_STARTS, 42, TZ),
    ).record
    events = pending_events(record, RULES)
    assert keyed(events) == [
        ("review-reminder-14", datetime(2027, 5, 4, 4, 0, tzinfo=UTC), K.REVIEW_REMINDER),
        ("review-reminder-3", datetime(2027, 5, 15, 4, 0, tzinfo=UTC), K.REVIEW_REMINDER),
        ("review-close", datetime(2027, 5, 18, 4, 0, tzinfo=UTC), K.REVIEW_CLOSE),
        *DECISION_EVENTS,
    ]
    assert [e.days_before for e in events[:3]] == [14, 3, None]


def test_in_the_no_objection_period_its_close_is_pending() -> None:
    assert keyed(pending_events(in_no_objection_period(), RULES)) == [
        ("no-objection-close", datetime(2027, 6, 1, 4, 0, tzinfo=UTC), K.NO_OBJECTION_CLOSE),
        *DECISION_EVENTS,
    ]


@pytest.mark.parametrize("make", [awaiting_plenary, provisionally_admitted])
def test_waiting_for_the_plenary_only_the_decision_marks_are_pending(
    make: Callable[[], ApplicationRecord],
) -> None:
    assert keyed(pending_events(make(), RULES)) == DECISION_EVENTS


def test_a_decided_application_has_nothing_pending() -> None:
    record = rules.record_plenary_decision(
        awaiting_plenary(), SECRETARIAT, PLENARY_DAY, PlenaryDecision.ADMIT, "", None
    ).record
    assert pending_events(record, RULES) == []
    assert next_event(record, RULES) is None


def test_reminders_that_would_fall_before_the_deadline_was_set_are_skipped() -> None:
    deadline = deadline_after(DeadlineKind.INFORMATION, CHECKED, 5, TZ)
    record = rules.request_information(
        admission(), SECRETARIAT, CHECKED, "Quickly, please.", deadline
    ).record
    keys = [e.key for e in pending_events(record, RULES)]
    assert "information-1-reminder-7" not in keys
    assert keys[0] == "information-1-close"


def test_a_review_shorter_than_the_first_reminder_keeps_only_the_later_reminder() -> None:
    deadline = deadline_after(DeadlineKind.REVIEW, REVIEW_STARTS, 10, TZ)
    record = rules.start_review(complete(), SECRETARIAT, REVIEW_STARTS, REVIEWERS, deadline).record
    keys = [e.key for e in pending_events(record, RULES)]
    assert keys[:2] == ["review-reminder-3", "review-close"]
    assert "review-reminder-14" not in keys


def test_a_reminder_falling_exactly_when_the_deadline_was_set_is_skipped() -> None:
    due = datetime(2027, 3, 6, 5, 0, tzinfo=UTC)
    deadline = Deadline(
        kind=DeadlineKind.INFORMATION,
        due_date=date(2027, 3, 5),
        due=due,
        set_at=due - timedelta(days=7),
    )
    record = rules.request_information(
        admission(), SECRETARIAT, deadline.set_at, "Now?", deadline
    ).record
    assert pending_events(record, RULES)[0].key == "information-1-close"


def test_reminder_offsets_come_from_the_rules_the_application_was_given() -> None:
    custom = ApplicationRules.of(
        load_rulebook({"applications": {"review_reminder_days_before": [21, 7, 1]}})
    )
    record = rules.start_review(
        complete(),
        SECRETARIAT,
        REVIEW_STARTS,
        REVIEWERS,
        deadline_after(DeadlineKind.REVIEW, REVIEW_STARTS, 42, TZ),
    ).record
    keys = [e.key for e in pending_events(record, custom)]
    assert keys[:4] == [
        "review-reminder-21",
        "review-reminder-7",
        "review-reminder-1",
        "review-close",
    ]


# handled events and escalations


def test_a_handled_event_is_no_longer_pending() -> None:
    record = rules.mark_done(information_requested(), "information-1-reminder-7")
    event = next_event(record, RULES)
    assert event is not None
    assert event.key == "information-1-close"


def test_the_window_due_event_once_handled_does_not_come_back() -> None:
    record = rules.mark_done(admission(), "window-due")
    assert [e.key for e in pending_events(record, RULES)] == [
        "decision-warning",
        "decision-target",
        "escalation-1",
    ]


def test_escalations_continue_every_thirty_days_after_the_target_until_a_decision() -> None:
    record = awaiting_plenary()
    for key in ("decision-warning", "decision-target"):
        record = rules.mark_done(record, key)
    assert next_event(record, RULES) == TimedEvent(
        at=ESCALATION_1, key="escalation-1", kind=K.ESCALATION
    )
    record = rules.mark_done(record, "escalation-1")
    assert next_event(record, RULES) == TimedEvent(
        at=TARGET + timedelta(days=60), key="escalation-2", kind=K.ESCALATION
    )
    for n in range(2, 40):
        record = rules.mark_done(record, f"escalation-{n}")
    event = next_event(record, RULES)
    assert event is not None
    assert (event.key, event.at) == ("escalation-40", TARGET + timedelta(days=40 * 30))


def test_an_open_application_always_has_a_next_event() -> None:
    for make in (admission, information_requested, complete, in_no_objection_period):
        record = make()
        for event in pending_events(record, RULES):
            record = rules.mark_done(record, event.key)
        last = next_event(record, RULES)
        assert last is not None
        assert last.kind is K.ESCALATION


def test_the_decision_marks_are_those_given_at_submission() -> None:
    record = admission()
    assert (record.decision_warning_at, record.decision_target_at) == MARKS == (WARNING, TARGET)
