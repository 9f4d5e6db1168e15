"""Reviewers' work on My work: an application's recommendation only for a reviewer who still
sits on the Committee, and a report's review for as long as it is owed.

Found by a review: a member of the Steering Committee taken off it during a review still found
"Recommend on ...'s application" with its form on My work (the API refused the page with 404).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.model import Person, Role
from governance.reports.cycle import Report, ReportKind, Review
from governance.rulebook.model import Rulebook
from govsched.http.web.auth import Viewer
from govsched.http.web.work import _application_items, _report_items
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.services.applications import actor_for
from tests.governance.applications.application_cast import SC_ANA, under_review
from tests.web.conftest import FOCAL_POINT, Site


def _titles(roles: frozenset[Role]) -> list[str]:
    actor = SC_ANA.model_copy(update={"roles": roles})
    person = Person(
        id=actor.person, name="Ana", email="ana@norland.example", member=actor.member, roles=roles
    )
    viewer = Viewer(person=person, actor=actor, csrf="x")
    return [item.title for item in _application_items([under_review()], viewer)]


def test_a_reviewer_on_the_committee_is_asked_to_recommend() -> None:
    assert _titles(frozenset({Role.STEERING_COMMITTEE})) == [
        "Recommend on Ember Energy's application"
    ]


def test_a_reviewer_taken_off_the_committee_is_asked_nothing() -> None:
    assert _titles(frozenset({Role.FOCAL_POINT})) == []


def test_a_review_still_owed_after_its_cycle_closed_stays_on_my_work(site: Site) -> None:
    """Found by a review: a focal point's overdue review of the last cycle, which its form still
    took, was missing from My work (which listed open cycles only), and named the reported
    member by its id."""
    at = datetime(2026, 2, 1, 14, tzinfo=UTC)
    with site.db.writing() as session:
        report_repo.save_report(
            session,
            Report(
                year=2026,
                member="gov-estavia",
                kind=ReportKind.FULL,
                url="https://reports.example/estavia-2026.pdf",
                submitted_at=at,
                submitted_by="fp-gov-estavia",
            ),
        )
        report_repo.add_reviews(
            session,
            [
                Review(
                    year=2026,
                    report_of="gov-estavia",
                    reviewer="gov-lusmark",
                    reason="government reviews government",
                    assigned_at=at,
                )
            ],
        )
        person = registry_repo.get_person(session, FOCAL_POINT)
    assert person is not None
    viewer = Viewer(person=person, actor=actor_for(site.db, FOCAL_POINT), csrf="x")

    def reviews_on(day: date) -> list[str]:
        items = _report_items(site.db, viewer, Rulebook(), day)
        return [i.title for i in items if i.kind == "review"]

    # the 2026 plenary ended on 20 March 2026; its cycle is closed by June
    assert reviews_on(date(2026, 6, 1)) == ["Review Government of Estavia's 2026 report"]
    assert reviews_on(date(2027, 6, 1)) == []
