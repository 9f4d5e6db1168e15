"""The demo `make run` (and `govsched seed demo`) loads into an empty database: the fictional
registry placed around today, and its year as lived so far, so that nothing already past is
announced as news at the first start.

What lies before today is settled: the plenary milestones due before today were completed on
time, and the reporting cycle of the plenary already held is closed, with the reports some of
its members sent before their due day (`LAST_CYCLE_REPORTERS`), so that the reporting pages show
a cycle with reports in even in the weeks before the next cycle opens (ARCHITECTURE.md, "The
demo's reporting cycle"). The Chair's handover at the next plenary is being prepared: its
incoming Chair is named (as the Secretariat would have, before today, so nothing is announced).
What lies ahead is left for the processes to announce when its day comes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from governance.kernel.model import Plenary, Role
from governance.kernel.timekeeping import local_date, start_of_day
from governance.registry.changes import CompleteMilestone
from governance.reports.cycle import Report, cycle_dates, expected_kind
from governance.reports.cycle_log import CLOSE
from governance.rulebook.model import Rulebook
from governance.year.handover.rules import DesignateIncomingChair
from governance.year.milestones import MilestoneStatus
from govsched.persistence.commands.registry import seed
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
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
            _reported_on_time(session, plenary, rulebook)
            report_repo.mark_done(session, plenary.year, CLOSE)
    session.flush()
    return count


# the members whose reports the closed cycle received: some of each voting pillar, none of them
# a member the README's examples or the browser tests report for (they submit into that cycle)
LAST_CYCLE_REPORTERS = (
    "gov-tivaldi",
    "gov-ubrecht",
    "co-fjordline-mining",
    "co-helios-mining",
    "co-jadeite-mining",
    "co-granite-peak-energy",
    "co-lumen-energy",
    "ngo-community-voices-network",
    "ngo-land-and-dignity-alliance",
    "ngo-open-extractives-forum",
    "ngo-transparency-coalition",
)
# they arrived over the weeks before the due day, a few days apart
_FIRST_DAYS_BEFORE_DUE = 30
_DAYS_APART = 2


def _reported_on_time(session: Session, plenary: Plenary, rulebook: Rulebook) -> None:
    """The closed cycle's reports as its members sent them: before the due day whenever the
    cycle left days for it."""
    dates = cycle_dates(plenary, rulebook)
    tz = rulebook.initiative.timezone
    first = max(dates.due - timedelta(days=_FIRST_DAYS_BEFORE_DUE), dates.opens)
    for number, member_id in enumerate(LAST_CYCLE_REPORTERS):
        member = registry_repo.get_member(session, member_id)
        assert member is not None, member_id
        # a plenary early in January has its due day before its cycle opens: every report of
        # such a cycle came in on the opening day, late
        sent = max(min(first + timedelta(days=number * _DAYS_APART), dates.due), dates.opens)
        template = rulebook.reporting.templates.get(member.pillar, [])
        report_repo.save_report(
            session,
            Report(
                year=plenary.year,
                member=member.id,
                kind=expected_kind(plenary.year, member.joined, rulebook),
                url=f"https://example.org/{member.id}/report-{plenary.year - 1}.pdf",
                sections=tuple(section.key for section in template),
                submitted_at=start_of_day(sent, tz) + timedelta(hours=10),
                submitted_by=f"fp-{member.id}",
                late=sent > dates.due,
            ),
        )


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
