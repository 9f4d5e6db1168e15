"""The workspace of a focal point whose member withdrew: the review pages of the reports it
was assigned are gone (404, as for any review it never had), its report grid no longer lists
them, and its own report page stays (found by a review, 8 December 2026, fifteenth session)."""

from __future__ import annotations

from datetime import UTC, datetime

from governance.kernel.model import MemberStatus, Role
from governance.registry.changes import audit_entry
from governance.registry.member_status import ChangeMemberStatus
from governance.reports.cycle import Review, SubmitReview, submit_review
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.registry import decide
from govsched.persistence.repos import reports as report_repo
from tests.web.conftest import FOCAL_POINT, Site

MEMBER = "gov-lusmark"  # FOCAL_POINT's
ASSIGNED = datetime(2026, 4, 1, tzinfo=UTC)
PAGE = "/web/reports/2026/reviews/{of}?reviewer=gov-lusmark"


def test_a_focal_point_of_a_member_that_left_opens_no_review_of_another_member(
    site: Site,
) -> None:
    with site.db.writing() as session:
        taken = {r.report_of for r in report_repo.reviews(session, 2026) if r.reviewer == MEMBER}
        given = [m for m in ("co-basalt-energy", "ngo-civic-space-trust") if m not in taken]
        report_repo.add_reviews(
            session,
            [
                Review(
                    year=2026, report_of=of, reviewer=MEMBER, reason="paired", assigned_at=ASSIGNED
                )
                for of in given
            ],
        )
        sent = submit_review(
            SubmitReview(
                year=2026,
                report_of=given[0],
                reviewer=MEMBER,
                by=FOCAL_POINT,
                url="https://lusmark.example/review",
            ),
            datetime(2026, 4, 20, tzinfo=UTC),
            report_repo.get_review(session, 2026, given[0], MEMBER),
            frozenset({Role.FOCAL_POINT}),
            MEMBER,
        )
        report_repo.record_review(session, sent)
    client = site.client(FOCAL_POINT)
    for of in given:
        assert client.get(PAGE.format(of=of)).status_code == 200
    # the one still to write is offered from the grid
    assert PAGE.format(of=given[-1]) in client.get("/web/reports?year=2026").text

    left = ChangeMemberStatus(member=MEMBER, status=MemberStatus.WITHDRAWN, decision="left")
    at = datetime.now(UTC)
    with site.db.writing() as session:
        effects = decide(session, left, at, Rulebook())
        store_effects(session, effects, audit_entry(effects, "left", at, "sec", ""), at)

    for of in given:  # the one it sent, and the one taken back from it
        assert client.get(PAGE.format(of=of)).status_code == 404
    grid = client.get("/web/reports?year=2026").text
    assert "/web/reports/2026/reviews/" not in grid
    assert client.get(f"/web/reports/2026/report?member={given[0]}").status_code == 404
