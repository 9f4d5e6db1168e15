"""The demo `make run` (and `govsched seed demo`) loads into an empty database: the fictional
registry placed around today, and its year as lived so far, so that nothing already past is
announced as news at the first start.

What lies before today is settled: the plenary milestones due before today were completed on
time, and the reporting cycle of the plenary already held is closed, with the reports its
members sent (nearly all on time, two late, four missing), so that the reporting pages show a
cycle with reports in even in the weeks before the next cycle opens (ARCHITECTURE.md, "The
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
from governance.reports.cycle import Report, cycle_dates, expected_kind, owes_report
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
            _reported(session, plenary, rulebook)
            report_repo.mark_done(session, plenary.year, CLOSE)
    session.flush()
    return count


# The closed cycle as most years go: nearly every member that owed a report sent it before the
# due day, two sent theirs late and four none. Norland and Lusmark are among the four: the
# browser tests submit their reports into that cycle (late, as a member catching up would).
LAST_CYCLE_WITHOUT_REPORT = frozenset(
    {"gov-norland", "gov-lusmark", "gov-westmarch", "ngo-rule-of-law-partners"}
)
LAST_CYCLE_LATE = frozenset({"co-kestrel-mining", "ngo-grievance-access-project"})
# on time, the reports came in over the weeks before the due day; late ones a few days after it
_FIRST_DAYS_BEFORE_DUE = 30
_DAYS_LATE = 5


def _reported(session: Session, plenary: Plenary, rulebook: Rulebook) -> None:
    """The closed cycle's reports as its members sent them: those that owed one (and had joined
    by the time the cycle opened), but for `LAST_CYCLE_WITHOUT_REPORT`."""
    dates = cycle_dates(plenary, rulebook)
    tz = rulebook.initiative.timezone
    first = max(dates.due - timedelta(days=_FIRST_DAYS_BEFORE_DUE), dates.opens)
    span = max((dates.due - first).days + 1, 1)
    owing = [
        m
        for m in registry_repo.list_members(session)
        if owes_report(m.status, m.pillar, rulebook)
        and m.joined < dates.opens
        and m.id not in LAST_CYCLE_WITHOUT_REPORT
    ]
    for number, member in enumerate(owing):
        on_time = first + timedelta(days=number % span)
        sent = dates.due + timedelta(days=_DAYS_LATE) if member.id in LAST_CYCLE_LATE else on_time
        # a plenary early in January has its due day before its cycle opens: every report of
        # such a cycle came in once it opened, late
        sent = max(sent, dates.opens)
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
