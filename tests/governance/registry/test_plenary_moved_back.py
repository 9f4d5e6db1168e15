"""A plenary moved back to dates it held before is a new move: everyone it concerns hears of it
again, while a retry of one move (the same instant) finds its notices in the ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from governance.kernel.model import MemberStatus, Pillar, Plenary
from governance.registry.changes import MovePlenary, PlenaryFacts, move_plenary
from governance.reports.cycle import cycle_dates
from governance.reports.cycle_log import CycleLog, ToldDates
from governance.reports.notices import report_moved, reviews_moved
from governance.roster.contracts import Presenter, PublishedRoster, RosterPlan
from governance.roster.document import publish
from governance.roster.effects import moved_notices
from governance.roster.rule import RosterMember, RosterRules, StatusMark
from governance.rulebook.model import Rulebook
from governance.year.milestones import plan
from tests.governance.plenaries import annual

RULEBOOK = Rulebook()
A = (date(2027, 2, 23), date(2027, 2, 26))
B = (date(2027, 3, 9), date(2027, 3, 12))
# A -> B -> A -> B, each move at its own instant
MOVES = [
    (B, datetime(2027, 1, 10, 9, tzinfo=UTC)),
    (A, datetime(2027, 1, 11, 9, tzinfo=UTC)),
    (B, datetime(2027, 1, 12, 9, tzinfo=UTC)),
]


def _moves() -> list[set[str]]:
    """The notices' keys of each move, as the registry decides them."""
    plenary: Plenary = annual(A[0])
    milestones = plan(plenary, RULEBOOK)
    keys = []
    for (starts, ends), at in MOVES:
        facts = PlenaryFacts(
            plenary=plenary, milestones=milestones, host=None, chairs=("fp-chair",), today=at.date()
        )
        cmd = MovePlenary(year=2027, starts=starts, ends=ends)
        effects = move_plenary(cmd, at, facts, RULEBOOK)
        again = move_plenary(cmd, at, facts, RULEBOOK)  # the activity retried
        assert [n.key for n in again.notices] == [n.key for n in effects.notices]
        assert effects.plenary is not None
        plenary, milestones = effects.plenary, effects.milestones
        keys.append({n.key for n in effects.notices})
    return keys


def test_each_move_there_and_back_is_told_and_a_retry_is_not() -> None:
    first, back, again = _moves()
    assert all((first, back, again))
    ledger: set[str] = set()
    for told in (first, back, again):
        assert not told & ledger  # nothing of a later move is found already sent
        ledger |= told


def _plan(starts: date) -> RosterPlan:
    return RosterPlan(
        plenary_id="plenary-2027",
        year=2027,
        seed="abc",
        draw_on=date(2026, 12, 1),
        call_at=datetime(2026, 12, 1, tzinfo=UTC),
        deferral_closes=datetime(2026, 12, 20, tzinfo=UTC),
        deferral_last_day=date(2026, 12, 19),
        plenary_starts=starts,
        plenary_ends=starts + timedelta(days=3),
        plenary_begins_at=datetime.combine(starts, datetime.min.time(), UTC),
        outcomes_due_at=datetime.combine(starts, datetime.min.time(), UTC) + timedelta(days=4),
    )


def test_the_roster_tells_each_move_there_and_back_and_a_retry_once() -> None:
    members = tuple(
        RosterMember(
            id=f"co-{k}",
            pillar=Pillar.COMPANY,
            history=(StatusMark(status=MemberStatus.FULL, since=date(2010 + k, 5, 1)),),
        )
        for k in range(3)
    )
    document = publish(
        2027,
        "plenary-2027",
        "abc",
        date(2026, 12, 1),
        MOVES[0][1],
        members,
        (),
        RosterRules.of(RULEBOOK),
    )
    published = PublishedRoster(
        document=document,
        presenters={
            m.id: Presenter(member=m.id, name=m.id, focal_points=(f"fp-{m.id}",)) for m in members
        },
    )
    days = [A[0], B[0], A[0], B[0]]
    ledger: set[str] = set()
    for before, after, (_, at) in zip(days, days[1:], MOVES, strict=False):
        keys = {n.key for n in moved_notices(_plan(before), _plan(after), published, at)}
        retried = moved_notices(_plan(before), _plan(after), published, at)
        assert keys
        assert keys == {n.key for n in retried}
        assert not keys & ledger
        ledger |= keys


def test_the_reporting_cycle_tells_a_move_back_to_dates_it_told_before() -> None:
    there, back = (cycle_dates(annual(d[0]), RULEBOOK) for d in (A, B))
    log = CycleLog.of(["open-x", ToldDates.of(there).marker])
    ledger: set[str] = set()
    for now in (back, there, back):
        move = log.moved(now)
        assert move is not None
        assert not log.has_run(move.name)  # the cycle runs it: it was not run before
        assert log.step(move.name, now, RULEBOOK) == move  # the status's name resolves to it
        notices = [
            *report_moved(2027, "m", move.was.due, now.due, ["p"], datetime.now(UTC), move.name),
            *reviews_moved(
                2027, "r", move.was.review_due, now.review_due, ["p"], datetime.now(UTC), move.name
            ),
        ]
        keys = {n.key for n in notices}
        assert not keys & ledger
        ledger |= keys
        # the activity marks the move run and the dates told (a marker recorded again moves last)
        done = [d for d in log.done if d not in (move.name, move.now.marker)]
        log = CycleLog.of([*done, move.name, move.now.marker])
        assert log.moved(now) is None
