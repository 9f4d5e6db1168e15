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
from governance.kernel.model import MemberStatus, Role
from governance.rulebook.model import Recommendation
from tests.governance.applications.application_cast import (
    CHAIR,
    CHECKED,
    ENGAGED_FP,
    FULL_FP,
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


@pytest.mark.parametrize("viewer", ["chair", "engaged_focal_point", "outsider", "applicant"])
@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
def test_others_know_of_an_admission_only_once_it_is_announced(
    viewer: str, state: ApplicationState
) -> None:
    assert may_see(ADMISSION_IN[state](), OTHERS[viewer]) is (state in ANNOUNCED)


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
def test_a_full_members_focal_point_sees_the_no_objection_period_and_announcements(
    state: ApplicationState,
) -> None:
    expected = state in ANNOUNCED or state is S.NO_OBJECTION_PERIOD
    assert may_see(ADMISSION_IN[state](), FULL_FP) is expected


def test_outsiders_cannot_see_an_application_under_review() -> None:
    record = under_review()
    assert not may_see(record, OUTSIDER)
    assert not may_see(record, FULL_FP)


def test_a_full_member_without_the_focal_point_role_cannot_see_the_no_objection_period() -> None:
    staff = Actor(person="norland-staff", member="gov-norland", member_status=MemberStatus.FULL)
    assert not may_see(in_no_objection_period(), staff)


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
def test_a_member_sees_its_own_request_for_full_membership(
    make: Callable[[], ApplicationRecord],
) -> None:
    record = make()
    assert record.kind is ApplicationKind.FULL_MEMBERSHIP
    assert entitled(record, ENGAGED_FP)
    assert may_see(record, ENGAGED_FP)
    assert not entitled(record, FULL_FP)
    assert not may_see(record, FULL_FP)
    assert not may_see(record, OUTSIDER)


def test_someone_of_the_member_without_a_role_also_sees_its_request() -> None:
    colleague = Actor(person="yssel-staff", member="gov-yssel", member_status=MemberStatus.ENGAGED)
    assert entitled(full_request(), colleague)


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


def test_the_summary_gives_the_next_deadline_to_those_entitled() -> None:
    record = under_review()
    seen = summary(record, SC_ANA)
    assert seen == ApplicationSummary(
        id="app-ember",
        kind=ApplicationKind.ADMISSION,
        organisation="Ember Energy",
        pillar="company",
        country="Yssel",
        state=S.UNDER_REVIEW,
        window=date(2027, 3, 31),
        decided_at=None,
        next_deadline=date(2027, 5, 17),
    )


def test_the_summary_hides_the_next_deadline_from_those_not_entitled() -> None:
    record = in_no_objection_period()
    assert summary(record, SECRETARIAT).next_deadline == date(2027, 6, 1)
    for viewer in (FULL_FP, OUTSIDER, CHAIR):
        seen = summary(record, viewer)
        assert seen.next_deadline is None
        assert (seen.id, seen.state, seen.organisation) == (
            "app-ember",
            S.NO_OBJECTION_PERIOD,
            "Ember Energy",
        )


def test_a_member_sees_the_deadline_on_its_own_request() -> None:
    record = under_review(full_request())
    assert summary(record, ENGAGED_FP).next_deadline == date(2027, 5, 17)
    assert summary(record, FULL_FP).next_deadline is None


def test_the_summary_of_a_decision_gives_its_instant() -> None:
    seen = summary(admitted(), OUTSIDER)
    assert seen.state is S.ADMITTED
    assert seen.decided_at == "2027-06-15T16:00:00+00:00"
    assert seen.next_deadline is None


def test_a_summary_without_a_deadline_has_none_for_anyone() -> None:
    assert summary(complete(), SECRETARIAT).next_deadline is None


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
