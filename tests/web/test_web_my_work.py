"""My work grouped by when (overdue, this week, later), filterable by kind, with counts."""

from __future__ import annotations

import re
from datetime import date, timedelta

from govsched.http.web.work_groups import grouped, kind_counts
from govsched.http.web.work_item import WorkItem
from tests.web.conftest import CHAIR, SECRETARIAT, Site
from tests.web.html_checks import text

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
