"""Plenary milestones planned backwards, their reminders, moves and completion (issue 6)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.errors import Conflict, Forbidden, InvalidInput
from governance.kernel.model import PlenaryKind, Role
from governance.kernel.timekeeping import end_of_day, local_date, start_of_day
from governance.rulebook.model import Rulebook
from governance.year.milestones import (
    MilestoneStatus,
    calendar_item,
    complete,
    latest_step,
    move_notices,
    next_step_at,
    plan,
    replan,
    steps_until,
)
from tests.governance.plenaries import annual

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
ZONES = ["America/Toronto", "Europe/London", "Australia/Sydney", "Pacific/Chatham", "UTC"]
AT = datetime(2027, 1, 10, 15, tzinfo=UTC)
SECRETARIAT = frozenset({Role.SECRETARIAT})
FOCAL_POINT = frozenset({Role.FOCAL_POINT})


def test_the_vpi_milestones_fall_at_their_rulebook_offsets() -> None:
    planned = {m.key: m.due for m in plan(annual(date(2027, 5, 18)), RULEBOOK)}
    assert planned == {
        "save_the_date": date(2027, 1, 18),
        "call_for_agenda_and_presenters": date(2027, 2, 17),
        "strategy_review": date(2027, 3, 19),
        "annual_reports_due": date(2027, 4, 3),
        "draft_agenda": date(2027, 4, 18),
        "final_papers": date(2027, 5, 4),
        "outcome_note": date(2027, 6, 17),
        "communications_plan_update": date(2027, 7, 17),
        "steering_committee_retreat": date(2027, 11, 14),
    }


def test_an_extraordinary_plenary_gets_only_the_milestones_marked_for_it() -> None:
    special = annual(date(2027, 9, 14), 1).model_copy(
        update={"id": "plenary-2027-x1", "kind": PlenaryKind.EXTRAORDINARY}
    )
    assert [m.key for m in plan(special, RULEBOOK)] == [
        "draft_agenda",
        "final_papers",
        "outcome_note",
    ]


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2150, 12, 31))


@settings(max_examples=300, deadline=None)
@given(dates, st.sampled_from(ZONES), st.integers(-400, 400))
def test_due_days_are_calendar_days_and_reminders_fall_on_local_midnights(
    starts: date, tz: str, shift: int
) -> None:
    # Across DST changes and year ends: a due day is the plenary's first day plus the offset in
    # calendar days, and every reminder starts a local day, the reminder days before it.
    rulebook = RULEBOOK.model_copy(
        update={"initiative": RULEBOOK.initiative.model_copy(update={"timezone": tz})}
    )
    plenary = annual(starts)
    for m, rule in zip(
        plan(plenary, rulebook),
        sorted(rulebook.plenary.milestones, key=lambda r: r.offset_days),
        strict=True,
    ):
        assert m.due == starts + timedelta(days=rule.offset_days)
        far = end_of_day(m.due, tz) + timedelta(days=400)
        steps = steps_until(m, far, rulebook)
        if m.owner_role is Role.FOCAL_POINT:
            # each member's own deadline: its process reminds whoever still owes
            assert steps == []
            assert next_step_at(m, start_of_day(m.due, tz) - timedelta(days=60), rulebook) is None
            continue
        reminders = [s for s in steps if "reminder" in s.name]
        overdue = [s for s in steps if "overdue" in s.name]
        assert [local_date(s.at, tz) for s in reminders] == [
            m.due - timedelta(days=d)
            for d in sorted(rulebook.plenary.milestone_reminder_days_before, reverse=True)
        ]
        assert all(s.at == start_of_day(local_date(s.at, tz), tz) for s in reminders)
        assert len(overdue) == rulebook.plenary.milestone_overdue_reminders
        assert overdue[0].at == end_of_day(m.due, tz)
        assert [s.at for s in steps] == sorted(s.at for s in steps)
    # Moving the plenary moves every open milestone by exactly the same number of days.
    moved = plenary.model_copy(
        update={
            "starts": starts + timedelta(days=shift),
            "ends": plenary.ends + timedelta(days=shift),
        }
    )
    for before, after in zip(
        plan(plenary, rulebook), replan(plan(plenary, rulebook), moved, rulebook), strict=True
    ):
        assert (after.key, after.due - before.due) == (before.key, timedelta(days=shift))


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(-200, 400))
def test_the_next_step_is_the_first_one_after_now_and_the_latest_the_last_one_before(
    starts: date, hours: int
) -> None:
    for m in plan(annual(starts), RULEBOOK):
        now = start_of_day(m.due, TZ) + timedelta(hours=hours)
        everything = steps_until(m, now + timedelta(days=400), RULEBOOK)
        past = [s for s in everything if s.at <= now]
        future = [s.at for s in everything if s.at > now]
        assert latest_step(m, now, RULEBOOK) == (past[-1] if past else None)
        assert next_step_at(m, now, RULEBOOK) == (future[0] if future else None)


def test_a_completed_milestone_has_no_steps_and_keeps_its_date_when_the_plenary_moves() -> None:
    plenary = annual(date(2027, 5, 18))
    milestones = plan(plenary, RULEBOOK)
    done = complete(milestones, "save_the_date", "sec-amina", AT, SECRETARIAT)
    assert (done.status, done.completed_by, done.completed_at) == (
        MilestoneStatus.COMPLETED,
        "sec-amina",
        AT,
    )
    current = tuple(done if m.key == done.key else m for m in milestones)
    assert steps_until(done, AT + timedelta(days=365), RULEBOOK) == []
    assert next_step_at(done, AT, RULEBOOK) is None
    moved = replan(current, plenary.model_copy(update={"starts": date(2027, 6, 8)}), RULEBOOK)
    kept = next(m for m in moved if m.key == "save_the_date")
    assert kept == done


def test_completing_names_the_field_when_refused() -> None:
    milestones = plan(annual(date(2027, 5, 18)), RULEBOOK)
    with pytest.raises(InvalidInput) as unknown:
        complete(milestones, "nope", "sec-amina", AT, SECRETARIAT)
    assert unknown.value.problems[0].path == "key"
    with pytest.raises(Forbidden) as stranger:
        complete(milestones, "strategy_review", "fp-aurum", AT, FOCAL_POINT)
    assert stranger.value.problems[0].path == "by"
    assert "steering_committee" in stranger.value.problems[0].reason
    done = complete(milestones, "strategy_review", "sec-amina", AT, SECRETARIAT)
    again = tuple(done if m.key == done.key else m for m in milestones)
    with pytest.raises(Conflict):
        complete(again, "strategy_review", "sec-amina", AT, SECRETARIAT)


def test_the_secretariats_own_milestone_refused_names_the_secretariat_once() -> None:
    """Found by a review: "needs the role 'secretariat or secretariat'"."""
    milestones = plan(annual(date(2027, 5, 18)), RULEBOOK)
    (owned,) = [m for m in milestones if m.key == "save_the_date"]
    assert owned.owner_role is Role.SECRETARIAT
    with pytest.raises(Forbidden) as refused:
        complete(milestones, owned.key, "fp-aurum", AT, FOCAL_POINT)
    assert refused.value.missing_role == "secretariat"
    assert refused.value.problems[0].reason == "only the Secretariat may"
    assert "secretariat or secretariat" not in refused.value.message


def test_a_move_tells_every_member_and_only_the_owners_whose_dates_moved() -> None:
    before = annual(date(2027, 5, 18))
    after = before.model_copy(update={"starts": date(2027, 6, 8), "ends": date(2027, 6, 11)})
    old = plan(before, RULEBOOK)
    # The Steering Committee's open milestones are done: it must not hear of the move.
    old = tuple(
        complete([m], m.key, "sc", AT, frozenset({Role.STEERING_COMMITTEE}))
        if m.owner_role is Role.STEERING_COMMITTEE
        else m
        for m in old
    )
    new = replan(old, after, RULEBOOK)
    notices = move_notices(before, after, old, new, RULEBOOK, AT, chairs=["fp-norland"])
    # the focal points' milestone (annual reports) is told member by member by the reporting
    # cycle, only to those that still owe a report
    assert [n.channel for n in notices] == ["all_members", "secretariat"]
    assert "from 8 to 11 June 2027 (it was from 18 to 21 May 2027)" in notices[0].text
    assert "Save-the-date: 18 January 2027 -> 8 February 2027" in notices[1].text
    assert not any("Annual reports due" in n.text for n in notices)
    assert len({n.key for n in notices}) == len(notices)


def test_milestone_events_keep_their_uid_when_the_date_moves() -> None:
    first = plan(annual(date(2027, 5, 18)), RULEBOOK)[0]
    moved = first.model_copy(update={"due": date(2027, 2, 8)})
    a, b = calendar_item(first, RULEBOOK), calendar_item(moved, RULEBOOK)
    assert a.uid == b.uid == "milestone-plenary-2027-save-the-date@vpi.govsched"
    assert (a.start_date, b.start_date) == (date(2027, 1, 18), date(2027, 2, 8))
    assert "public" in a.audiences
    assert "role:secretariat" in a.audiences
    private = next(m for m in plan(annual(date(2027, 5, 18)), RULEBOOK) if not m.public)
    assert "public" not in calendar_item(private, RULEBOOK).audiences
