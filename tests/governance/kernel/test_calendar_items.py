"""Calendar items: what makes one valid, a new version, and visible to whom."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from governance.kernel.calendar import (
    PUBLIC,
    CalendarItem,
    EventStatus,
    is_new_version,
    item_uid,
    member_audience,
    person_audience,
    person_audiences,
    pillar_audience,
    role_audience,
    span_end,
    visible_to,
)
from governance.kernel.model import Pillar, Role

STARTS = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
SECRETARIAT = role_audience(Role.SECRETARIAT)


def all_day(**changes: Any) -> CalendarItem:
    fields: dict[str, Any] = {
        "uid": "plenary-2027@vpi.govsched",
        "kind": "plenary",
        "title": "VPI 2027 Annual Plenary",
        "description": "In Norland Harbour.",
        "location": "Norland Harbour",
        "start_date": date(2027, 5, 18),
        "end_date": date(2027, 5, 21),
        "audiences": frozenset({PUBLIC}),
    }
    fields.update(changes)
    return CalendarItem.model_validate(fields)


def timed(**changes: Any) -> CalendarItem:
    fields: dict[str, Any] = {
        "uid": "sc-call-2027-03@vpi.govsched",
        "kind": "meeting",
        "title": "Steering Committee call",
        "starts": STARTS,
        "ends": STARTS + timedelta(hours=1),
        "audiences": frozenset({role_audience(Role.STEERING_COMMITTEE)}),
    }
    fields.update(changes)
    return CalendarItem.model_validate(fields)


def refusal_message(**fields: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        CalendarItem.model_validate(fields)
    return str(caught.value)


# Validation


def test_an_all_day_item_is_valid() -> None:
    item = all_day()
    assert item.all_day
    assert span_end(item) == date(2027, 5, 21)


def test_an_all_day_item_without_an_end_date_is_valid() -> None:
    item = all_day(end_date=None)
    assert item.all_day
    assert span_end(item) is None


def test_a_timed_item_is_valid() -> None:
    item = timed()
    assert not item.all_day
    assert span_end(item) == STARTS + timedelta(hours=1)


def test_an_item_needs_a_start_date_or_a_start_time() -> None:
    message = refusal_message(
        uid="x@vpi.govsched", kind="deadline", title="Reports due", audiences={PUBLIC}
    )
    assert "give either start_date (all-day) or starts (timed), not both" in message


def test_an_item_cannot_be_both_all_day_and_timed() -> None:
    with pytest.raises(ValidationError, match="not both"):
        all_day(starts=STARTS)


def test_an_all_day_item_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="end_date is before start_date"):
        all_day(start_date=date(2027, 5, 18), end_date=date(2027, 5, 17))


def test_a_one_day_all_day_item_is_valid() -> None:
    assert all_day(end_date=date(2027, 5, 18)).end_date == date(2027, 5, 18)


def test_a_timed_item_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="ends is before starts"):
        timed(ends=STARTS - timedelta(minutes=1))


def test_a_timed_item_without_an_end_is_valid() -> None:
    assert timed(ends=None).ends is None


def test_a_naive_start_time_is_refused() -> None:
    with pytest.raises(ValidationError):
        timed(starts=datetime(2027, 3, 1, 15, 0), ends=None)  # noqa: DTZ001 -- the point


def test_an_all_day_item_cannot_carry_an_end_time() -> None:
    with pytest.raises(ValidationError):
        all_day(end_date=None, ends=STARTS)


def test_a_timed_item_cannot_carry_an_end_date() -> None:
    with pytest.raises(ValidationError):
        timed(ends=None, end_date=date(2027, 3, 2))


def test_a_confidential_item_cannot_be_public() -> None:
    with pytest.raises(ValidationError, match="a confidential event cannot be public"):
        all_day(confidential=True, audiences=frozenset({PUBLIC, SECRETARIAT}))


def test_a_confidential_item_for_the_secretariat_is_valid() -> None:
    assert all_day(confidential=True, audiences=frozenset({SECRETARIAT})).confidential


def test_an_item_needs_at_least_one_audience() -> None:
    with pytest.raises(ValidationError, match="at least one audience"):
        all_day(audiences=frozenset())


def test_a_title_on_two_lines_is_refused() -> None:
    with pytest.raises(ValidationError, match="control characters"):
        all_day(title="VPI 2027\nAnnual Plenary")


def test_a_description_may_span_lines() -> None:
    assert all_day(description="Day 1: plenary\nDay 2: working groups").description.count("\n") == 1


def test_a_uid_with_spaces_is_refused() -> None:
    with pytest.raises(ValidationError):
        all_day(uid="plenary 2027@vpi.govsched")


def test_the_uid_of_an_item_is_its_id_at_the_domain() -> None:
    assert item_uid("plenary-2027", "vpi.govsched") == "plenary-2027@vpi.govsched"


# New versions


@pytest.mark.parametrize(
    "change",
    [
        {"title": "VPI 2027 Annual Plenary (moved)"},
        {"description": "In Estavia City."},
        {"location": "Estavia City"},
        {"url": "https://example.org/plenary"},
        {"start_date": date(2027, 5, 17)},
        {"end_date": date(2027, 5, 22)},
        {"status": EventStatus.CANCELLED},
    ],
)
def test_a_change_subscribers_see_is_a_new_version(change: dict[str, Any]) -> None:
    assert is_new_version(all_day(), all_day(**change))


@pytest.mark.parametrize(
    "change",
    [
        {"starts": STARTS + timedelta(days=1), "ends": STARTS + timedelta(days=1, hours=1)},
        {"ends": STARTS + timedelta(hours=2)},
    ],
)
def test_moving_a_timed_item_is_a_new_version(change: dict[str, Any]) -> None:
    assert is_new_version(timed(), timed(**change))


def test_an_identical_item_is_not_a_new_version() -> None:
    assert not is_new_version(all_day(), all_day())


def test_a_change_of_audience_alone_is_not_a_new_version() -> None:
    widened = all_day(audiences=frozenset({PUBLIC, SECRETARIAT}))
    assert not is_new_version(all_day(), widened)


def test_a_change_of_confidentiality_alone_is_not_a_new_version() -> None:
    before = all_day(audiences=frozenset({SECRETARIAT}))
    after = all_day(audiences=frozenset({SECRETARIAT}), confidential=True)
    assert not is_new_version(before, after)


def test_the_same_instant_in_another_zone_is_not_a_new_version() -> None:
    toronto = ZoneInfo("America/Toronto")
    moved = timed(starts=STARTS.astimezone(toronto), ends=(STARTS + timedelta(hours=1)))
    assert not is_new_version(timed(), moved)


# Visibility


def test_a_public_item_is_visible_to_everyone_with_the_public_audience() -> None:
    assert visible_to(all_day(), frozenset({PUBLIC}))
    assert not visible_to(all_day(), frozenset({SECRETARIAT}))


def test_an_item_is_visible_through_any_shared_audience() -> None:
    item = all_day(audiences=frozenset({SECRETARIAT, member_audience("gov-norland")}))
    assert visible_to(item, frozenset({PUBLIC, member_audience("gov-norland")}))
    assert not visible_to(item, frozenset({PUBLIC, member_audience("gov-estavia")}))


def test_a_confidential_item_is_visible_through_a_non_public_audience() -> None:
    item = all_day(confidential=True, audiences=frozenset({SECRETARIAT}))
    assert visible_to(item, frozenset({PUBLIC, SECRETARIAT}))


def test_a_confidential_item_is_never_visible_to_the_public_feed() -> None:
    item = all_day(confidential=True, audiences=frozenset({SECRETARIAT}))
    assert not visible_to(item, frozenset({PUBLIC}))
    assert not visible_to(item, frozenset())


# A person's audiences


def test_a_focal_point_sees_public_items_their_own_roles_member_and_pillar() -> None:
    audiences = person_audiences(
        "fp-norland",
        frozenset({Role.FOCAL_POINT, Role.CHAIR}),
        "gov-norland",
        Pillar.GOVERNMENT,
    )
    assert audiences == frozenset(
        {
            PUBLIC,
            "person:fp-norland",
            "role:focal_point",
            "role:chair",
            "member:gov-norland",
            "pillar:government",
        }
    )


def test_a_secretariat_person_without_a_member_sees_public_items_and_their_role() -> None:
    audiences = person_audiences("sec-amina", frozenset({Role.SECRETARIAT}), None, None)
    assert audiences == frozenset({PUBLIC, person_audience("sec-amina"), SECRETARIAT})


def test_audience_names_carry_their_kind() -> None:
    assert role_audience(Role.STEERING_COMMITTEE) == "role:steering_committee"
    assert pillar_audience(Pillar.NGO) == "pillar:ngo"
    assert member_audience("gov-norland") == "member:gov-norland"
    assert person_audience("fp-norland") == "person:fp-norland"


def test_a_person_sees_items_addressed_to_them_and_not_to_others() -> None:
    audiences = person_audiences("fp-aurum", frozenset({Role.FOCAL_POINT}), "co-aurum", None)
    mine = timed(audiences=frozenset({person_audience("fp-aurum")}), confidential=True)
    theirs = timed(audiences=frozenset({person_audience("fp-other")}), confidential=True)
    assert visible_to(mine, audiences)
    assert not visible_to(theirs, audiences)
