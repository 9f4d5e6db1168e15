"""The agenda people keep: moving items, what a version changed, who may edit, and the day
rule for the plenary's decisions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.kernel.errors import Conflict, Forbidden
from governance.kernel.model import Plenary, Role
from governance.year.published_agenda import (
    AgendaItem,
    AgendaVersion,
    DocumentLink,
    PublishedItem,
    announcement,
    changes,
    check_decision_day,
    check_editor,
    check_publishable,
    frozen_items,
    moved,
)

AT = datetime(2027, 5, 1, 9, tzinfo=UTC)
PLENARY = Plenary(
    id="plenary-2027", year=2027, starts=date(2027, 6, 8), ends=date(2027, 6, 10), location="Bern"
)
DOC = DocumentLink(title="Framework", url="https://example.org/framework.pdf")


def _items(*titles: str) -> list[AgendaItem]:
    return [
        AgendaItem(id=n, plenary_id=PLENARY.id, position=n, title=t)
        for n, t in enumerate(titles, start=1)
    ]


def _version(number: int, *items: PublishedItem) -> AgendaVersion:
    return AgendaVersion(
        plenary_id=PLENARY.id, number=number, published_at=AT, published_by="sec", items=items
    )


def test_moving_an_item_up_swaps_it_with_the_one_above_and_closes_gaps() -> None:
    items = [i.model_copy(update={"position": i.position * 10}) for i in _items("a", "b", "c")]
    assert moved(items, 3, "up") == [(1, 1), (3, 2), (2, 3)]


def test_moving_the_first_item_up_leaves_the_order_as_it_is() -> None:
    assert moved(_items("a", "b"), 1, "up") == [(1, 1), (2, 2)]


def test_only_the_secretariat_and_the_chair_edit_the_agenda() -> None:
    check_editor(frozenset({Role.CHAIR}))
    check_editor(frozenset({Role.SECRETARIAT}))
    with pytest.raises(Forbidden):
        check_editor(frozenset({Role.FOCAL_POINT, Role.STEERING_COMMITTEE}))


def test_an_empty_agenda_or_an_unchanged_one_is_not_published() -> None:
    with pytest.raises(Conflict, match="empty agenda"):
        check_publishable([], None)
    items = _items("a")
    with pytest.raises(Conflict, match="nothing changed since version 1"):
        check_publishable(items, _version(1, *frozen_items(items)))


def test_version_2_names_added_removed_moved_renamed_and_documents() -> None:
    a, b, c = (
        PublishedItem(id=n, title=t) for n, t in ((1, "Opening"), (2, "Admissions"), (3, "AOB"))
    )
    first = _version(1, a, b, c)
    second = _version(
        2,
        PublishedItem(id=3, title="Any other business", documents=(DOC,)),
        a,
        PublishedItem(id=4, title="Handover"),
    )
    texts = [c.text for c in changes(first, second)]
    assert texts == [
        "Item 1 renamed from AOB",
        "Any other business moved from item 3 to item 1",
        "Item 1: document added: Framework",
        "Opening moved from item 1 to item 2",
        "Added item 3: Handover",
        "Removed item 2: Admissions",
    ]
    assert changes(None, first) == []


def test_the_notice_of_version_2_lists_its_changes() -> None:
    first = _version(1, PublishedItem(id=1, title="Opening"))
    second = _version(2, PublishedItem(id=1, title="Opening"), PublishedItem(id=2, title="AOB"))
    text = announcement(PLENARY, second, changes(first, second)).english()
    assert "version 2, 2 items" in text
    assert "Changed since version 1: Added item 2: AOB" in text


def test_decisions_are_taken_on_the_plenary_days_and_the_grace_after_only() -> None:
    check_decision_day(PLENARY, date(2027, 6, 8), 7, [PLENARY])
    check_decision_day(PLENARY, date(2027, 6, 17), 7, [PLENARY])
    with pytest.raises(Conflict, match="in session"):
        check_decision_day(PLENARY, date(2027, 6, 7), 7, [PLENARY])
    with pytest.raises(Conflict, match="in session"):
        check_decision_day(PLENARY, date(2027, 6, 18), 7, [PLENARY])


def test_a_late_decision_is_refused_naming_the_next_plenary_by_its_year_and_place() -> None:
    """Found by a review: the refusal said "no later plenary is scheduled" while one was, and
    named plenaries by their ids."""
    later = PLENARY.model_copy(
        update={
            "id": "plenary-2028",
            "year": 2028,
            "starts": date(2028, 3, 14),
            "ends": date(2028, 3, 17),
            "location": "Aldmoor",
        }
    )
    # another plenary in session does not let this one decide
    sitting = later.model_copy(
        update={"id": "plenary-2027-x1", "starts": date(2027, 6, 20), "ends": date(2027, 6, 20)}
    )
    with pytest.raises(Conflict) as refused:
        check_decision_day(PLENARY, date(2027, 6, 20), 7, [PLENARY, sitting, later])
    message = refused.value.message
    assert "the next plenary is the 2028 plenary in Aldmoor, from 14 to 17 March 2028" in message
    assert "no later plenary" not in message
    assert "plenary-20" not in message
