"""My work grouped by when (overdue, this week, later), filterable by kind, with counts; a
funding request's next step in the work of whoever takes it, with its date."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from governance.groups.funding import FundingRecommendation, FundingRequest, FundingState
from governance.groups.model import Exploration, Group, GroupStatus
from governance.groups.money import Money
from governance.groups.plans import Plan
from governance.rulebook.model import Recommendation
from govsched.http.web.work_groups import grouped, kind_counts
from govsched.http.web.work_item import WorkItem
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from tests.today import now, today
from tests.web.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, STEERING_COMMITTEE, Site
from tests.web.html_checks import text, unlabelled

TODAY = date(2027, 3, 5)  # a Friday


def _item(title: str, due: date | None, kind: str = "report") -> WorkItem:
    return WorkItem(due, title, "", "/web/reports", (), kind)


def test_work_falls_into_overdue_this_week_and_later_each_soonest_first() -> None:
    items = [
        _item("later, no deadline", None),
        _item("due in seven days", TODAY + timedelta(days=7)),
        _item("due Monday", TODAY + timedelta(days=3)),
        _item("due today", TODAY),
        _item("overdue since yesterday", TODAY - timedelta(days=1)),
        _item("overdue for a month", TODAY - timedelta(days=30)),
        _item("due in six days", TODAY + timedelta(days=6)),
    ]
    groups = {g.key: [i.title for i in g.items] for g in grouped(items, TODAY)}
    assert groups == {
        "overdue": ["overdue for a month", "overdue since yesterday"],
        # the seven days from today: Monday's deadline is this week's work on a Friday
        "week": ["due today", "due Monday", "due in six days"],
        "later": ["due in seven days", "later, no deadline"],
    }
    assert grouped(items, TODAY)[1].heading == "This week, to 11 March 2027"


def test_kinds_are_counted_in_a_fixed_order() -> None:
    items = [
        _item("a", TODAY, "review"),
        _item("b", TODAY, "application"),
        _item("c", TODAY, "review"),
        _item("d", TODAY, "handover"),
    ]
    assert kind_counts(items) == [
        ("application", "Applications", 1),
        ("review", "Reviews", 2),
        ("handover", "Chair handover", 1),
    ]


def _count_in(html: str, heading_id: str) -> int:
    found = re.search(rf'<h2 id="{heading_id}">.*?\((\d+)\)', html, re.S)
    assert found, heading_id
    return int(found.group(1))


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="card[^"]*">\s*<h3><a href="[^"]*">([^<]*)</a>', html)


def test_the_page_shows_the_groups_with_their_counts(site: Site) -> None:
    html = site.client(CHAIR).get("/web/my-work").text
    cards = _cards(html)
    assert cards, "the demo's Chair has handover work"
    counts = [_count_in(html, f"group-{g}") for g in ("overdue", "week", "later")]
    assert sum(counts) == len(cards)
    words = text(html)
    assert f"All ({len(cards)})" in words
    assert re.search(r"Chair handover \(\d+\)", words)


def test_filtering_by_kind_keeps_only_that_kind(site: Site) -> None:
    client = site.client(CHAIR)
    everything = client.get("/web/my-work").text
    handover = client.get("/web/my-work", params={"kind": "handover"})
    assert handover.status_code == 200
    shown = _cards(handover.text)
    assert shown
    assert set(shown) <= set(_cards(everything))
    assert all(
        "handover" in link
        for link in re.findall(r'<li class="card[^"]*">\s*<h3><a href="([^"]*)"', handover.text)
    )
    assert 'href="/web/my-work?kind=handover" aria-current="page"' in handover.text
    assert "Showing chair handover" in text(handover.text)


def test_a_kind_nobody_has_is_refused_by_name_and_all_work_shown(site: Site) -> None:
    client = site.client(SECRETARIAT)
    response = client.get("/web/my-work", params={"kind": "gossip"})
    assert response.status_code == 422
    assert "kind: 'gossip' is not a kind of work" in text(response.text)
    assert _cards(response.text) == _cards(client.get("/web/my-work").text)


def _funding_group(site: Site) -> None:
    """A group coordinated by FOCAL_POINT with a request waiting at each step (and one
    declined, which waits on nobody); written straight to the database: My work only reads."""
    at = now()
    # the initiative's day, as My work reckons what is overdue (not UTC's: they differ for
    # hours every night)
    day = today(site.app.state.govsched.rulebook)
    asked = FundingRequest(
        id="wk-sent",
        group_id="work-ghana",
        year=day.year,
        amount=Money(amount=Decimal("900.00"), currency="USD"),
        purpose="A field visit.",
        requested_by=FOCAL_POINT,
        requested_at=at - timedelta(days=2),
    )
    with site.db.writing() as session:
        group_repo.save_group(
            session,
            Group(
                id="work-ghana",
                name="Tarkwa group",
                country="GH",
                timezone="Africa/Accra",
                status=GroupStatus.ACTIVE,
                exploration=Exploration(demand="Asked.", support="Backed.", recorded_on=day),
                coordinators=frozenset({FOCAL_POINT}),
            ),
        )
        plan_repo.save_plan(session, Plan(group_id="work-ghana", year=day.year, created_at=at))
        for request in (
            asked,
            asked.model_copy(
                update={
                    "id": "wk-review",
                    "state": FundingState.UNDER_REVIEW,
                    "reviewers": (CHAIR, STEERING_COMMITTEE),
                    "review_due_date": day + timedelta(days=3),
                    "review_due": at + timedelta(days=3),
                    "recommendations": (
                        FundingRecommendation(
                            person=CHAIR, recommendation=Recommendation.SUPPORT, at=at
                        ),
                    ),
                }
            ),
            asked.model_copy(
                update={"id": "wk-returned", "state": FundingState.RETURNED, "missing": "Costs."}
            ),
            asked.model_copy(
                update={
                    "id": "wk-approved",
                    "state": FundingState.APPROVED,
                    "report_due": day - timedelta(days=1),
                }
            ),
            asked.model_copy(update={"id": "wk-declined", "state": FundingState.DECLINED}),
        ):
            plan_repo.save_request(session, request)


def test_funding_requests_wait_in_the_work_of_whoever_takes_the_next_step(site: Site) -> None:
    _funding_group(site)
    day = today(site.app.state.govsched.rulebook)

    def funding(person: str) -> dict[str, list[str]]:
        html = site.client(person).get("/web/my-work", params={"kind": "funding"}).text
        return {
            g: re.findall(
                r'<li class="card[^"]*">\s*<h3><a href="[^"]*">([^<]*)</a>',
                html.split(f'id="group-{g}"')[1].split("</section>")[0],
            )
            for g in ("overdue", "week", "later")
        }

    assert funding(SECRETARIAT) == {
        "overdue": [],
        "week": [],
        "later": ["Check Tarkwa group&#39;s funding request wk-sent for completeness"],
    }
    assert funding(STEERING_COMMITTEE) == {
        "overdue": [],
        "week": ["Recommend on Tarkwa group&#39;s funding request wk-review"],
        "later": [],
    }
    # the Chair has recommended already: nothing waits on them
    assert funding(CHAIR) == {"overdue": [], "week": [], "later": []}
    assert funding(FOCAL_POINT) == {
        "overdue": ["Report on the use of Tarkwa group&#39;s funds from request wk-approved"],
        "week": [],
        "later": ["Complete Tarkwa group&#39;s returned funding request wk-returned"],
    }
    coordinator = site.client(FOCAL_POINT).get("/web/my-work").text
    assert unlabelled(coordinator) == []
    assert f'datetime="{day - timedelta(days=1)}"' in coordinator
    assert 'id="funding-report-wk-approved"' in coordinator
    assert "Missing: Costs." in text(coordinator)
    reviewer = site.client(STEERING_COMMITTEE).get("/web/my-work").text
    assert f'datetime="{day + timedelta(days=3)}"' in reviewer
    assert 'id="funding-recommend-wk-review"' in reviewer
