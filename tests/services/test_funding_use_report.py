"""The report on the use of approved funds may say nothing was spent.

Found by a review: the amount spent was checked as a request's amount, "more than zero", so a
group whose training was called off could never report: the request stayed approved, was
reminded and flagged overdue for ever. Zero is taken; a negative amount is refused beside
`spent.amount`, and so is more places than the currency counts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from governance.groups.funding import FundingRequest, FundingState
from governance.groups.plan_requests import (
    CheckGroupFunding,
    PlanRequest,
    RecommendGroupFunding,
    ReportGroupFundingUse,
    RequestGroupFunding,
    StartGroupPlan,
)
from governance.kernel.errors import InvalidInput
from governance.rulebook.model import Recommendation, Rulebook
from govsched.persistence.db import Database
from govsched.persistence.repos import groups as group_repo
from govsched.services import group_plans as plans
from tests.api.conftest import seeded_database
from tests.group_builders import ghana_group

SECRETARIAT = "sec-amina-okafor"
COORDINATOR = "fp-co-aurum-mining"
AT = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
RULEBOOK = Rulebook()


def _record(db: Database, step: PlanRequest) -> FundingRequest:
    outcome = plans.record(db, step, AT, RULEBOOK)
    assert isinstance(outcome, FundingRequest)
    return outcome


def _approved(db: Database) -> FundingRequest:
    with db.writing() as session:
        group_repo.save_group(
            session,
            ghana_group(
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
    review = _record(db, CheckGroupFunding(by=SECRETARIAT, request="fr-ghana", complete=True))
    for reviewer in review.reviewers:
        support = Recommendation.SUPPORT
        step = RecommendGroupFunding(by=reviewer, request="fr-ghana", recommendation=support)
        decided = _record(db, step)
    assert decided.state is FundingState.APPROVED
    return decided


def _use(spent: str) -> ReportGroupFundingUse:
    report = "The training was called off; nothing was spent."
    return ReportGroupFundingUse(
        by=COORDINATOR, request="fr-ghana", spent=spent, currency="USD", report=report
    )


def test_nothing_spent_is_a_report_and_less_than_nothing_is_refused(tmp_path: Path) -> None:
    _, db = seeded_database(tmp_path)
    _approved(db)
    for wrong, reason in (("-1.00", "must be zero or more"), ("0.001", "decimal places")):
        with pytest.raises(InvalidInput) as refused:
            _record(db, _use(wrong))
        assert [p.path for p in refused.value.problems] == ["spent.amount"]
        assert reason in refused.value.problems[0].reason
    reported = _record(db, _use("0.00"))
    assert reported.state is FundingState.USE_REPORTED
    assert reported.use_report is not None
    assert reported.use_report.spent.amount == Decimal("0.00")
