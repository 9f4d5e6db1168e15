"""A member's report, the reviews of it and those it owes are read by its focal points while
they hold the role: the registry keeps a person's member when the Secretariat takes its roles
away, and what the role gave stops at once (found by a review, 8 December 2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.model import Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SchedulePlenary
from governance.reports.cycle import MissedReport, Report, ReportKind, Review
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.services.reports import cycle_view

AT = datetime(2027, 4, 10, 15, tzinfo=UTC)


def _registry() -> list[RegistryCommand]:
    members = [
        AddMember(id=m, name=m, pillar=pillar, country=m, joined=date(2015, 1, 1))
        for m, pillar in (("co-a", Pillar.COMPANY), ("gov-b", Pillar.GOVERNMENT))
    ]
    return [
        SchedulePlenary(year=2027, starts=date(2027, 6, 8), ends=date(2027, 6, 9), location="Oslo"),
        *members,
        AddPerson(id="fp-co-a", name="A", email="a@example.org", member="co-a", roles=[]),
        AddPerson(
            id="fp-gov-b", name="B", email="b@example.org", member="gov-b", roles=[Role.FOCAL_POINT]
        ),
    ]


def _cycle(db: Database) -> None:
    with db.writing() as session:
        seed(session, _registry(), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
        for member in ("co-a", "gov-b"):
            report_repo.save_report(
                session,
                Report(
                    year=2027,
                    member=member,
                    kind=ReportKind.UPDATE,
                    url=f"https://{member}.example/report",
                    submitted_at=AT,
                    submitted_by=f"fp-{member}",
                ),
            )
        report_repo.add_reviews(
            session,
            [
                Review(year=2027, report_of=of, reviewer=by, reason="paired", assigned_at=AT)
                for of, by in (("co-a", "gov-b"), ("gov-b", "co-a"))
            ],
        )
        report_repo.save_missed(
            session,
            [MissedReport(year=2027, member="co-a", missed_in_a_row=1, escalation=None, at=AT)],
        )


def test_a_person_whose_focal_point_role_was_taken_away_reads_nothing_of_its_member(
    sqlite_db: Database,
) -> None:
    _cycle(sqlite_db)
    with sqlite_db.reading() as session:
        former = registry_repo.get_person(session, "fp-co-a")
        focal = registry_repo.get_person(session, "fp-gov-b")
    assert former is not None
    assert focal is not None
    gone = cycle_view(sqlite_db, 2027, former, AT, Rulebook())
    assert (gone.reports, gone.reviews, gone.escalations) == ([], [], [])
    # a focal point still reads its member's report, the one it reviews, and both reviews
    kept = cycle_view(sqlite_db, 2027, focal, AT, Rulebook())
    assert sorted(r.member for r in kept.reports) == ["co-a", "gov-b"]
    assert sorted((r.report_of, r.reviewer) for r in kept.reviews) == [
        ("co-a", "gov-b"),
        ("gov-b", "co-a"),
    ]
