"""The group reads its funding request, not the Steering Committee's review of it.

Found by a review: the group's coordinators and its member organisations' people read the
whole request through the API, with who reviews it and each reviewer's recommendation and
comment, as they came in: the group learnt which Committee member objected, while the review
was still open. The Committee decides as one, as on an application (whose applicant reads a
summary) and a concern (whose parties read the Committee's recommendation, not who recorded it).
The Secretariat and the Committee still read the whole record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from governance.groups.funding import FundingRequest, FundingState
from governance.groups.plan_requests import (
    CheckGroupFunding,
    PlanRequest,
    RecommendGroupFunding,
    ReportGroupFundingUse,
    RequestGroupFunding,
    StartGroupPlan,
)
from governance.kernel.model import Person
from governance.rulebook.model import Recommendation, Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import group_plans as plans
from tests.api.conftest import seeded_database
from tests.group_builders import ghana_group

SECRETARIAT = "sec-amina-okafor"
# a focal point with no Committee role, and one of a member organisation of the group
COORDINATOR = "fp-co-aurum-energy"
MEMBER_PERSON = "fp-co-basalt-mining"
COMMITTEE = "fp-gov-norland"
AT = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
RULEBOOK = Rulebook()


def _record(db: Database, step: PlanRequest) -> FundingRequest:
    outcome = plans.record(db, step, AT, RULEBOOK)
    assert isinstance(outcome, FundingRequest)
    return outcome


def _person(db: Database, person_id: str) -> Person:
    with db.reading() as session:
        person = registry_repo.get_person(session, person_id)
    assert person is not None
    return person


def _under_review(db: Database) -> None:
    with db.writing() as session:
        group_repo.save_group(
            session,
            ghana_group(
                member_ids=frozenset({"co-basalt-mining"}),
                coordinators=frozenset({COORDINATOR}),
            ),
        )
    plans.record(db, StartGroupPlan(by=COORDINATOR, group="ghana", year=2027), AT, RULEBOOK)
    ask = RequestGroupFunding(
        by=COORDINATOR,
        group="ghana",
        id="fr-ghana",
        year=2027,
        amount="5200.75",
        currency="USD",
        purpose="A training in Tarkwa.",
    )
    _record(db, ask)
    _record(db, CheckGroupFunding(by=SECRETARIAT, request="fr-ghana", complete=True))
    support = RecommendGroupFunding(
        by=COMMITTEE, request="fr-ghana", recommendation=Recommendation.SUPPORT, comment="Clear."
    )
    _record(db, support)


def test_the_group_reads_its_request_without_who_recommended_what(tmp_path: Path) -> None:
    _, db = seeded_database(tmp_path)
    _under_review(db)
    for reader in (COORDINATOR, MEMBER_PERSON):
        person = _person(db, reader)
        [listed] = plans.list_requests(db, "ghana", person)
        read = plans.get_request(db, "fr-ghana", person)
        for request in (listed, read):
            assert request.state is FundingState.UNDER_REVIEW
            assert (request.reviewers, request.recommendations) == ((), ())
            assert request.review_due_date is not None
    for whole in (SECRETARIAT, COMMITTEE):
        request = plans.get_request(db, "fr-ghana", _person(db, whole))
        assert COMMITTEE in request.reviewers
        assert [r.person for r in request.recommendations] == [COMMITTEE]

    reviewers = plans.get_request(db, "fr-ghana", _person(db, SECRETARIAT)).reviewers
    for reviewer in reviewers:
        if reviewer != COMMITTEE:
            support = Recommendation.SUPPORT
            _record(
                db, RecommendGroupFunding(by=reviewer, request="fr-ghana", recommendation=support)
            )
    # a step's answer to a coordinator is read the same way
    use = ReportGroupFundingUse(
        by=COORDINATOR, request="fr-ghana", spent="5000.00", currency="USD", report="Held."
    )
    answered = _record(db, use)
    assert answered.state is FundingState.USE_REPORTED
    assert (answered.reviewers, answered.recommendations) == ((), ())
