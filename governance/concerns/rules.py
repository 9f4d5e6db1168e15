"""The concern process as pure transitions: who may do what, at which stage, and what follows.

Each function takes a record and returns a Transition, or raises Forbidden (wrong role), Conflict
(wrong stage, a second extension) or InvalidInput (a malformed decision). Update validators call
the same functions and discard the result, so a refused action never reaches the history.
Deadlines end at local midnight, so these functions read the time zone database: call them from
activities or the service layer, never from workflow code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from governance.concerns.model import (
    FINAL_STATES,
    ConcernRecord,
    ConcernRules,
    ConcernState,
    Decision,
    Filing,
    Meeting,
    Outcome,
    Step,
)
from governance.kernel.actor import Actor
from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.messages import Message, said, say, word, word_list
from governance.kernel.model import Role
from governance.kernel.timekeeping import day_ending_at, end_of_day, local_date
from governance.registry.member_status import FINAL

S = ConcernState
OPEN_STATES = frozenset(ConcernState) - FINAL_STATES
EARLY_STATES = frozenset({S.FILED, S.DIALOGUE, S.REVIEW})
SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Transition:
    """A step of the process: the record after it, the audit action, who acted and why."""

    record: ConcernRecord
    action: str
    by: str
    note: str = ""


def require_role(actor: Actor, roles: set[Role], action: str | Message) -> None:
    if not actor.roles & roles:
        raise Forbidden(sorted(roles)[0].value, action)


def require_state(
    record: ConcernRecord, states: frozenset[ConcernState], action: str | Message
) -> None:
    if record.state not in states:
        allowed = word_list(sorted(s.value for s in states))
        raise Conflict(
            say(
                "cannot %(action)s: the concern is %(state)s",
                action=said(action),
                state=word(record.state),
            ),
            [
                Problem(
                    "state",
                    say(
                        "is %(state)s; %(action)s needs: %(allowed)s",
                        state=word(record.state),
                        action=said(action),
                        allowed=allowed,
                    ),
                )
            ],
        )


def due_after(at: datetime, days: int, tz: str) -> datetime:
    """The end of the local day `days` after the day of `at`; a step taken by a deadline's timer
    (at local midnight) counts from the day that deadline closed."""
    return end_of_day(day_ending_at(at, tz) + timedelta(days=days), tz)


def _step(
    record: ConcernRecord,
    state: ConcernState,
    action: str,
    at: datetime,
    by: str,
    note: str = "",
    filer_side: bool = False,
    **changes: object,
) -> ConcernRecord:
    line = Step(state=state, action=action, at=at, by=by, note=note, filer_side=filer_side)
    return record.model_copy(
        update={
            "state": state,
            "history": (*record.history, line),
            "version": record.version + 1,
            **changes,
        }
    )


def file_concern(
    filing: Filing, actor: Actor, at: datetime, rules: ConcernRules, case: str | None = None
) -> Transition:
    """A member's focal point files about another member, or the Secretariat files on behalf of
    a third party without access (a community organisation). `case` is the id the server made
    (the filer's own id is then kept as the reference); without it, the filer's id names it."""
    if Role.SECRETARIAT in actor.roles and filing.on_behalf_of is not None:
        filer_member = None
    elif Role.FOCAL_POINT in actor.roles and actor.member is not None:
        if filing.on_behalf_of is not None:
            raise Forbidden(
                Role.SECRETARIAT.value, say("filing a concern on behalf of a third party")
            )
        if actor.member == filing.about:
            raise Conflict(
                say("a member cannot file a concern about itself"),
                [Problem("about", say("is the filer's own member"))],
            )
        # a member that left (a final status): its focal points no longer speak for a member
        if actor.member_status in FINAL:
            raise Conflict(
                say("a member that left the initiative files no concern"),
                [Problem("by", say("is of a member that left the initiative"))],
            )
        filer_member = actor.member
    elif Role.SECRETARIAT in actor.roles:
        raise InvalidInput(
            say("the Secretariat files only on behalf of a third party"),
            [Problem("on_behalf_of", say("is required when the Secretariat files"))],
        )
    else:
        raise Forbidden(Role.FOCAL_POINT.value, say("filing a concern"))
    case_id = case or filing.id
    if case_id is None:
        raise InvalidInput(say("the case needs an id"), [Problem("id", say("is required"))])
    line = Step(state=S.FILED, action="concern.filed", at=at, by=actor.person, filer_side=True)
    record = ConcernRecord(
        id=case_id,
        about=filing.about,
        filed_by=actor.person,
        reference=filing.id if case_id != filing.id else None,
        filer_member=filer_member,
        on_behalf_of=filing.on_behalf_of,
        anonymous=filing.anonymous,
        summary=filing.summary,
        evidence=tuple(filing.evidence),
        filed_at=at,
        state=S.FILED,
        history=(line,),
        acknowledge_due=due_after(at, rules.acknowledge_days, rules.timezone),
        rules=rules,
        version=1,
    )
    return Transition(record, "concern.filed", actor.person)


def acknowledge(
    record: ConcernRecord, actor: Actor, at: datetime, rules: ConcernRules
) -> Transition:
    require_role(actor, {Role.SECRETARIAT}, say("acknowledging a concern"))
    require_state(record, frozenset({S.FILED}), say("acknowledge it"))
    due = due_after(at, rules.dialogue_days, rules.timezone)
    after = _step(record, S.DIALOGUE, "concern.acknowledged", at, actor.person, dialogue_due=due)
    return Transition(after, "concern.acknowledged", actor.person)


def record_dialogue(
    record: ConcernRecord,
    actor: Actor,
    at: datetime,
    note: str,
    rules: ConcernRules,
    held_on: date | None = None,
) -> Transition:
    """A dated meeting record of the facilitated dialogue (the Secretariat facilitates)."""
    require_role(actor, {Role.SECRETARIAT}, say("recording the dialogue"))
    require_state(record, frozenset({S.DIALOGUE}), say("record a dialogue meeting"))
    today = local_date(at, rules.timezone)
    day = held_on or today
    if day > today:
        raise InvalidInput(
            say("a meeting is recorded once held"), [Problem("held_on", say("is ahead"))]
        )
    filed_on = local_date(record.filed_at, rules.timezone)
    if day < filed_on:
        # a dialogue meeting of this case cannot predate the case (0001-01-01 was taken)
        raise InvalidInput(
            say("a meeting of the dialogue is held after the concern was filed"),
            [Problem("held_on", say("is before %(day)s, when it was filed", day=filed_on))],
        )
    meeting = Meeting(held_on=day, recorded_at=at, by=actor.person, note=note)
    after = _step(
        record,
        S.DIALOGUE,
        "concern.dialogue_recorded",
        at,
        actor.person,
        note,
        meetings=(*record.meetings, meeting),
    )
    return Transition(after, "concern.dialogue_recorded", actor.person, note)


def not_the_filer(record: ConcernRecord, actor: Actor) -> None:
    """The person who filed a concern does not act on it as Chair, Steering Committee or
    decider: it is their own case, and on an anonymous one the step, masked as the filer's,
    would name them by the role that took it (only the Chair extends a dialogue). Another
    holder of the role acts. A Secretariat member filing for a third party is not the filer."""
    if record.on_behalf_of is None and record.is_filer(actor.person):
        raise Conflict(
            say("the concern's filer does not act on it"),
            [Problem("by", say("filed this concern: another holder of the role acts on it"))],
        )


def not_of_the_member_concerned(record: ConcernRecord, actor: Actor) -> None:
    """The member the concern is about is a party: its people do not recommend, extend or
    decide (found by a review: the Chair of the member concerned closed the case as resolved a
    minute after it was filed). Another holder of the role, or the Secretariat, acts."""
    if actor.member is not None and actor.member == record.about:
        raise Conflict(
            say("the member the concern is about does not act on it"),
            [Problem("by", say("is of the member the concern is about: another member acts"))],
        )


def extend_dialogue(
    record: ConcernRecord, actor: Actor, at: datetime, reason: str, rules: ConcernRules
) -> Transition:
    """The Chair extends the dialogue, with a reason, by another dialogue period."""
    require_role(actor, {Role.CHAIR}, say("extending the dialogue"))
    not_the_filer(record, actor)
    not_of_the_member_concerned(record, actor)
    require_state(record, frozenset({S.DIALOGUE}), say("extend the dialogue"))
    if len(record.extensions) >= rules.dialogue_extensions:
        raise Conflict(
            say("the dialogue cannot be extended again"),
            [
                Problem(
                    "extensions",
                    say(
                        "the rulebook allows %(dialogue_extensions)s",
                        dialogue_extensions=rules.dialogue_extensions,
                    ),
                )
            ],
        )
    if not reason.strip():
        raise InvalidInput(say("an extension needs a reason"), [Problem("reason", say("is empty"))])
    assert record.dialogue_due is not None
    base = day_ending_at(record.dialogue_due, rules.timezone)
    due = end_of_day(base + timedelta(days=rules.dialogue_days), rules.timezone)
    line = Step(state=S.DIALOGUE, action="concern.dialogue_extended", at=at, by=actor.person)
    after = _step(
        record,
        S.DIALOGUE,
        "concern.dialogue_extended",
        at,
        actor.person,
        reason,
        dialogue_due=due,
        extensions=(*record.extensions, line.model_copy(update={"note": reason})),
    )
    return Transition(after, "concern.dialogue_extended", actor.person, reason)


def refer_to_review(
    record: ConcernRecord, actor: Actor | None, at: datetime, rules: ConcernRules
) -> Transition:
    """The dialogue ends: at its deadline (actor None) or earlier, by the Secretariat."""
    by = SYSTEM
    if actor is not None:
        require_role(actor, {Role.SECRETARIAT}, say("referring a concern to review"))
        by = actor.person
    require_state(record, frozenset({S.DIALOGUE}), say("refer it to review"))
    due = due_after(at, rules.review_days, rules.timezone)
    after = _step(record, S.REVIEW, "concern.referred", at, by, review_due=due)
    return Transition(after, "concern.referred", by)


def recommend(
    record: ConcernRecord,
    actor: Actor,
    at: datetime,
    recommendation: str,
    decision_target: datetime | None,
    plenary: str | None,
) -> Transition:
    """The Steering Committee's recommendation; the decision follows at `plenary` (the next one,
    starting at `decision_target`) or, with none scheduled, by intersessional vote."""
    require_role(actor, {Role.STEERING_COMMITTEE}, say("recommending on a concern"))
    not_the_filer(record, actor)
    not_of_the_member_concerned(record, actor)
    require_state(record, frozenset({S.REVIEW}), say("recommend"))
    if not recommendation.strip():
        raise InvalidInput(
            say("the recommendation is empty"), [Problem("recommendation", say("empty"))]
        )
    line = Step(
        state=S.AWAITING_DECISION,
        action="concern.recommended",
        at=at,
        by=actor.person,
        note=recommendation,
    )
    after = _step(
        record,
        S.AWAITING_DECISION,
        "concern.recommended",
        at,
        actor.person,
        recommendation,
        recommendation=line,
        decision_target=decision_target,
        decision_plenary=plenary,
    )
    return Transition(after, "concern.recommended", actor.person, recommendation)


def _check_follow_ups(
    outcome: Outcome, follow_ups: tuple[date, ...], at: datetime, tz: str
) -> None:
    if outcome is not Outcome.REMEDIAL_PLAN:
        if follow_ups:
            raise InvalidInput(
                say("follow-up dates belong to a remedial plan"),
                [Problem("follow_ups", say("not allowed with %(outcome)s", outcome=outcome.value))],
            )
        return
    if not follow_ups:
        raise InvalidInput(
            say("a remedial plan needs follow-up dates"), [Problem("follow_ups", say("is empty"))]
        )
    today = local_date(at, tz)
    late = [d.isoformat() for d in follow_ups if d <= today]
    if late:
        raise InvalidInput(
            say("follow-up dates must be after today"),
            [
                Problem(
                    "follow_ups",
                    say(
                        "not after %(today)s: %(late)s",
                        today=today.isoformat(),
                        late=", ".join(late),
                    ),
                )
            ],
        )


def decide(
    record: ConcernRecord,
    actor: Actor,
    at: datetime,
    outcome: Outcome,
    note: str,
    rules: ConcernRules,
    follow_ups: tuple[date, ...] = (),
) -> Transition:
    """Record the decision (the plenary's or an intersessional vote's), or, before it, an early
    resolution: at any earlier stage only `resolved` may be recorded."""
    require_role(actor, {Role.SECRETARIAT, Role.CHAIR}, say("recording a decision on a concern"))
    not_the_filer(record, actor)
    not_of_the_member_concerned(record, actor)
    require_state(record, OPEN_STATES, say("decide"))
    early = record.state in EARLY_STATES
    if early and outcome is not Outcome.RESOLVED:
        raise Conflict(
            say(
                "cannot decide %(outcome)s before the Steering Committee's recommendation",
                outcome=outcome.value,
            ),
            [Problem("outcome", say("only resolved may be recorded before the decision stage"))],
        )
    ordered = tuple(sorted(set(follow_ups)))
    _check_follow_ups(outcome, ordered, at, rules.timezone)
    decision = Decision(
        outcome=outcome,
        note=note,
        at=at,
        by=actor.person,
        early=early,
        plenary=None if early else record.decision_plenary,
        follow_ups=ordered,
    )
    action = "concern.resolved_early" if early else "concern.decided"
    after = _step(record, S.DECIDED, action, at, actor.person, note, decision=decision)
    return Transition(after, action, actor.person, note)


def withdraw(record: ConcernRecord, actor: Actor, at: datetime, note: str = "") -> Transition:
    """The filer (or a focal point of the filer's member) or the Secretariat withdraws it."""
    own = record.is_filer(actor.person) or (
        Role.FOCAL_POINT in actor.roles
        and record.filer_member is not None
        and actor.member == record.filer_member
    )
    if not own:
        require_role(actor, {Role.SECRETARIAT}, say("withdrawing someone else's concern"))
    require_state(record, OPEN_STATES, say("withdraw it"))
    after = _step(record, S.WITHDRAWN, "concern.withdrawn", at, actor.person, note, own)
    return Transition(after, "concern.withdrawn", actor.person, note)


def mark_done(record: ConcernRecord, key: str) -> ConcernRecord:
    """A timed step (an escalation, a follow-up reminder) was carried out."""
    return record.model_copy(update={"done": record.done | {key}, "version": record.version + 1})
