"""A group's pages for a coordinator whose member withdrew: the plan page offers no funding
step and shows no request, and My work lists no returned request to complete (the service
refuses the steps: tests/persistence/test_group_funding_after_leaving.py). Found by a review,
8 December 2026, fifteenth session."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.groups.funding import FundingRequest, FundingState
from governance.groups.model import Exploration, Group, GroupStatus
from governance.groups.money import Money
from governance.groups.plans import new_plan
from governance.kernel.model import MemberStatus
from governance.registry.changes import audit_entry
from governance.registry.member_status import ChangeMemberStatus
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.registry import decide
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from tests.web.conftest import FOCAL_POINT, Site

MEMBER = "gov-lusmark"  # FOCAL_POINT's
PLAN = "/web/groups/web-ghana/plans/2027"
AT = datetime(2027, 3, 1, 10, tzinfo=UTC)


def test_a_coordinator_whose_member_left_is_offered_no_funding_step(site: Site) -> None:
    with site.db.writing() as session:
        group = Group(
            id="web-ghana",
            name="Ghana group",
            country="GH",
            timezone="Africa/Accra",
            status=GroupStatus.ACTIVE,
            exploration=Exploration(demand="a", support="b", recorded_on=date(2027, 1, 5)),
            coordinators=frozenset({FOCAL_POINT}),
        )
        group_repo.save_group(session, group)
        plan_repo.save_plan(session, new_plan(group, 2027, AT))
        plan_repo.save_request(
            session,
            FundingRequest(
                id="web-fr-1",
                group_id="web-ghana",
                year=2027,
                amount=Money(amount="100.00", currency="USD"),
                purpose="Two trainings.",
                requested_by=FOCAL_POINT,
                requested_at=AT,
                state=FundingState.RETURNED,
                missing="The venue's quote.",
            ),
        )
    client = site.client(FOCAL_POINT)
    page = client.get(PLAN).text
    assert 'id="funding-request"' in page
    assert "web-fr-1" in page
    assert "funding-complete-web-fr-1" in client.get("/web/my-work").text

    left = ChangeMemberStatus(member=MEMBER, status=MemberStatus.WITHDRAWN, decision="left")
    at = datetime.now(UTC)
    with site.db.writing() as session:
        effects = decide(session, left, at, Rulebook())
        store_effects(session, effects, audit_entry(effects, "left", at, "sec", ""), at)

    page = client.get(PLAN).text
    assert 'id="funding-request"' not in page
    assert "web-fr-1" not in page
    assert "funding-complete-web-fr-1" not in client.get("/web/my-work").text
