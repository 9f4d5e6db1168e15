"""Funding requests: a group asks for Association funds against its annual plan (Strategy 3i).

A coordinator of the group asks for an amount with its purpose; the Secretariat checks the
request is complete (or returns it saying what is missing); the Steering Committee reviews it
the way it reviews an application: each member recommends by a deadline, silence counts as the
rulebook's `applications.silence_counts_as`, and a request nobody objects to is approved. An
approved request owes a report on the use of the funds by a deadline.

Requests are confidential to the group's coordinators and members, the Secretariat and the
Steering Committee (`may_see`). A Committee member who is a party to the request (a coordinator
of the group, or a person of one of its member organisations) stands aside from its review
(`stands_aside`), as the parties to a concern do not act on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from governance.groups.model import Group, check_coordinator_joins
from governance.groups.money import Money, Spent
from governance.groups.plans import Year
from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.messages import Message, said, say, word, word_list
from governance.kernel.model import Frozen, MemberStatus, Paragraphs, Role, Slug, has_left
from governance.kernel.timekeeping import end_of_day, local_date
from governance.rulebook.model import Recommendation, Rulebook

Purpose = Annotated[Paragraphs, Field(min_length=1, max_length=4000)]


class FundingState(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    DECLINED = "declined"
    USE_REPORTED = "use_reported"


FINAL = frozenset({FundingState.DECLINED, FundingState.USE_REPORTED})


class FundingRecommendation(Frozen):
    person: Slug
    recommendation: Recommendation
    comment: Annotated[Paragraphs, Field(max_length=4000)] = ""
    at: AwareDatetime
    # counted from silence when the review closed, not said by the person
    silent: bool = False


class UseReport(Frozen):
    spent: Spent
    report: Purpose
    at: AwareDatetime
    by: Slug


class FundingRequest(Frozen):
    id: Slug
    group_id: Slug
    year: Year
    amount: Money
    purpose: Purpose
    requested_by: Slug
    requested_at: AwareDatetime
    state: FundingState = FundingState.SUBMITTED
    # what the Secretariat found missing when it returned the request
    missing: Annotated[Paragraphs, Field(max_length=4000)] = ""
    reviewers: tuple[Slug, ...] = ()
    review_due_date: date | None = None
    review_due: AwareDatetime | None = None
    recommendations: tuple[FundingRecommendation, ...] = ()
    decided_at: AwareDatetime | None = None
    report_due: date | None = None
    use_report: UseReport | None = None

    @property
    def silent_reviewers(self) -> tuple[str, ...]:
        answered = {r.person for r in self.recommendations}
        return tuple(p for p in self.reviewers if p not in answered)

    def awaited(self, sitting: frozenset[str] | None) -> tuple[str, ...]:
        """The silent reviewers who still decide (`sitting`; None: all of them). One whose role
        went (taken away, or their member stopped voting), or who became a party to the request
        since the review started (`stands_aside`), no longer decides: the review neither waits
        for them, nor reminds them, nor counts their silence."""
        return tuple(p for p in self.silent_reviewers if sitting is None or p in sitting)

    def report_overdue(self, today: date) -> bool:
        """Approved, unreported and past its report's due day: the flag the pages show."""
        return (
            self.state is FundingState.APPROVED
            and self.report_due is not None
            and today > self.report_due
        )


class FundingAsk(Frozen):
    """What a coordinator sends to ask for funds against the group's plan of `year`."""

    id: Slug
    year: Year
    amount: Money
    purpose: Purpose


@dataclass(frozen=True, slots=True)
class Asker:
    """Who acts on a request, as the service found them: their roles, whether they coordinate
    or belong to the request's group, and whether their member has left the initiative."""

    person: str
    roles: frozenset[Role]
    coordinator: bool = False
    member: bool = False
    # the person's own member and its status now; one that left (`kernel.model.has_left`) is
    # still listed by the group until the Secretariat removes it, but takes no part in its funds
    own_member: tuple[str, MemberStatus] | None = None

    @property
    def left(self) -> bool:
        return self.own_member is not None and has_left(self.own_member[1])

    @property
    def party(self) -> bool:
        """A party to the group's requests, who stands aside from their review
        (`stands_aside`)."""
        return self.coordinator or self.member


def stands_aside(group: Group, person_id: str, member: str | None) -> bool:
    """Does the Steering Committee member `person_id` (of `member`) stand aside from the review
    of `group`'s requests? Its coordinators (people of the registry, `acts_as_coordinator`)
    and the people of its member organisations are parties to them: found by a review, a
    Committee member supported their own group's request. Like the member a concern is about
    (`concerns.rules.not_of_the_member_concerned`), they do not act; the other reviewers
    decide. They still read the request as the group does (`may_see`)."""
    return group.acts_as_coordinator(person_id) or (
        member is not None and member in group.member_ids
    )


def may_see(asker: Asker) -> bool:
    """The group's coordinators and members, the Secretariat and the Steering Committee; not
    the people of a member that left the initiative, whom the group lists until the
    Secretariat removes them (a member that left reads nothing confidential of others)."""
    return ((asker.coordinator or asker.member) and not asker.left) or bool(
        asker.roles & {Role.SECRETARIAT, Role.STEERING_COMMITTEE}
    )


def _require_state(
    request: FundingRequest, states: set[FundingState], action: str | Message
) -> None:
    if request.state not in states:
        allowed = word_list(sorted(s.value for s in states))
        raise Conflict(
            say(
                "a request that is %(state)s cannot %(action)s",
                state=word(request.state),
                action=said(action),
            ),
            [
                Problem(
                    "state",
                    say(
                        "%(action)s needs the request to be: %(allowed)s",
                        action=said(action),
                        allowed=allowed,
                    ),
                )
            ],
        )


def _require_coordinator(asker: Asker, action: str | Message, group_id: str) -> None:
    if asker.coordinator:
        # listed until the Secretariat removes them; asking for the Association's funds is
        # what a member that left can no longer do, as it may not be made a coordinator
        check_coordinator_joins(asker.person, asker.own_member, field="by")
    if not asker.coordinator:
        raise Forbidden(
            f"coordinator of {group_id}",
            action,
            [
                Problem(
                    "by",
                    say(
                        "%(person)s does not coordinate %(group_id)s",
                        person=asker.person,
                        group_id=group_id,
                    ),
                )
            ],
        )


def _require_secretariat(asker: Asker, action: str | Message) -> None:
    if Role.SECRETARIAT not in asker.roles:
        raise Forbidden(Role.SECRETARIAT.value, action)


def request_funding(
    request_id: str,
    group_id: str,
    year: int,
    amount: Money,
    purpose: str,
    asker: Asker,
    at: datetime,
) -> FundingRequest:
    _require_coordinator(asker, say("asking for funds"), group_id)
    return FundingRequest(
        id=request_id,
        group_id=group_id,
        year=year,
        amount=amount,
        purpose=purpose,
        requested_by=asker.person,
        requested_at=at,
    )


def return_incomplete(request: FundingRequest, asker: Asker, missing: str) -> FundingRequest:
    _require_secretariat(asker, say("checking a funding request"))
    _require_state(request, {FundingState.SUBMITTED}, say("be returned"))
    if not missing.strip():
        raise InvalidInput(
            say("say what is missing"),
            [Problem("missing", say("required when the request is returned"))],
        )
    return request.model_copy(update={"state": FundingState.RETURNED, "missing": missing})


def resubmit(
    request: FundingRequest, asker: Asker, amount: Money | None, purpose: str | None, at: datetime
) -> FundingRequest:
    _require_coordinator(asker, say("completing a funding request"), request.group_id)
    _require_state(request, {FundingState.RETURNED}, say("be completed"))
    return request.model_copy(
        update={
            "state": FundingState.SUBMITTED,
            "amount": amount or request.amount,
            "purpose": purpose or request.purpose,
            "missing": "",
            "requested_at": at,
        }
    )


def review_deadline(at: datetime, rulebook: Rulebook) -> tuple[date, datetime]:
    """The review's last day and instant: `applications.review_days` after the day it starts,
    in the initiative's zone (the Steering Committee's), as for an application."""
    tz = rulebook.initiative.timezone
    due = local_date(at, tz) + timedelta(days=rulebook.applications.review_days)
    return due, end_of_day(due, tz)


def start_review(
    request: FundingRequest,
    asker: Asker,
    reviewers: tuple[str, ...],
    at: datetime,
    rulebook: Rulebook,
    aside: frozenset[str] = frozenset(),
) -> FundingRequest:
    """The Secretariat found the request complete: the Steering Committee reviews it, but for
    those of its members who stand aside (`aside`, see `stands_aside`). If every member stands
    aside, the check is refused as when nobody holds the role: nobody could decide, and a
    review with no reviewer would be approved at its deadline by nobody."""
    _require_secretariat(asker, say("checking a funding request"))
    _require_state(request, {FundingState.SUBMITTED}, say("go to review"))
    if not reviewers:
        raise Conflict(
            say("no Steering Committee member can review"),
            [Problem("reviewers", say("nobody holds the steering_committee role"))],
        )
    deciding = set(reviewers) - aside
    if not deciding:
        raise Conflict(
            say("no Steering Committee member can review"),
            [
                Problem(
                    "reviewers",
                    say(
                        "every Steering Committee member coordinates %(group_id)s or is of one "
                        "of its members, and stands aside",
                        group_id=request.group_id,
                    ),
                )
            ],
        )
    due_date, due = review_deadline(at, rulebook)
    return request.model_copy(
        update={
            "state": FundingState.UNDER_REVIEW,
            "reviewers": tuple(sorted(deciding)),
            "review_due_date": due_date,
            "review_due": due,
        }
    )


def recommend(
    request: FundingRequest,
    asker: Asker,
    recommendation: Recommendation,
    comment: str,
    at: datetime,
    rulebook: Rulebook,
    sitting: frozenset[str] | None = None,
) -> FundingRequest:
    """A reviewer's recommendation; the last one awaited from the reviewers still `sitting`
    closes the review at once. A party to the request does not recommend (`stands_aside`)."""
    if Role.STEERING_COMMITTEE not in asker.roles:
        raise Forbidden(Role.STEERING_COMMITTEE.value, say("recommending on a funding request"))
    _not_a_party(request, asker)
    _require_state(request, {FundingState.UNDER_REVIEW}, say("take recommendations"))
    if asker.person not in request.reviewers:
        raise Forbidden(Role.STEERING_COMMITTEE.value, say("recommending (not a reviewer of it)"))
    if any(r.person == asker.person for r in request.recommendations):
        raise Conflict(
            say("a recommendation is already recorded"),
            [Problem("by", say("%(person)s has already recommended", person=asker.person))],
        )
    said = FundingRecommendation(
        person=asker.person, recommendation=recommendation, comment=comment, at=at
    )
    after = request.model_copy(update={"recommendations": (*request.recommendations, said)})
    return after if after.awaited(sitting) else close_review(after, at, rulebook, sitting)


def _not_a_party(request: FundingRequest, asker: Asker) -> None:
    if not asker.party:
        return
    if asker.coordinator:
        why = say(
            "%(person)s coordinates %(group_id)s, which asks for the funds: the other reviewers "
            "decide",
            person=asker.person,
            group_id=request.group_id,
        )
    else:
        why = say(
            "%(person)s is of a member of %(group_id)s, which asks for the funds: the other "
            "reviewers decide",
            person=asker.person,
            group_id=request.group_id,
        )
    raise Conflict(
        say("the group asking for the funds does not review its request"), [Problem("by", why)]
    )


def close_review(
    request: FundingRequest,
    at: datetime,
    rulebook: Rulebook,
    sitting: frozenset[str] | None = None,
) -> FundingRequest:
    """The review ends (every sitting reviewer answered, or its deadline passed): silence
    counts as the rulebook says for the reviewers still on the Committee (`sitting`; None:
    every reviewer), and the request is approved unless someone objects."""
    _require_state(request, {FundingState.UNDER_REVIEW}, say("close its review"))
    silence = rulebook.applications.silence_counts_as
    silent = tuple(
        FundingRecommendation(person=p, recommendation=silence, at=at, silent=True)
        for p in request.awaited(sitting)
    )
    said = (*request.recommendations, *silent)
    objected = any(r.recommendation is Recommendation.OBJECT for r in said)
    if objected:
        return request.model_copy(
            update={"state": FundingState.DECLINED, "recommendations": said, "decided_at": at}
        )
    report_due = local_date(at, rulebook.initiative.timezone) + timedelta(
        days=rulebook.group_plans.use_report_days
    )
    return request.model_copy(
        update={
            "state": FundingState.APPROVED,
            "recommendations": said,
            "decided_at": at,
            "report_due": report_due,
        }
    )


def report_use(
    request: FundingRequest, asker: Asker, spent: Spent, report: str, at: datetime
) -> FundingRequest:
    _require_coordinator(asker, say("reporting on the use of funds"), request.group_id)
    _require_state(request, {FundingState.APPROVED}, say("take a report on the use of funds"))
    if spent.currency != request.amount.currency:
        raise InvalidInput(
            say("report the funds in the currency they were approved in"),
            [
                Problem(
                    "spent.currency",
                    say("the request was for %(currency)s", currency=request.amount.currency),
                )
            ],
        )
    use = UseReport(spent=spent, report=report, at=at, by=asker.person)
    return request.model_copy(update={"state": FundingState.USE_REPORTED, "use_report": use})


_WHOLE_RECORD = frozenset({Role.SECRETARIAT, Role.STEERING_COMMITTEE})


def as_read_by(request: FundingRequest, roles: frozenset[Role]) -> FundingRequest:
    """The request as someone who may see it (`may_see`) reads it: the whole record for the
    Secretariat and the Steering Committee; for the group's coordinators and members, who
    reviews it and who recommended what are left out. The Committee decides as one, as on an
    application (whose applicant reads a summary) or a concern (whose parties read the
    Committee's recommendation, not who recorded it): the group reads the state, its deadlines
    and the decision, never which reviewer objected, nor the recommendations as they come in.
    """
    if roles & _WHOLE_RECORD:
        return request
    return request.model_copy(update={"reviewers": (), "recommendations": ()})
