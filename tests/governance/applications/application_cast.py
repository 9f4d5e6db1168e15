"""The people, the applicant and the instants the application tests share (pure model only)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.applications import rules
from governance.applications.model import (
    APPLICANT,
    Applicant,
    ApplicationKind,
    ApplicationRecord,
    ApplicationRules,
    DeadlineKind,
)
from governance.applications.timeline import deadline_after, decision_marks
from governance.kernel.actor import Actor
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.kernel.timekeeping import end_of_day
from governance.rulebook.model import Recommendation, Rulebook

RULEBOOK = Rulebook()
RULES = ApplicationRules.of(RULEBOOK)
TZ = "America/Toronto"

SECRETARIAT = Actor(person="sec-amina", roles=frozenset({Role.SECRETARIAT}))
SC_ANA = Actor(
    person="sc-ana",
    roles=frozenset({Role.STEERING_COMMITTEE}),
    member="gov-norland",
    member_status=MemberStatus.FULL,
    member_pillar=Pillar.GOVERNMENT,
)
SC_BEN = Actor(
    person="sc-ben",
    roles=frozenset({Role.STEERING_COMMITTEE}),
    member="co-aurum-mining",
    member_status=MemberStatus.FULL,
    member_pillar=Pillar.COMPANY,
)
SC_CLEO = Actor(
    person="sc-cleo",
    roles=frozenset({Role.STEERING_COMMITTEE}),
    member="ngo-civic-space",
    member_status=MemberStatus.FULL,
    member_pillar=Pillar.NGO,
)
STEERING = (SC_ANA, SC_BEN, SC_CLEO)
REVIEWERS = tuple(a.person for a in STEERING)
FULL_FP = Actor(
    person="fp-norland",
    roles=frozenset({Role.FOCAL_POINT}),
    member="gov-norland",
    member_status=MemberStatus.FULL,
    member_pillar=Pillar.GOVERNMENT,
)
ENGAGED_FP = Actor(
    person="fp-yssel",
    roles=frozenset({Role.FOCAL_POINT}),
    member="gov-yssel",
    member_status=MemberStatus.ENGAGED,
    member_pillar=Pillar.GOVERNMENT,
)
CHAIR = Actor(
    person="chair-rosa",
    roles=frozenset({Role.CHAIR}),
    member="gov-norland",
    member_status=MemberStatus.FULL,
    member_pillar=Pillar.GOVERNMENT,
)
# Observers are Full while active, but never vote: they are not told of a proposed admission
# and may not object.
OBSERVER_FP = Actor(
    person="fp-dialogue",
    roles=frozenset({Role.FOCAL_POINT}),
    member="obs-dialogue",
    member_status=MemberStatus.FULL,
    member_pillar=Pillar.OBSERVER,
)
OUTSIDER = Actor(person="someone")

ORGANISATION = Applicant(
    organisation="Ember Energy",
    pillar=Pillar.COMPANY,
    country="Yssel",
    contact_email="contact@ember.example",
    statement="We commit to the Voluntary Principles.",
    documents=["https://ember.example/policy.pdf"],
)
YSSEL = Applicant(
    organisation="Government of Yssel",
    pillar=Pillar.GOVERNMENT,
    country="Yssel",
    contact_email="fp@yssel.example",
    statement="Request for Full membership of gov-yssel.",
)

# Submitted on 1 February 2027 (10:00 in Ottawa): the 31 March 2027 window.
SUBMITTED = datetime(2027, 2, 1, 15, 0, tzinfo=UTC)
WINDOW = date(2027, 3, 31)
WINDOW_DUE = end_of_day(WINDOW, TZ)
MARKS = decision_marks(WINDOW, 9, 12, TZ)
CHECKED = datetime(2027, 2, 3, 15, 0, tzinfo=UTC)
REVIEW_STARTS = datetime(2027, 4, 5, 14, 0, tzinfo=UTC)
REVIEW_DEADLINE = deadline_after(DeadlineKind.REVIEW, REVIEW_STARTS, 42, TZ)
RECOMMENDED = datetime(2027, 4, 20, 14, 0, tzinfo=UTC)
REVIEW_ENDS = REVIEW_DEADLINE.due
NO_OBJECTION_DEADLINE = deadline_after(DeadlineKind.NO_OBJECTION, REVIEW_ENDS, 14, TZ)
PERIOD_ENDS = NO_OBJECTION_DEADLINE.due
PLENARY_DAY = datetime(2027, 6, 15, 16, 0, tzinfo=UTC)


def admission(at: datetime = SUBMITTED) -> ApplicationRecord:
    return rules.submit(
        "app-ember",
        ApplicationKind.ADMISSION,
        ORGANISATION,
        APPLICANT,
        at,
        MARKS,
        WINDOW,
        WINDOW_DUE,
    ).record


def full_request(at: datetime = SUBMITTED) -> ApplicationRecord:
    return rules.submit(
        "full-gov-yssel",
        ApplicationKind.FULL_MEMBERSHIP,
        YSSEL,
        ENGAGED_FP,
        at,
        MARKS,
        member="gov-yssel",
    ).record


def complete(record: ApplicationRecord | None = None) -> ApplicationRecord:
    return rules.mark_complete(record or admission(), SECRETARIAT, CHECKED).record


def under_review(record: ApplicationRecord | None = None) -> ApplicationRecord:
    record = record or complete()
    return rules.start_review(record, SECRETARIAT, REVIEW_STARTS, REVIEWERS, REVIEW_DEADLINE).record


def all_recommend(record: ApplicationRecord, *recommendations: Recommendation) -> ApplicationRecord:
    for actor, recommendation in zip(STEERING, recommendations, strict=False):
        record = rules.recommend(record, actor, RECOMMENDED, recommendation, "").record
    return record


def in_no_objection_period() -> ApplicationRecord:
    record = all_recommend(under_review(), *[Recommendation.SUPPORT] * 3)
    return rules.close_review(
        record, REVIEW_ENDS, NO_OBJECTION_DEADLINE, RULES.silence_counts_as
    ).record


def awaiting_plenary() -> ApplicationRecord:
    record = all_recommend(under_review(), Recommendation.OBJECT)
    return rules.close_review(
        record, REVIEW_ENDS, NO_OBJECTION_DEADLINE, RULES.silence_counts_as
    ).record


def provisionally_admitted() -> ApplicationRecord:
    return rules.close_no_objection(in_no_objection_period(), PERIOD_ENDS, "plenary-2028").record


def information_requested(days: int = 30) -> ApplicationRecord:
    deadline = deadline_after(DeadlineKind.INFORMATION, CHECKED, days, TZ)
    return rules.request_information(
        admission(), SECRETARIAT, CHECKED, "Please send your security policy.", deadline
    ).record
