"""The membership-application process as pure transitions: who may act, when, and what follows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from governance.applications import rules
from governance.applications.model import (
    APPLICANT,
    FINAL_STATES,
    ApplicationKind,
    ApplicationRecord,
    ApplicationRules,
    ApplicationState,
    Deadline,
    DeadlineKind,
    PlenaryDecision,
)
from governance.applications.rules import MemberChange, MemberChangeKind, Transition
from governance.applications.timeline import deadline_after
from governance.kernel.actor import Actor
from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.rulebook.model import Recommendation, load_rulebook
from tests.governance.applications.application_cast import (
    CHAIR,
    CHECKED,
    ENGAGED_FP,
    FULL_FP,
    MARKS,
    NO_OBJECTION_DEADLINE,
    ORGANISATION,
    OUTSIDER,
    PERIOD_ENDS,
    PLENARY_DAY,
    RECOMMENDED,
    REVIEW_DEADLINE,
    REVIEW_ENDS,
    REVIEW_STARTS,
    REVIEWERS,
    RULES,
    SC_ANA,
    SC_BEN,
    SC_CLEO,
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

S = ApplicationState
R = Recommendation
LATER = datetime(2027, 7, 1, 15, 0, tzinfo=UTC)
OPEN_STATES = [s for s in ApplicationState if s not in FINAL_STATES]


def states(record: ApplicationRecord) -> list[ApplicationState]:
    return [step.state for step in record.history]


def admitted() -> ApplicationRecord:
    return rules.record_plenary_decision(
        awaiting_plenary(), SECRETARIAT, PLENARY_DAY, PlenaryDecision.ADMIT, "", "plenary-2027"
    ).record


def rejected() -> ApplicationRecord:
    return rules.record_plenary_decision(
        awaiting_plenary(), SECRETARIAT, PLENARY_DAY, PlenaryDecision.REJECT, "", "plenary-2027"
    ).record


def withdrawn() -> ApplicationRecord:
    return rules.withdraw(admission(), SECRETARIAT, CHECKED, "changed its mind").record


def lapsed() -> ApplicationRecord:
    record = information_requested()
    assert record.deadline is not None
    return rules.lapse(record, record.deadline.due).record


RECORD_IN: dict[ApplicationState, Callable[[], ApplicationRecord]] = {
    S.AWAITING_CHECK: admission,
    S.INFORMATION_REQUESTED: information_requested,
    S.COMPLETE: complete,
    S.UNDER_REVIEW: under_review,
    S.NO_OBJECTION_PERIOD: in_no_objection_period,
    S.AWAITING_PLENARY: awaiting_plenary,
    S.PROVISIONALLY_ADMITTED: provisionally_admitted,
    S.ADMITTED: admitted,
    S.REJECTED: rejected,
    S.WITHDRAWN: withdrawn,
    S.LAPSED: lapsed,
}


def test_every_state_has_a_sample_record_in_that_state() -> None:
    assert set(RECORD_IN) == set(ApplicationState)
    for state, make in RECORD_IN.items():
        assert make().state is state


# submission


def test_an_admission_application_starts_awaiting_the_completeness_check() -> None:
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
    record = transition.record
    assert (transition.action, transition.by, transition.note) == (
        "application.submitted",
        "applicant",
        "submitted",
    )
    assert transition.member_change is None
    assert record.state is S.AWAITING_CHECK
    assert [(s.state, s.at, s.by, s.note) for s in record.history] == [
        (S.AWAITING_CHECK, SUBMITTED, "applicant", "submitted")
    ]
    assert record.version == 1
    assert record.decided_at is None
    assert record.deadline is None
    assert (record.window, record.window_due) == (WINDOW, WINDOW_DUE)
    assert (record.decision_warning_at, record.decision_target_at) == MARKS


def test_a_request_for_full_membership_starts_complete_for_its_member() -> None:
    record = full_request()
    assert record.kind is ApplicationKind.FULL_MEMBERSHIP
    assert record.state is S.COMPLETE
    assert record.member == "gov-yssel"
    assert states(record) == [S.COMPLETE]
    assert record.submitted_by == "fp-yssel"


def test_the_secretariat_may_submit_on_an_organisations_behalf() -> None:
    record = rules.submit(
        "app-ember", ApplicationKind.ADMISSION, ORGANISATION, SECRETARIAT, SUBMITTED, MARKS
    ).record
    assert record.submitted_by == "sec-amina"


def test_someone_without_a_role_cannot_submit_in_someone_elses_name() -> None:
    with pytest.raises(Forbidden) as caught:
        rules.submit(
            "app-ember", ApplicationKind.ADMISSION, ORGANISATION, OUTSIDER, SUBMITTED, MARKS
        )
    assert caught.value.missing_role in {"secretariat", "focal_point"}


# the completeness check and information requests


def test_the_secretariat_marks_an_application_complete() -> None:
    transition = rules.mark_complete(admission(), SECRETARIAT, CHECKED)
    assert transition.action == "application.marked_complete"
    assert transition.by == "sec-amina"
    assert transition.record.state is S.COMPLETE
    assert states(transition.record) == [S.AWAITING_CHECK, S.COMPLETE]
    assert transition.record.history[-1].at == CHECKED
    assert transition.record.version == 2


def test_requesting_information_sets_a_deadline_and_records_the_question() -> None:
    deadline = deadline_after(DeadlineKind.INFORMATION, CHECKED, 30, TZ)
    transition = rules.request_information(
        admission(), SECRETARIAT, CHECKED, "Please send your security policy.", deadline
    )
    record = transition.record
    assert transition.action == "application.information_requested"
    assert transition.note == "Please send your security policy."
    assert record.state is S.INFORMATION_REQUESTED
    assert record.deadline == deadline
    assert [
        (r.question, r.asked_at, r.asked_by, r.due_date) for r in record.information_requests
    ] == [("Please send your security policy.", CHECKED, "sec-amina", deadline.due_date)]
    assert record.history[-1].note == "Please send your security policy."


def test_an_information_deadline_already_past_is_invalid() -> None:
    deadline = deadline_after(DeadlineKind.INFORMATION, SUBMITTED, 1, TZ)
    with pytest.raises(InvalidInput) as caught:
        rules.request_information(admission(), SECRETARIAT, deadline.due, "Why?", deadline)
    assert caught.value.problems == [Problem("due", "must be later")]


def test_the_applicants_answer_returns_the_application_to_the_check() -> None:
    answered_at = datetime(2027, 2, 20, 15, 0, tzinfo=UTC)
    transition = rules.provide_information(
        information_requested(), APPLICANT, answered_at, "Attached."
    )
    record = transition.record
    assert transition.action == "application.information_provided"
    assert record.state is S.AWAITING_CHECK
    assert record.deadline is None
    assert [(r.answer, r.answered_at) for r in record.information_requests] == [
        ("Attached.", answered_at)
    ]
    assert states(record) == [S.AWAITING_CHECK, S.INFORMATION_REQUESTED, S.AWAITING_CHECK]
    assert record.history[-1].note == "information provided"


def test_the_secretariat_may_record_the_applicants_answer() -> None:
    record = rules.provide_information(
        information_requested(), SECRETARIAT, LATER, "Sent by post."
    ).record
    assert record.state is S.AWAITING_CHECK
    assert record.history[-1].by == "sec-amina"


def test_anyone_else_may_not_answer_for_the_applicant() -> None:
    with pytest.raises(Forbidden) as caught:
        rules.provide_information(information_requested(), FULL_FP, LATER, "Hello.")
    assert caught.value.missing_role == "secretariat"


def test_a_registered_person_called_applicant_is_not_the_applicant() -> None:
    # The applicant is APPLICANT (no roles, no member), as `submit` checks; a focal point whose
    # registry id happens to be "applicant" must still need the Secretariat role.
    impostor = Actor(
        person="applicant",
        roles=frozenset({Role.FOCAL_POINT}),
        member="gov-norland",
        member_status=MemberStatus.FULL,
    )
    with pytest.raises(Forbidden) as caught:
        rules.provide_information(information_requested(), impostor, LATER, "Fine.")
    assert caught.value.missing_role == "secretariat"


def test_a_second_information_request_is_numbered_and_kept_with_the_first() -> None:
    answered = rules.provide_information(information_requested(), APPLICANT, LATER, "Here.")
    asked_at = datetime(2027, 7, 5, 15, 0, tzinfo=UTC)
    deadline = deadline_after(DeadlineKind.INFORMATION, asked_at, 10, TZ, number=2)
    record = rules.request_information(
        answered.record, SECRETARIAT, asked_at, "And the audit?", deadline
    ).record
    assert [r.question for r in record.information_requests] == [
        "Please send your security policy.",
        "And the audit?",
    ]
    assert record.deadline is not None
    assert record.deadline.number == 2


def test_no_answer_by_the_deadline_lapses_the_application() -> None:
    record = information_requested()
    assert record.deadline is not None
    transition = rules.lapse(record, record.deadline.due)
    after = transition.record
    assert transition.action == "application.lapsed"
    assert transition.by == "system"
    assert transition.note == "no answer by 2027-03-05"
    assert after.state is S.LAPSED
    assert after.deadline is None
    assert after.decided_at == record.deadline.due
    assert after.final
    assert after.outcome is S.LAPSED
    assert states(after) == [S.AWAITING_CHECK, S.INFORMATION_REQUESTED, S.LAPSED]


# the Steering Committee review


def test_the_secretariat_starts_the_review_with_the_steering_committee_as_reviewers() -> None:
    transition = rules.start_review(
        complete(),
        SECRETARIAT,
        REVIEW_STARTS,
        ("sc-cleo", "sc-ana", "sc-ben", "sc-ana"),
        REVIEW_DEADLINE,
    )
    record = transition.record
    assert transition.action == "application.review_started"
    assert record.state is S.UNDER_REVIEW
    assert record.reviewers == ("sc-ana", "sc-ben", "sc-cleo")
    assert record.deadline == REVIEW_DEADLINE
    assert record.recommendations == ()
    assert record.silent_reviewers == REVIEWERS


def test_a_review_needs_someone_to_review() -> None:
    with pytest.raises(Conflict) as caught:
        rules.start_review(complete(), SECRETARIAT, REVIEW_STARTS, (), REVIEW_DEADLINE)
    assert [p.path for p in caught.value.problems] == ["reviewers"]
    with pytest.raises(Conflict):
        rules.can_start_review(complete(), SECRETARIAT, ())


def test_a_reviewer_recommends_once_without_changing_the_state() -> None:
    before = under_review()
    transition = rules.recommend(before, SC_ANA, RECOMMENDED, R.SUPPORT, "well prepared")
    after = transition.record
    assert transition.action == "application.recommended"
    assert transition.note == "support"
    assert after.state is S.UNDER_REVIEW
    assert after.history == before.history
    assert after.version == before.version + 1
    recorded = after.recommendation_of("sc-ana")
    assert recorded is not None
    assert (recorded.recommendation, recorded.comment, recorded.at, recorded.silent) == (
        R.SUPPORT,
        "well prepared",
        RECOMMENDED,
        False,
    )
    assert after.silent_reviewers == ("sc-ben", "sc-cleo")


def test_a_second_recommendation_by_the_same_reviewer_is_a_conflict() -> None:
    record = rules.recommend(under_review(), SC_ANA, RECOMMENDED, R.SUPPORT, "").record
    with pytest.raises(Conflict) as caught:
        rules.recommend(record, SC_ANA, LATER, R.OBJECT, "on second thoughts")
    assert caught.value.problems == [Problem("by", "sc-ana has already recommended")]


def test_a_steering_committee_member_who_is_not_a_reviewer_may_not_recommend() -> None:
    record = rules.start_review(
        complete(), SECRETARIAT, REVIEW_STARTS, ("sc-ana", "sc-ben"), REVIEW_DEADLINE
    ).record
    with pytest.raises(Forbidden) as caught:
        rules.recommend(record, SC_CLEO, RECOMMENDED, R.SUPPORT, "")
    assert caught.value.missing_role == "steering_committee"


def test_only_the_steering_committee_recommends() -> None:
    with pytest.raises(Forbidden) as caught:
        rules.recommend(under_review(), SECRETARIAT, RECOMMENDED, R.SUPPORT, "")
    assert caught.value.missing_role == "steering_committee"


def test_the_review_is_not_answered_while_a_reviewer_is_silent() -> None:
    record = under_review()
    assert not rules.everyone_answered(record)
    record = all_recommend(record, R.SUPPORT, R.SUPPORT)
    assert not rules.everyone_answered(record)
    assert record.silent_reviewers == ("sc-cleo",)
    assert rules.everyone_answered(complete()) is False


def test_everyone_answered_when_the_last_reviewer_recommends() -> None:
    record = all_recommend(under_review(), R.SUPPORT, R.ABSTAIN, R.SUPPORT)
    assert rules.everyone_answered(record)


def test_an_admission_without_objection_goes_to_the_no_objection_period() -> None:
    record = all_recommend(under_review(), R.SUPPORT, R.ABSTAIN, R.SUPPORT)
    transition = rules.close_review(record, RECOMMENDED, NO_OBJECTION_DEADLINE, R.ABSTAIN)
    after = transition.record
    assert transition.action == "application.review_closed"
    assert transition.by == "system"
    assert transition.note == "2 support, 1 abstain"
    assert after.state is S.NO_OBJECTION_PERIOD
    assert after.deadline == NO_OBJECTION_DEADLINE
    assert after.decided_at is None


def test_silence_counts_as_the_rulebook_says_by_default_abstain() -> None:
    assert RULES.silence_counts_as is R.ABSTAIN
    record = all_recommend(under_review(), R.SUPPORT)
    transition = rules.close_review(
        record, REVIEW_ENDS, NO_OBJECTION_DEADLINE, RULES.silence_counts_as
    )
    after = transition.record
    assert after.state is S.NO_OBJECTION_PERIOD
    assert [(r.person, r.recommendation, r.silent, r.at) for r in after.recommendations] == [
        ("sc-ana", R.SUPPORT, False, RECOMMENDED),
        ("sc-ben", R.ABSTAIN, True, REVIEW_ENDS),
        ("sc-cleo", R.ABSTAIN, True, REVIEW_ENDS),
    ]
    assert transition.note == "1 support, 2 abstain; no answer from sc-ben, sc-cleo"


def test_when_the_rulebook_counts_silence_as_objection_a_silent_review_goes_to_the_plenary() -> (
    None
):
    strict = ApplicationRules.of(load_rulebook({"applications": {"silence_counts_as": "object"}}))
    assert strict.silence_counts_as is R.OBJECT
    record = all_recommend(under_review(), R.SUPPORT, R.SUPPORT)
    transition = rules.close_review(
        record, REVIEW_ENDS, NO_OBJECTION_DEADLINE, strict.silence_counts_as
    )
    after = transition.record
    assert after.state is S.AWAITING_PLENARY
    assert after.deadline is None
    silent = after.recommendation_of("sc-cleo")
    assert silent is not None
    assert (silent.recommendation, silent.silent) == (R.OBJECT, True)
    assert transition.note == "2 support, 1 object; no answer from sc-cleo"


def test_an_objection_in_the_review_sends_an_admission_to_the_plenary() -> None:
    record = all_recommend(under_review(), R.SUPPORT, R.OBJECT, R.SUPPORT)
    after = rules.close_review(record, RECOMMENDED, NO_OBJECTION_DEADLINE, R.ABSTAIN).record
    assert after.state is S.AWAITING_PLENARY
    assert after.deadline is None


def test_without_a_planned_no_objection_period_the_admission_goes_to_the_plenary() -> None:
    record = all_recommend(under_review(), R.SUPPORT, R.SUPPORT, R.SUPPORT)
    after = rules.close_review(record, RECOMMENDED, None, R.ABSTAIN).record
    assert after.state is S.AWAITING_PLENARY


def test_a_request_for_full_membership_always_goes_to_the_plenary() -> None:
    record = under_review(full_request())
    record = all_recommend(record, R.SUPPORT, R.SUPPORT, R.SUPPORT)
    after = rules.close_review(record, RECOMMENDED, NO_OBJECTION_DEADLINE, R.ABSTAIN).record
    assert after.state is S.AWAITING_PLENARY
    assert after.deadline is None


# the no-objection period


def test_a_full_members_focal_point_may_object_during_the_no_objection_period() -> None:
    at = datetime(2027, 5, 25, 15, 0, tzinfo=UTC)
    transition = rules.object_to(in_no_objection_period(), FULL_FP, at, "conflict of interest")
    after = transition.record
    assert transition.action == "application.objected"
    assert transition.note == "conflict of interest"
    assert after.state is S.AWAITING_PLENARY
    assert after.deadline is None
    assert [(o.person, o.member, o.reason, o.at) for o in after.objections] == [
        ("fp-norland", "gov-norland", "conflict of interest", at)
    ]
    assert after.history[-1].note == "objection by gov-norland"


def test_an_engaged_members_focal_point_may_not_object() -> None:
    with pytest.raises(Forbidden) as caught:
        rules.object_to(in_no_objection_period(), ENGAGED_FP, LATER, "no")
    assert caught.value.missing_role == "focal_point"


def test_a_focal_point_without_a_member_may_not_object() -> None:
    loose = Actor(
        person="fp-loose", roles=frozenset({Role.FOCAL_POINT}), member_status=MemberStatus.FULL
    )
    with pytest.raises(Forbidden):
        rules.object_to(in_no_objection_period(), loose, LATER, "no")


def test_only_focal_points_object_not_the_secretariat_nor_the_steering_committee() -> None:
    for actor in (SECRETARIAT, SC_ANA, CHAIR):
        with pytest.raises(Forbidden) as caught:
            rules.object_to(in_no_objection_period(), actor, LATER, "no")
        assert caught.value.missing_role == "focal_point"


def test_the_end_of_the_period_without_objection_admits_provisionally() -> None:
    transition = rules.close_no_objection(in_no_objection_period(), PERIOD_ENDS, "plenary-2028")
    after = transition.record
    assert transition.action == "application.provisionally_admitted"
    assert transition.by == "system"
    assert transition.member_change is not None
    assert transition.member_change.kind is MemberChangeKind.ADMIT_ENGAGED
    assert "plenary-2028" in transition.member_change.decision
    assert after.state is S.PROVISIONALLY_ADMITTED
    assert after.ratification_plenary == "plenary-2028"
    assert after.deadline is None
    assert after.decided_at is None
    assert after.history[-1].note == "no objection; to be ratified at plenary-2028"


def test_without_a_known_plenary_the_ratification_is_at_the_next_plenary() -> None:
    transition = rules.close_no_objection(in_no_objection_period(), PERIOD_ENDS, None)
    assert transition.record.ratification_plenary is None
    assert transition.record.history[-1].note == "no objection; to be ratified at the next plenary"


# the plenary decision


def decide(
    record: ApplicationRecord, decision: PlenaryDecision, actor: Actor = SECRETARIAT
) -> Transition:
    return rules.record_plenary_decision(record, actor, PLENARY_DAY, decision, "", "plenary-2027")


def test_the_plenary_admits_an_application_awaiting_it_as_engaged() -> None:
    transition = decide(awaiting_plenary(), PlenaryDecision.ADMIT)
    after = transition.record
    assert transition.action == "application.admitted"
    assert transition.note == "admit"
    assert after.state is S.ADMITTED
    assert after.decided_at == PLENARY_DAY
    assert after.decided_at_plenary == "plenary-2027"
    assert transition.member_change == MemberChange(
        MemberChangeKind.ADMIT_ENGAGED, "admitted as Engaged at plenary-2027"
    )


def as_observer(record: ApplicationRecord) -> ApplicationRecord:
    applicant = record.applicant.model_copy(update={"pillar": Pillar.OBSERVER})
    return record.model_copy(update={"applicant": applicant})


def test_an_observer_is_admitted_straight_to_full_never_engaged() -> None:
    """Observers never vote: no Engaged period, no request for Full membership to come."""
    by_plenary = decide(as_observer(awaiting_plenary()), PlenaryDecision.ADMIT)
    assert by_plenary.member_change == MemberChange(
        MemberChangeKind.ADMIT_OBSERVER, "admitted as an observer at plenary-2027"
    )
    provisional = rules.close_no_objection(
        as_observer(in_no_objection_period()), PERIOD_ENDS, "plenary-2028"
    )
    assert provisional.member_change is not None
    assert provisional.member_change.kind is MemberChangeKind.ADMIT_OBSERVER
    # the rule before the patch, which histories of runs started earlier replay
    old = rules.record_plenary_decision(
        as_observer(awaiting_plenary()),
        SECRETARIAT,
        PLENARY_DAY,
        PlenaryDecision.ADMIT,
        "",
        "plenary-2027",
        observers_full=False,
    )
    assert old.member_change is not None
    assert old.member_change.kind is MemberChangeKind.ADMIT_ENGAGED


def test_the_plenary_rejects_an_application_awaiting_it_without_a_member_change() -> None:
    transition = decide(awaiting_plenary(), PlenaryDecision.REJECT, CHAIR)
    assert transition.action == "application.rejected"
    assert transition.by == "chair-rosa"
    assert transition.record.state is S.REJECTED
    assert transition.record.decided_at == PLENARY_DAY
    assert transition.member_change is None


def test_the_plenary_ratifies_a_provisional_admission_without_a_member_change() -> None:
    transition = decide(provisionally_admitted(), PlenaryDecision.ADMIT, CHAIR)
    assert transition.record.state is S.ADMITTED
    assert transition.member_change is None


def test_a_provisional_admission_the_plenary_does_not_ratify_is_rejected() -> None:
    transition = decide(provisionally_admitted(), PlenaryDecision.REJECT)
    assert transition.record.state is S.REJECTED
    assert transition.member_change is not None
    assert transition.member_change.kind is MemberChangeKind.NOT_RATIFIED


def test_the_plenary_grants_full_membership() -> None:
    record = under_review(full_request())
    record = all_recommend(record, R.SUPPORT, R.SUPPORT, R.SUPPORT)
    record = rules.close_review(record, RECOMMENDED, None, R.ABSTAIN).record
    transition = decide(record, PlenaryDecision.ADMIT, CHAIR)
    assert transition.record.state is S.ADMITTED
    assert transition.member_change == MemberChange(
        MemberChangeKind.BECOME_FULL, "Full membership voted at plenary-2027"
    )


def test_a_refused_full_membership_changes_no_member() -> None:
    record = under_review(full_request())
    record = rules.close_review(record, REVIEW_ENDS, None, R.ABSTAIN).record
    transition = decide(record, PlenaryDecision.REJECT)
    assert transition.record.state is S.REJECTED
    assert transition.member_change is None


def test_a_plenary_decision_keeps_its_note() -> None:
    transition = rules.record_plenary_decision(
        awaiting_plenary(), SECRETARIAT, PLENARY_DAY, PlenaryDecision.REJECT, "no consensus", None
    )
    assert transition.note == "no consensus"
    assert transition.record.history[-1].note == "no consensus"
    assert transition.record.decided_at_plenary is None


def test_a_focal_point_may_not_record_a_plenary_decision() -> None:
    with pytest.raises(Forbidden) as caught:
        decide(awaiting_plenary(), PlenaryDecision.ADMIT, FULL_FP)
    assert caught.value.missing_role in {"secretariat", "chair"}


# withdrawal


@pytest.mark.parametrize("state", OPEN_STATES, ids=lambda s: s.value)
def test_the_secretariat_may_withdraw_an_application_in_any_open_state(
    state: ApplicationState,
) -> None:
    before = RECORD_IN[state]()
    transition = rules.withdraw(before, SECRETARIAT, LATER, "withdrawn by letter")
    after = transition.record
    assert transition.action == "application.withdrawn"
    assert after.state is S.WITHDRAWN
    assert after.deadline is None
    assert after.decided_at == LATER
    assert states(after) == [*states(before), S.WITHDRAWN]
    assert after.history[-1].note == "withdrawn by letter"
    if state is S.PROVISIONALLY_ADMITTED:
        assert transition.member_change is not None
        assert transition.member_change.kind is MemberChangeKind.NOT_RATIFIED
    else:
        assert transition.member_change is None


@pytest.mark.parametrize("state", sorted(FINAL_STATES), ids=lambda s: s.value)
def test_a_decided_application_cannot_be_withdrawn(state: ApplicationState) -> None:
    with pytest.raises(Conflict) as caught:
        rules.withdraw(RECORD_IN[state](), SECRETARIAT, LATER)
    assert caught.value.problems[0].path == "state"


def test_a_member_may_withdraw_its_own_request_for_full_membership() -> None:
    transition = rules.withdraw(full_request(), ENGAGED_FP, LATER, "not ready yet")
    assert transition.record.state is S.WITHDRAWN
    assert transition.by == "fp-yssel"


def test_another_members_focal_point_may_not_withdraw_a_request_for_full_membership() -> None:
    with pytest.raises(Forbidden) as caught:
        rules.withdraw(full_request(), FULL_FP, LATER)
    assert caught.value.missing_role == "secretariat"


def test_a_focal_point_may_not_withdraw_an_organisations_admission() -> None:
    with pytest.raises(Forbidden) as caught:
        rules.withdraw(admission(), ENGAGED_FP, LATER)
    assert caught.value.missing_role == "secretariat"


def test_someone_of_the_member_without_the_focal_point_role_may_not_withdraw_its_request() -> None:
    colleague = Actor(person="yssel-staff", member="gov-yssel", member_status=MemberStatus.ENGAGED)
    with pytest.raises(Forbidden):
        rules.withdraw(full_request(), colleague, LATER)


# refusals: the role before the state


def _deadline_at(at: datetime) -> Deadline:
    return deadline_after(DeadlineKind.INFORMATION, at, 30, TZ)


HUMAN_ACTIONS: dict[str, tuple[Callable[[ApplicationRecord, Actor], Transition], set[str]]] = {
    "mark_complete": (lambda r, a: rules.mark_complete(r, a, LATER), {"secretariat"}),
    "request_information": (
        lambda r, a: rules.request_information(r, a, LATER, "Why?", _deadline_at(LATER)),
        {"secretariat"},
    ),
    "provide_information": (
        lambda r, a: rules.provide_information(r, a, LATER, "Because."),
        {"secretariat"},
    ),
    "start_review": (
        lambda r, a: rules.start_review(r, a, LATER, REVIEWERS, REVIEW_DEADLINE),
        {"secretariat"},
    ),
    "recommend": (
        lambda r, a: rules.recommend(r, a, LATER, R.SUPPORT, ""),
        {"steering_committee"},
    ),
    "object": (lambda r, a: rules.object_to(r, a, LATER, "no"), {"focal_point"}),
    "record_plenary_decision": (
        lambda r, a: rules.record_plenary_decision(r, a, LATER, PlenaryDecision.ADMIT, "", None),
        {"secretariat", "chair"},
    ),
    "withdraw": (lambda r, a: rules.withdraw(r, a, LATER), {"secretariat"}),
}


@pytest.mark.parametrize("action", sorted(HUMAN_ACTIONS))
@pytest.mark.parametrize("state", list(ApplicationState), ids=lambda s: s.value)
def test_an_actor_without_the_role_is_forbidden_whatever_the_state(
    action: str, state: ApplicationState
) -> None:
    apply, roles = HUMAN_ACTIONS[action]
    record = RECORD_IN[state]()
    with pytest.raises(Forbidden) as caught:
        apply(record, OUTSIDER)
    assert caught.value.missing_role in roles


ALLOWED: dict[str, tuple[Callable[[ApplicationRecord], Transition], set[ApplicationState]]] = {
    "mark_complete": (lambda r: rules.mark_complete(r, SECRETARIAT, LATER), {S.AWAITING_CHECK}),
    "request_information": (
        lambda r: rules.request_information(r, SECRETARIAT, LATER, "Why?", _deadline_at(LATER)),
        {S.AWAITING_CHECK},
    ),
    "provide_information": (
        lambda r: rules.provide_information(r, APPLICANT, LATER, "Because."),
        {S.INFORMATION_REQUESTED},
    ),
    "start_review": (
        lambda r: rules.start_review(r, SECRETARIAT, LATER, REVIEWERS, REVIEW_DEADLINE),
        {S.COMPLETE},
    ),
    "recommend": (
        lambda r: rules.recommend(r, SC_BEN, LATER, R.SUPPORT, ""),
        {S.UNDER_REVIEW},
    ),
    "close_review": (
        lambda r: rules.close_review(r, LATER, NO_OBJECTION_DEADLINE, R.ABSTAIN),
        {S.UNDER_REVIEW},
    ),
    "object": (lambda r: rules.object_to(r, FULL_FP, LATER, "no"), {S.NO_OBJECTION_PERIOD}),
    "close_no_objection": (
        lambda r: rules.close_no_objection(r, LATER, None),
        {S.NO_OBJECTION_PERIOD},
    ),
    "record_plenary_decision": (
        lambda r: rules.record_plenary_decision(r, CHAIR, LATER, PlenaryDecision.ADMIT, "", None),
        {S.AWAITING_PLENARY, S.PROVISIONALLY_ADMITTED},
    ),
    "withdraw": (lambda r: rules.withdraw(r, SECRETARIAT, LATER), set(OPEN_STATES)),
    "lapse": (lambda r: rules.lapse(r, LATER), {S.INFORMATION_REQUESTED}),
}


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("state", list(ApplicationState), ids=lambda s: s.value)
def test_each_step_is_allowed_only_in_its_states_and_a_refusal_names_the_current_state(
    action: str, state: ApplicationState
) -> None:
    apply, allowed = ALLOWED[action]
    before = RECORD_IN[state]()
    if state in allowed:
        after = apply(before).record
        assert after.version == before.version + 1
        assert after.submitted_at == before.submitted_at
        return
    with pytest.raises(Conflict) as caught:
        apply(before)
    assert caught.value.message.endswith(f"the application is {state.value}")
    [problem] = caught.value.problems
    assert problem.path == "state"
    assert problem.reason.startswith(f"is {state.value};")


def test_a_refused_action_leaves_the_record_as_it_was() -> None:
    before = under_review()
    snapshot = before.model_dump()
    with pytest.raises(Forbidden):
        rules.mark_complete(before, OUTSIDER, LATER)
    with pytest.raises(Conflict):
        rules.mark_complete(before, SECRETARIAT, LATER)
    assert before.model_dump() == snapshot


# whole paths: the history, the decision instant and the version


def walk(
    start: ApplicationRecord, *steps: Callable[[ApplicationRecord], Transition]
) -> list[Transition]:
    """Apply the steps in turn, checking what every step must do to the record."""
    transitions = []
    record = start
    for step in steps:
        transition = step(record)
        after = transition.record
        assert after.version == record.version + 1
        if after.state is record.state:
            assert after.history == record.history
        else:
            assert after.history[:-1] == record.history
            assert after.history[-1].state is after.state
        if after.final:
            assert after.decided_at == after.history[-1].at
        else:
            assert after.decided_at is None
        transitions.append(transition)
        record = after
    return transitions


def test_path_information_requested_then_lapsed() -> None:
    deadline = deadline_after(DeadlineKind.INFORMATION, CHECKED, 30, TZ)
    transitions = walk(
        admission(),
        lambda r: rules.request_information(r, SECRETARIAT, CHECKED, "Policy?", deadline),
        lambda r: rules.lapse(r, deadline.due),
    )
    record = transitions[-1].record
    assert states(record) == [S.AWAITING_CHECK, S.INFORMATION_REQUESTED, S.LAPSED]
    assert record.decided_at == deadline.due
    assert [t.member_change for t in transitions] == [None, None]


def test_path_objection_in_review_then_plenary_rejects() -> None:
    transitions = walk(
        admission(),
        lambda r: rules.mark_complete(r, SECRETARIAT, CHECKED),
        lambda r: rules.start_review(r, SECRETARIAT, REVIEW_STARTS, REVIEWERS, REVIEW_DEADLINE),
        lambda r: rules.recommend(r, SC_ANA, RECOMMENDED, R.OBJECT, "human rights record"),
        lambda r: rules.recommend(r, SC_BEN, RECOMMENDED, R.SUPPORT, ""),
        lambda r: rules.recommend(r, SC_CLEO, RECOMMENDED, R.ABSTAIN, ""),
        lambda r: rules.close_review(r, RECOMMENDED, NO_OBJECTION_DEADLINE, R.ABSTAIN),
        lambda r: rules.record_plenary_decision(
            r, CHAIR, PLENARY_DAY, PlenaryDecision.REJECT, "", "plenary-2027"
        ),
    )
    record = transitions[-1].record
    assert states(record) == [
        S.AWAITING_CHECK,
        S.COMPLETE,
        S.UNDER_REVIEW,
        S.AWAITING_PLENARY,
        S.REJECTED,
    ]
    assert transitions[-2].note == "1 support, 1 object, 1 abstain"
    assert record.version == 8
    assert all(t.member_change is None for t in transitions)


def test_path_objection_in_the_no_objection_period_then_plenary_admits() -> None:
    objected_at = datetime(2027, 5, 25, 15, 0, tzinfo=UTC)
    transitions = walk(
        admission(),
        lambda r: rules.mark_complete(r, SECRETARIAT, CHECKED),
        lambda r: rules.start_review(r, SECRETARIAT, REVIEW_STARTS, REVIEWERS, REVIEW_DEADLINE),
        lambda r: rules.recommend(r, SC_BEN, RECOMMENDED, R.SUPPORT, ""),
        lambda r: rules.close_review(r, REVIEW_ENDS, NO_OBJECTION_DEADLINE, R.ABSTAIN),
        lambda r: rules.object_to(r, FULL_FP, objected_at, "pending litigation"),
        lambda r: rules.record_plenary_decision(
            r, SECRETARIAT, PLENARY_DAY, PlenaryDecision.ADMIT, "", "plenary-2027"
        ),
    )
    record = transitions[-1].record
    assert states(record) == [
        S.AWAITING_CHECK,
        S.COMPLETE,
        S.UNDER_REVIEW,
        S.NO_OBJECTION_PERIOD,
        S.AWAITING_PLENARY,
        S.ADMITTED,
    ]
    changes = [t.member_change for t in transitions if t.member_change is not None]
    assert [c.kind for c in changes] == [MemberChangeKind.ADMIT_ENGAGED]
    assert record.decided_at == PLENARY_DAY


def test_path_provisional_admission_then_ratified() -> None:
    transitions = walk(
        complete(),
        lambda r: rules.start_review(r, SECRETARIAT, REVIEW_STARTS, REVIEWERS, REVIEW_DEADLINE),
        lambda r: rules.close_review(r, REVIEW_ENDS, NO_OBJECTION_DEADLINE, R.ABSTAIN),
        lambda r: rules.close_no_objection(r, PERIOD_ENDS, "plenary-2028"),
        lambda r: rules.record_plenary_decision(
            r, CHAIR, PLENARY_DAY, PlenaryDecision.ADMIT, "ratified", "plenary-2028"
        ),
    )
    record = transitions[-1].record
    assert states(record)[-3:] == [S.NO_OBJECTION_PERIOD, S.PROVISIONALLY_ADMITTED, S.ADMITTED]
    changes = [t.member_change.kind for t in transitions if t.member_change is not None]
    assert changes == [MemberChangeKind.ADMIT_ENGAGED]


def test_path_provisional_admission_then_not_ratified() -> None:
    transitions = walk(
        complete(),
        lambda r: rules.start_review(r, SECRETARIAT, REVIEW_STARTS, REVIEWERS, REVIEW_DEADLINE),
        lambda r: rules.close_review(r, REVIEW_ENDS, NO_OBJECTION_DEADLINE, R.ABSTAIN),
        lambda r: rules.close_no_objection(r, PERIOD_ENDS, "plenary-2028"),
        lambda r: rules.record_plenary_decision(
            r, CHAIR, PLENARY_DAY, PlenaryDecision.REJECT, "", "plenary-2028"
        ),
    )
    record = transitions[-1].record
    assert states(record)[-2:] == [S.PROVISIONALLY_ADMITTED, S.REJECTED]
    changes = [t.member_change.kind for t in transitions if t.member_change is not None]
    assert changes == [MemberChangeKind.ADMIT_ENGAGED, MemberChangeKind.NOT_RATIFIED]


def test_path_full_membership_admitted() -> None:
    transitions = walk(
        full_request(),
        lambda r: rules.start_review(r, SECRETARIAT, REVIEW_STARTS, REVIEWERS, REVIEW_DEADLINE),
        lambda r: rules.recommend(r, SC_ANA, RECOMMENDED, R.SUPPORT, ""),
        lambda r: rules.recommend(r, SC_BEN, RECOMMENDED, R.SUPPORT, ""),
        lambda r: rules.recommend(r, SC_CLEO, RECOMMENDED, R.SUPPORT, ""),
        lambda r: rules.close_review(r, RECOMMENDED, None, R.ABSTAIN),
        lambda r: rules.record_plenary_decision(
            r, SECRETARIAT, PLENARY_DAY, PlenaryDecision.ADMIT, "", "plenary-2027"
        ),
    )
    record = transitions[-1].record
    assert states(record) == [S.COMPLETE, S.UNDER_REVIEW, S.AWAITING_PLENARY, S.ADMITTED]
    changes = [t.member_change.kind for t in transitions if t.member_change is not None]
    assert changes == [MemberChangeKind.BECOME_FULL]
    assert record.member == "gov-yssel"


def test_mark_done_remembers_a_handled_event_without_a_new_version() -> None:
    record = admission()
    done = rules.mark_done(record, "window-due")
    assert done.done == frozenset({"window-due"})
    assert done.version == record.version
    assert done.history == record.history


def test_silence_counts_only_for_reviewers_still_on_the_committee() -> None:
    record = all_recommend(under_review(), R.SUPPORT)
    transition = rules.close_review(
        record, REVIEW_ENDS, NO_OBJECTION_DEADLINE, R.OBJECT, frozenset({"sc-ana", "sc-cleo"})
    )
    assert [(r.person, r.recommendation, r.silent) for r in transition.record.recommendations] == [
        ("sc-ana", R.SUPPORT, False),
        ("sc-cleo", R.OBJECT, True),
    ]
    assert transition.note == "1 support, 1 object; no answer from sc-cleo"
    left = rules.close_review(record, REVIEW_ENDS, NO_OBJECTION_DEADLINE, R.OBJECT, frozenset())
    assert left.record.state is S.NO_OBJECTION_PERIOD
    assert left.note == "1 support"
