"""What a case's private link shows: where the case stands, what comes next and by when, and
the dates of its steps. Nothing more.

The link is a bearer secret: whoever holds it reads the page without signing in, and a link
can be forwarded. So the page names no one (not the filer, not who took a step), and carries no
text anyone wrote (summary, notes, recommendation): an anonymous filer stays anonymous even
to someone their link reached, and the contents stay with those `access.entitled` names.
"""

from __future__ import annotations

from datetime import date, datetime

from governance.concerns.model import ConcernRecord, ConcernRules, ConcernState, Outcome
from governance.kernel.messages import Label, Message, say
from governance.kernel.model import Frozen


class FollowedStep(Frozen):
    at: datetime
    what: str


class FollowView(Frozen):
    state: ConcernState
    # what happens next, and the instant it is due by (none once the case is closed)
    next_step: Message | None
    next_due: datetime | None
    outcome: Outcome | None
    follow_ups: tuple[date, ...] = ()
    steps: tuple[FollowedStep, ...] = ()


def _label(field: str, text: str) -> Label:
    return Label(key=f"initiative.labels.{field}", text=text)


def _next(record: ConcernRecord, rules: ConcernRules) -> tuple[Message | None, datetime | None]:
    """What comes next, in words each reader's language writes (the rulebook's labels too)."""
    secretariat = _label("secretariat", rules.secretariat)
    committee = _label("steering_committee", rules.steering_committee)
    match record.state:
        case ConcernState.FILED:
            step = say("The %(secretariat)s acknowledges the concern", secretariat=secretariat)
            return step, record.acknowledge_due
        case ConcernState.DIALOGUE:
            return say("The facilitated dialogue between the parties"), record.dialogue_due
        case ConcernState.REVIEW:
            return say("The %(committee)s's recommendation", committee=committee), record.review_due
        case ConcernState.AWAITING_DECISION if record.decision_plenary:
            plenary = _label("plenary", rules.plenary)
            return say("The decision, at the %(plenary)s", plenary=plenary), record.decision_target
        case ConcernState.AWAITING_DECISION:
            return say("The decision, by vote"), record.decision_target
        case _:
            return None, None


def step_words(action: str) -> str:
    """`concern.dialogue_recorded` -> `dialogue recorded`."""
    return action.removeprefix("concern.").replace("_", " ")


def follow_view(record: ConcernRecord, rules: ConcernRules) -> FollowView:
    """`rules`: the case's own (`record.rules`), else the rulebook's in force."""
    step, due = _next(record, record.rules or rules)
    decision = record.decision
    return FollowView(
        state=record.state,
        next_step=step,
        next_due=due,
        outcome=record.outcome,
        follow_ups=decision.follow_ups if decision else (),
        steps=tuple(FollowedStep(at=s.at, what=step_words(s.action)) for s in record.history),
    )
