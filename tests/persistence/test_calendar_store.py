"""The calendar store: SEQUENCE and LAST-MODIFIED as subscribers' calendars need them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.kernel.calendar import (
    PUBLIC,
    CalendarItem,
    EventStatus,
    PublishedEvent,
    pillar_audience,
    role_audience,
)
from governance.kernel.model import Pillar, Role
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo

T0 = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
T2 = T0 + timedelta(days=1)
T3 = T0 + timedelta(days=2)
SECRETARIAT = role_audience(Role.SECRETARIAT)

PLENARY = CalendarItem(
    uid="plenary-2027@vpi.govsched",
    kind="plenary",
    title="VPI 2027 Annual Plenary",
    description="The VPI 2027 Annual Plenary will take place in Norland Harbour.",
    location="Norland Harbour",
    start_date=date(2027, 3, 16),
    end_date=date(2027, 3, 19),
    audiences=frozenset({PUBLIC}),
)
BRIEFING = CalendarItem(
    uid="briefing-2027@vpi.govsched",
    kind="meeting",
    title="Government pillar briefing",
    starts=datetime(2027, 2, 1, 15, 0, tzinfo=UTC),
    ends=datetime(2027, 2, 1, 16, 0, tzinfo=UTC),
    audiences=frozenset({pillar_audience(Pillar.GOVERNMENT), PUBLIC}),
)
REVIEW = CalendarItem(
    uid="concern-review-7@vpi.govsched",
    kind="concern",
    title="Confidential concern review",
    starts=datetime(2027, 2, 3, 13, 0, tzinfo=UTC),
    audiences=frozenset({SECRETARIAT}),
    confidential=True,
)
STEERING = CalendarItem(
    uid="sc-meeting-1@vpi.govsched",
    kind="meeting",
    title="Steering Committee meeting",
    starts=datetime(2027, 2, 10, 13, 0, tzinfo=UTC),
    audiences=frozenset({role_audience(Role.STEERING_COMMITTEE)}),
)


def _upsert(db: Database, item: CalendarItem, at: datetime) -> PublishedEvent:
    with db.writing() as session:
        return calendar_repo.upsert(session, item, at)


def _get(db: Database, uid: str) -> PublishedEvent:
    with db.reading() as session:
        event = calendar_repo.get(session, uid)
    assert event is not None
    return event


def _visible(db: Database, *audiences: str) -> list[str]:
    with db.reading() as session:
        return [e.item.uid for e in calendar_repo.visible_events(session, frozenset(audiences))]


def _version(db: Database) -> tuple[int, int]:
    with db.reading() as session:
        return calendar_repo.version(session)


def test_a_new_item_starts_at_sequence_zero(db: Database) -> None:
    published = _upsert(db, PLENARY, T0)

    assert published == PublishedEvent(item=PLENARY, sequence=0, created=T0, last_modified=T0)
    stored = _get(db, PLENARY.uid)
    assert stored == published
    assert stored.created.tzinfo is UTC
    assert stored.last_modified.tzinfo is UTC


def test_storing_the_same_item_again_changes_nothing(db: Database) -> None:
    _upsert(db, PLENARY, T0)

    again = _upsert(db, PLENARY, T2)

    assert again == PublishedEvent(item=PLENARY, sequence=0, created=T0, last_modified=T0)
    assert _get(db, PLENARY.uid) == again


@pytest.mark.parametrize(
    "change",
    [
        {"start_date": date(2027, 3, 17), "end_date": date(2027, 3, 20)},
        {"status": EventStatus.CANCELLED},
        {"location": "Estavia City"},
    ],
    ids=["moved", "cancelled", "relocated"],
)
def test_a_visible_change_bumps_the_sequence(db: Database, change: dict[str, object]) -> None:
    _upsert(db, PLENARY, T0)
    changed = PLENARY.model_copy(update=change)

    published = _upsert(db, changed, T2)

    assert published == PublishedEvent(item=changed, sequence=1, created=T0, last_modified=T2)
    assert _get(db, PLENARY.uid) == published


def test_each_change_bumps_the_sequence_by_one(db: Database) -> None:
    _upsert(db, BRIEFING, T0)
    moved = BRIEFING.model_copy(
        update={
            "starts": datetime(2027, 2, 2, 15, 0, tzinfo=UTC),
            "ends": datetime(2027, 2, 2, 16, 0, tzinfo=UTC),
        }
    )
    _upsert(db, moved, T1)
    cancelled = moved.model_copy(update={"status": EventStatus.CANCELLED})

    published = _upsert(db, cancelled, T2)

    assert (published.sequence, published.created, published.last_modified) == (2, T0, T2)
    assert published.item.status is EventStatus.CANCELLED
    assert published.item.starts == datetime(2027, 2, 2, 15, 0, tzinfo=UTC)


def test_an_audience_change_alone_keeps_the_sequence(db: Database) -> None:
    _upsert(db, BRIEFING, T0)
    wider = BRIEFING.model_copy(
        update={"audiences": BRIEFING.audiences | {pillar_audience(Pillar.NGO)}}
    )

    published = _upsert(db, wider, T2)

    assert published.sequence == 0
    assert published.item.audiences == wider.audiences
    assert _get(db, BRIEFING.uid).item.audiences == frozenset(
        {PUBLIC, "pillar:government", "pillar:ngo"}
    )
    assert _visible(db, pillar_audience(Pillar.NGO)) == [BRIEFING.uid]


def test_visible_events_match_audiences_and_are_ordered_by_uid(db: Database) -> None:
    for item in (PLENARY, REVIEW, STEERING, BRIEFING):
        _upsert(db, item, T0)

    assert _visible(db, PUBLIC) == [BRIEFING.uid, PLENARY.uid]
    assert _visible(db, pillar_audience(Pillar.GOVERNMENT)) == [BRIEFING.uid]
    # An event matching two of the audiences asked for appears once.
    assert _visible(db, PUBLIC, pillar_audience(Pillar.GOVERNMENT), SECRETARIAT) == [
        BRIEFING.uid,
        REVIEW.uid,
        PLENARY.uid,
    ]
    assert _visible(db, "role:nobody") == []


def test_a_confidential_event_reaches_only_its_own_audience(db: Database) -> None:
    for item in (PLENARY, REVIEW, STEERING):
        _upsert(db, item, T0)

    assert REVIEW.uid not in _visible(db, PUBLIC)
    assert REVIEW.uid not in _visible(db, role_audience(Role.STEERING_COMMITTEE))
    assert REVIEW.uid not in _visible(db, role_audience(Role.CHAIR), PUBLIC)
    assert REVIEW.uid in _visible(db, SECRETARIAT)
    stored = _get(db, REVIEW.uid)
    assert stored.item.confidential is True
    assert stored.item.audiences == frozenset({SECRETARIAT})


def test_version_changes_when_an_event_changes(db: Database) -> None:
    empty = _version(db)
    _upsert(db, PLENARY, T0)
    first = _version(db)
    assert first != empty

    _upsert(db, PLENARY, T1)
    assert _version(db) == first

    _upsert(db, PLENARY.model_copy(update={"location": "Estavia City"}), T1)
    moved = _version(db)
    assert moved != first

    _upsert(
        db,
        PLENARY.model_copy(
            update={
                "location": "Estavia City",
                "audiences": frozenset({"public", "role:secretariat"}),
            }
        ),
        T0,
    )
    regrouped = _version(db)
    assert regrouped != moved

    _upsert(db, BRIEFING, T2)
    assert len({empty, first, moved, regrouped, _version(db)}) == 5


def test_version_changes_when_a_change_arrives_out_of_order(db: Database) -> None:
    """Two changes submitted at T1 and T3 may be applied in the other order (two workflows).

    The feed cache is keyed by `version`: if it stays the same, the public feed keeps showing the
    plenary at its old dates until the next day.
    """
    _upsert(db, PLENARY, T0)
    _upsert(db, BRIEFING, T3)
    before = _version(db)

    _upsert(db, PLENARY.model_copy(update={"start_date": date(2027, 3, 17)}), T1)

    assert _get(db, PLENARY.uid).sequence == 1
    assert _version(db) != before
