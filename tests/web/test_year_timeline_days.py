"""The year's timeline dates the Chair handover on the day the page and calendar name (the
plenary's last), and its summary counts what falls due today and is still open as next."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.model import Plenary
from governance.rulebook.model import Rulebook
from governance.year.handover.calendar import handover_day
from governance.year.handover.rules import plan_handover
from governance.year.milestones import MilestoneProgress, plan, progress
from govsched.http.web.charts import timeline

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
PLENARY = Plenary(
    id="plenary-2027",
    year=2027,
    starts=date(2027, 2, 23),
    ends=date(2027, 2, 26),
    location="Norland Harbour",
)


def test_the_handover_is_on_the_plenarys_last_day_as_on_the_page_and_calendar() -> None:
    handover = plan_handover(PLENARY, "gov-norland", RULEBOOK)
    assert handover is not None
    found = timeline.events(PLENARY, [], handover, [], None, RULEBOOK)
    (event,) = (e for e in found if e.lane == "Handover")
    assert event.start == handover_day(handover, RULEBOOK) == PLENARY.ends


def test_an_open_milestone_due_today_is_next_and_a_completed_one_is_not() -> None:
    milestones = plan(PLENARY, RULEBOOK)
    first = min(milestones, key=lambda m: m.due)
    today = first.due
    now = datetime(today.year, today.month, today.day, 15, tzinfo=UTC)
    rows = [(m, progress(m, now, TZ)) for m in milestones]
    assert {m.key: s for m, s in rows}[first.key] is MilestoneProgress.OPEN
    found = timeline.events(PLENARY, rows, None, [], None, RULEBOOK)
    assert f"Next: {first.title}, " in timeline.summary(found, today)
    done = [(m, MilestoneProgress.COMPLETED if m is first else s) for m, s in rows]
    found = timeline.events(PLENARY, done, None, [], None, RULEBOOK)
    assert f"Next: {first.title}, " not in timeline.summary(found, today)
