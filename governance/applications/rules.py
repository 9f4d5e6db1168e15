"""The application process as pure transitions: who may do what, in which state, and what follows.

Each function takes a record and returns a Transition (the next record and what happened), or
raises Forbidden (wrong role) or Conflict (wrong state, a second recommendation). Workflow
validators call the same functions and discard the result, so a refused action never reaches the
history and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from governance.applications.model import (
    APPLICANT,
    FINAL_STATES,
    Applicant,
    ApplicationKind,
    ApplicationRecord,
    ApplicationState,
    Deadline,
    InformationRequest,
    Objection,
    PlenaryDecision,
    RecordedRecommendation,
    Step,
)
from governance.kernel.actor import Actor
from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.messages import Message, Terms, said, say, say_in, say_n, word, word_list
from governance.kernel.model import Pillar, Role
from governance.rulebook.model import Recommendation

S = ApplicationState
OPEN_STATES = set(ApplicationState) - FINAL_STATES


class MemberChangeKind(StrEnum):
    ADMIT_ENGAGED = "admit_engaged"
    # An observer is admitted straight to its active status (Full): it never votes, so it has
    # no Engaged period to serve and no Full membership to request.
    ADMIT_OBSERVER = "admit_observer"
    BECOME_FULL = "become_full"
    NOT_RATIFIED = "not_ratified"


@dataclass(frozen=True, slots=True)
class MemberChange:
    kind: MemberChangeKind
    decision: str


@dataclass(frozen=True, slots=True)
class Transition:
    """A step of the process: the record after it, the audit action, the member change if any."""

    record: ApplicationRecord
    action: str
    by: str
    note: str = ""
    member_change: MemberChange | None = None


def require_role(actor: Actor, roles: set[Role], action: str | Message) -> None:
    if not actor.roles & roles:
        raise Forbidden(sorted(roles)[0].value, action)


def require_state(
    record: ApplicationRecord, states: set[ApplicationState], action: str | Message
) -> None:
    if record.state not in states:
        allowed = word_list(sorted(s.value for s in states))
        raise Conflict(
            say(
                "cannot %(action)s: the application is %(state)s",
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


def _step(
    record: ApplicationRecord,
    state: ApplicationState,
    at: datetime,
    by: str,
    note: str = "",
    **changes: object,
) -> ApplicationRecord:
    history = record.history
    if state != record.state or not history:
        history = (*history, Step(state=state, at=at, by=by, note=note))
    decided = {"decided_at": at} if state in FINAL_STATES else {}
    return record.model_copy(
        update={
            "state": state,
            "history": history,
            "version": record.version + 1,
            **decided,
            **changes,
        }
    )


def mark_complete(record: ApplicationRecord, actor: Actor, at: datetime) -> Transition:
    require_role(actor, {Role.SECRETARIAT}, say("marking an application complete"))
    require_state(record, {S.AWAITING_CHECK}, say("mark it complete"))
    after = _step(record, S.COMPLETE, at, actor.person, deadline=None)
    return Transition(after, "application.marked_complete", actor.person)


def can_request_information(record: ApplicationRecord, actor: Actor) -> None:
    """The checks that do not need the response deadline (an update validator runs them)."""
    require_role(actor, {Role.SECRETARIAT}, say("requesting information"))
    require_state(record, {S.AWAITING_CHECK}, say("request information"))


def request_information(
    record: ApplicationRecord, actor: Actor, at: datetime, question: str, deadline: Deadline
) -> Transition:
    can_request_information(record, actor)
    if deadline.due <= at:
        raise InvalidInput(
            say("the response deadline is in the past"), [Problem("due", say("must be later"))]
        )
    request = InformationRequest(
        question=question, asked_at=at, asked_by=actor.person, due_date=deadline.due_date
    )
    after = _step(
        record,
        S.INFORMATION_REQUESTED,
        at,
        actor.person,
        question,
        deadline=deadline,
        information_requests=(*record.information_requests, request),
    )
    return Transition(after, "application.information_requested", actor.person, question)


def provide_information(
    record: ApplicationRecord, actor: Actor, at: datetime, answer: str
) -> Transition:
    if actor != APPLICANT:
        require_role(actor, {Role.SECRETARIAT}, say("recording the applicant's answer"))
    require_state(record, {S.INFORMATION_REQUESTED}, say("provide information"))
    *earlier, last = record.information_requests
    answered = last.model_copy(update={"answer": answer, "answered_at": at})
    after = _step(
        record,
        S.AWAITING_CHECK,
        at,
        actor.person,
        "information provided",
        deadline=None,
        information_requests=(*earlier, answered),
    )
    return Transition(after, "application.information_provided", actor.person, answer)


def can_start_review(record: ApplicationRecord, actor: Actor, reviewers: tuple[str, ...]) -> None:
    require_role(actor, {Role.SECRETARIAT}, say("starting a review"))
    require_state(record, {S.COMPLETE}, say("start the review"))
    if not reviewers:
        raise Conflict(
            say("no Steering Committee member can review"),
            [Problem("reviewers", say("nobody holds the steering_committee role"))],
        )


def start_review(
    record: ApplicationRecord,
    actor: Actor,
    at: datetime,
    reviewers: tuple[str, ...],
    deadline: Deadline,
) -> Transition:
    can_start_review(record, actor, reviewers)
    after = _step(
        record,
        S.UNDER_REVIEW,
        at,
        actor.person,
        deadline=deadline,
        reviewers=tuple(sorted(set(reviewers))),
        recommendations=(),
    )
    return Transition(after, "application.review_started", actor.person)


def reviews(actor: Actor) -> bool:
    """Does the person review applications now: on the Steering Committee, for a member that
    votes (a reviewer taken off the Committee, or whose member stopped voting, no longer does)."""
    return Role.STEERING_COMMITTEE in actor.roles and actor.voting


def may_recommend(actor: Actor) -> None:
    """Only a voting member's people review an application. Checked before the workflow is
    asked (the service's), so histories where an observer's person held the role replay."""
    if Role.STEERING_COMMITTEE in actor.roles and not actor.voting:
        raise Forbidden(
            Role.STEERING_COMMITTEE.value,
            say(
                "recommending on an application (only voting members' people review: observers "
                "and Engaged members do not vote)"
            ),
        )


def recommend(
    record: ApplicationRecord,
    actor: Actor,
    at: datetime,
    recommendation: Recommendation,
    comment: str,
) -> Transition:
    require_role(actor, {Role.STEERING_COMMITTEE}, say("recommending on an application"))
    require_state(record, {S.UNDER_REVIEW}, say("recommend"))
    if actor.person not in record.reviewers:
        raise Forbidden(Role.STEERING_COMMITTEE.value, say("recommending (not a reviewer of it)"))
    if record.recommendation_of(actor.person) is not None:
        raise Conflict(
            say("a recommendation is already recorded"),
            [Problem("by", say("%(person)s has already recommended", person=actor.person))],
        )
    entry = RecordedRecommendation(
        person=actor.person, recommendation=recommendation, comment=comment, at=at
    )
    after = record.model_copy(
        update={
            "recommendations": (*record.recommendations, entry),
            "version": record.version + 1,
        }
    )
    return Transition(after, "application.recommended", actor.person, recommendation.value)


def everyone_answered(record: ApplicationRecord) -> bool:
    return record.state is S.UNDER_REVIEW and not record.silent_reviewers


def tally(recommendations: Sequence[RecordedRecommendation]) -> Message:
    """How the review ended: `2 support, 1 object; no answer from sc-jonas` (the silent
    counted as the rulebook says), as a message each reader's language renders."""
    counts = {k: sum(r.recommendation is k for r in recommendations) for k in Recommendation}
    said = {
        Recommendation.SUPPORT: lambda n: say_n("%(count)s support", "%(count)s support", n),
        Recommendation.OBJECT: lambda n: say_n("%(count)s object", "%(count)s object", n),
        Recommendation.ABSTAIN: lambda n: say_n("%(count)s abstain", "%(count)s abstain", n),
    }
    counted = Terms(messages=tuple(said[k](n) for k, n in counts.items() if n))
    silent = [r.person for r in recommendations if r.silent]
    if not silent:
        return Message(id="%(counts)s", params={"counts": counted})
    return say("%(counts)s; no answer from %(people)s", counts=counted, people=", ".join(silent))


_LAPSED_NOTE = re.compile(r"no answer by (\d{4}-\d{2}-\d{2})")


def step_note_words(record: ApplicationRecord, step: Step) -> Message | None:
    """A history step's note as a message, when the rules wrote it (kept in English in the
    stored history): the submission, the review's tally, a lapse, a decision recorded without
    a note. None for a note a person wrote, shown as written."""
    if not step.note:
        return None
    if step is record.history[0] and step.note == "submitted":
        return say_in("application history", "submitted")
    if step.state in (S.ADMITTED, S.REJECTED) and step.note in set(PlenaryDecision):
        return say_in("word", step.note)
    if step.by != "system":
        return None
    lapsed = _LAPSED_NOTE.fullmatch(step.note)
    if lapsed and step.state is S.LAPSED:
        return say("no answer by %(day)s", day=date.fromisoformat(lapsed.group(1)))
    if not record.recommendations:
        return None
    words = tally(record.recommendations)
    return words if words.english() == step.note else None


def close_review(
    record: ApplicationRecord,
    at: datetime,
    no_objection: Deadline | None,
    silence: Recommendation,
    sitting: frozenset[str] | None = None,
) -> Transition:
    """End of the Steering Committee review: silence counts as the rulebook says, for the
    reviewers still on the Committee (`sitting`; None: every reviewer, as runs from before the
    patch `application-silence-of-sitting-reviewers` replay). One who has left no longer
    decides, so their silence is not counted for or against.

    An admission with no objection in the review goes to the no-objection period; one with an
    objection, and every request for Full membership, go to the plenary.
    """
    require_state(record, {S.UNDER_REVIEW}, say("close the review"))
    silent = tuple(
        RecordedRecommendation(person=p, recommendation=silence, at=at, silent=True)
        for p in record.silent_reviewers
        if sitting is None or p in sitting
    )
    recommendations = (*record.recommendations, *silent)
    objected = any(r.recommendation is Recommendation.OBJECT for r in recommendations)
    to_plenary = record.kind is ApplicationKind.FULL_MEMBERSHIP or objected or no_objection is None
    note = tally(recommendations).english()
    state = S.AWAITING_PLENARY if to_plenary else S.NO_OBJECTION_PERIOD
    after = _step(
        record,
        state,
        at,
        "system",
        note,
        recommendations=recommendations,
        deadline=None if to_plenary else no_objection,
    )
    return Transition(after, "application.review_closed", "system", note)


def object_to(record: ApplicationRecord, actor: Actor, at: datetime, reason: str) -> Transition:
    require_role(actor, {Role.FOCAL_POINT}, say("objecting to an admission"))
    if not actor.objector:
        raise Forbidden(
            Role.FOCAL_POINT.value,
            say(
                "objecting (only voting members object: observers and Engaged members do not vote)"
            ),
        )
    require_state(record, {S.NO_OBJECTION_PERIOD}, say("object"))
    objection = Objection(person=actor.person, member=actor.member, reason=reason, at=at)
    after = _step(
        record,
        S.AWAITING_PLENARY,
        at,
        actor.person,
        f"objection by {actor.member}",
        deadline=None,
        objections=(*record.objections, objection),
    )
    return Transition(after, "application.objected", actor.person, reason)


def close_no_objection(
    record: ApplicationRecord,
    at: datetime,
    ratification_plenary: str | None,
    observers_full: bool = True,
) -> Transition:
    require_state(record, {S.NO_OBJECTION_PERIOD}, say("close the no-objection period"))
    where = ratification_plenary or "the next plenary"
    after = _step(
        record,
        S.PROVISIONALLY_ADMITTED,
        at,
        "system",
        f"no objection; to be ratified at {where}",
        deadline=None,
        ratification_plenary=ratification_plenary,
    )
    change = _admission(
        record,
        f"provisional admission by no-objection procedure ({record.id}); ratification at {where}",
        observers_full,
    )
    return Transition(after, "application.provisionally_admitted", "system", member_change=change)


def _admission(record: ApplicationRecord, decision: str, observers_full: bool) -> MemberChange:
    """Admitted as Engaged, or, for an observer (when `observers_full`, the rule since the patch
    that made it so), straight to Full."""
    if observers_full and record.applicant.pillar is Pillar.OBSERVER:
        return MemberChange(MemberChangeKind.ADMIT_OBSERVER, decision)
    return MemberChange(MemberChangeKind.ADMIT_ENGAGED, decision)


def may_record_plenary_decision(record: ApplicationRecord, actor: Actor) -> None:
    """Who may record a plenary decision, and in which states: asked before which plenary sits,
    so a refusal never tells someone without the role when the next plenary meets."""
    require_role(actor, {Role.SECRETARIAT, Role.CHAIR}, say("recording a plenary decision"))
    require_state(
        record, {S.AWAITING_PLENARY, S.PROVISIONALLY_ADMITTED}, say("record a plenary decision")
    )


def require_sitting_plenary(plenary: str | None) -> None:
    """A plenary decision names the plenary in session (the service finds it, or refuses)."""
    if plenary is None:
        raise Conflict(
            say("a plenary decision is recorded only while a plenary is in session"),
            [Problem("plenary", say("no plenary in session was named"))],
        )


def record_plenary_decision(
    record: ApplicationRecord,
    actor: Actor,
    at: datetime,
    decision: PlenaryDecision,
    note: str,
    plenary: str | None,
    observers_full: bool = True,
) -> Transition:
    may_record_plenary_decision(record, actor)
    where = plenary or "the plenary"
    admitted = decision is PlenaryDecision.ADMIT
    change: MemberChange | None = None
    if record.kind is ApplicationKind.FULL_MEMBERSHIP:
        if admitted:
            change = MemberChange(MemberChangeKind.BECOME_FULL, f"Full membership voted at {where}")
    elif record.state is S.PROVISIONALLY_ADMITTED:
        if not admitted:
            change = MemberChange(
                MemberChangeKind.NOT_RATIFIED, f"admission not ratified at {where}"
            )
    elif admitted:
        observer = observers_full and record.applicant.pillar is Pillar.OBSERVER
        as_what = "an observer" if observer else "Engaged"
        change = _admission(record, f"admitted as {as_what} at {where}", observers_full)
    state = S.ADMITTED if admitted else S.REJECTED
    after = _step(
        record, state, at, actor.person, note or decision.value, decided_at_plenary=plenary
    )
    return Transition(
        after, f"application.{state.value}", actor.person, note or decision.value, change
    )


def withdraw(record: ApplicationRecord, actor: Actor, at: datetime, note: str = "") -> Transition:
    own_request = (
        record.kind is ApplicationKind.FULL_MEMBERSHIP
        and actor.member == record.member
        and Role.FOCAL_POINT in actor.roles
    )
    if not own_request:
        require_role(actor, {Role.SECRETARIAT}, say("withdrawing an application"))
    require_state(record, OPEN_STATES, say("withdraw"))
    after = _step(record, S.WITHDRAWN, at, actor.person, note, deadline=None)
    change = None
    if record.state is S.PROVISIONALLY_ADMITTED:
        change = MemberChange(
            MemberChangeKind.NOT_RATIFIED, "application withdrawn before ratification"
        )
    return Transition(after, "application.withdrawn", actor.person, note, change)


def lapse(record: ApplicationRecord, at: datetime) -> Transition:
    require_state(record, {S.INFORMATION_REQUESTED}, say("lapse"))
    assert record.deadline is not None
    note = f"no answer by {record.deadline.due_date.isoformat()}"
    after = _step(record, S.LAPSED, at, "system", note, deadline=None)
    return Transition(after, "application.lapsed", "system", note)


def mark_done(record: ApplicationRecord, key: str) -> ApplicationRecord:
    """Remember that a timed event (a reminder, an escalation) has been handled."""
    return record.model_copy(update={"done": record.done | {key}})


def can_submit(kind: ApplicationKind, actor: Actor, member: str | None = None) -> None:
    """Applications reach the Secretariat by email and it records them; a member's focal point
    asks for its own member's Full membership. Checked before the workflow starts."""
    if actor == APPLICANT:
        return
    if kind is ApplicationKind.FULL_MEMBERSHIP:
        own = Role.FOCAL_POINT in actor.roles and actor.member == member
        if own:
            return
    require_role(actor, {Role.SECRETARIAT}, say("recording an application"))


def submitted_state(kind: ApplicationKind) -> ApplicationState:
    """An organisation's application awaits the completeness check; an Engaged member's request
    for Full membership is complete at once (the member is known)."""
    return S.AWAITING_CHECK if kind is ApplicationKind.ADMISSION else S.COMPLETE


def submit(
    record_id: str,
    kind: ApplicationKind,
    applicant: Applicant,
    actor: Actor,
    at: datetime,
    marks: tuple[datetime, datetime],
    window: date | None = None,
    window_due: datetime | None = None,
    member: str | None = None,
) -> Transition:
    """A new application: an organisation's (awaiting the completeness check) or an Engaged
    member's request for Full membership (complete at once: the member is known)."""
    can_submit(kind, actor, member)
    state = submitted_state(kind)
    record = ApplicationRecord(
        id=record_id,
        kind=kind,
        applicant=applicant,
        member=member,
        window=window,
        window_due=window_due,
        submitted_at=at,
        submitted_by=actor.person,
        state=state,
        history=(Step(state=state, at=at, by=actor.person, note="submitted"),),
        decision_warning_at=marks[0],
        decision_target_at=marks[1],
        version=1,
    )
    return Transition(record, "application.submitted", actor.person, "submitted")
