"""The Chair handover in calendars: the day the Chair passes on, and each checklist item.

They go to the Chair's and the Secretariat's calendars (both act on the checklist), and to the
incoming government's focal points once it is named, so the incoming Chair sees what is asked
of it before the term begins. UIDs come from the handover and the item key: a moved plenary
moves them, and a named (or renamed) incoming Chair updates the same events.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from governance.kernel.calendar import CalendarItem, item_uid, member_audience, role_audience
from governance.kernel.model import Role
from governance.kernel.timekeeping import local_date
from governance.kernel.wording import day_text
from governance.rulebook.model import HandoverOwner, Rulebook
from governance.year.handover.rules import Handover, HandoverItemState


def _owner(owner: HandoverOwner, rulebook: Rulebook) -> str:
    labels = rulebook.initiative.labels
    return {
        HandoverOwner.OUTGOING_CHAIR: f"the outgoing {labels.chair}",
        HandoverOwner.INCOMING_CHAIR: f"the incoming {labels.chair}",
        HandoverOwner.SECRETARIAT: f"the {labels.secretariat}",
    }[owner]


def handover_day(handover: Handover, rulebook: Rulebook) -> date:
    """The local day whose end is the handover instant (the plenary's last day)."""
    return local_date(
        handover.handover_at - timedelta(microseconds=1), rulebook.initiative.timezone
    )


def _audiences(handover: Handover) -> frozenset[str]:
    audiences = {role_audience(Role.CHAIR), role_audience(Role.SECRETARIAT)}
    if handover.incoming is not None:
        audiences.add(member_audience(handover.incoming))
    return frozenset(audiences)


def _name(member: str | None, names: Mapping[str, str]) -> str:
    return "not yet named" if member is None else names.get(member, member)


def _handover_event(
    handover: Handover, rulebook: Rulebook, names: Mapping[str, str]
) -> CalendarItem:
    chair = rulebook.initiative.labels.chair
    day = handover_day(handover, rulebook)
    return CalendarItem(
        uid=item_uid(handover.id, rulebook.initiative.uid_domain),
        kind="chair_handover",
        title=f"{chair} handover ({handover.year})",
        description=(
            f"The {chair} passes at the end of the plenary on {day_text(day)}. "
            f"Outgoing: {_name(handover.outgoing, names)}; "
            f"incoming: {_name(handover.incoming, names)}."
        ),
        start_date=day,
        audiences=_audiences(handover),
    )


def _checklist_event(
    handover: Handover, item: HandoverItemState, rulebook: Rulebook
) -> CalendarItem:
    return CalendarItem(
        uid=item_uid(handover.item_id(item.key), rulebook.initiative.uid_domain),
        kind="handover_item",
        title=f"Handover {handover.year}: {item.title}",
        description=f"Due on {day_text(item.due)}; owner: {_owner(item.owner, rulebook)}.",
        start_date=item.due,
        audiences=_audiences(handover),
    )


def designation_event(handover: Handover, plenary_starts: date, rulebook: Rulebook) -> CalendarItem:
    """The day by which the incoming Chair should be named (the rulebook's T-N)."""
    chair = rulebook.initiative.labels.chair
    due = plenary_starts - timedelta(days=rulebook.chair.designate_incoming_days_before)
    named = handover.incoming is not None
    return CalendarItem(
        uid=item_uid(f"{handover.id}-designation", rulebook.initiative.uid_domain),
        kind="handover_item",
        title=f"Handover {handover.year}: name the incoming {chair}",
        description=f"Due on {day_text(due)}; owner: the {chair} or the "
        f"{rulebook.initiative.labels.secretariat}." + (" Done." if named else ""),
        start_date=due,
        audiences=frozenset({role_audience(Role.CHAIR), role_audience(Role.SECRETARIAT)}),
    )


def handover_events(
    handover: Handover,
    rulebook: Rulebook,
    names: Mapping[str, str],
    plenary_starts: date | None = None,
) -> tuple[CalendarItem, ...]:
    """Every calendar event of the handover, as its current state says."""
    events = [
        _handover_event(handover, rulebook, names),
        *(_checklist_event(handover, item, rulebook) for item in handover.items),
    ]
    if plenary_starts is not None:
        events.append(designation_event(handover, plenary_starts, rulebook))
    return tuple(events)
