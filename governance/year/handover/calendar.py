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
from governance.kernel.messages import Label, Term, say, sentences, term
from governance.kernel.model import Role
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import HandoverOwner, Rulebook
from governance.year.handover.rules import Handover, HandoverItemState, designation_day


def _label(field: str, rulebook: Rulebook) -> Label:
    return Label(key=f"initiative.labels.{field}", text=getattr(rulebook.initiative.labels, field))


def _owner(owner: HandoverOwner, rulebook: Rulebook) -> Term:
    chair = _label("chair", rulebook)
    return term(
        {
            HandoverOwner.OUTGOING_CHAIR: say("the outgoing %(chair)s", chair=chair),
            HandoverOwner.INCOMING_CHAIR: say("the incoming %(chair)s", chair=chair),
            HandoverOwner.SECRETARIAT: say(
                "the %(secretariat)s", secretariat=_label("secretariat", rulebook)
            ),
        }[owner]
    )


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


def _name(member: str | None, names: Mapping[str, str]) -> Term | str:
    return term(say("not yet named")) if member is None else names.get(member, member)


def _handover_event(
    handover: Handover, rulebook: Rulebook, names: Mapping[str, str]
) -> CalendarItem:
    chair = _label("chair", rulebook)
    day = handover_day(handover, rulebook)
    title = say("%(chair)s handover (%(year)s)", chair=chair, year=str(handover.year))
    description = say(
        "The %(chair)s passes at the end of the plenary on %(day)s. "
        "Outgoing: %(outgoing)s; incoming: %(incoming)s.",
        chair=chair,
        day=day,
        outgoing=_name(handover.outgoing, names),
        incoming=_name(handover.incoming, names),
    )
    return CalendarItem(
        uid=item_uid(handover.id, rulebook.initiative.uid_domain),
        kind="chair_handover",
        title=title.english(),
        description=description.english(),
        title_message=title,
        description_message=description,
        start_date=day,
        audiences=_audiences(handover),
    )


def _checklist_event(
    handover: Handover, item: HandoverItemState, rulebook: Rulebook
) -> CalendarItem:
    title = say(
        "Handover %(year)s: %(item)s",
        year=str(handover.year),
        item=Label(key=f"chair.handover_items.{item.key}.title", text=item.title),
    )
    description = say(
        "Due on %(day)s; owner: %(owner)s.", day=item.due, owner=_owner(item.owner, rulebook)
    )
    return CalendarItem(
        uid=item_uid(handover.item_id(item.key), rulebook.initiative.uid_domain),
        kind="handover_item",
        title=title.english(),
        description=description.english(),
        title_message=title,
        description_message=description,
        start_date=item.due,
        audiences=_audiences(handover),
    )


def designation_event(handover: Handover, plenary_starts: date, rulebook: Rulebook) -> CalendarItem:
    """The day by which the incoming Chair should be named (the rulebook's T-N)."""
    chair = _label("chair", rulebook)
    due = designation_day(plenary_starts, rulebook)
    title = say(
        "Handover %(year)s: name the incoming %(chair)s", year=str(handover.year), chair=chair
    )
    description = say(
        "Due on %(day)s; owner: the %(chair)s or the %(secretariat)s.",
        day=due,
        chair=chair,
        secretariat=_label("secretariat", rulebook),
    )
    if handover.incoming is not None:
        description = sentences(description, say("Done."))
    return CalendarItem(
        uid=item_uid(f"{handover.id}-designation", rulebook.initiative.uid_domain),
        kind="handover_item",
        title=title.english(),
        description=description.english(),
        title_message=title,
        description_message=description,
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
