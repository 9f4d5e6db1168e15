"""A member that withdraws or is expelled keeps its focal points, who go on reading what is about
their own member (its report, the reviews of it: the feedback it is still owed), and read
nothing of another member's any more: not the report they were assigned to review, not their
review of it, not its indicator values; nor may they comment on them (found by a review,
8 December 2026, fifteenth session). An Inactive member's focal points read as before."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.kernel.errors import Forbidden, InvalidInput
from governance.kernel.model import MemberStatus, Person, Pillar, Role
from governance.registry.changes import (
    AddMember,
    RegistryCommand,
    SchedulePlenary,
    audit_entry,
)
from governance.registry.member_status import ChangeMemberStatus
from governance.reports.cycle import Report, ReportKind, Review, SubmitReview, submit_review
from governance.reports.indicators.submission import CommentIndicator
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.registry import decide, seed
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.services.indicators import IndicatorService
from govsched.services.reports import cycle_view
from tests.helpers import focal_point_of

RULEBOOK = Rulebook()
AT = datetime(2027, 5, 10, 15, tzinfo=UTC)
LEFT = datetime(2027, 5, 12, 15, tzinfo=UTC)
MEMBERS = {"co-a": Pillar.COMPANY, "gov-b": Pillar.GOVERNMENT, "ngo-c": Pillar.NGO}


def _registry() -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(year=2027, starts=date(2027, 6, 8), ends=date(2027, 6, 9), location="Oslo")
    ]
    for member, pillar in MEMBERS.items():
        commands += [
            AddMember(
                id=member, name=member, pillar=pillar, country=member, joined=date(2015, 1, 1)
            ),
            focal_point_of(member),
        ]
    return commands


def _cycle(db: Database) -> None:
    """gov-b reviewed co-a's report (its review in), and co-a reviews gov-b's (in too)."""
    with db.writing() as session:
        seed(session, _registry(), datetime(2026, 12, 1, tzinfo=UTC), RULEBOOK)
        for member in MEMBERS:
            report_repo.save_report(
                session,
                Report(
                    year=2027,
                    member=member,
                    kind=ReportKind.UPDATE,
                    url=f"https://{member}.example/report",
                    submitted_at=datetime(2027, 4, 1, tzinfo=UTC),
                    submitted_by=f"fp-{member}",
                ),
            )
        pairs = [("co-a", "gov-b"), ("gov-b", "co-a")]
        report_repo.add_reviews(
            session,
            [
                Review(year=2027, report_of=of, reviewer=by, reason="paired", assigned_at=AT)
                for of, by in pairs
            ],
        )
        for of, by in pairs:
            done = submit_review(
                SubmitReview(
                    year=2027, report_of=of, reviewer=by, by=f"fp-{by}", url=f"https://{by}.ex/r"
                ),
                AT,
                report_repo.get_review(session, 2027, of, by),
                frozenset({Role.FOCAL_POINT}),
                by,
            )
            report_repo.record_review(session, done)


def _change(db: Database, status: MemberStatus) -> None:
    command = ChangeMemberStatus(member="gov-b", status=status, decision="plenary decision")
    with db.writing() as session:
        effects = decide(session, command, LEFT, RULEBOOK)
        store_effects(session, effects, audit_entry(effects, "change", LEFT, "sec", ""), LEFT)


def _focal_point(db: Database) -> Person:
    with db.reading() as session:
        person = registry_repo.get_person(session, "fp-gov-b")
    assert person is not None
    return person


def _comment() -> CommentIndicator:
    return CommentIndicator(
        year=2027,
        report_of="co-a",
        reviewer="gov-b",
        by="fp-gov-b",
        key="risk_assessments",
        text="Which sites?",
    )


@pytest.mark.parametrize("status", [MemberStatus.WITHDRAWN, MemberStatus.EXPELLED])
def test_a_member_that_left_reads_its_own_records_and_nothing_of_the_report_it_reviewed(
    sqlite_db: Database, status: MemberStatus
) -> None:
    _cycle(sqlite_db)
    indicators = IndicatorService(sqlite_db, RULEBOOK)
    before = cycle_view(sqlite_db, 2027, _focal_point(sqlite_db), LEFT, RULEBOOK)
    assert sorted(r.member for r in before.reports) == ["co-a", "gov-b"]
    assert indicators.view(2027, "co-a", _focal_point(sqlite_db)).member == "co-a"

    _change(sqlite_db, status)

    person = _focal_point(sqlite_db)
    after = cycle_view(sqlite_db, 2027, person, LEFT, RULEBOOK)
    # its own report and co-a's review of it: the feedback it is owed
    assert [r.member for r in after.reports] == ["gov-b"]
    assert [(r.report_of, r.reviewer) for r in after.reviews] == [("gov-b", "co-a")]
    with pytest.raises(Forbidden):
        indicators.view(2027, "co-a", person)
    assert indicators.view(2027, "gov-b", person).member == "gov-b"
    with pytest.raises(InvalidInput) as refused:
        indicators.comment(_comment(), LEFT)
    assert [p.path for p in refused.value.problems] == ["reviewer"]


def test_an_inactive_member_reads_the_report_it_reviews_as_before(sqlite_db: Database) -> None:
    _cycle(sqlite_db)
    _change(sqlite_db, MemberStatus.INACTIVE)
    person = _focal_point(sqlite_db)
    view = cycle_view(sqlite_db, 2027, person, LEFT, RULEBOOK)
    assert sorted(r.member for r in view.reports) == ["co-a", "gov-b"]
    assert sorted((r.report_of, r.reviewer) for r in view.reviews) == [
        ("co-a", "gov-b"),
        ("gov-b", "co-a"),
    ]
    assert IndicatorService(sqlite_db, RULEBOOK).view(2027, "co-a", person).member == "co-a"
    assert IndicatorService(sqlite_db, RULEBOOK).comment(_comment(), LEFT).key == "risk_assessments"
