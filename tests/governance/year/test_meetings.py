"""The plenary's sessions and the Steering Committee's meetings are timed events, local hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from governance.kernel.calendar import PUBLIC, EventStatus, role_audience
from governance.kernel.errors import RulebookInvalid
from governance.kernel.model import Plenary, PlenaryKind, Role
from governance.rulebook.model import Rulebook, load_rulebook
from governance.year.meetings import committee_meetings, meeting_events, plenary_sessions

RULEBOOK = Rulebook()
# 14 March 2027 is when Toronto moves to summer time: the sessions straddle nothing, but the
# committee meeting of a plenary starting on the 15th falls on the day of the change.
PLENARY = Plenary(
    id="plenary-2027",
    year=2027,
    starts=date(2027, 3, 16),
    ends=date(2027, 3, 19),
    location="Norland Harbour",
)


def test_each_plenary_day_is_one_public_session_at_the_rulebook_hours() -> None:
    sessions = plenary_sessions(PLENARY, RULEBOOK)
    assert [s.uid for s in sessions] == [f"plenary-2027-day-{n}@vpi.govsched" for n in (1, 2, 3, 4)]
    first, last = sessions[0], sessions[-1]
    # 09:00 and 17:30 in Toronto, summer time (UTC-4)
    assert (first.starts, first.ends) == (
        datetime(2027, 3, 16, 13, 0, tzinfo=UTC),
        datetime(2027, 3, 16, 21, 30, tzinfo=UTC),
    )
    assert last.starts == datetime(2027, 3, 19, 13, 0, tzinfo=UTC)
    assert first.title == "VPI 2027 Annual Plenary, day 1 of 4"
    assert first.location == "Norland Harbour"
    assert {s.audiences for s in sessions} == {frozenset({PUBLIC})}
    assert not any(s.all_day or s.confidential for s in sessions)


def test_winter_sessions_keep_their_local_hours() -> None:
    winter = PLENARY.model_copy(update={"starts": date(2027, 2, 2), "ends": date(2027, 2, 2)})
    [session] = plenary_sessions(winter, RULEBOOK)
    assert session.starts == datetime(2027, 2, 2, 14, 0, tzinfo=UTC)  # 09:00 at UTC-5


def test_the_hours_and_meetings_are_rulebook_settings() -> None:
    rulebook = load_rulebook(
        {
            "plenary": {"session_opens": "10:00", "session_closes": "16:00"},
            "steering_committee": {
                "meetings": [
                    {
                        "key": "eve",
                        "title": "Committee dinner briefing",
                        "days_before_plenary": 2,
                        "opens": "18:00",
                        "closes": "20:00",
                    },
                    {
                        "key": "morning_after",
                        "title": "Committee wrap-up",
                        "days_before_plenary": 0,
                        "opens": "07:30",
                        "closes": "08:30",
                    },
                ]
            },
        }
    )
    [first, *_] = plenary_sessions(PLENARY, rulebook)
    assert (first.starts, first.ends) == (
        datetime(2027, 3, 16, 14, 0, tzinfo=UTC),
        datetime(2027, 3, 16, 20, 0, tzinfo=UTC),
    )
    eve, wrap = committee_meetings(PLENARY, rulebook)
    assert eve.uid == "plenary-2027-committee-eve@vpi.govsched"
    assert (eve.title, eve.starts) == (
        "Committee dinner briefing",
        datetime(2027, 3, 14, 22, 0, tzinfo=UTC),
    )
    assert wrap.starts == datetime(2027, 3, 16, 11, 30, tzinfo=UTC)


def test_the_default_committee_meeting_is_for_the_committee_the_chair_and_secretariat() -> None:
    [meeting] = committee_meetings(PLENARY, RULEBOOK)
    assert meeting.uid == "plenary-2027-committee-pre-plenary@vpi.govsched"
    assert meeting.kind == "committee_meeting"
    assert (meeting.starts, meeting.ends) == (
        datetime(2027, 3, 15, 18, 0, tzinfo=UTC),
        datetime(2027, 3, 15, 21, 0, tzinfo=UTC),
    )
    assert meeting.audiences == frozenset(
        role_audience(r) for r in (Role.STEERING_COMMITTEE, Role.CHAIR, Role.SECRETARIAT)
    )
    assert PUBLIC not in meeting.audiences


def test_an_extraordinary_plenary_has_sessions_but_no_committee_meeting() -> None:
    extra = PLENARY.model_copy(update={"id": "plenary-2027-x1", "kind": PlenaryKind.EXTRAORDINARY})
    items = meeting_events(extra, RULEBOOK)
    assert {i.kind for i in items} == {"plenary_session"}
    assert items[0].title == "VPI 2027 Extraordinary Plenary, day 1 of 4"


def test_a_shortened_plenary_cancels_the_days_it_lost_under_the_same_uids() -> None:
    shorter = PLENARY.model_copy(update={"starts": date(2027, 4, 6), "ends": date(2027, 4, 7)})
    items = meeting_events(shorter, RULEBOOK, before=PLENARY)
    by_uid = {i.uid: i for i in items}
    assert by_uid["plenary-2027-day-1@vpi.govsched"].starts == datetime(
        2027, 4, 6, 13, 0, tzinfo=UTC
    )
    assert by_uid["plenary-2027-day-2@vpi.govsched"].status is EventStatus.CONFIRMED
    for n in (3, 4):
        assert by_uid[f"plenary-2027-day-{n}@vpi.govsched"].status is EventStatus.CANCELLED
    assert len(items) == len(by_uid)


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        (
            {"plenary": {"session_opens": "17:00", "session_closes": "09:00"}},
            "plenary.session_closes",
        ),
        (
            {
                "steering_committee": {
                    "meetings": [
                        {
                            "key": "x",
                            "title": "X",
                            "days_before_plenary": 1,
                            "opens": "12:00",
                            "closes": "12:00",
                        }
                    ]
                }
            },
            "steering_committee.meetings.0.closes",
        ),
    ],
)
def test_hours_that_close_before_they_open_are_refused(
    overrides: dict[str, object], path: str
) -> None:
    with pytest.raises(RulebookInvalid) as refused:
        load_rulebook(overrides)
    assert path in [p.path for p in refused.value.problems]


def test_the_default_hours() -> None:
    assert (RULEBOOK.plenary.session_opens, RULEBOOK.plenary.session_closes) == (
        time(9, 0),
        time(17, 30),
    )
