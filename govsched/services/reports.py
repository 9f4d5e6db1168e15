"""Annual reports and peer reviews, as the API, the CLI and rehearsals drive and read them.

A submission is written with its audit entry in one transaction, then the year's reporting-cycle
workflow is told (started if it is not running), so a late report gets its reviewers and a
submitted review reaches the reported member without waiting for the next deadline. A
submission sent with an idempotency key keeps a receipt in its transaction
(govsched.persistence.commands.receipts): sent again after Temporal was lost between the write and
the wake, it only wakes the cycle.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session
from temporalio.client import Client

from governance.kernel.audit import AuditEntry
from governance.kernel.errors import Conflict, Forbidden, NotFound, Problem
from governance.kernel.messages import say
from governance.kernel.model import Frozen, MemberStatus, Person, Role
from governance.kernel.notices import Notification
from governance.kernel.timekeeping import end_of_day
from governance.reports.cycle import (
    WHOLE_CYCLE,
    DeclareConflict,
    MissedReport,
    Report,
    Review,
    SubmissionFacts,
    SubmitReport,
    SubmitReview,
    cycle_closes,
    cycle_dates,
    declare_conflict,
    expected_kind,
    owed_closed_cycle,
    owes_report_for,
    reading_for,
    report_status,
    submit_report,
    submit_review,
    visible_escalations,
    visible_reviews,
)
from governance.reports.cycle_log import CycleLog
from governance.reports.indicators.submission import SubmitIndicators
from governance.rulebook.model import Rulebook
from govsched.persistence.commands import receipts
from govsched.persistence.commands.reports import dates_of
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.services.indicators import Deliver, IndicatorService, record_in
from govsched.temporal.client import ServiceUnavailable, unreachable
from govsched.temporal.starters import wake_cycle


def _audit(key: str, at: datetime, actor: str, action: str, kind: str, item: str) -> AuditEntry:
    return AuditEntry(
        key=key, at=at, actor=actor, action=action, item_kind=kind, item_id=item, reason=action
    )


@dataclass
class ReportService:
    client: Client
    db: Database
    rulebook: Rulebook
    task_queue: str
    clock_offset: timedelta = timedelta(0)
    # how an amendment of indicator values reaches the member's reviewers (issue 22)
    deliver: Deliver | None = None

    def _record_report(
        self, cmd: SubmitReport, at: datetime, key: str | None
    ) -> tuple[Report, list[Notification]]:
        tz = self.rulebook.initiative.timezone
        notices: list[Notification] = []
        with self.db.writing() as session:
            if key is not None and receipts.earlier(session, "report", key, cmd) is not None:
                stored = report_repo.get_report(session, cmd.year, cmd.member)
                assert stored is not None, "a receipt names a stored report"
                return stored, []
            plenary = registry_repo.get_plenary(session, f"plenary-{cmd.year}")
            member = registry_repo.get_member(session, cmd.member)
            person = registry_repo.get_person(session, cmd.by)
            template = self.rulebook.reporting.templates.get(member.pillar, []) if member else []
            dates = cycle_dates(plenary, self.rulebook) if plenary else None
            facts = SubmissionFacts(
                dates=dates,
                member_status=member.status if member else None,
                sections=tuple(
                    f"{s.key} {s.title}" + ("" if s.required else " (optional)") for s in template
                ),
                by_roles=None if person is None else frozenset(person.roles),
                by_member=None if person is None else person.member,
                already=report_repo.get_report(session, cmd.year, cmd.member),
                due_kind=None
                if member is None
                else expected_kind(cmd.year, member.joined, self.rulebook),
                # asked of a closed cycle only: an open one takes any member's report
                owed=None
                if member is None or dates is None or at < cycle_closes(dates, tz)
                else owed_closed_cycle(
                    member.status,
                    member.pillar,
                    member.joined,
                    dates,
                    self.rulebook,
                    recorded_missing=report_repo.was_missed(session, cmd.year, cmd.member),
                ),
            )
            report = submit_report(cmd, at, facts, tz)
            report_repo.save_report(session, report)
            if cmd.indicators is not None:
                values = SubmitIndicators(
                    year=cmd.year, member=cmd.member, by=cmd.by, indicators=cmd.indicators
                )
                _, notices = record_in(session, self.rulebook, values, at)
            item = f"report-{cmd.year}-{cmd.member}"
            # the register tells a report received after the close from one the cycle counted
            action = "report.submitted_after_close" if report.after_close else "report.submitted"
            audit_repo.append(
                session, _audit(f"{item}:submitted", at, cmd.by, action, "report", item)
            )
            if key is not None:
                receipts.keep(session, "report", key, cmd, at, item)
        return report, notices

    async def _wake(self, year: int, key: str | None) -> None:
        try:
            await wake_cycle(self.client, self.task_queue, year, self.clock_offset)
        except Exception as exc:
            if not unreachable(exc):
                raise
            # recorded; the repeat (same key) only wakes the cycle, and so does a starting worker
            raise ServiceUnavailable(
                say("the workflow service was lost after the submission was recorded"), key
            ) from exc

    async def submit_report(
        self, cmd: SubmitReport, at: datetime, key: str | None = None
    ) -> Report:
        report, notices = self._record_report(cmd, at, key)
        if notices:
            # a notifier may block (SMTP, Slack): never on the event loop
            sender = IndicatorService(self.db, self.rulebook, self.deliver)
            await asyncio.to_thread(sender.send, notices)
        if self._cycle_waits_for(cmd.year, cmd.member):
            await self._wake(cmd.year, key)
        return report

    def _cycle_waits_for(self, year: int, member: str) -> bool:
        """Whether the cycle must act on this report now: a late one needs reviewers, an
        inactive member's may bring it back. Any other report is read at the cycle's next
        step, so no signal: one per submission grew the cycle's history with the membership
        and, at 20,000 members, kept it from ever continuing as new."""
        with self.db.reading() as session:
            assigned = CycleLog.of(report_repo.done_steps(session, year)).assigned
            facts = registry_repo.member_facts(session, member)
        return assigned or (facts is not None and facts.status is MemberStatus.INACTIVE)

    async def submit_review(
        self, cmd: SubmitReview, at: datetime, key: str | None = None
    ) -> Review:
        with self.db.writing() as session:
            repeated = key is not None and receipts.earlier(session, "review", key, cmd)
            if repeated:
                stored = report_repo.get_review(session, cmd.year, cmd.report_of, cmd.reviewer)
                assert stored is not None, "a receipt names a stored review"
                review = stored
            else:
                review = self._record_review(session, cmd, at, key)
        # One wake per run of waiting feedback, not one per review: another review still
        # waiting means its wake is out, and the cycle sends every review committed before it
        # looks again (this one included, since it is committed above). A repeat cannot know
        # whether its first wake went out, so it wakes the cycle again.
        with self.db.reading() as session:
            waiting = report_repo.pending_feedback(session, cmd.year, 2)
        mine = all((r.report_of, r.reviewer) == (cmd.report_of, cmd.reviewer) for r in waiting)
        if repeated or mine:
            await self._wake(cmd.year, key)
        return review

    def _record_review(
        self, session: Session, cmd: SubmitReview, at: datetime, key: str | None
    ) -> Review:
        person = registry_repo.get_person(session, cmd.by)
        reviewer = registry_repo.member_facts(session, cmd.reviewer)
        review = submit_review(
            cmd,
            at,
            report_repo.get_review(session, cmd.year, cmd.report_of, cmd.reviewer),
            None if person is None else frozenset(person.roles),
            None if person is None else person.member,
            reviewer_status=None if reviewer is None else reviewer.status,
        )
        report_repo.record_review(session, review)
        item = f"review-{cmd.year}-{cmd.report_of}-{cmd.reviewer}"
        audit_repo.append(
            session,
            _audit(f"{item}:submitted", at, cmd.by, "review.submitted", "review", item),
        )
        if key is not None:
            receipts.keep(session, "review", key, cmd, at, item)
        return review

    def declare_conflict(self, cmd: DeclareConflict, at: datetime, by: str) -> None:
        with self.db.writing() as session:
            declare_conflict(
                cmd,
                registry_repo.member_exists(session, cmd.reviewer_member),
                registry_repo.member_exists(session, cmd.reported_member),
            )
            if not report_repo.add_conflict(
                session, cmd.reviewer_member, cmd.reported_member, cmd.reason, at, by
            ):
                raise Conflict(
                    say("already declared"),
                    [Problem("reported_member", say("this conflict is already declared"))],
                )
            item = f"conflict-{cmd.reviewer_member}-{cmd.reported_member}"
            audit_repo.append(
                session,
                _audit(f"{item}:declared", at, by, "conflict.declared", "review_conflict", item),
            )

    def declare_conflict_as(self, cmd: DeclareConflict, at: datetime, person: Person) -> None:
        """The caller declares for the member it is a focal point of, or as the Secretariat."""
        own = Role.FOCAL_POINT in person.roles and person.member == cmd.reviewer_member
        if not own and Role.SECRETARIAT not in person.roles:
            raise Forbidden(
                f"{Role.FOCAL_POINT.value} for {cmd.reviewer_member}",
                say("declaring a conflict for %(member)s", member=cmd.reviewer_member),
                [
                    Problem(
                        "reviewer_member",
                        say(
                            "only a focal point of %(member)s or the Secretariat may",
                            member=cmd.reviewer_member,
                        ),
                    )
                ],
            )
        self.declare_conflict(cmd, at, person.id)


class ReportLine(Frozen):
    member: str
    kind: str
    # open, overdue (none yet), or as `report_status` says: submitted, late, after_close
    status: str
    submitted_at: datetime | None = None
    url: str | None = None
    public: bool = False
    public_on: date | None = None
    sections: tuple[str, ...] = ()


class CycleView(Frozen):
    year: int
    opens: date
    due: date
    review_due: date
    # the plenary's last day: the cycle closes as it ends, and a report received after that
    # is kept but leaves the cycle missed (status `after_close`)
    closes: date
    reports: list[ReportLine]
    reviews: list[Review]
    escalations: list[MissedReport]


def cycle_view(
    db: Database, year: int, person: Person, now: datetime, rulebook: Rulebook
) -> CycleView:
    """The cycle as `person` may see it: all of it for the Secretariat, the Steering Committee
    and the Chair; for a member's focal point, its own report, the reviews of it, and the
    reports it must review with its reviews of them (not once its member has left)."""
    tz = rulebook.initiative.timezone
    everything = bool(person.roles & WHOLE_CYCLE)
    # a person's member reads as theirs only while they are its focal point
    own = reading_for(person.roles, person.member)
    with db.reading() as session:
        dates = dates_of(session, year, rulebook)
        if dates is None:
            raise NotFound("report cycle", str(year))
        facts = registry_repo.member_facts(session, person.member)
        status = None if facts is None else facts.status
        if everything:
            submitted = {r.member: r for r in report_repo.reports(session, year)}
            reviews = report_repo.reviews(session, year)
            members = registry_repo.list_members(session)
        else:
            # a focal point's few lines are read alone: its page read the whole registry, every
            # report and every review of the year (seconds at 20,000 members) to keep three
            found_reviews = [] if own is None else report_repo.reviews_involving(session, year, own)
            # a member that left reads its own report and the reviews of it, nothing of others
            reviews = visible_reviews(found_reviews, person.roles, own, status)
            mine = {r.report_of for r in reviews if r.reviewer == own} | ({own} if own else set())
            found = [registry_repo.get_member(session, m) for m in sorted(mine)]
            members = [m for m in found if m is not None]
            submitted = {
                r.member: r
                for m in members
                if (r := report_repo.get_report(session, year, m.id)) is not None
            }
        missed = report_repo.missed(session, year)
    reviews = visible_reviews(reviews, person.roles, own, status)
    visible = None if everything else {own} | {r.report_of for r in reviews if r.reviewer == own}
    overdue = now >= end_of_day(dates.due, tz)
    lines = []
    for m in members:
        if visible is not None and m.id not in visible:
            continue
        report = submitted.get(m.id)
        if report is None:
            if not owes_report_for(m.status, m.pillar, m.joined, dates, rulebook):
                continue
            lines.append(
                ReportLine(
                    member=m.id,
                    kind=expected_kind(year, m.joined, rulebook).value,
                    status="overdue" if overdue else "open",
                )
            )
            continue
        lines.append(
            ReportLine(
                member=m.id,
                kind=report.kind.value,
                status=report_status(report),
                submitted_at=report.submitted_at,
                url=report.url,
                public=report.public,
                public_on=report.public_on,
                sections=report.sections,
            )
        )
    return CycleView(
        year=year,
        opens=dates.opens,
        due=dates.due,
        review_due=dates.review_due,
        closes=dates.plenary_ends,
        reports=lines,
        reviews=reviews,
        escalations=visible_escalations(missed, person.roles, own),
    )
