"""What each step of an application publishes: calendar items, notices and its audit entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from governance.applications import rules
from governance.applications.effects import (
    audit_entry,
    calendar_changes,
    proposal_notice,
    timed_notices,
    transition_notices,
)
from governance.applications.model import (
    APPLICANT,
    ApplicationKind,
    ApplicationRecord,
    DeadlineKind,
    PlenaryDecision,
)
from governance.applications.rules import Transition
from governance.applications.timeline import TimedEvent, deadline_after, pending_events
from governance.kernel.calendar import PUBLIC, VOTING_MEMBERS, CalendarItem, EventStatus
from governance.kernel.languages import Language
from governance.kernel.model import Pillar
from governance.kernel.notices import DIRECT, Notification
from governance.rulebook.model import NotificationKind, Recommendation, Rulebook, stoppable
from govsched.i18n.messages import render
from tests.governance.applications.application_cast import (
    CHAIR,
    CHECKED,
    FULL_FP,
    MARKS,
    NO_OBJECTION_DEADLINE,
    ORGANISATION,
    PERIOD_ENDS,
    PLENARY_DAY,
    RECOMMENDED,
    REVIEW_DEADLINE,
    REVIEW_ENDS,
    REVIEW_STARTS,
    REVIEWERS,
    RULES,
    SC_ANA,
    SECRETARIAT,
    SUBMITTED,
    TZ,
    WINDOW,
    WINDOW_DUE,
    admission,
    all_recommend,
    awaiting_plenary,
    complete,
    full_request,
    in_no_objection_period,
    information_requested,
    provisionally_admitted,
    under_review,
)

K = NotificationKind
R = Recommendation
SEC = "role:secretariat"
SC = "role:steering_committee"
DOMAIN = "vpi.govsched"
EARLY = datetime(2027, 2, 20, 15, 0, tzinfo=UTC)
FOCAL_POINTS = ("fp-norland", "fp-aurum", "fp-norland")


def item_view(item: CalendarItem) -> tuple[str, EventStatus, date | None, frozenset[str], bool]:
    return (item.uid, item.status, item.start_date, item.audiences, item.confidential)


def changes(before: ApplicationRecord, transition: Transition, at: datetime) -> list[CalendarItem]:
    items = calendar_changes(before, transition.record, at, RULES)
    for item in items:
        assert not (item.confidential and PUBLIC in item.audiences)
        if item.kind == "application_deadline":
            assert item.confidential
            assert item.all_day
        else:
            assert item.audiences == frozenset({PUBLIC})
            assert not item.confidential
    return items


def notices(
    before: ApplicationRecord,
    transition: Transition,
    at: datetime,
    focal_points: tuple[str, ...] = (),
) -> list[Notification]:
    sent = transition_notices(before, transition, at, RULES, focal_points)
    keys = [n.key for n in sent]
    assert len(keys) == len(set(keys)), keys
    for notice in sent:
        assert notice.item == transition.record.id
        assert notice.issued_at == at
    return sent


def routes(sent: list[Notification]) -> list[tuple[NotificationKind, str, tuple[str, ...]]]:
    return [(n.kind, n.channel, n.recipients) for n in sent]


# calendar items


def test_an_information_request_is_a_confidential_item_for_the_secretariat_only() -> None:
    before = admission()
    deadline = deadline_after(DeadlineKind.INFORMATION, CHECKED, 30, TZ)
    transition = rules.request_information(before, SECRETARIAT, CHECKED, "Policy?", deadline)
    [item] = changes(before, transition, CHECKED)
    assert item_view(item) == (
        "app-ember-information-1@vpi.govsched",
        EventStatus.CONFIRMED,
        date(2027, 3, 5),
        frozenset({SEC}),
        True,
    )
    assert item.kind == "application_deadline"
    assert item.title == "Information due from Ember Energy"
    assert item.description == "Application app-ember (admission)."


def test_a_second_information_request_is_a_new_item() -> None:
    answered = rules.provide_information(information_requested(), APPLICANT, EARLY, "Here.")
    deadline = deadline_after(DeadlineKind.INFORMATION, EARLY, 10, TZ, number=2)
    transition = rules.request_information(answered.record, SECRETARIAT, EARLY, "More?", deadline)
    [item] = changes(answered.record, transition, EARLY)
    assert item.uid == "app-ember-information-2@vpi.govsched"


def test_a_review_deadline_is_for_the_secretariat_and_the_steering_committee() -> None:
    before = complete()
    transition = rules.start_review(before, SECRETARIAT, REVIEW_STARTS, REVIEWERS, REVIEW_DEADLINE)
    [item] = changes(before, transition, REVIEW_STARTS)
    assert item_view(item) == (
        "app-ember-review@vpi.govsched",
        EventStatus.CONFIRMED,
        date(2027, 5, 17),
        frozenset({SEC, SC}),
        True,
    )
    assert item.title == "Recommendations due on Ember Energy"


def test_a_review_closed_at_its_deadline_opens_the_no_objection_item_for_full_members() -> None:
    before = under_review()
    transition = rules.close_review(before, REVIEW_ENDS, NO_OBJECTION_DEADLINE, R.ABSTAIN)
    [item, closed] = changes(before, transition, REVIEW_ENDS)
    assert (closed.uid, closed.status) == ("app-ember-review@vpi.govsched", EventStatus.CANCELLED)
    assert item_view(item) == (
        "app-ember-no-objection@vpi.govsched",
        EventStatus.CONFIRMED,
        date(2027, 5, 31),
        frozenset({SEC, SC, VOTING_MEMBERS}),
        True,
    )
    assert item.title == "No-objection period on Ember Energy ends"


def test_a_review_closed_early_cancels_its_deadline() -> None:
    before = all_recommend(under_review(), R.SUPPORT, R.SUPPORT, R.SUPPORT)
    no_objection = deadline_after(DeadlineKind.NO_OBJECTION, RECOMMENDED, 14, TZ)
    transition = rules.close_review(before, RECOMMENDED, no_objection, R.ABSTAIN)
    items = changes(before, transition, RECOMMENDED)
    assert [(i.uid, i.status) for i in items] == [
        ("app-ember-no-objection@vpi.govsched", EventStatus.CONFIRMED),
        ("app-ember-review@vpi.govsched", EventStatus.CANCELLED),
    ]
    assert items[1].start_date == date(2027, 5, 17)
    assert items[1].audiences == frozenset({SEC, SC})


def test_an_answer_before_the_deadline_cancels_the_information_item() -> None:
    before = information_requested()
    transition = rules.provide_information(before, APPLICANT, EARLY, "Attached.")
    [item] = changes(before, transition, EARLY)
    assert (item.uid, item.status) == (
        "app-ember-information-1@vpi.govsched",
        EventStatus.CANCELLED,
    )


@pytest.mark.parametrize("late", [0, 3600])
def test_a_deadline_that_ended_at_or_after_its_due_instant_is_not_cancelled(late: int) -> None:
    before = information_requested()
    assert before.deadline is not None
    at = datetime.fromtimestamp(before.deadline.due.timestamp() + late, tz=UTC)
    transition = rules.lapse(before, at)
    assert changes(before, transition, at) == []


def test_an_objection_cancels_the_no_objection_item_and_publishes_nothing() -> None:
    before = in_no_objection_period()
    at = datetime(2027, 5, 25, 15, 0, tzinfo=UTC)
    transition = rules.object_to(before, FULL_FP, at, "pending litigation")
    [item] = changes(before, transition, at)
    assert (item.uid, item.status) == ("app-ember-no-objection@vpi.govsched", EventStatus.CANCELLED)
    assert item.audiences == frozenset({SEC, SC, VOTING_MEMBERS})


def test_a_provisional_admission_is_a_public_decision() -> None:
    before = in_no_objection_period()
    transition = rules.close_no_objection(before, PERIOD_ENDS, "plenary-2028")
    [item] = changes(before, transition, PERIOD_ENDS)
    assert item_view(item) == (
        "app-ember-decision@vpi.govsched",
        EventStatus.CONFIRMED,
        date(2027, 6, 1),
        frozenset({PUBLIC}),
        False,
    )
    assert item.kind == "membership_decision"
    assert item.title == "Ember Energy provisionally admitted as an Engaged member"


@pytest.mark.parametrize(
    ("make", "decision", "title"),
    [
        (awaiting_plenary, PlenaryDecision.ADMIT, "Ember Energy admitted as an Engaged member"),
        (
            provisionally_admitted,
            PlenaryDecision.ADMIT,
            "Ember Energy: admission as an Engaged member ratified",
        ),
        (
            provisionally_admitted,
            PlenaryDecision.REJECT,
            "Ember Energy: provisional admission not ratified",
        ),
    ],
)
def test_announced_plenary_decisions_are_public(
    make: Callable[[], ApplicationRecord], decision: PlenaryDecision, title: str
) -> None:
    before = make()
    transition = rules.record_plenary_decision(before, CHAIR, PLENARY_DAY, decision, "", None)
    [item] = changes(before, transition, PLENARY_DAY)
    assert (item.uid, item.title, item.start_date, item.audiences) == (
        "app-ember-decision@vpi.govsched",
        title,
        date(2027, 6, 15),
        frozenset({PUBLIC}),
    )


def test_a_rejection_without_a_provisional_admission_publishes_nothing() -> None:
    before = awaiting_plenary()
    transition = rules.record_plenary_decision(
        before, CHAIR, PLENARY_DAY, PlenaryDecision.REJECT, "", None
    )
    assert changes(before, transition, PLENARY_DAY) == []


def test_withdrawing_a_provisional_admission_publishes_that_it_is_not_ratified() -> None:
    before = provisionally_admitted()
    transition = rules.withdraw(before, SECRETARIAT, PLENARY_DAY)
    [item] = changes(before, transition, PLENARY_DAY)
    assert item.title == "Ember Energy: provisional admission not ratified"
    assert item.audiences == frozenset({PUBLIC})


def test_withdrawing_during_the_review_cancels_its_deadline_and_publishes_nothing() -> None:
    before = under_review()
    transition = rules.withdraw(before, SECRETARIAT, RECOMMENDED)
    [item] = changes(before, transition, RECOMMENDED)
    assert (item.uid, item.status) == ("app-ember-review@vpi.govsched", EventStatus.CANCELLED)


def test_full_membership_granted_is_public_and_refused_is_not() -> None:
    before = rules.close_review(under_review(full_request()), REVIEW_ENDS, None, R.ABSTAIN).record
    admitted = rules.record_plenary_decision(
        before, SECRETARIAT, PLENARY_DAY, PlenaryDecision.ADMIT, "", None
    )
    [item] = changes(before, admitted, PLENARY_DAY)
    assert item.uid == "full-gov-yssel-decision@vpi.govsched"
    assert item.title == "Government of Yssel becomes a Full member"
    refused = rules.record_plenary_decision(
        before, SECRETARIAT, PLENARY_DAY, PlenaryDecision.REJECT, "", None
    )
    assert changes(before, refused, PLENARY_DAY) == []


def test_steps_without_deadlines_or_decisions_publish_nothing() -> None:
    before = admission()
    assert changes(before, rules.mark_complete(before, SECRETARIAT, CHECKED), CHECKED) == []
    review = under_review()
    recommended = rules.recommend(review, SC_ANA, RECOMMENDED, R.SUPPORT, "")
    assert changes(review, recommended, RECOMMENDED) == []


# transition notices


def test_a_submission_is_announced_to_the_secretariat() -> None:
    transition = rules.submit(
        "app-ember",
        ApplicationKind.ADMISSION,
        ORGANISATION,
        APPLICANT,
        SUBMITTED,
        MARKS,
        WINDOW,
        WINDOW_DUE,
    )
    [notice] = notices(transition.record, transition, SUBMITTED)
    assert routes([notice]) == [(K.ANNOUNCEMENT, "secretariat", ())]
    assert notice.key == "announcement:app-ember:v1:secretariat"
    assert notice.text == "New admission application app-ember: Ember Energy; window 31 March 2027."


def test_starting_the_review_asks_each_reviewer_with_a_request_no_opt_out_stops() -> None:
    before = complete()
    transition = rules.start_review(before, SECRETARIAT, REVIEW_STARTS, REVIEWERS, REVIEW_DEADLINE)
    sent = notices(before, transition, REVIEW_STARTS)
    # a request, not a reminder: who stops deadline reminders is still asked to review
    assert routes(sent) == [
        (K.REQUEST, DIRECT, ("sc-ana",)),
        (K.REQUEST, DIRECT, ("sc-ben",)),
        (K.REQUEST, DIRECT, ("sc-cleo",)),
    ]
    assert not stoppable(sent[0].kind)
    assert sent[0].key == "request:app-ember:v3:sc-ana"
    assert sent[0].text == (
        "Please record your recommendation on Ember Energy's application (app-ember) "
        "by 17 May 2027."
    )


def test_a_review_closed_into_the_no_objection_period_is_announced_to_full_members() -> None:
    before = all_recommend(under_review(), R.SUPPORT)
    transition = rules.close_review(before, REVIEW_ENDS, NO_OBJECTION_DEADLINE, R.ABSTAIN)
    sent = notices(before, transition, REVIEW_ENDS, FOCAL_POINTS)
    assert routes(sent) == [
        (K.DECISION, "secretariat", ()),
        (K.DECISION, "steering_committee", ()),
        (K.ANNOUNCEMENT, DIRECT, ("fp-aurum",)),
        (K.ANNOUNCEMENT, DIRECT, ("fp-norland",)),
    ]
    assert sent[0].text == (
        "The Steering Committee review of Ember Energy's application closed: "
        "1 support, 2 abstain; no answer from sc-ben, sc-cleo."
    )
    assert "until 31 May 2027" in sent[2].text


def test_a_review_closed_into_the_plenary_announces_nothing_to_full_members() -> None:
    before = all_recommend(under_review(), R.OBJECT)
    transition = rules.close_review(before, REVIEW_ENDS, NO_OBJECTION_DEADLINE, R.ABSTAIN)
    sent = notices(before, transition, REVIEW_ENDS, FOCAL_POINTS)
    assert routes(sent) == [
        (K.DECISION, "secretariat", ()),
        (K.DECISION, "steering_committee", ()),
    ]


def test_an_objection_is_reported_to_the_secretariat_and_the_steering_committee() -> None:
    before = in_no_objection_period()
    at = datetime(2027, 5, 25, 15, 0, tzinfo=UTC)
    transition = rules.object_to(before, FULL_FP, at, "pending litigation")
    sent = notices(before, transition, at)
    assert routes(sent) == [
        (K.DECISION, "secretariat", ()),
        (K.DECISION, "steering_committee", ()),
    ]


def test_a_provisional_admission_goes_to_all_members_naming_the_plenary_not_its_id() -> None:
    before = in_no_objection_period()
    transition = rules.close_no_objection(before, PERIOD_ENDS, "plenary-2028")
    sent = notices(before, transition, PERIOD_ENDS)
    assert routes(sent) == [(K.DECISION, "all_members", ())]
    assert sent[0].text == (
        "Ember Energy is provisionally admitted as an Engaged member; the next Annual Plenary "
        "will be asked to ratify."
    )


def test_an_admission_goes_to_all_members() -> None:
    before = awaiting_plenary()
    transition = rules.record_plenary_decision(
        before, CHAIR, PLENARY_DAY, PlenaryDecision.ADMIT, "", None
    )
    sent = notices(before, transition, PLENARY_DAY)
    assert routes(sent) == [(K.DECISION, "all_members", ())]
    assert sent[0].text == "Ember Energy admitted as an Engaged member."


def test_a_rejection_without_a_provisional_admission_stays_with_the_secretariat_and_sc() -> None:
    before = awaiting_plenary()
    transition = rules.record_plenary_decision(
        before, CHAIR, PLENARY_DAY, PlenaryDecision.REJECT, "no consensus", None
    )
    sent = notices(before, transition, PLENARY_DAY)
    assert routes(sent) == [
        (K.DECISION, "secretariat", ()),
        (K.DECISION, "steering_committee", ()),
    ]
    assert sent[0].text == "Ember Energy's application (app-ember) is rejected: no consensus."


def test_a_provisional_admission_not_ratified_goes_to_all_members() -> None:
    before = provisionally_admitted()
    transition = rules.record_plenary_decision(
        before, CHAIR, PLENARY_DAY, PlenaryDecision.REJECT, "", None
    )
    sent = notices(before, transition, PLENARY_DAY)
    assert routes(sent) == [(K.DECISION, "all_members", ())]


@pytest.mark.parametrize("make", [admission, under_review, awaiting_plenary])
def test_a_withdrawal_before_any_announcement_stays_confidential(
    make: Callable[[], ApplicationRecord],
) -> None:
    before = make()
    transition = rules.withdraw(before, SECRETARIAT, PLENARY_DAY, "by letter")
    sent = notices(before, transition, PLENARY_DAY)
    assert [n.channel for n in sent] == ["secretariat", "steering_committee"]
    assert sent[0].text == "Ember Energy's application (app-ember) is withdrawn: by letter."


def test_a_lapse_stays_confidential() -> None:
    before = information_requested()
    assert before.deadline is not None
    transition = rules.lapse(before, before.deadline.due)
    sent = notices(before, transition, before.deadline.due)
    assert [n.channel for n in sent] == ["secretariat", "steering_committee"]
    assert sent[0].text == (
        "Ember Energy's application (app-ember) is lapsed: no answer by 2027-03-05."
    )


def test_the_applicants_answer_is_announced_to_the_secretariat() -> None:
    before = information_requested()
    transition = rules.provide_information(before, APPLICANT, EARLY, "Attached.")
    assert routes(notices(before, transition, EARLY)) == [(K.ANNOUNCEMENT, "secretariat", ())]


def test_a_recommendation_sends_nothing() -> None:
    before = under_review()
    transition = rules.recommend(before, SC_ANA, RECOMMENDED, R.SUPPORT, "")
    assert notices(before, transition, RECOMMENDED) == []


# timed notices


def _event(record: ApplicationRecord, key: str) -> TimedEvent:
    return next(e for e in pending_events(record, RULES) if e.key == key)


def test_review_reminders_go_only_to_reviewers_who_have_not_answered() -> None:
    record = rules.recommend(under_review(), SC_ANA, RECOMMENDED, R.SUPPORT, "").record
    event = _event(record, "review-reminder-3")
    sent = timed_notices(record, event, RULES)
    assert routes(sent) == [
        (K.DEADLINE_REMINDER, DIRECT, ("sc-ben",)),
        (K.DEADLINE_REMINDER, DIRECT, ("sc-cleo",)),
    ]
    assert [n.key for n in sent] == [
        "deadline_reminder:app-ember:vreview-reminder-3:sc-ben",
        "deadline_reminder:app-ember:vreview-reminder-3:sc-cleo",
    ]
    assert all(n.issued_at == event.at for n in sent)
    assert sent[0].text == (
        "Reminder: your recommendation on Ember Energy's application (app-ember) is due "
        "17 May 2027."
    )


def test_no_review_reminder_once_everyone_has_answered() -> None:
    record = all_recommend(under_review(), R.SUPPORT, R.SUPPORT, R.SUPPORT)
    assert timed_notices(record, _event(record, "review-reminder-14"), RULES) == []


def test_the_window_and_information_reminders_go_to_the_secretariat() -> None:
    record = information_requested()
    reminder = timed_notices(record, _event(record, "information-1-reminder-7"), RULES)
    assert routes(reminder) == [(K.DEADLINE_REMINDER, "secretariat", ())]
    assert reminder[0].text == (
        "Ember Energy has not yet answered the information request due 5 March 2027 (app-ember)."
    )
    window = timed_notices(record, _event(record, "window-due"), RULES)
    assert routes(window) == [(K.DEADLINE_REMINDER, "secretariat", ())]
    assert window[0].text == (
        "Ember Energy's application (31 March 2027 window) is due for review; "
        "it is awaiting information."
    )


@pytest.mark.parametrize("key", ["decision-warning", "decision-target", "escalation-1"])
def test_overdue_decisions_go_to_the_secretariat_and_the_steering_committee(key: str) -> None:
    record = awaiting_plenary()
    sent = timed_notices(record, _event(record, key), RULES)
    assert routes(sent) == [
        (K.OVERDUE, "secretariat", ()),
        (K.OVERDUE, "steering_committee", ()),
    ]
    assert [n.key for n in sent] == [
        f"overdue:app-ember:v{key}:secretariat",
        f"overdue:app-ember:v{key}:steering_committee",
    ]


def test_overdue_notices_name_the_day_of_the_decision_target() -> None:
    # The target is the end of 31 March 2028 in Ottawa (12 months after the 31 March window),
    # as a deadline "due on 31 March" is; the notices must name that day, not the next one.
    record = awaiting_plenary()
    [warning, _] = timed_notices(record, _event(record, "decision-warning"), RULES)
    assert warning.text == (
        "Ember Energy's application (app-ember) is still awaiting the plenary; "
        "decision target 31 March 2028."
    )
    [target, _] = timed_notices(record, _event(record, "decision-target"), RULES)
    assert target.text == (
        "The decision target for Ember Energy's application (app-ember) passed on "
        "31 March 2028; it is still awaiting the plenary."
    )


def test_states_read_as_words_not_as_their_codes() -> None:
    record = under_review()
    [warning, _] = timed_notices(record, _event(record, "decision-warning"), RULES)
    assert warning.text == (
        "Ember Energy's application (app-ember) is still under review; "
        "decision target 31 March 2028."
    )


def test_closing_events_send_no_timed_notice_of_their_own() -> None:
    record = information_requested()
    assert timed_notices(record, _event(record, "information-1-close"), RULES) == []


# audit


def test_the_audit_entry_names_the_record_version_and_what_happened() -> None:
    before = admission()
    transition = rules.mark_complete(before, SECRETARIAT, CHECKED)
    entry = audit_entry(transition, CHECKED)
    assert entry.key == "app-ember:v2"
    assert entry.at == CHECKED
    assert entry.actor == "sec-amina"
    assert entry.action == "application.marked_complete"
    assert (entry.item_kind, entry.item_id) == ("application", "app-ember")
    assert entry.reason == ""
    assert entry.data == {"state": "complete", "kind": "admission"}


def test_audit_entries_of_successive_steps_have_distinct_keys() -> None:
    record = under_review()
    first = rules.recommend(record, SC_ANA, RECOMMENDED, R.OBJECT, "no")
    second = rules.close_review(first.record, RECOMMENDED, None, R.ABSTAIN)
    keys = {audit_entry(t, RECOMMENDED).key for t in (first, second)}
    assert keys == {"app-ember:v4", "app-ember:v5"}
    assert (
        audit_entry(second, RECOMMENDED).reason
        == "1 object, 2 abstain; no answer from sc-ben, sc-cleo"
    )
    assert audit_entry(second, RECOMMENDED).actor == "system"


def test_a_review_closed_after_its_day_to_the_plenary_leaves_a_tombstone() -> None:
    before = under_review(full_request())
    assert before.deadline is not None
    late = before.deadline.due + timedelta(days=2)
    transition = rules.close_review(before, late, None, R.ABSTAIN)
    [item] = changes(before, transition, late)
    assert (item.uid, item.status) == ("full-gov-yssel-review@vpi.govsched", EventStatus.CANCELLED)
    assert item.title == "Recommendations due on Government of Yssel"
    assert item.confidential


def test_the_review_tally_reads_in_each_readers_language() -> None:
    """Issue 20: the tally is a message (its English is the step's note), so a French or a
    Chinese reader reads the counts in their language; the people's ids stay as written."""
    before = all_recommend(under_review(), R.SUPPORT)
    transition = rules.close_review(before, REVIEW_ENDS, NO_OBJECTION_DEADLINE, R.ABSTAIN)
    assert transition.note == "1 support, 2 abstain; no answer from sc-ben, sc-cleo"
    message = notices(before, transition, REVIEW_ENDS, FOCAL_POINTS)[0].message
    assert message is not None
    french = render(message, Language.FR, Rulebook().label_text)
    chinese = render(message, Language.ZH, Rulebook().label_text)
    assert french.endswith(": 1 soutien, 2 abstentions ; sans réponse de sc-ben, sc-cleo.")
    assert "1 票支持、2 票弃权；sc-ben, sc-cleo未作答复" in chinese  # noqa: RUF001


def _as_observer(record: ApplicationRecord) -> ApplicationRecord:
    applicant = record.applicant.model_copy(update={"pillar": Pillar.OBSERVER})
    return record.model_copy(update={"applicant": applicant})


def test_an_observer_is_announced_as_admitted_as_an_observer_never_as_engaged() -> None:
    """An observer is admitted straight to its active status, with no Engaged period (README,
    "Membership applications"). Found by a review: every public decision and notice about
    its admission said "admitted as an Engaged member"."""
    admitted = rules.record_plenary_decision(
        (before := _as_observer(awaiting_plenary())),
        CHAIR,
        PLENARY_DAY,
        PlenaryDecision.ADMIT,
        "",
        None,
    )
    [item] = changes(before, admitted, PLENARY_DAY)
    assert item.title == "Ember Energy admitted as an observer"
    assert [n.text for n in notices(before, admitted, PLENARY_DAY)] == [
        "Ember Energy admitted as an observer."
    ]
    provisional = rules.close_no_objection(
        (waiting := _as_observer(in_no_objection_period())), PERIOD_ENDS, "plenary-2028"
    )
    [item] = changes(waiting, provisional, PERIOD_ENDS)
    assert item.title == "Ember Energy provisionally admitted as an observer"
    assert [n.text for n in notices(waiting, provisional, PERIOD_ENDS)] == [
        "Ember Energy is provisionally admitted as an observer; the next Annual Plenary will "
        "be asked to ratify."
    ]
    ratified = rules.record_plenary_decision(
        (held := _as_observer(provisionally_admitted())),
        CHAIR,
        PLENARY_DAY,
        PlenaryDecision.ADMIT,
        "",
        None,
    )
    [item] = changes(held, ratified, PLENARY_DAY)
    assert item.title == "Ember Energy: admission as an observer ratified"
    proposed = proposal_notice(
        _as_observer(in_no_objection_period()), "fp-gov-norland", PERIOD_ENDS
    )
    assert "proposed for admission as an observer" in proposed.text
