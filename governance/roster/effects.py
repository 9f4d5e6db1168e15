"""What the roster process publishes: the seed, the roster, deferrals and their changes.

Notices go to the people concerned: everyone learns the seed and the roster; each presenter is
told directly; a deferral is told only to the two members whose slot moved, with the before and
the after.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from governance.kernel.audit import AuditEntry
from governance.kernel.calendar import (
    CalendarItem,
    EventStatus,
    item_uid,
    member_audience,
    pillar_audience,
    role_audience,
)
from governance.kernel.messages import Period, names, say, say_n, term
from governance.kernel.model import Role
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.roster.contracts import DeferralRequest, Presenter, PublishedRoster, RosterPlan
from governance.roster.reason_words import slot_reason
from governance.roster.rule import Slot
from governance.rulebook.model import NotificationKind

K = NotificationKind


def _item(plan: RosterPlan) -> str:
    return f"roster-{plan.year}"


def seed_notice(plan: RosterPlan, at: datetime) -> Notification:
    """Announced when the plenary is scheduled, well before the draw."""
    text = say(
        "The %(year)s verification roster will be drawn on %(day)s by the published rule, with "
        "the seed %(seed)s for ties.",
        year=str(plan.year),
        day=plan.draw_on,
        seed=str(plan.seed),
    )
    return channel_notice(K.ANNOUNCEMENT, "all_members", _item(plan), "seed", text, at)


def audit(
    plan: RosterPlan, action: str, actor: str, at: datetime, reason: str = "", suffix: str = ""
) -> AuditEntry:
    return AuditEntry(
        key=f"roster-{plan.plenary_id}:{action}{suffix}",
        at=at,
        actor=actor,
        action=action,
        item_kind="roster",
        item_id=str(plan.year),
        reason=reason,
        data={"plenary": plan.plenary_id, "seed": plan.seed},
    )


def presentation_item(
    plan: RosterPlan, slot: Slot, name: str, uid_domain: str, cancelled: bool = False
) -> CalendarItem:
    title = say("Verification presentation: %(member)s", member=name)
    # the slot's reason, written by the rule in English, read back as a message per language
    description = say(
        "%(year)s plenary (%(plenary)s). Why: %(reason)s.",
        year=str(plan.year),
        plenary=plan.plenary_id,
        reason=term(slot_reason(slot.reason)),
    )
    return CalendarItem(
        uid=item_uid(f"roster-{plan.year}-{slot.member}", uid_domain),
        kind="presentation",
        title=title.english(),
        description=description.english(),
        title_message=title,
        description_message=description,
        start_date=plan.plenary_starts,
        end_date=plan.plenary_ends,
        status=EventStatus.CANCELLED if cancelled else EventStatus.CONFIRMED,
        # the pillar's feed shows what its members are asked to present
        audiences=frozenset(
            {
                member_audience(slot.member),
                pillar_audience(slot.pillar),
                role_audience(Role.SECRETARIAT),
            }
        ),
    )


def publication_notices(plan: RosterPlan, published: PublishedRoster) -> list[Notification]:
    return list(each_publication_notice(plan, published))


def each_publication_notice(plan: RosterPlan, published: PublishedRoster) -> Iterator[Notification]:
    """`publication_notices` one at a time, as they are delivered: made all at once, a roster
    of 6,667 presenters held every notice in the worker before the first went out."""
    document, presenters = published.document, published.presenters
    at = document.drawn_at
    listed = names([presenters[s.member].name for s in document.slots])
    summary = (
        say_n(
            "The %(year)s verification roster is published (%(count)s presenter): %(names)s. "
            "Each slot's reason and the inputs to check it are in the roster document.",
            "The %(year)s verification roster is published (%(count)s presenters): %(names)s. "
            "Each slot's reason and the inputs to check it are in the roster document.",
            len(document.slots),
            year=str(plan.year),
            names=listed,
        )
        if document.slots
        else say(
            "The %(year)s verification roster is published: no member is eligible to present "
            "(the roster document lists the members and the rule).",
            year=str(plan.year),
        )
    )
    yield channel_notice(K.ROSTER, "all_members", _item(plan), 1, summary, at)
    for slot in document.slots:
        # the reason is the published rule's own words, in the reader's language
        text = say(
            "%(member)s presents at the %(year)s plenary (%(dates)s); why: %(reason)s. "
            "A deferral may be asked until %(last)s.",
            member=presenters[slot.member].name,
            year=str(plan.year),
            dates=Period(starts=plan.plenary_starts, ends=plan.plenary_ends),
            reason=term(slot_reason(slot.reason)),
            last=plan.deferral_last_day,
        )
        for person in presenters[slot.member].focal_points:
            yield direct_notice(K.ROSTER, person, _item(plan), f"slot-{slot.member}", text, at)


def request_notice(plan: RosterPlan, request: DeferralRequest, name: str) -> Notification:
    text = say(
        "%(member)s asks to defer its %(year)s verification presentation: %(reason)s "
        "(the Chair or the Secretariat decides).",
        member=name,
        year=str(plan.year),
        reason=request.reason,
    )
    return channel_notice(
        K.CHANGE_NOTICE,
        "secretariat",
        _item(plan),
        f"request-{request.member}",
        text,
        request.requested_at,
    )


def deferral_notices(
    plan: RosterPlan,
    presenters: Mapping[str, Presenter],
    vacated: Slot,
    replacement: Slot | None,
    at: datetime,
) -> list[Notification]:
    """Only the two members whose slot moved hear of it, with the before and the after."""
    version = f"deferral-{vacated.member}"
    gone = presenters[vacated.member]
    text = say(
        "The %(year)s verification presentation of %(member)s is deferred. Before: presenting "
        "at the %(year)s plenary. Now: first in line for %(next)s.",
        year=str(plan.year),
        member=gone.name,
        next=str(plan.year + 1),
    )
    notices = [
        direct_notice(K.CHANGE_NOTICE, p, _item(plan), version, text, at) for p in gone.focal_points
    ]
    if replacement is not None:
        new = presenters[replacement.member]
        text = say(
            "%(member)s now presents at the %(year)s plenary (%(dates)s), replacing %(gone)s. "
            "Before: not presenting in %(year)s. Now: presenting; why: %(reason)s.",
            member=new.name,
            year=str(plan.year),
            dates=Period(starts=plan.plenary_starts, ends=plan.plenary_ends),
            gone=gone.name,
            reason=term(slot_reason(replacement.reason)),
        )
        notices += [
            direct_notice(K.CHANGE_NOTICE, p, _item(plan), version, text, at)
            for p in new.focal_points
        ]
    return notices


def moved_notices(
    before: RosterPlan, after: RosterPlan, published: PublishedRoster, at: datetime
) -> list[Notification]:
    """Each presenter's focal points hear that their presentation moved with the plenary;
    `at` is the move's instant, which keys the notices: a move back to dates held before is news,
    a retry of the same move is not."""
    version = f"moved-{after.plenary_starts.isoformat()}-{at.isoformat()}"
    was = Period(starts=before.plenary_starts, ends=before.plenary_ends)
    now = Period(starts=after.plenary_starts, ends=after.plenary_ends)
    notices = []
    for slot in published.document.slots:
        presenter = published.presenters[slot.member]
        text = say(
            "The %(year)s plenary has moved, and %(member)s's verification presentation with "
            "it. Before: %(was)s. Now: %(now)s.",
            year=str(after.year),
            member=presenter.name,
            was=was,
            now=now,
        )
        notices += [
            direct_notice(K.CHANGE_NOTICE, p, _item(after), version, text, at)
            for p in presenter.focal_points
        ]
    return notices


def refusal_notice(
    plan: RosterPlan, request: DeferralRequest, name: str, at: datetime
) -> Notification:
    text = say(
        "The request to defer the %(year)s presentation of %(member)s was not approved.",
        year=str(plan.year),
        member=name,
    )
    return direct_notice(
        K.CHANGE_NOTICE, request.requested_by, _item(plan), f"refused-{request.member}", text, at
    )


def outcomes_reminder(plan: RosterPlan, missing: list[str], at: datetime) -> Notification:
    """The next roster counts only recorded outcomes: an unrecorded presenter is drawn again."""
    text = say(
        "The %(year)s plenary has ended; record the verification presentation outcome "
        "(presented, excused or absent) of: %(members)s. Until then the next roster counts "
        "them as not having presented.",
        year=str(plan.year),
        members=names(missing),
    )
    return channel_notice(K.DEADLINE_REMINDER, "secretariat", _item(plan), "outcomes", text, at)
