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
from governance.kernel.messages import (
    Label,
    Message,
    Term,
    Terms,
    Value,
    say,
    say_in,
    say_n,
    sentences,
    term,
)
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
from governance.roster.reason_words import slot_reason
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


class SectionWords(Frozen):
    """A section as messages: each reader's copy is written in their language
    (govsched/i18n/documents.py); `english` is the agenda as the rules write it."""

    key: str
    title: Message
    items: tuple[Message, ...] = ()
    empty: Message | None = None


class AgendaWords(Frozen):
    plenary: str
    title: Message
    starts: date
    ends: date
    location: str
    as_of: date
    sections: tuple[SectionWords, ...]

    def english(self) -> DraftAgenda:
        return DraftAgenda(
            plenary=self.plenary,
            title=self.title.english(),
            dates=date_range_text(self.starts, self.ends),
            location=self.location,
            as_of=self.as_of,
            sections=tuple(
                AgendaSection(
                    key=s.key,
                    title=s.title.english(),
                    items=tuple(i.english() for i in s.items),
                    empty=s.empty.english() if s.empty is not None else "",
                )
                for s in self.sections
            ),
        )


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
        reviews=tuple(
            visible_reviews(facts.reviews, viewer.roles, viewer.member, viewer.member_status)
        ),
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


def _word(value: str) -> Term:
    """One of the system's own words (a pillar), as the workspace's pages translate it."""
    return term(say_in("word", value))


def _chair(rulebook: Rulebook) -> Label:
    return Label(key="initiative.labels.chair", text=rulebook.initiative.labels.chair)


def _decisions(facts: AgendaFacts) -> tuple[Message, ...]:
    lines = []
    for r in facts.applications:
        if r.kind is not ApplicationKind.ADMISSION:
            continue
        who = say(
            "%(organisation)s (%(pillar)s, %(country)s)",
            organisation=r.applicant.organisation,
            pillar=_word(r.applicant.pillar.value),
            country=r.applicant.country,
        )
        if r.state is ApplicationState.AWAITING_PLENARY:
            lines.append(
                say_n(
                    "Admission of %(who)s: decision, %(count)s objection recorded",
                    "Admission of %(who)s: decision, %(count)s objections recorded",
                    len(r.objections),
                    who=term(who),
                )
            )
        elif r.state is ApplicationState.PROVISIONALLY_ADMITTED:
            lines.append(say("Ratification of the provisional admission of %(who)s", who=term(who)))
    return tuple(lines)


def _concerns(facts: AgendaFacts) -> tuple[Message, ...]:
    """Cases awaiting this plenary's decision: the member concerned only. Who filed (anonymous
    or not) and what was alleged stay in the Secretariat's papers to the parties."""
    return tuple(
        say(
            "Participant concern %(concern)s about %(member)s: decision on the Steering "
            "Committee's recommendation (confidential papers)",
            concern=c.id,
            member=facts.names.get(c.about, c.about),
        )
        for c in sorted(facts.concerns, key=lambda c: c.id)
        if c.state is ConcernState.AWAITING_DECISION and c.decision_plenary == facts.plenary.id
    )


def _full_votes(facts: AgendaFacts) -> tuple[Message, ...]:
    return tuple(
        say(
            "Full membership of %(member)s",
            member=facts.names.get(r.member or "", r.applicant.organisation),
        )
        for r in facts.applications
        if r.kind is ApplicationKind.FULL_MEMBERSHIP
        and r.state in (ApplicationState.AWAITING_PLENARY, ApplicationState.PROVISIONALLY_ADMITTED)
    )


def _roster(facts: AgendaFacts) -> tuple[tuple[Message, ...], Message]:
    if facts.roster is None:
        return (), say("The roster is not drawn yet.")
    return tuple(
        say(
            "%(rank)s. %(member)s (%(pillar)s): %(reason)s",
            rank=str(i),
            member=facts.names.get(s.member, s.member),
            pillar=_word(s.pillar.value),
            reason=term(slot_reason(s.reason)),
        )
        for i, s in enumerate(facts.roster, start=1)
    ), say("Nobody is due to present.")


def _peer_review(facts: AgendaFacts) -> tuple[Message, ...]:
    by_report: dict[str, list[Message]] = {}
    for r in facts.reviews:
        reviewer = facts.names.get(r.reviewer, r.reviewer)
        by_report.setdefault(r.report_of, []).append(
            say("%(reviewer)s (review submitted)", reviewer=reviewer)
            if r.submitted_at is not None
            else say("%(reviewer)s (review pending)", reviewer=reviewer)
        )
    return tuple(
        say(
            "%(member)s: reviewed by %(reviewers)s",
            member=facts.names.get(member, member),
            reviewers=Terms(messages=tuple(reviewers)),
        )
        for member, reviewers in sorted(by_report.items())
    )


def _escalations(facts: AgendaFacts) -> tuple[Message, ...]:
    lines = []
    for m in facts.missed:
        name = facts.names.get(m.member, m.member)
        if m.escalation is EscalationKind.PROPOSE_INACTIVE:
            lines.append(
                say_n(
                    "%(member)s: Inactive status proposed (%(count)s cycle missed)",
                    "%(member)s: Inactive status proposed (%(count)s cycles missed)",
                    m.missed_in_a_row,
                    member=name,
                )
            )
        elif m.escalation is EscalationKind.REFERRED:
            lines.append(say("%(member)s: referred for not reporting", member=name))
    return tuple(lines)


def _strategy(facts: AgendaFacts) -> tuple[Message, ...]:
    review = next((m for m in facts.milestones if m.key == "strategy_review"), None)
    if review is None:
        return ()
    title = Label(key=f"milestones.{review.key}.title", text=review.title)
    if review.status is MilestoneStatus.COMPLETED:
        return (
            say(
                "%(milestone)s (completed by %(person)s)",
                milestone=title,
                person=review.completed_by or "",
            ),
        )
    return (say("%(milestone)s (due %(day)s)", milestone=title, day=review.due),)


def _handover(facts: AgendaFacts, rulebook: Rulebook) -> tuple[Message, ...]:
    h = facts.handover
    if h is None:
        return ()
    chair = _chair(rulebook)
    if h.outgoing:
        outgoing: Value = facts.names.get(h.outgoing, h.outgoing)
    else:
        outgoing = term(say("the outgoing %(chair)s", chair=chair))
    if h.incoming is None:
        return (
            say(
                "%(chair)s: %(outgoing)s hands over; the incoming %(chair)s is not designated yet",
                chair=chair,
                outgoing=outgoing,
            ),
        )
    incoming = facts.names.get(h.incoming, h.incoming)
    if h.incoming == h.outgoing:
        return (
            say(
                "%(chair)s: %(incoming)s continues for a consecutive term",
                chair=chair,
                incoming=incoming,
            ),
        )
    open_items = [
        Label(key=f"chair.handover_items.{i.key}.title", text=i.title)
        for i in h.items
        if i.completed_at is None
    ]
    line = say(
        "%(chair)s: handover from %(outgoing)s to %(incoming)s",
        chair=chair,
        outgoing=outgoing,
        incoming=incoming,
    )
    if open_items:
        # the open items are rulebook labels, each written in the reader's language; a
        # message of one placeholder is in no catalog and reads as its label everywhere
        items = Terms(
            messages=tuple(Message(id="%(item)s", params={"item": item}) for item in open_items)
        )
        return (sentences(line, say("(checklist still open: %(items)s)", items=items)),)
    return (line,)


def _group_seats(facts: AgendaFacts) -> tuple[Message, ...]:
    return tuple(
        say("%(nominee)s (%(group)s), travel supported", nominee=seat.nominee, group=seat.group)
        if seat.travel_supported
        else say(
            "%(nominee)s (%(group)s), travel not supported", nominee=seat.nominee, group=seat.group
        )
        for seat in facts.group_seats
    )


def _empty(partial: bool, whole: Message, yours: Message) -> Message:
    return yours if partial else whole


def agenda_words(facts: AgendaFacts, rulebook: Rulebook, viewer: Actor | None) -> AgendaWords:
    """The agenda as `viewer` may read it (None: the Secretariat's own copy), in messages."""
    partial = _Partial.of(viewer)
    facts = seen_by(facts, viewer)
    p = facts.plenary
    labels = rulebook.initiative.labels
    chair = _chair(rulebook)
    roster_items, roster_empty = _roster(facts)
    annual = p.kind is PlenaryKind.ANNUAL
    sections = [
        SectionWords(key="opening", title=say("Opening by the %(chair)s", chair=chair)),
        SectionWords(
            key="membership_decisions",
            title=say("New members: decisions and ratifications"),
            items=_decisions(facts),
            empty=_empty(
                partial.applications,
                say("No application awaits the plenary."),
                say("No application that you may see awaits the plenary."),
            ),
        ),
        SectionWords(
            key="full_membership_votes",
            title=say("Full membership votes"),
            items=_full_votes(facts),
            empty=_empty(
                partial.applications,
                say("No request for Full membership awaits the plenary."),
                say("No request for Full membership that you may see awaits the plenary."),
            ),
        ),
    ]
    if annual:
        sections += [
            SectionWords(
                key="verification_presentations",
                title=say("Verification presentations"),
                items=roster_items,
                empty=roster_empty,
            ),
            SectionWords(
                key="peer_review",
                title=say("Annual reports: peer-review outcomes"),
                items=_peer_review(facts),
                empty=_empty(
                    partial.cycle,
                    say("No peer-review outcome is recorded."),
                    say("No peer-review outcome that you may see is recorded."),
                ),
            ),
            SectionWords(
                key="escalations",
                title=say("Escalations: members referred for not reporting"),
                items=_escalations(facts),
                empty=_empty(
                    partial.cycle,
                    say("No member is referred."),
                    say("No member that you may see is referred."),
                ),
            ),
            SectionWords(
                key="strategy_review",
                title=say("Strategy review"),
                items=_strategy(facts),
                empty=say("No strategy review is planned for this plenary."),
            ),
            SectionWords(
                key="chair_handover",
                title=say("%(chair)s handover", chair=chair),
                items=_handover(facts, rulebook),
                empty=say("No handover is planned at this plenary."),
            ),
            SectionWords(
                key="in_country_groups",
                title=say("In-country Implementation Groups: their members at the plenary"),
                items=_group_seats(facts),
                empty=say("No nominee of an In-country Implementation Group is confirmed."),
            ),
        ]
    sections.append(
        SectionWords(
            key="participant_concerns",
            title=say("Participant concerns: decisions"),
            items=_concerns(facts),
            empty=_empty(
                partial.concerns,
                say("No participant concern awaits the plenary."),
                say("No participant concern that you may see awaits the plenary."),
            ),
        )
    )
    sections.append(SectionWords(key="closing", title=say("Any other business and close")))
    if p.kind is PlenaryKind.ANNUAL:
        title = say(
            "%(initiative)s %(year)s %(plenary)s: draft agenda",
            initiative=rulebook.initiative.short_name,
            year=str(p.year),
            plenary=Label(key="initiative.labels.plenary", text=labels.plenary),
        )
    else:
        title = say(
            "%(initiative)s %(year)s Extraordinary Plenary: draft agenda",
            initiative=rulebook.initiative.short_name,
            year=str(p.year),
        )
    return AgendaWords(
        plenary=p.id,
        title=title,
        starts=p.starts,
        ends=p.ends,
        location=p.location,
        as_of=facts.as_of,
        sections=tuple(sections),
    )


def draft_agenda(facts: AgendaFacts, rulebook: Rulebook, viewer: Actor | None) -> DraftAgenda:
    """The agenda as `viewer` may read it (None: the Secretariat's own copy), in English."""
    return agenda_words(facts, rulebook, viewer).english()


def _draft_note(agenda: DraftAgenda) -> str:
    return f"{agenda.location}, {agenda.dates}. Draft as of {day_text(agenda.as_of)}."


def as_markdown(agenda: DraftAgenda, note: str | None = None) -> str:
    """`note`: the line under the title in the reader's language (English by default)."""
    lines = [
        f"# {agenda.title}",
        "",
        note if note is not None else _draft_note(agenda),
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


def as_html(agenda: DraftAgenda, note: str | None = None, lang: str = "en") -> str:
    """`note` and `lang`: the line under the title and the language the copy is written in."""
    e = html.escape
    parts = [
        "<!doctype html>",
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
        f"<title>{e(agenda.title)}</title></head><body>",
        f"<h1>{e(agenda.title)}</h1>",
        f"<p>{e(note if note is not None else _draft_note(agenda))}</p>",
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
