"""Impact indicators (issue 22) as the API, the CLI, the web and rehearsals drive and read them.

Values are checked and written with their audit entry in one transaction (inside the report's
own when they come with the report). An amendment's notices go to the reviewers' focal points
after the commit, through the notification ledger, keyed by the amendment's number: sending
again never sends twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from governance.kernel.actor import Actor
from governance.kernel.audit import AuditEntry
from governance.kernel.errors import Forbidden, InvalidInput, NotFound, Problem
from governance.kernel.messages import say
from governance.kernel.model import Frozen, MemberStatus, Person, Pillar, Role
from governance.kernel.notices import Notification
from governance.reports.indicators.access import may_see_values
from governance.reports.indicators.aggregates import MemberValues, Table, year_tables
from governance.reports.indicators.comparison import Comparison, compare
from governance.reports.indicators.model import Indicator, IndicatorSet
from governance.reports.indicators.submission import (
    CommentIndicator,
    IndicatorComment,
    MemberAtHand,
    Recorded,
    StoredIndicators,
    SubmitIndicators,
    amendment_notices,
    check_comment,
    record_indicators,
)
from governance.reports.indicators.suppression import Audience, aggregate_audience, shown_table
from governance.reports.indicators.values import Stage, checked_values
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.reports import dates_of
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import indicators as indicator_repo
from govsched.persistence.repos import registry as registry_repo

ITEM_KIND = "indicators"
Deliver = Callable[[Notification], object]
_WHOLE = frozenset({Role.SECRETARIAT, Role.STEERING_COMMITTEE})


def item_id(year: int, member: str) -> str:
    return f"indicators-{year}-{member}"


def _audit(
    session: Session, kept: StoredIndicators, at: datetime, by: str, action: str, **data: Any
) -> None:
    item = item_id(kept.year, kept.member)
    step = {"draft_saved": f"draft:{at.isoformat()}", "amended": f"amended-{kept.amendments}"}
    audit_repo.append(
        session,
        AuditEntry(
            key=f"{item}:{step.get(action, action)}",
            at=at,
            actor=by,
            action=f"indicators.{action}",
            item_kind=ITEM_KIND,
            item_id=item,
            reason=f"indicators {action.replace('_', ' ')}",
            data={"version": kept.version, **data},
        ),
    )


def record_in(
    session: Session, rulebook: Rulebook, cmd: SubmitIndicators, at: datetime
) -> tuple[Recorded, list[Notification]]:
    """Check and write `cmd` in `session` with its audit entry; the notices of an amendment
    are returned, to be delivered once the transaction commits."""
    indicator_repo.lock(session, cmd.year, cmd.member)
    facts = registry_repo.member_facts(session, cmd.member)
    person = registry_repo.get_person(session, cmd.by)
    recorded = record_indicators(
        cmd,
        at,
        dates_of(session, cmd.year, rulebook) is not None,
        MemberAtHand(
            status=None if facts is None else facts.status,
            pillar=None if facts is None else facts.pillar,
            by_roles=None if person is None else frozenset(person.roles),
            by_member=None if person is None else person.member,
        ),
        rulebook.indicators,
        indicator_repo.get(session, cmd.year, cmd.member),
    )
    kept = recorded.stored
    indicator_repo.save(session, kept)
    notices: list[Notification] = []
    if cmd.draft:
        _audit(session, kept, at, cmd.by, "draft_saved", keys=sorted(kept.draft or {}))
    elif recorded.amended is None:
        _audit(session, kept, at, cmd.by, "submitted")
    else:
        _audit(session, kept, at, cmd.by, "amended", changed=list(recorded.amended))
        # a reviewer that left the initiative is told nothing more of the member it reviewed
        assigned = indicator_repo.reviewers_of(session, cmd.year, cmd.member)
        left = registry_repo.members_that_left(session, assigned)
        reviewers = [r for r in assigned if r not in left]
        people = registry_repo.focal_points_by_member(session, reviewers)
        name = facts.name if facts is not None else cmd.member
        labels = (
            {
                i.key: i.label()
                for i in rulebook.indicators.set_by_version(kept.version).indicators(facts.pillar)
            }
            if facts is not None
            else {}
        )
        notices = amendment_notices(
            kept,
            name,
            recorded.amended,
            sorted({p for r in reviewers for p in people[r]}),
            at,
            labels,
        )
    return recorded, notices


class IndicatorQuestion(Frozen):
    key: str
    label: str
    guidance: str
    type: str
    theme: str
    required: bool
    minimum: str | None = None
    maximum: str | None = None
    choices: list[str] = []
    currencies: list[str] = []


class IndicatorsView(Frozen):
    """One member's values of one year as the reader may see them."""

    year: int
    member: str
    version: str
    default_set: bool
    questions: list[IndicatorQuestion]
    submitted: dict[str, Any] | None = None
    submitted_at: datetime | None = None
    amendments: int = 0
    # the member's own work in progress: for the member itself and the Secretariat only
    draft: dict[str, Any] | None = None
    reviewers: list[str] = []
    comments: list[IndicatorComment] = []


def question(ind: Indicator) -> IndicatorQuestion:
    wording = ind.texts["en"]
    return IndicatorQuestion(
        key=ind.key,
        label=wording.label,
        guidance=wording.guidance,
        type=ind.type.value,
        theme=ind.theme.value,
        required=ind.required,
        minimum=None if ind.minimum is None else str(ind.minimum),
        maximum=None if ind.maximum is None else str(ind.maximum),
        choices=list(ind.choices),
        currencies=list(ind.currencies),
    )


def actor(person: Person, member_status: MemberStatus | None = None) -> Actor:
    return Actor(
        person=person.id,
        roles=frozenset(person.roles),
        member=person.member,
        member_status=member_status,
    )


def _status_of(session: Session, member: str | None) -> MemberStatus | None:
    facts = registry_repo.member_facts(session, member)
    return None if facts is None else facts.status


@dataclass
class IndicatorService:
    db: Database
    rulebook: Rulebook
    deliver: Deliver | None = None

    def send(self, notices: Sequence[Notification]) -> None:
        if self.deliver is not None:
            for notice in notices:
                self.deliver(notice)

    def submit(self, cmd: SubmitIndicators, at: datetime) -> StoredIndicators:
        with self.db.writing() as session:
            recorded, notices = record_in(session, self.rulebook, cmd, at)
        self.send(notices)
        return recorded.stored

    def view(self, year: int, member: str, person: Person) -> IndicatorsView:
        with self.db.reading() as session:
            facts = registry_repo.member_facts(session, member)
            if facts is None:
                raise NotFound("member", member)
            reviewers = indicator_repo.reviewers_of(session, year, member)
            viewer = actor(person, _status_of(session, person.member))
            if not may_see_values(viewer, member, reviewers):
                raise Forbidden(
                    f"{Role.FOCAL_POINT.value} for {member} or a reviewer of it",
                    say("reading %(member)s's indicator values", member=member),
                )
            kept = indicator_repo.get(session, year, member)
            comments = indicator_repo.comments(session, year, member)
            reviewed = set(indicator_repo.reviewers_of(session, year, member, reviewed_only=True))
        governing = bool(person.roles & _WHOLE)
        whole = governing or person.member == member
        own = person.member == member or Role.SECRETARIAT in person.roles
        indicator_set = (
            self.rulebook.indicators.set_by_version(kept.version)
            if kept is not None and kept.version
            else self.rulebook.indicators.set_for_year(year)
        )
        return IndicatorsView(
            year=year,
            member=member,
            version=indicator_set.version,
            default_set=indicator_set.default,
            questions=[question(i) for i in indicator_set.indicators(facts.pillar)],
            submitted=None if kept is None else kept.submitted,
            submitted_at=None if kept is None else kept.submitted_at,
            amendments=0 if kept is None else kept.amendments,
            draft=kept.draft if kept is not None and own else None,
            reviewers=reviewers if whole else [r for r in reviewers if r == person.member],
            # the member reads a reviewer's comments with its review, once that is in
            comments=[
                c
                for c in comments
                if governing
                or c.reviewer == person.member
                or (person.member == member and c.reviewer in reviewed)
            ],
        )

    def comment(self, cmd: CommentIndicator, at: datetime) -> IndicatorComment:
        with self.db.writing() as session:
            indicator_repo.lock(session, cmd.year, cmd.report_of)
            facts = registry_repo.member_facts(session, cmd.report_of)
            if facts is None:
                raise InvalidInput(
                    say("no such member"),
                    [Problem("report_of", say("no member %(member)r", member=cmd.report_of))],
                )
            person = registry_repo.get_person(session, cmd.by)
            assigned = cmd.reviewer in indicator_repo.reviewers_of(session, cmd.year, cmd.report_of)
            kept = indicator_repo.get(session, cmd.year, cmd.report_of)
            rules = self.rulebook.indicators
            indicator_set = (
                rules.set_by_version(kept.version) if kept else rules.set_for_year(cmd.year)
            )
            comment = check_comment(
                cmd,
                at,
                assigned,
                None if person is None else frozenset(person.roles),
                None if person is None else person.member,
                indicator_set,
                facts.pillar,
                _status_of(session, cmd.reviewer),
            )
            indicator_repo.save_comment(session, comment)
            item = item_id(cmd.year, cmd.report_of)
            audit_repo.append(
                session,
                AuditEntry(
                    key=f"{item}:comment:{cmd.reviewer}:{cmd.key}:{at.isoformat()}",
                    at=at,
                    actor=cmd.by,
                    action="indicators.commented",
                    item_kind=ITEM_KIND,
                    item_id=item,
                    reason="a reviewer commented on an indicator",
                    data={"reviewer": cmd.reviewer, "key": cmd.key},
                ),
            )
        return comment

    def year_set(self, year: int) -> IndicatorSet:
        return self.rulebook.indicators.set_for_year(year)

    def tables(self, year: int, audience: Audience) -> list[Table]:
        """The year's aggregates per pillar, indicator and country, as `audience` may see them."""
        with self.db.reading() as session:
            rows = indicator_repo.submitted_with_members(session, year)
        return shown_tables(self.rulebook, year, rows, audience)

    def tables_for(self, year: int, person: Person | None) -> list[Table]:
        audience = (
            Audience.OTHERS if person is None else aggregate_audience(frozenset(person.roles))
        )
        return self.tables(year, audience)

    def comparison(self, earlier: int, later: int, person: Person | None) -> Comparison:
        """The change from `earlier` to `later`; a year before the first set has no figures."""
        rules = self.rulebook.indicators
        later_set = rules.set_for_year(later)
        later_tables = self.tables_for(later, person)
        if any(s.from_year <= earlier for s in rules.sets):
            earlier_set, earlier_tables = (
                rules.set_for_year(earlier),
                self.tables_for(earlier, person),
            )
        else:
            earlier_set, earlier_tables = later_set, []
        found = compare(earlier_set, earlier_tables, later_set, later_tables)
        return replace(found, earlier_year=earlier, later_year=later)


def member_values(
    rulebook: Rulebook, rows: Sequence[tuple[StoredIndicators, Pillar, str]]
) -> list[MemberValues]:
    """Stored values typed again by the set version they were checked against."""
    out = []
    for kept, pillar, country in rows:
        indicator_set = rulebook.indicators.set_by_version(kept.version)
        values = checked_values(indicator_set, pillar, kept.submitted or {}, Stage.STORED)
        out.append(MemberValues(kept.member, pillar, country, values))
    return out


def shown_tables(
    rulebook: Rulebook,
    year: int,
    rows: Sequence[tuple[StoredIndicators, Pillar, str]],
    audience: Audience,
) -> list[Table]:
    indicator_set = rulebook.indicators.set_for_year(year)
    tables = year_tables(indicator_set, year, member_values(rulebook, rows))
    threshold = rulebook.indicators.min_members_per_cell
    return [shown_table(t, audience, threshold) for t in tables]
