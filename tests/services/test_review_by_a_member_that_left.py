"""A member expelled or withdrawn after its assignment no longer reviews: the service reads the
reviewing member's status now, refuses its review naming `reviewer`, and records nothing, so
nothing reaches the reported member (found by a review, 8 December 2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

import pytest

from governance.kernel.errors import InvalidInput
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SchedulePlenary
from governance.reports.cycle import Review, SubmitReview
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import reports as report_repo
from govsched.services.reports import ReportService

ASSIGNED = datetime(2027, 4, 25, 4, tzinfo=UTC)


def _registry(status: MemberStatus) -> list[RegistryCommand]:
    return [
        SchedulePlenary(year=2027, starts=date(2027, 6, 8), ends=date(2027, 6, 9), location="Oslo"),
        AddMember(id="co-a", name="A", pillar=Pillar.COMPANY, country="A", joined=date(2015, 1, 1)),
        AddMember(
            id="gov-b",
            name="B",
            pillar=Pillar.GOVERNMENT,
            country="B",
            joined=date(2015, 1, 1),
            status=status,
            decision="plenary decision",
        ),
        AddPerson(
            id="fp-gov-b", name="B", email="b@example.org", member="gov-b", roles=[Role.FOCAL_POINT]
        ),
    ]


@pytest.mark.parametrize("status", [MemberStatus.EXPELLED, MemberStatus.WITHDRAWN])
async def test_a_member_that_left_since_its_assignment_has_its_review_refused(
    sqlite_db: Database, status: MemberStatus
) -> None:
    with sqlite_db.writing() as session:
        seed(session, _registry(status), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
        review = Review(
            year=2027, report_of="co-a", reviewer="gov-b", reason="paired", assigned_at=ASSIGNED
        )
        report_repo.add_reviews(session, [review])
    # refused before the cycle would be told: no workflow service is needed
    service = ReportService(cast(Any, None), sqlite_db, Rulebook(), task_queue="")
    cmd = SubmitReview(
        year=2027, report_of="co-a", reviewer="gov-b", by="fp-gov-b", url="https://b.example/r"
    )
    with pytest.raises(InvalidInput) as refused:
        await service.submit_review(cmd, datetime(2027, 5, 1, tzinfo=UTC))
    assert [p.path for p in refused.value.problems] == ["reviewer"]
    with sqlite_db.reading() as session:
        kept = report_repo.get_review(session, 2027, "co-a", "gov-b")
    assert kept is not None
    assert kept.submitted_at is None
