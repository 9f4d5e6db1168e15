"""The demo `make run` (and `govsched seed demo`) loads into an empty database: the fictional
registry placed around today, and its year as lived so far, so that nothing already past is
announced as news at the first start.

What lies before today is settled: the plenary milestones due before today were completed on
time, and the reporting cycle of the plenary already held is closed, with the reports its
members sent (nearly all on time, two late, four missing) and their peer reviews (all back but
two: `demo_cycle`), so that the reporting pages show a cycle with reports and reviewer load
even in the weeks before the next cycle opens (ARCHITECTURE.md, "The demo's reporting cycle").
The Chair's handover at the next plenary is being prepared: its incoming Chair is named (as the
Secretariat would have, before today, so nothing is announced).
What lies ahead is left for the processes to announce when its day comes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from governance.kernel.model import Role
from governance.kernel.timekeeping import local_date
from governance.registry.changes import CompleteMilestone
from governance.reports.cycle_log import CLOSE
from governance.rulebook.model import Rulebook
from governance.year.handover.rules import DesignateIncomingChair
from governance.year.milestones import MilestoneStatus
from govsched.persistence.commands.registry import seed
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.rehearsal.demo_cycle import live_closed_cycle
from govsched.rehearsal.demo_registry import SC_MEMBER, SECRETARIAT, demo_registry

# the government that takes the Chair at the next handover: none of the people the README's
# examples and the browser tests act as belongs to it
INCOMING_CHAIR = "gov-pelagonia"


def seed_demo(session: Session, now: datetime, rulebook: Rulebook) -> int:
    """Load the demo around `now`'s day in the initiative's time zone; the registry records
    written (the same count whatever the day: the settled past is not counted)."""
    today = local_date(now, rulebook.initiative.timezone)
    demo = demo_registry(today)
    count = seed(session, demo.commands(), now, rulebook, demo.seats)
    seed(session, _completed_on_time(session, today), now, rulebook)
    seed(session, [DesignateIncomingChair(member=INCOMING_CHAIR, by=SECRETARIAT)], now, rulebook)
    for plenary in registry_repo.list_plenaries(session):
        if plenary.ends < today:
            live_closed_cycle(session, plenary, rulebook)
            report_repo.mark_done(session, plenary.year, CLOSE)
    session.flush()
    return count


def _completed_on_time(session: Session, today: date) -> list[CompleteMilestone]:
    return [
        CompleteMilestone(
            year=m.year,
            key=m.key,
            plenary=m.plenary_id,
            by=SC_MEMBER if m.owner_role is Role.STEERING_COMMITTEE else SECRETARIAT,
        )
        for m in milestone_repo.all_milestones(session)
        if m.status is MilestoneStatus.OPEN and m.due < today
    ]
