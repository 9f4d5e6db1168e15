"""Registry commands of the Chair handover: naming the incoming Chair, ticking off the checklist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from governance.kernel.errors import Forbidden, InvalidInput, Problem
from governance.kernel.messages import say
from governance.kernel.model import ChairTerm, Role
from governance.registry.changes import (
    Effects,
    MemberFacts,
    chair_member_problems,
    consecutive_terms,
)
from governance.rulebook.model import HandoverOwner, Rulebook
from governance.year.handover.rules import (
    CompleteHandoverItem,
    DesignateIncomingChair,
    Handover,
    complete_item,
    designate,
)


@dataclass(frozen=True, slots=True)
class HandoverFacts:
    """The handover a command refers to, and what the rules need to know around it."""

    handover: Handover | None
    by_roles: frozenset[Role] | None
    by_member: str | None
    member: MemberFacts | None = None
    terms: tuple[ChairTerm, ...] = ()
    # when the incoming Chair's term would end: the following year's handover, if planned
    next_handover_at: datetime | None = None
    names: dict[str, str] = field(default_factory=dict)


def _require_handover(facts: HandoverFacts, year: int | None) -> Handover:
    if facts.handover is None:
        where = (
            say("no %(year)s annual plenary is scheduled", year=str(year))
            if year
            else say("no annual plenary to come")
        )
        raise InvalidInput(say("no such handover"), [Problem("year", where)])
    return facts.handover


def _require_person(cmd_by: str, facts: HandoverFacts) -> frozenset[Role]:
    if facts.by_roles is None:
        raise InvalidInput(
            say("no such person"), [Problem("by", say("no person %(cmd_by)r", cmd_by=cmd_by))]
        )
    return facts.by_roles


def designate_incoming_chair(
    cmd: DesignateIncomingChair, at: datetime, facts: HandoverFacts, rulebook: Rulebook
) -> Effects:
    handover = _require_handover(facts, cmd.year)
    roles = _require_person(cmd.by, facts)
    if not roles & {Role.SECRETARIAT, Role.CHAIR}:
        raise Forbidden(
            f"{Role.SECRETARIAT.value} or {Role.CHAIR.value}",
            say("designating the incoming Chair"),
            [Problem("by", say("only the Secretariat or the Chair may"))],
        )
    problems = chair_member_problems(cmd.member, facts.member)
    if problems:
        raise InvalidInput(say("the incoming Chair cannot be designated"), problems)
    problems = _term_limit_problems(
        cmd.member, handover, facts.terms, facts.next_handover_at, rulebook
    )
    if problems:
        raise InvalidInput(say("too many consecutive terms"), problems)
    after, notices = designate(handover, cmd.member, cmd.by, at, facts.names, rulebook)
    return Effects(
        "handover.designated",
        "handover",
        handover.id,
        notices[0].text,
        notices=tuple(notices),
        handover=after,
    )


def incoming_chair_problems(
    member_id: str,
    member: MemberFacts | None,
    handover: Handover,
    terms: Sequence[ChairTerm],
    next_handover_at: datetime | None,
    rulebook: Rulebook,
) -> list[Problem]:
    """Why `member` may not take the Chair at this handover (empty: it may). The designation
    refuses on these problems, and the list of governments offered leaves out any that has one,
    so the two can never disagree."""
    return chair_member_problems(member_id, member) or _term_limit_problems(
        member_id, handover, terms, next_handover_at, rulebook
    )


def _term_limit_problems(
    member_id: str,
    handover: Handover,
    terms: Sequence[ChairTerm],
    next_handover_at: datetime | None,
    rulebook: Rulebook,
) -> list[Problem]:
    ends = next_handover_at or handover.handover_at + timedelta(
        days=366 * rulebook.chair.term_years
    )
    prospective = ChairTerm(member=member_id, starts=handover.handover_at, ends=ends)
    limit = rulebook.chair.max_consecutive_terms
    if consecutive_terms(prospective, _as_of_handover(tuple(terms), handover)) > limit:
        return [
            Problem("member", say("at most %(limit)s consecutive terms are allowed", limit=limit))
        ]
    return []


def may_serve_as_incoming(
    candidates: Sequence[MemberFacts],
    handover: Handover,
    terms: Sequence[ChairTerm],
    next_handover_at: datetime | None,
    rulebook: Rulebook,
) -> list[MemberFacts]:
    """The candidates a designation would accept, in their order; the one already designated
    is left out (naming it again changes nothing)."""
    return [
        m
        for m in candidates
        if m.id != handover.incoming
        and not incoming_chair_problems(m.id, m, handover, terms, next_handover_at, rulebook)
    ]


def _as_of_handover(terms: tuple[ChairTerm, ...], handover: Handover) -> list[ChairTerm]:
    """The terms before the handover, the outgoing one ending at it wherever the plenary moved."""
    before = [t for t in terms if t.starts < handover.handover_at]
    own = [t for t in before if t.member == handover.outgoing]
    if not own:
        return before
    latest = max(own, key=lambda t: t.starts)
    return [t for t in before if t is not latest] + [
        latest.model_copy(update={"ends": handover.handover_at})
    ]


def may_complete(handover: Handover, key: str, roles: frozenset[Role], member: str | None) -> bool:
    """The Secretariat may tick off any item; a Chair only their own side's."""
    if Role.SECRETARIAT in roles:
        return True
    owner = next((i.owner for i in handover.items if i.key == key), None)
    if owner is HandoverOwner.OUTGOING_CHAIR:
        return Role.CHAIR in roles and member is not None and member == handover.outgoing
    if owner is HandoverOwner.INCOMING_CHAIR:
        return Role.FOCAL_POINT in roles and member is not None and member == handover.incoming
    return False


def complete_handover_item(
    cmd: CompleteHandoverItem, at: datetime, facts: HandoverFacts
) -> Effects:
    handover = _require_handover(facts, cmd.year)
    roles = _require_person(cmd.by, facts)
    allowed = may_complete(handover, cmd.key, roles, facts.by_member)
    after = complete_item(handover, cmd.key, cmd.by, at, allowed)
    item = next(i for i in after.items if i.key == cmd.key)
    return Effects(
        "handover_item.completed",
        "handover_item",
        handover.item_id(cmd.key),
        f"{item.title} (Chair handover {handover.year}) completed by {cmd.by}",
        handover=after,
    )
