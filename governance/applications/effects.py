"""What each step of an application publishes: calendar entries, notices and its audit entry.

Application contents and deadlines are confidential to the Secretariat and the Steering Committee
(and, for the no-objection period, to voting members) until a decision is announced; only
announced admissions reach the public feed. Notices go to the people who must act.
"""

from __future__ import annotations

from datetime import date, datetime

from governance.applications.model import (
    ApplicationKind,
    ApplicationRecord,
    ApplicationRules,
    ApplicationState,
    Deadline,
    DeadlineKind,
)
from governance.applications.rules import Transition, tally
from governance.applications.timeline import TimedEvent, TimedEventKind
from governance.kernel.audit import AuditEntry
from governance.kernel.calendar import (
    PUBLIC,
    VOTING_MEMBERS,
    CalendarItem,
    EventStatus,
    item_uid,
    role_audience,
)
from governance.kernel.messages import N_, NP_, Day, Label, Message, Term, say, say_in, term
from governance.kernel.model import Pillar, Role
from governance.kernel.notices import RECOMMEND, Notification, channel_notice, direct_notice
from governance.kernel.terms import pillar_term
from governance.kernel.timekeeping import day_ending_at, local_date
from governance.rulebook.model import NotificationKind

S = ApplicationState
K = NotificationKind
SECRETARIAT = role_audience(Role.SECRETARIAT)
STEERING = role_audience(Role.STEERING_COMMITTEE)
_DEADLINE_TITLES = {
    DeadlineKind.INFORMATION: ("information", N_("Information due from %(org)s"), {SECRETARIAT}),
    DeadlineKind.REVIEW: ("review", N_("Recommendations due on %(org)s"), {SECRETARIAT, STEERING}),
    DeadlineKind.NO_OBJECTION: (
        "no-objection",
        N_("No-objection period on %(org)s ends"),
        {SECRETARIAT, STEERING, VOTING_MEMBERS},
    ),
}
# An application's kind as its calendar entry names it.
_KIND_WORDS = {
    ApplicationKind.ADMISSION: NP_("application kind", "admission"),
    ApplicationKind.FULL_MEMBERSHIP: NP_("application kind", "full membership"),
}


def audit_entry(transition: Transition, at: datetime) -> AuditEntry:
    record = transition.record
    return AuditEntry(
        key=f"{record.id}:v{record.version}",
        at=at,
        actor=transition.by,
        action=transition.action,
        item_kind="application",
        item_id=record.id,
        reason=transition.note,
        data={"state": record.state.value, "kind": record.kind.value},
    )


def _deadline_item(
    record: ApplicationRecord, deadline: Deadline, rules: ApplicationRules, status: EventStatus
) -> CalendarItem:
    suffix, title, audiences = _DEADLINE_TITLES[deadline.kind]
    if deadline.kind is DeadlineKind.INFORMATION:
        suffix = f"{suffix}-{deadline.number}"
    heading = say(title, org=record.applicant.organisation)
    kind = term(say_in("application kind", _KIND_WORDS[record.kind]))
    description = say("Application %(id)s (%(kind)s).", id=record.id, kind=kind)
    return CalendarItem(
        uid=item_uid(f"{record.id}-{suffix}", rules.uid_domain),
        kind="application_deadline",
        title=heading.english(),
        description=description.english(),
        title_message=heading,
        description_message=description,
        start_date=deadline.due_date,
        status=status,
        audiences=frozenset(audiences),
        confidential=True,
    )


def _observer(record: ApplicationRecord) -> bool:
    """An observer is admitted as an observer, never as an Engaged member (it never votes, so
    it has no Engaged period): the public decision and the notices say which."""
    return record.applicant.pillar is Pillar.OBSERVER


# The notices that name what the applicant is admitted as, by whether it is an observer.
_PROPOSED = {
    False: N_(
        "%(org)s (%(pillar)s, %(country)s) is proposed for admission as an Engaged member. "
        "Any voting member may object, with a reason, until %(due)s."
    ),
    True: N_(
        "%(org)s (%(pillar)s, %(country)s) is proposed for admission as an observer. "
        "Any voting member may object, with a reason, until %(due)s."
    ),
}
# The plenary that ratifies is the next one (rules.close_no_objection): named as such, since the
# workflow knows only its id, which means nothing to members.
_PROVISIONAL_NEXT = {
    False: N_(
        "%(org)s is provisionally admitted as an Engaged member; the next %(plenary)s "
        "will be asked to ratify."
    ),
    True: N_(
        "%(org)s is provisionally admitted as an observer; the next %(plenary)s will be asked "
        "to ratify."
    ),
}


def _decision_title(before: ApplicationRecord, after: ApplicationRecord) -> Message | None:
    org = after.applicant.organisation
    if after.kind is ApplicationKind.FULL_MEMBERSHIP:
        return say("%(org)s becomes a Full member", org=org) if after.state is S.ADMITTED else None
    observer = _observer(after)
    if after.state is S.PROVISIONALLY_ADMITTED:
        if observer:
            return say("%(org)s provisionally admitted as an observer", org=org)
        return say("%(org)s provisionally admitted as an Engaged member", org=org)
    if after.state is S.ADMITTED:
        if before.state is S.PROVISIONALLY_ADMITTED:
            if observer:
                return say("%(org)s: admission as an observer ratified", org=org)
            return say("%(org)s: admission as an Engaged member ratified", org=org)
        if observer:
            return say("%(org)s admitted as an observer", org=org)
        return say("%(org)s admitted as an Engaged member", org=org)
    if before.state is S.PROVISIONALLY_ADMITTED and after.state in {S.REJECTED, S.WITHDRAWN}:
        return say("%(org)s: provisional admission not ratified", org=org)
    return None


def _review_closed(before: ApplicationRecord, after: ApplicationRecord) -> bool:
    """A review closed at or after its due day asks nothing more of the reviewers: its
    "recommendations due" event is cancelled (a tombstone the feeds keep for a while) rather
    than left standing as if still owed. Other deadlines that simply passed stay as history."""
    return (
        before.state is S.UNDER_REVIEW
        and after.state is not S.UNDER_REVIEW
        and before.deadline is not None
        and before.deadline.kind is DeadlineKind.REVIEW
    )


def calendar_changes(
    before: ApplicationRecord, after: ApplicationRecord, at: datetime, rules: ApplicationRules
) -> list[CalendarItem]:
    """New and moved deadlines; deadlines that ended early become CANCELLED; public decisions."""
    items = []
    if after.deadline is not None and after.deadline != before.deadline:
        items.append(_deadline_item(after, after.deadline, rules, EventStatus.CONFIRMED))
    if (
        before.deadline is not None
        and before.deadline != after.deadline
        and (at < before.deadline.due or _review_closed(before, after))
    ):
        items.append(_deadline_item(before, before.deadline, rules, EventStatus.CANCELLED))
    title = _decision_title(before, after)
    if title is not None:
        day = local_date(at, rules.timezone)
        items.append(
            CalendarItem(
                uid=item_uid(f"{after.id}-decision", rules.uid_domain),
                kind="membership_decision",
                title=title.english(),
                title_message=title,
                start_date=day,
                audiences=frozenset({PUBLIC}),
            )
        )
    return items


def _channels(
    kind: NotificationKind,
    channels: tuple[str, ...],
    record: ApplicationRecord,
    version: str,
    text: Message,
    at: datetime,
) -> list[Notification]:
    return [channel_notice(kind, c, record.id, version, text, at) for c in channels]


def _people(
    kind: NotificationKind,
    people: tuple[str, ...] | list[str],
    record: ApplicationRecord,
    version: str,
    text: Message,
    at: datetime,
    action: str | None = None,
) -> list[Notification]:
    return [
        direct_notice(kind, p, record.id, version, text, at, action) for p in sorted(set(people))
    ]


def proposal_notice(record: ApplicationRecord, person: str, at: datetime) -> Notification:
    """Tells one voting member's focal point that an applicant is proposed, and until when they
    may object (sent to every voting member, page by page, when a review closes in favour)."""
    applicant, deadline = record.applicant, record.deadline
    text = say(
        _PROPOSED[_observer(record)],
        org=applicant.organisation,
        pillar=pillar_term(applicant.pillar),
        country=applicant.country,
        due=_day(deadline.due_date if deadline else None),
    )
    return direct_notice(K.ANNOUNCEMENT, person, record.id, str(record.version), text, at)


def transition_notices(
    before: ApplicationRecord,
    transition: Transition,
    at: datetime,
    rules: ApplicationRules,
    voting_focal_points: tuple[str, ...] = (),
) -> list[Notification]:
    after = transition.record
    org, version = after.applicant.organisation, str(after.version)
    sc = Label(key="initiative.labels.steering_committee", text=rules.steering_committee)
    plenary = Label(key="initiative.labels.plenary", text=rules.plenary)
    action = transition.action.removeprefix("application.")
    deadline = after.deadline
    due = _day(deadline.due_date if deadline else None)
    both = ("secretariat", "steering_committee")
    if action == "submitted":
        kind = term(say_in("application kind", _KINDS[after.kind]))
        if after.window:
            text = say(
                "New %(kind)s application %(id)s: %(org)s; window %(window)s.",
                kind=kind,
                id=after.id,
                org=org,
                window=after.window,
            )
        else:
            text = say("New %(kind)s application %(id)s: %(org)s.", kind=kind, id=after.id, org=org)
        return _channels(K.ANNOUNCEMENT, ("secretariat",), after, version, text, at)
    if action == "information_provided":
        text = say(
            "%(org)s answered the information request on %(id)s; the check resumes.",
            org=org,
            id=after.id,
        )
        return _channels(K.ANNOUNCEMENT, ("secretariat",), after, version, text, at)
    if action == "review_started":
        text = say(
            "Please record your recommendation on %(org)s's application (%(id)s) by %(due)s.",
            org=org,
            id=after.id,
            due=due,
        )
        # the request itself, which no opt-out stops (the reminders that follow may be)
        return _people(K.REQUEST, after.reviewers, after, version, text, at, RECOMMEND)
    if action == "review_closed":
        # the tally (the step's note in English) in the reader's language
        summary = say(
            "The %(body)s review of %(org)s's application closed: %(note)s.",
            body=sc,
            org=org,
            note=term(tally(after.recommendations)),
        )
        notices = _channels(K.DECISION, both, after, version, summary, at)
        if after.state is S.NO_OBJECTION_PERIOD:
            told = sorted(set(voting_focal_points))
            notices += [proposal_notice(after, person, at) for person in told]
        return notices
    if action == "objected":
        text = say(
            "An objection was recorded on %(org)s's application: it goes to the %(plenary)s.",
            org=org,
            plenary=plenary,
        )
        return _channels(K.DECISION, both, after, version, text, at)
    if action == "provisionally_admitted":
        text = say(_PROVISIONAL_NEXT[_observer(after)], org=org, plenary=plenary)
        return _channels(K.DECISION, ("all_members",), after, version, text, at)
    decided = _decision_message(before, after)
    if action in {"admitted", "rejected", "withdrawn"} and decided is not None:
        return _channels(K.DECISION, ("all_members",), after, version, decided, at)
    if action in {"rejected", "withdrawn", "lapsed"}:
        text = say(
            "%(org)s's application (%(id)s) is %(state)s: %(note)s.",
            org=org,
            id=after.id,
            state=_state(after.state),
            note=transition.note or "-",
        )
        return _channels(K.DECISION, both, after, version, text, at)
    return []


def timed_notices(
    record: ApplicationRecord, event: TimedEvent, rules: ApplicationRules
) -> list[Notification]:
    """Reminders and escalations: only to those who still owe something."""
    org, at, version = record.applicant.organisation, event.at, event.key
    both = ("secretariat", "steering_committee")
    deadline = record.deadline
    due = _day(deadline.due_date if deadline else None)
    target = day_ending_at(record.decision_target_at, rules.timezone)
    state = _state(record.state)
    match event.kind:
        case TimedEventKind.WINDOW_DUE:
            text = say(
                "%(org)s's application (%(window)s window) is due for review; it is %(state)s.",
                org=org,
                window=_day(record.window),
                state=state,
            )
            return _channels(K.DEADLINE_REMINDER, ("secretariat",), record, version, text, at)
        case TimedEventKind.INFORMATION_REMINDER:
            text = say(
                "%(org)s has not yet answered the information request due %(due)s (%(id)s).",
                org=org,
                due=due,
                id=record.id,
            )
            return _channels(K.DEADLINE_REMINDER, ("secretariat",), record, version, text, at)
        case TimedEventKind.REVIEW_REMINDER:
            text = say(
                "Reminder: your recommendation on %(org)s's application (%(id)s) is due %(due)s.",
                org=org,
                id=record.id,
                due=due,
            )
            reminders = _people(
                K.DEADLINE_REMINDER, record.silent_reviewers, record, version, text, at, RECOMMEND
            )
            return [n.model_copy(update={"for_role": Role.STEERING_COMMITTEE}) for n in reminders]
        case TimedEventKind.DECISION_WARNING:
            text = say(
                "%(org)s's application (%(id)s) is still %(state)s; decision target %(target)s.",
                org=org,
                id=record.id,
                state=state,
                target=target,
            )
            return _channels(K.OVERDUE, both, record, version, text, at)
        case TimedEventKind.DECISION_TARGET | TimedEventKind.ESCALATION:
            text = say(
                "The decision target for %(org)s's application (%(id)s) passed on %(target)s; "
                "it is still %(state)s.",
                org=org,
                id=record.id,
                target=target,
                state=state,
            )
            return _channels(K.OVERDUE, both, record, version, text, at)
    return []


def _day(day: date | None) -> Day | str:
    return "" if day is None else Day(value=day)


def _state(state: ApplicationState) -> Term:
    """The state in words ("under review"), translated."""
    return term(say_in("application state", _STATES[state]))


# Named as the notices have always named them (the English text is unchanged), each marked
# for translation with its context.
_KINDS = {
    ApplicationKind.ADMISSION: NP_("application kind", "admission"),
    ApplicationKind.FULL_MEMBERSHIP: NP_("application kind", "full membership"),
}
# Words, not the state's code: "is still under review" (each completes "it is ...").
_STATES = {
    S.AWAITING_CHECK: NP_("application state", "awaiting the completeness check"),
    S.INFORMATION_REQUESTED: NP_("application state", "awaiting information"),
    S.COMPLETE: NP_("application state", "complete"),
    S.UNDER_REVIEW: NP_("application state", "under review"),
    S.NO_OBJECTION_PERIOD: NP_("application state", "in the no-objection period"),
    S.AWAITING_PLENARY: NP_("application state", "awaiting the plenary"),
    S.PROVISIONALLY_ADMITTED: NP_("application state", "provisionally admitted"),
    S.ADMITTED: NP_("application state", "admitted"),
    S.REJECTED: NP_("application state", "rejected"),
    S.WITHDRAWN: NP_("application state", "withdrawn"),
    S.LAPSED: NP_("application state", "lapsed"),
}


# The public decision, as a sentence of its own (the calendar entry's title without the stop).
_DECIDED = {
    "full": N_("%(org)s becomes a Full member."),
    "provisional": N_("%(org)s provisionally admitted as an Engaged member."),
    "ratified": N_("%(org)s: admission as an Engaged member ratified."),
    "admitted": N_("%(org)s admitted as an Engaged member."),
    "not_ratified": N_("%(org)s: provisional admission not ratified."),
    "provisional_observer": N_("%(org)s provisionally admitted as an observer."),
    "ratified_observer": N_("%(org)s: admission as an observer ratified."),
    "admitted_observer": N_("%(org)s admitted as an observer."),
}


def _decision_message(before: ApplicationRecord, after: ApplicationRecord) -> Message | None:
    which = _decision_kind(before, after)
    if which is None:
        return None
    if _observer(after) and f"{which}_observer" in _DECIDED:
        which = f"{which}_observer"
    return say(_DECIDED[which], org=after.applicant.organisation)


def _decision_kind(before: ApplicationRecord, after: ApplicationRecord) -> str | None:
    if after.kind is ApplicationKind.FULL_MEMBERSHIP:
        return "full" if after.state is S.ADMITTED else None
    if after.state is S.PROVISIONALLY_ADMITTED:
        return "provisional"
    if after.state is S.ADMITTED:
        return "ratified" if before.state is S.PROVISIONALLY_ADMITTED else "admitted"
    if before.state is S.PROVISIONALLY_ADMITTED and after.state in {S.REJECTED, S.WITHDRAWN}:
        return "not_ratified"
    return None
