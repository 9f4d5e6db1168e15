"""What a group's plan and its funding requests tell people, and when.

One process follows a group's annual plan (`workflows/group_plan.py`): the owners of
deliverables are reminded before their due days and told when one is late, the Secretariat
gets the plan's overdue summary, the Steering Committee's reviewers are reminded before a
funding request's review closes, the review closes by itself at its deadline (or at the first
look after the last reviewer it waited for left the Committee, once the others answered), and the
coordinators of an approved request are reminded of the report on the use of funds and told,
with the Secretariat, when it is late.

Each timed step falls at a local midnight: the group's zone for its deliverables, the
initiative's for the Steering Committee's review and the report it asked for. Of several
steps of one thing that fell while nobody looked (a worker down for a week) only the latest
is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from governance.groups.funding import FundingRequest, FundingState, close_review
from governance.groups.plans import Deliverable, Plan, overdue, plan_id
from governance.kernel.messages import names, say, say_n
from governance.kernel.model import Role
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.timekeeping import end_of_day, local_date, start_of_day
from governance.rulebook.model import NotificationKind, Rulebook

K = NotificationKind
SECRETARIAT = "secretariat"


@dataclass(frozen=True, slots=True)
class Parties:
    """Who hears of a group's plan: the group's name, the timezone its days are counted in
    and its coordinators who are people of the registry (local participants have no sign-in
    and hear through them)."""

    group_name: str
    timezone: str
    coordinators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Step:
    at: datetime
    name: str
    subject: str


def plan_item(plan: Plan) -> str:
    return f"icig-plan:{plan_id(plan.group_id, plan.year)}"


def funding_item(request: FundingRequest) -> str:
    return f"icig-funding:{request.id}"


def _money(request: FundingRequest) -> str:
    return f"{format(request.amount.amount, 'f')} {request.amount.currency}"


def deliverable_steps(deliverable: Deliverable, tz: str, rulebook: Rulebook) -> list[Step]:
    if not deliverable.open:
        return []
    offsets = sorted(set(rulebook.group_plans.deliverable_reminder_days_before), reverse=True)
    steps = [
        Step(start_of_day(deliverable.due - timedelta(days=d), tz), f"reminder-{d}", deliverable.id)
        for d in offsets
    ]
    steps.append(Step(end_of_day(deliverable.due, tz), "overdue", deliverable.id))
    return steps


def funding_steps(request: FundingRequest, rulebook: Rulebook) -> list[Step]:
    tz = rulebook.initiative.timezone
    if request.state is FundingState.UNDER_REVIEW and request.review_due_date is not None:
        assert request.review_due is not None
        offsets = sorted(set(rulebook.applications.review_reminder_days_before), reverse=True)
        steps = [
            Step(
                start_of_day(request.review_due_date - timedelta(days=d), tz),
                f"review-reminder-{d}",
                request.id,
            )
            for d in offsets
        ]
        return [*steps, Step(request.review_due, "review-closes", request.id)]
    if request.state is FundingState.APPROVED and request.report_due is not None:
        offsets = sorted(set(rulebook.group_plans.use_report_reminder_days_before), reverse=True)
        steps = [
            Step(
                start_of_day(request.report_due - timedelta(days=d), tz),
                f"report-reminder-{d}",
                request.id,
            )
            for d in offsets
        ]
        return [*steps, Step(end_of_day(request.report_due, tz), "report-overdue", request.id)]
    return []


def _all_steps(
    plan: Plan, requests: Iterable[FundingRequest], parties: Parties, rulebook: Rulebook
) -> list[Step]:
    steps = [s for d in plan.deliverables for s in deliverable_steps(d, parties.timezone, rulebook)]
    return steps + [s for r in requests for s in funding_steps(r, rulebook)]


def next_step_at(
    plan: Plan,
    requests: Iterable[FundingRequest],
    parties: Parties,
    now: datetime,
    rulebook: Rulebook,
) -> datetime | None:
    """When the plan's next step after `now` falls; None when nothing is left to happen."""
    later = [s.at for s in _all_steps(plan, requests, parties, rulebook) if s.at > now]
    return min(later) if later else None


def _latest_in(steps: list[Step], since: datetime, now: datetime) -> Step | None:
    passed = [s for s in steps if since < s.at <= now]
    return max(passed, key=lambda s: s.at) if passed else None


@dataclass(frozen=True, slots=True)
class Due:
    notices: list[Notification]
    # requests whose review closed at its deadline, as they stand after it
    closed: list[FundingRequest]


def run_due(
    plan: Plan,
    requests: list[FundingRequest],
    parties: Parties,
    since: datetime,
    now: datetime,
    rulebook: Rulebook,
    sitting: frozenset[str] | None = None,
) -> Due:
    """The notices of the steps that fell in (since, now], and the reviews they closed.

    `sitting`: the Steering Committee's members now (None: every reviewer named still
    decides). A reviewer who left is neither reminded nor counted silent, and a review whose
    sitting reviewers have all answered closes at this look rather than at its deadline."""
    notices: list[Notification] = []
    late_today = False
    for deliverable in plan.deliverables:
        step = _latest_in(deliverable_steps(deliverable, parties.timezone, rulebook), since, now)
        if step is not None:
            notices.append(_deliverable_notice(plan, deliverable, parties, step))
            late_today = late_today or step.name == "overdue"
    if late_today:
        notices.append(overdue_summary(plan, parties, now))
    closed = []
    for request in requests:
        step = _latest_in(funding_steps(request, rulebook), since, now)
        at = _review_closes_at(request, step, sitting, now)
        if at is not None:
            after = close_review(request, at, rulebook, sitting)
            closed.append(after)
            notices += step_notices(request, after, parties, at)
        elif step is not None:
            notices += _funding_step_notices(request, parties, step, sitting)
    return Due(notices, closed)


def _review_closes_at(
    request: FundingRequest, step: Step | None, sitting: frozenset[str] | None, now: datetime
) -> datetime | None:
    """At its deadline; or now, when every reviewer still on the Committee answered (the last
    one awaited left after the others had). A review nobody answered waits for its deadline
    all the same: nobody decides it earlier."""
    if step is not None and step.name == "review-closes":
        return step.at
    answered = (
        request.state is FundingState.UNDER_REVIEW
        and bool(request.recommendations)
        and not request.awaited(sitting)
    )
    return now if answered else None


def _deliverable_notice(
    plan: Plan, deliverable: Deliverable, parties: Parties, step: Step
) -> Notification:
    version = f"{deliverable.id}:{deliverable.due.isoformat()}:{step.name}"
    if step.name == "overdue":
        text = say(
            "The deliverable %(deliverable)s of the %(group)s %(year)s plan was due on %(due)s "
            "and is not done.",
            deliverable=deliverable.title,
            group=parties.group_name,
            year=str(plan.year),
            due=deliverable.due,
        )
        kind = K.OVERDUE
    else:
        text = say(
            "Reminder: the deliverable %(deliverable)s of the %(group)s %(year)s plan is due on "
            "%(due)s.",
            deliverable=deliverable.title,
            group=parties.group_name,
            year=str(plan.year),
            due=deliverable.due,
        )
        kind = K.DEADLINE_REMINDER
    return direct_notice(kind, deliverable.owner, plan_item(plan), version, text, step.at)


def overdue_on_adding(
    plan: Plan, deliverable: Deliverable, parties: Parties, at: datetime
) -> list[Notification]:
    """A deliverable added after its due day never reaches its overdue step (the plan's steps
    are looked at from their last look on): its owner and the Secretariat hear at once, as they
    would have the day after it."""
    if not deliverable.open or end_of_day(deliverable.due, parties.timezone) > at:
        return []
    step = Step(at, "overdue", deliverable.id)
    owner = _deliverable_notice(plan, deliverable, parties, step)
    return [owner, overdue_summary(plan, parties, at)]


def overdue_summary(plan: Plan, parties: Parties, now: datetime) -> Notification:
    """To the Secretariat: every deliverable of the plan still open after its due day."""
    today = local_date(now, parties.timezone)
    late = overdue(plan, today)
    text = say_n(
        "The %(group)s %(year)s plan has %(count)s overdue deliverable: %(deliverables)s.",
        "The %(group)s %(year)s plan has %(count)s overdue deliverables: %(deliverables)s.",
        len(late),
        group=parties.group_name,
        year=str(plan.year),
        deliverables=names([f"{d.title} ({d.owner}, {d.due.isoformat()})" for d in late]),
    )
    version = f"overdue-summary-{today.isoformat()}"
    return channel_notice(K.OVERDUE, SECRETARIAT, plan_item(plan), version, text, now)


def _funding_step_notices(
    request: FundingRequest, parties: Parties, step: Step, sitting: frozenset[str] | None
) -> list[Notification]:
    item, version = funding_item(request), step.name
    if step.name.startswith("review-reminder"):
        assert request.review_due_date is not None
        text = say(
            "Reminder: your recommendation on the funding request %(request)s of %(group)s "
            "(%(amount)s) is due on %(due)s.",
            request=request.id,
            group=parties.group_name,
            amount=_money(request),
            due=request.review_due_date,
        )
        # for the role too: one who leaves between now and the delivery is not told of a
        # confidential request either
        return [
            _for_reviewer(direct_notice(K.DEADLINE_REMINDER, p, item, version, text, step.at))
            for p in request.awaited(sitting)
        ]
    assert request.report_due is not None
    if step.name.startswith("report-reminder"):
        text = say(
            "Reminder: the report on the use of the funds of request %(request)s (%(amount)s) "
            "is due on %(due)s.",
            request=request.id,
            amount=_money(request),
            due=request.report_due,
        )
        return [
            direct_notice(K.DEADLINE_REMINDER, p, item, version, text, step.at)
            for p in parties.coordinators
        ]
    text = say(
        "The report on the use of the funds of request %(request)s of %(group)s (%(amount)s) "
        "was due on %(due)s and has not arrived.",
        request=request.id,
        group=parties.group_name,
        amount=_money(request),
        due=request.report_due,
    )
    return [
        *(direct_notice(K.OVERDUE, p, item, version, text, step.at) for p in parties.coordinators),
        channel_notice(K.OVERDUE, SECRETARIAT, item, version, text, step.at),
    ]


def _for_reviewer(notice: Notification) -> Notification:
    return notice.model_copy(update={"for_role": Role.STEERING_COMMITTEE})


def step_notices(
    before: FundingRequest | None, after: FundingRequest, parties: Parties, at: datetime
) -> list[Notification]:
    """Who hears of a request's change of state, and what."""
    if before is not None and before.state is after.state:
        return []
    item = funding_item(after)
    # a request may go round (returned, completed) more than once: the instant tells them apart
    version = f"{after.state.value}-{at.isoformat()}"
    amount, group = _money(after), parties.group_name
    match after.state:
        case FundingState.SUBMITTED:
            text = say(
                "The funding request %(request)s of %(group)s (%(amount)s) waits for the "
                "Secretariat's completeness check.",
                request=after.id,
                group=group,
                amount=amount,
            )
            return [channel_notice(K.CHANGE_NOTICE, SECRETARIAT, item, version, text, at)]
        case FundingState.RETURNED:
            text = say(
                "The funding request %(request)s was returned as incomplete: %(missing)s",
                request=after.id,
                missing=after.missing,
            )
            return [
                direct_notice(K.CHANGE_NOTICE, p, item, version, text, at)
                for p in parties.coordinators
            ]
        case FundingState.UNDER_REVIEW:
            assert after.review_due_date is not None
            text = say(
                "The funding request %(request)s of %(group)s (%(amount)s) waits for your "
                "recommendation by %(due)s.",
                request=after.id,
                group=group,
                amount=amount,
                due=after.review_due_date,
            )
            # the request itself, which no opt-out stops (the reminders that follow may be):
            # sent as a reminder, a reviewer who stopped reminders never heard of the review,
            # and their silence was counted
            return [
                _for_reviewer(direct_notice(K.REQUEST, p, item, version, text, at))
                for p in after.reviewers
            ]
        case FundingState.APPROVED:
            assert after.report_due is not None
            text = say(
                "The Steering Committee approved the funding request %(request)s of %(group)s "
                "(%(amount)s); the report on the use of the funds is due on %(due)s.",
                request=after.id,
                group=group,
                amount=amount,
                due=after.report_due,
            )
        case FundingState.DECLINED:
            text = say(
                "The Steering Committee declined the funding request %(request)s of %(group)s "
                "(%(amount)s).",
                request=after.id,
                group=group,
                amount=amount,
            )
        case FundingState.USE_REPORTED:
            text = say(
                "%(group)s reported on the use of the funds of request %(request)s.",
                request=after.id,
                group=group,
            )
            return [channel_notice(K.CHANGE_NOTICE, SECRETARIAT, item, version, text, at)]
    return [
        *(direct_notice(K.DECISION, p, item, version, text, at) for p in parties.coordinators),
        channel_notice(K.DECISION, SECRETARIAT, item, version, text, at),
    ]
