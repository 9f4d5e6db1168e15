"""The draft plenary agenda, generated from what is live: decisions waiting for the plenary, the
verification roster, peer review and escalations, the strategy review and the Chair handover.

The Secretariat circulates it at the draft-agenda milestone; regenerating it later gives the
agenda as things then stand. Sections with nothing in them say so rather than disappear, so a
reader can tell "nothing to decide" from "forgotten".

Each reader sees the items the rules let them read anywhere else (`seen_by`): an application or
a concern they would be told does not exist is not on their copy either, nor a review or an
escalation their report cycle does not show them. Where a section is a partial view for the
reader, its empty line says so in words that are true whether or not anything was left out.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from datetime import date

from governance.applications import access as application_access
from governance.applications.model import ApplicationKind, ApplicationRecord, ApplicationState
from governance.concerns import access as concern_access
from governance.concerns.model import ConcernRecord, ConcernState
from governance.kernel.actor import Actor
from governance.kernel.model import Frozen, Plenary, PlenaryKind, Role
from governance.kernel.wording import date_range_text, day_text
from governance.reports.cycle import (
    WHOLE_CYCLE,
    EscalationKind,
    MissedReport,
    Review,
    visible_escalations,
    visible_reviews,
)
from governance.roster.rule import Slot
from governance.rulebook.model import Rulebook
from governance.year.handover.rules import Handover
from governance.year.milestones import MilestoneStatus, PlannedMilestone


class AgendaSection(Frozen):
    key: str
    title: str
    items: tuple[str, ...]
    empty: str = ""


class DraftAgenda(Frozen):
    plenary: str
    title: str
    dates: str
    location: str
    as_of: date
    sections: tuple[AgendaSection, ...]


@dataclass(frozen=True, slots=True)
class GroupSeat:
    """A group's confirmed nominee to the plenary, and whether the initiative pays the travel."""

    group: str
    nominee: str
    travel_supported: bool


@dataclass(frozen=True, slots=True)
class AgendaFacts:
    plenary: Plenary
    as_of: date
    applications: tuple[ApplicationRecord, ...] = ()
    roster: tuple[Slot, ...] | None = None
    handover: Handover | None = None
    milestones: tuple[PlannedMilestone, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    reviews: tuple[Review, ...] = ()
    missed: tuple[MissedReport, ...] = ()
    concerns: tuple[ConcernRecord, ...] = ()
    # In-country Implementation Groups' confirmed nominees (issue 23, 3c), by group.
    group_seats: tuple[GroupSeat, ...] = ()


def seen_by(facts: AgendaFacts, viewer: Actor | None) -> AgendaFacts:
    """The facts `viewer` may read, by the rules of every other read of them; None is the
    Secretariat's own copy (the one it circulates and the operator's CLI prints)."""
    if viewer is None:
        return facts
    return replace(
        facts,
        applications=tuple(r for r in facts.applications if application_access.may_see(r, viewer)),
        concerns=tuple(c for c in facts.concerns if concern_access.may_see(c, viewer)),
        reviews=tuple(visible_reviews(facts.reviews, viewer.roles, viewer.member)),
        missed=tuple(visible_escalations(facts.missed, viewer.roles, viewer.member)),
    )


@dataclass(frozen=True, slots=True)
class _Partial:
    """Which confidential sections are a partial view for the reader (by their roles alone,
    never by what was left out, so the wording tells nothing about hidden items)."""

    applications: bool = False
    concerns: bool = False
    cycle: bool = False

    @classmethod
    def of(cls, viewer: Actor | None) -> _Partial:
        if viewer is None:
            return cls()
        # Applications awaiting the plenary and concerns awaiting its decision: the Chair (who
        # presides over the decision) sees them all, as the Secretariat and the Committee do.
        limited = not viewer.roles & {Role.SECRETARIAT, Role.STEERING_COMMITTEE, Role.CHAIR}
        return cls(applications=limited, concerns=limited, cycle=not viewer.roles & WHOLE_CYCLE)


def _yours(partial: bool) -> str:
    return " that you may see" if partial else ""


def _decisions(facts: AgendaFacts) -> tuple[str, ...]:
    lines = []
    for r in facts.applications:
        if r.kind is not ApplicationKind.ADMISSION:
            continue
        who = f"{r.applicant.organisation} ({r.applicant.pillar.value}, {r.applicant.country})"
        if r.state is ApplicationState.AWAITING_PLENARY:
            objections = len(r.objections)
            lines.append(f"Admission of {who}: decision, {objections} objection(s) recorded")
        elif r.state is ApplicationState.PROVISIONALLY_ADMITTED:
            lines.append(f"Ratification of the provisional admission of {who}")
    return tuple(lines)


def _concerns(facts: AgendaFacts) -> tuple[str, ...]:
    """Cases awaiting this plenary's decision: the member concerned only. Who filed (anonymous
    or not) and what was alleged stay in the Secretariat's papers to the parties."""
    return tuple(
        f"Participant concern {c.id} about {facts.names.get(c.about, c.about)}: decision on the "
        "Steering Committee's recommendation (confidential papers)"
        for c in sorted(facts.concerns, key=lambda c: c.id)
        if c.state is ConcernState.AWAITING_DECISION and c.decision_plenary == facts.plenary.id
    )


def _full_votes(facts: AgendaFacts) -> tuple[str, ...]:
    return tuple(
        f"Full membership of {facts.names.get(r.member or '', r.applicant.organisation)}"
        for r in facts.applications
        if r.kind is ApplicationKind.FULL_MEMBERSHIP
        and r.state in (ApplicationState.AWAITING_PLENARY, ApplicationState.PROVISIONALLY_ADMITTED)
    )


def _roster(facts: AgendaFacts) -> tuple[tuple[str, ...], str]:
    if facts.roster is None:
        return (), "The roster is not drawn yet."
    return tuple(
        f"{i}. {facts.names.get(s.member, s.member)} ({s.pillar.value}): {s.reason}"
        for i, s in enumerate(facts.roster, start=1)
    ), "Nobody is due to present."


def _peer_review(facts: AgendaFacts) -> tuple[str, ...]:
    by_report: dict[str, list[str]] = {}
    for r in facts.reviews:
        state = "review submitted" if r.submitted_at is not None else "review pending"
        by_report.setdefault(r.report_of, []).append(
            f"{facts.names.get(r.reviewer, r.reviewer)} ({state})"
        )
    return tuple(
        f"{facts.names.get(member, member)}: reviewed by {', '.join(reviewers)}"
        for member, reviewers in sorted(by_report.items())
    )


def _escalations(facts: AgendaFacts) -> tuple[str, ...]:
    lines = []
    for m in facts.missed:
        name = facts.names.get(m.member, m.member)
        if m.escalation is EscalationKind.PROPOSE_INACTIVE:
            lines.append(f"{name}: Inactive status proposed ({m.missed_in_a_row} cycles missed)")
        elif m.escalation is EscalationKind.REFERRED:
            lines.append(f"{name}: referred for not reporting")
    return tuple(lines)


def _strategy(facts: AgendaFacts) -> tuple[str, ...]:
    review = next((m for m in facts.milestones if m.key == "strategy_review"), None)
    if review is None:
        return ()
    state = (
        f"completed by {review.completed_by}"
        if review.status is MilestoneStatus.COMPLETED
        else f"due {day_text(review.due)}"
    )
    return (f"{review.title} ({state})",)


def _handover(facts: AgendaFacts, rulebook: Rulebook) -> tuple[str, ...]:
    h = facts.handover
    if h is None:
        return ()
    label = rulebook.initiative.labels.chair
    outgoing = facts.names.get(h.outgoing or "", h.outgoing or "the outgoing Chair")
    if h.incoming is None:
        return (f"{label}: {outgoing} hands over; the incoming {label} is not designated yet",)
    incoming = facts.names.get(h.incoming, h.incoming)
    if h.incoming == h.outgoing:
        return (f"{label}: {incoming} continues for a consecutive term",)
    open_items = [i.title for i in h.items if i.completed_at is None]
    line = f"{label}: handover from {outgoing} to {incoming}"
    if open_items:
        line += f" (checklist still open: {', '.join(open_items)})"
    return (line,)


def _group_seats(facts: AgendaFacts) -> tuple[str, ...]:
    return tuple(
        f"{seat.nominee} ({seat.group}), "
        + ("travel supported" if seat.travel_supported else "travel not supported")
        for seat in facts.group_seats
    )


def draft_agenda(facts: AgendaFacts, rulebook: Rulebook, viewer: Actor | None) -> DraftAgenda:
    """The agenda as `viewer` may read it (None: the Secretariat's own copy)."""
    partial = _Partial.of(viewer)
    facts = seen_by(facts, viewer)
    p = facts.plenary
    labels = rulebook.initiative.labels
    name = labels.plenary if p.kind is PlenaryKind.ANNUAL else "Extraordinary Plenary"
    roster_items, roster_empty = _roster(facts)
    annual = p.kind is PlenaryKind.ANNUAL
    sections = [
        AgendaSection(key="opening", title=f"Opening by the {labels.chair}", items=()),
        AgendaSection(
            key="membership_decisions",
            title="New members: decisions and ratifications",
            items=_decisions(facts),
            empty=f"No application{_yours(partial.applications)} awaits the plenary.",
        ),
        AgendaSection(
            key="full_membership_votes",
            title="Full membership votes",
            items=_full_votes(facts),
            empty=(
                f"No request for Full membership{_yours(partial.applications)} awaits the plenary."
            ),
        ),
    ]
    if annual:
        sections += [
            AgendaSection(
                key="verification_presentations",
                title="Verification presentations",
                items=roster_items,
                empty=roster_empty,
            ),
            AgendaSection(
                key="peer_review",
                title="Annual reports: peer-review outcomes",
                items=_peer_review(facts),
                empty=f"No peer-review outcome{_yours(partial.cycle)} is recorded.",
            ),
            AgendaSection(
                key="escalations",
                title="Escalations: members referred for not reporting",
                items=_escalations(facts),
                empty=f"No member{_yours(partial.cycle)} is referred.",
            ),
            AgendaSection(
                key="strategy_review",
                title="Strategy review",
                items=_strategy(facts),
                empty="No strategy review is planned for this plenary.",
            ),
            AgendaSection(
                key="chair_handover",
                title=f"{labels.chair} handover",
                items=_handover(facts, rulebook),
                empty="No handover is planned at this plenary.",
            ),
            AgendaSection(
                key="in_country_groups",
                title="In-country Implementation Groups: their members at the plenary",
                items=_group_seats(facts),
                empty="No nominee of an In-country Implementation Group is confirmed.",
            ),
        ]
    sections.append(
        AgendaSection(
            key="participant_concerns",
            title="Participant concerns: decisions",
            items=_concerns(facts),
            empty=f"No participant concern{_yours(partial.concerns)} awaits the plenary.",
        )
    )
    sections.append(AgendaSection(key="closing", title="Any other business and close", items=()))
    return DraftAgenda(
        plenary=p.id,
        title=f"{rulebook.initiative.short_name} {p.year} {name}: draft agenda",
        dates=date_range_text(p.starts, p.ends),
        location=p.location,
        as_of=facts.as_of,
        sections=tuple(sections),
    )


def as_markdown(agenda: DraftAgenda) -> str:
    lines = [
        f"# {agenda.title}",
        "",
        f"{agenda.location}, {agenda.dates}. Draft as of {day_text(agenda.as_of)}.",
        "",
    ]
    for number, section in enumerate(agenda.sections, start=1):
        lines.append(f"## {number}. {section.title}")
        lines.append("")
        if section.items:
            lines += [f"- {_md(item)}" for item in section.items]
            lines.append("")
        elif section.empty:
            lines += [f"_{_md(section.empty)}_", ""]
    return "\n".join(lines)


# Characters that are Markdown (CommonMark and GitHub's extensions: strikethrough, tables,
# images, entities) wherever they stand; each is escaped with a backslash, which CommonMark
# allows before any ASCII punctuation.
_MARKUP = re.compile(r"[\\`*_\[\]<>#|!~&]")
# A dot or colon inside a word (`evil.example`, `http://`, `a@b.example`) is what turns bare
# text into an autolink; a full stop or a colon before a space stays as written.
_LINK_PUNCTUATION = re.compile(r"(?<=\S)[.:](?=\S)")
_LINE_BREAK = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def _md(text: str) -> str:
    # names come from applicants: keep them from turning into links, images, emphasis or HTML,
    # and on their list item (a line break could start a heading)
    one_line = _LINE_BREAK.sub(" ", text)
    return _LINK_PUNCTUATION.sub(r"\\\g<0>", _MARKUP.sub(r"\\\g<0>", one_line))


def as_html(agenda: DraftAgenda) -> str:
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(agenda.title)}</title></head><body>",
        f"<h1>{e(agenda.title)}</h1>",
        f"<p>{e(agenda.location)}, {e(agenda.dates)}. Draft as of {e(day_text(agenda.as_of))}.</p>",
        "<ol>",
    ]
    for section in agenda.sections:
        parts.append(f'<li id="{e(section.key)}"><h2>{e(section.title)}</h2>')
        if section.items:
            parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in section.items) + "</ul>")
        elif section.empty:
            parts.append(f"<p><em>{e(section.empty)}</em></p>")
        parts.append("</li>")
    parts += ["</ol>", "</body></html>", ""]
    return "\n".join(parts)
