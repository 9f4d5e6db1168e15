"""No notice is stamped before what it is about was scheduled, and a Chair never receives the
steps of the term before its own (issue 17.11), over generated late plannings and moves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.model import Pillar, Plenary, Role, SteeringCommitteeSeat
from governance.rulebook.model import Milestone, Rulebook, load_rulebook
from governance.year.handover.rules import Owners, plan_handover, what_is_due
from governance.year.milestones import ChairHolders, latest_step, plan, replan, step_notices
from governance.year.seats import due_expiries

RULEBOOK = load_rulebook(
    {
        "plenary": {
            "milestones": [
                *(m.model_dump(mode="json") for m in Rulebook().plenary.milestones),
                Milestone(
                    key="chair_report",
                    title="Chair's report",
                    offset_days=-21,
                    owner_role=Role.CHAIR,
                ).model_dump(mode="json"),
            ]
        }
    }
)
HOUR = timedelta(hours=1)


def annual(starts: date) -> Plenary:
    return Plenary(
        id=f"plenary-{starts.year}",
        year=starts.year,
        starts=starts,
        ends=starts + timedelta(days=3),
        location="Norland Harbour",
    )


starts_days = st.integers(0, 700).map(lambda n: date(2027, 3, 1) + timedelta(days=n))


@st.composite
def late_plannings(draw: st.DrawFn) -> tuple[Plenary, datetime, datetime]:
    """A plenary, the instant it was scheduled (up to 400 days ahead, or days before it), and
    a later instant at which the year looks at what is due."""
    plenary = annual(draw(starts_days))
    first = datetime.combine(plenary.starts, datetime.min.time(), UTC)
    scheduled = first - draw(st.integers(1, 400 * 24)) * HOUR
    now = scheduled + draw(st.integers(0, 500 * 24)) * HOUR
    return plenary, scheduled, now


@settings(max_examples=300, deadline=None)
@given(late_plannings(), st.integers(-400 * 24, 400 * 24))
def test_milestone_notices_are_never_stamped_before_the_planning_nor_before_a_chair_took_over(
    planning: tuple[Plenary, datetime, datetime], chair_offset_hours: int
) -> None:
    plenary, scheduled, now = planning
    since = scheduled + chair_offset_hours * HOUR
    chairs = ChairHolders(("fp-chair",), since if since <= now else None)
    for milestone in plan(plenary, RULEBOOK, scheduled):
        step = latest_step(milestone, now, RULEBOOK)
        if step is None:
            continue
        notices = step_notices(milestone, step, RULEBOOK, chairs)
        for notice in notices:
            assert notice.issued_at == max(step.at, scheduled)
            assert scheduled <= notice.issued_at <= max(now, scheduled)
        if milestone.owner_role is Role.CHAIR and chairs.since is not None:
            assert (notices != []) is (step.at > chairs.since)


@settings(max_examples=200, deadline=None)
@given(late_plannings(), st.integers(1, 60), st.integers(0, 100 * 24))
def test_a_move_plans_moved_milestones_anew_and_keeps_the_rest(
    planning: tuple[Plenary, datetime, datetime], shift_days: int, later_hours: int
) -> None:
    plenary, scheduled, now = planning
    moved_at = scheduled + later_hours * HOUR
    look = max(now, moved_at)
    moved = plenary.model_copy(
        update={
            "starts": plenary.starts + timedelta(days=shift_days),
            "ends": plenary.ends + timedelta(days=shift_days),
        }
    )
    before = {m.key: m for m in plan(plenary, RULEBOOK, scheduled)}
    for milestone in replan(tuple(before.values()), moved, RULEBOOK, moved_at):
        assert milestone.planned_at == moved_at
        assert milestone.due == before[milestone.key].due + timedelta(days=shift_days)
        step = latest_step(milestone, look, RULEBOOK)
        if step is not None:
            for notice in step_notices(milestone, step, RULEBOOK, ChairHolders(("fp",))):
                assert notice.issued_at >= moved_at


@settings(max_examples=200, deadline=None)
@given(late_plannings(), st.booleans())
def test_handover_notices_are_never_stamped_before_the_planning(
    planning: tuple[Plenary, datetime, datetime], designated: bool
) -> None:
    plenary, scheduled, now = planning
    handover = plan_handover(plenary, "gov-norland", RULEBOOK, scheduled)
    assert handover is not None
    if designated:
        handover = handover.model_copy(
            update={"incoming": "gov-estavia", "designated_at": scheduled}
        )
    owners = Owners(chairs=("fp-norland",), incoming=("fp-estavia",), chair_since=None)
    due = what_is_due(handover, plenary, now, owners, {}, RULEBOOK)
    for notice in due.notices:
        assert notice.issued_at >= scheduled, notice.key


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 200), st.integers(0, 100 * 24))
def test_seat_reminders_are_never_stamped_before_the_seat_was_recorded(
    ends_in_days: int, looked_later_hours: int
) -> None:
    recorded = datetime(2028, 6, 27, 14, tzinfo=UTC)
    ends = recorded.date() + timedelta(days=ends_in_days)
    seat = SteeringCommitteeSeat(
        member="ngo-rights",
        pillar=Pillar.NGO,
        starts=ends - timedelta(days=730),
        ends=ends,
        recorded_at=recorded,
    )
    now = recorded + looked_later_hours * HOUR
    notices, _ = due_expiries([seat], now, {}, RULEBOOK)
    for notice in notices:
        assert recorded <= notice.issued_at <= max(now, recorded)
