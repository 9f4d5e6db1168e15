"""What the roster process publishes: the seed, the roster, deferrals and their changes.

Notices go to the people concerned: everyone learns the seed and the roster; each presenter is
told directly; a deferral is told only to the two members whose slot moved, with the before and
the after.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from governance.kernel.model import Role
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.kernel.wording import date_range_text, day_text, listing
from governance.roster.contracts import DeferralRequest, Presenter, PublishedRoster, RosterPlan
from governance.roster.rule import Slot
from governance.rulebook.model import NotificationKind

K = NotificationKind


def _item(plan: RosterPlan) -> str:
    return f"roster-{plan.year}"


def seed_notice(plan: RosterPlan, at: datetime) -> Notification:
    """Announced when the plenary is scheduled, well before the draw."""
    text = (
        f"The {plan.year} verification roster will be drawn on {day_text(plan.draw_on)} by the "
        f"published rule, with the seed {plan.seed} for ties."
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
    return CalendarItem(
        uid=item_uid(f"roster-{plan.year}-{slot.member}", uid_domain),
        kind="presentation",
        title=f"Verification presentation: {name}",
        description=f"{plan.year} plenary ({plan.plenary_id}). Why: {slot.reason}.",
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
    document, presenters = published.document, published.presenters
    at = document.drawn_at
    names = listing([presenters[s.member].name for s in document.slots])
    summary = (
        f"The {plan.year} verification roster is published ({len(document.slots)} presenters): "
        f"{names}. Each slot's reason and the inputs to check it are in the roster document."
        if document.slots
        else f"The {plan.year} verification roster is published: no member is eligible to "
        "present (the roster document lists the members and the rule)."
    )
    notices = [channel_notice(K.ROSTER, "all_members", _item(plan), 1, summary, at)]
    for slot in document.slots:
        text = (
            f"{presenters[slot.member].name} presents at the {plan.year} plenary "
            f"({date_range_text(plan.plenary_starts, plan.plenary_ends)}); why: {slot.reason}. "
            f"A deferral may be asked until {day_text(plan.deferral_last_day)}."
        )
        notices += [
            direct_notice(K.ROSTER, person, _item(plan), f"slot-{slot.member}", text, at)
            for person in presenters[slot.member].focal_points
        ]
    return notices


def request_notice(plan: RosterPlan, request: DeferralRequest, name: str) -> Notification:
    text = (
        f"{name} asks to defer its {plan.year} verification presentation: {request.reason} "
        "(the Chair or the Secretariat decides)."
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
    text = (
        f"The {plan.year} verification presentation of {gone.name} is deferred. Before: "
        f"presenting at the {plan.year} plenary. Now: first in line for {plan.year + 1}."
    )
    notices = [
        direct_notice(K.CHANGE_NOTICE, p, _item(plan), version, text, at) for p in gone.focal_points
    ]
    if replacement is not None:
        new = presenters[replacement.member]
        text = (
            f"{new.name} now presents at the {plan.year} plenary "
            f"({date_range_text(plan.plenary_starts, plan.plenary_ends)}), replacing "
            f"{gone.name}. Before: not presenting in {plan.year}. Now: presenting; why: "
            f"{replacement.reason}."
        )
        notices += [
            direct_notice(K.CHANGE_NOTICE, p, _item(plan), version, text, at)
            for p in new.focal_points
        ]
    return notices


def moved_notices(
    before: RosterPlan, after: RosterPlan, published: PublishedRoster, at: datetime
) -> list[Notification]:
    """Each presenter's focal points hear that their presentation moved with the plenary."""
    version = f"moved-{after.plenary_starts.isoformat()}"
    was = date_range_text(before.plenary_starts, before.plenary_ends)
    now = date_range_text(after.plenary_starts, after.plenary_ends)
    notices = []
    for slot in published.document.slots:
        presenter = published.presenters[slot.member]
        text = (
            f"The {after.year} plenary has moved, and {presenter.name}'s verification "
            f"presentation with it. Before: {was}. Now: {now}."
        )
        notices += [
            direct_notice(K.CHANGE_NOTICE, p, _item(after), version, text, at)
            for p in presenter.focal_points
        ]
    return notices


def refusal_notice(
    plan: RosterPlan, request: DeferralRequest, name: str, at: datetime
) -> Notification:
    text = f"The request to defer the {plan.year} presentation of {name} was not approved."
    return direct_notice(
        K.CHANGE_NOTICE, request.requested_by, _item(plan), f"refused-{request.member}", text, at
    )


def outcomes_reminder(plan: RosterPlan, missing: list[str], at: datetime) -> Notification:
    """The next roster counts only recorded outcomes: an unrecorded presenter is drawn again."""
    text = (
        f"The {plan.year} plenary has ended; record the verification presentation outcome "
        f"(presented, excused or absent) of: {listing(missing)}. Until then the next roster "
        "counts them as not having presented."
    )
    return channel_notice(K.DEADLINE_REMINDER, "secretariat", _item(plan), "outcomes", text, at)
