"""Who may read what of an application."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from governance.applications import rules
from governance.applications.access import ApplicationSummary, entitled, may_see, summary
from governance.applications.model import (
    APPLICANT,
    ApplicationKind,
    ApplicationRecord,
    ApplicationState,
    PlenaryDecision,
)
from governance.kernel.actor import Actor
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.rulebook.model import Labels, Recommendation
from tests.governance.applications.application_cast import (
    CHAIR,
    CHECKED,
    ENGAGED_FP,
    FULL_FP,
    OBSERVER_FP,
    OUTSIDER,
    PLENARY_DAY,
    REVIEW_ENDS,
    SC_ANA,
    SECRETARIAT,
    admission,
    awaiting_plenary,
    complete,
    full_request,
    in_no_objection_period,
    information_requested,
    provisionally_admitted,
    under_review,
)

S = ApplicationState


def admitted() -> ApplicationRecord:
    return rules.record_plenary_decision(
        awaiting_plenary(), SECRETARIAT, PLENARY_DAY, PlenaryDecision.ADMIT, "", None
    ).record


def rejected() -> ApplicationRecord:
    return rules.record_plenary_decision(
        awaiting_plenary(), SECRETARIAT, PLENARY_DAY, PlenaryDecision.REJECT, "", None
    ).record


def withdrawn() -> ApplicationRecord:
    return rules.withdraw(admission(), SECRETARIAT, CHECKED).record


def lapsed() -> ApplicationRecord:
    record = information_requested()
    assert record.deadline is not None
    return rules.lapse(record, record.deadline.due).record


ADMISSION_IN: dict[ApplicationState, Callable[[], ApplicationRecord]] = {
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
ALL_STATES = list(ApplicationState)
ANNOUNCED = {S.PROVISIONALLY_ADMITTED, S.ADMITTED}
STAFF = {"secretariat": SECRETARIAT, "steering_committee": SC_ANA}
OTHERS = {
    "chair": CHAIR,
    "full_focal_point": FULL_FP,
    "engaged_focal_point": ENGAGED_FP,
    "outsider": OUTSIDER,
    "applicant": APPLICANT,
}


def test_the_sample_records_are_in_their_states() -> None:
    assert set(ADMISSION_IN) == set(ApplicationState)
    for state, make in ADMISSION_IN.items():
        assert make().state is state


@pytest.mark.parametrize("viewer", sorted(STAFF))
@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
def test_the_secretariat_and_the_steering_committee_see_everything(
    viewer: str, state: ApplicationState
) -> None:
    record = ADMISSION_IN[state]()
    assert entitled(record, STAFF[viewer])
    assert may_see(record, STAFF[viewer])


@pytest.mark.parametrize("viewer", sorted(OTHERS))
@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
def test_anyone_else_is_never_entitled_to_an_organisations_application(
    viewer: str, state: ApplicationState
) -> None:
    assert not entitled(ADMISSION_IN[state](), OTHERS[viewer])


@pytest.mark.parametrize("viewer", ["engaged_focal_point", "outsider", "applicant"])
@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
def test_others_know_of_an_admission_only_once_it_is_announced(
    viewer: str, state: ApplicationState
) -> None:
    assert may_see(ADMISSION_IN[state](), OTHERS[viewer]) is (state in ANNOUNCED)


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
def test_a_voting_members_focal_point_sees_the_no_objection_period_and_announcements(
    state: ApplicationState,
) -> None:
    expected = state in ANNOUNCED or state is S.NO_OBJECTION_PERIOD
    assert may_see(ADMISSION_IN[state](), FULL_FP) is expected


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
def test_an_observers_focal_point_sees_only_announcements(state: ApplicationState) -> None:
    """Observers carry the status `full` but do not vote: no no-objection period for them."""
    assert may_see(ADMISSION_IN[state](), OBSERVER_FP) is (state in ANNOUNCED)


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
def test_the_chair_sees_what_awaits_the_plenarys_decision(state: ApplicationState) -> None:
    expected = state in ANNOUNCED or state is S.AWAITING_PLENARY
    assert may_see(ADMISSION_IN[state](), CHAIR) is expected
    assert not entitled(ADMISSION_IN[state](), CHAIR)


def test_outsiders_cannot_see_an_application_under_review() -> None:
    record = under_review()
    assert not may_see(record, OUTSIDER)
    assert not may_see(record, FULL_FP)


def test_a_full_member_without_the_focal_point_role_cannot_see_the_no_objection_period() -> None:
    staff = Actor(
        person="norland-staff",
        member="gov-norland",
        member_status=MemberStatus.FULL,
        member_pillar=Pillar.GOVERNMENT,
    )
    assert not may_see(in_no_objection_period(), staff)


def test_an_actor_recorded_before_pillars_were_carried_is_judged_on_its_status() -> None:
    """Commands in histories recorded before carry no pillar: they replay as they were."""
    legacy = FULL_FP.model_copy(update={"member_pillar": None})
    assert legacy.objector
    assert not OBSERVER_FP.objector
    assert not ENGAGED_FP.objector


@pytest.mark.parametrize(
    "make",
    [
        full_request,
        lambda: under_review(full_request()),
        lambda: (
            rules.close_review(
                under_review(full_request()), REVIEW_ENDS, None, Recommendation.ABSTAIN
            ).record
        ),
        lambda: rules.withdraw(full_request(), ENGAGED_FP, CHECKED).record,
    ],
)
def test_a_member_follows_its_own_request_for_full_membership_without_the_votes(
    make: Callable[[], ApplicationRecord],
) -> None:
    record = make()
    assert record.kind is ApplicationKind.FULL_MEMBERSHIP
    assert may_see(record, ENGAGED_FP)
    assert not entitled(record, ENGAGED_FP)
    assert not may_see(record, FULL_FP)
    assert not may_see(record, OUTSIDER)


def test_someone_of_the_member_without_a_role_also_follows_its_request() -> None:
    colleague = Actor(person="yssel-staff", member="gov-yssel", member_status=MemberStatus.ENGAGED)
    assert may_see(full_request(), colleague)
    assert not entitled(full_request(), colleague)


def test_a_granted_full_membership_is_seen_by_everyone() -> None:
    record = rules.close_review(
        under_review(full_request()), REVIEW_ENDS, None, Recommendation.ABSTAIN
    ).record
    record = rules.record_plenary_decision(
        record, CHAIR, PLENARY_DAY, PlenaryDecision.ADMIT, "", None
    ).record
    assert may_see(record, OUTSIDER)
    assert not entitled(record, OUTSIDER)


# summaries


def test_the_summary_gives_the_state_the_next_step_and_its_deadline() -> None:
    assert summary(under_review()) == ApplicationSummary(
        id="app-ember",
        kind=ApplicationKind.ADMISSION,
        organisation="Ember Energy",
        pillar="company",
        country="Yssel",
        state=S.UNDER_REVIEW,
        window=date(2027, 3, 31),
        decided_at=None,
        next_deadline=date(2027, 5, 17),
        next_step="The Steering Committee reviews the application by 17 May 2027.",
        outcome=None,
    )


def test_the_next_step_uses_the_rulebooks_names() -> None:
    labels = Labels(steering_committee="VPI Board")
    assert summary(under_review(), labels).next_step == (
        "The VPI Board reviews the application by 17 May 2027."
    )


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
def test_every_open_state_has_a_next_step_and_every_final_one_an_outcome(
    state: ApplicationState,
) -> None:
    seen = summary(ADMISSION_IN[state]())
    final = state in {S.ADMITTED, S.REJECTED, S.WITHDRAWN, S.LAPSED}
    assert (seen.next_step is None) is final
    assert seen.outcome is (state if final else None)


def test_the_summary_of_a_decision_gives_its_instant() -> None:
    seen = summary(admitted())
    assert seen.state is S.ADMITTED
    assert seen.outcome is S.ADMITTED
    assert seen.decided_at == "2027-06-15T16:00:00+00:00"
    assert seen.next_deadline is None


def test_a_summary_without_a_deadline_has_none() -> None:
    assert summary(complete()).next_deadline is None


def test_roles_other_than_staff_do_not_entitle() -> None:
    focal_and_chair = Actor(
        person="chair-fp",
        roles=frozenset({Role.CHAIR, Role.FOCAL_POINT}),
        member="gov-norland",
        member_status=MemberStatus.FULL,
    )
    assert not entitled(under_review(), focal_and_chair)
    assert not may_see(under_review(), focal_and_chair)
    assert may_see(in_no_objection_period(), focal_and_chair)
