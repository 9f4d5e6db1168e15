"""The plenary's sessions and the Steering Committee's meetings as timed calendar events.

A deadline is a day; a meeting is hours on a day. Each day of a plenary is one session at the
rulebook's hours, and each Steering Committee meeting the rulebook sets around an annual plenary
is one event, all in the initiative's zone (so calendars show them at the right hour wherever
the reader is). Their UIDs name the plenary and the day or meeting, never the date: a moved
plenary moves its sessions in every subscriber's calendar, and a day it no longer has is
cancelled under the same UID.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from governance.kernel.calendar import PUBLIC, CalendarItem, EventStatus, item_uid, role_audience
from governance.kernel.messages import Label, Term, say, term
from governance.kernel.model import Plenary, PlenaryKind, Role
from governance.kernel.timekeeping import zone
from governance.rulebook.model import Rulebook
from governance.year.milestones import plenary_message

# Who sits on or serves the Committee: its members, the Chair, and the Secretariat.
_COMMITTEE = frozenset(
    role_audience(r) for r in (Role.STEERING_COMMITTEE, Role.CHAIR, Role.SECRETARIAT)
)


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of the local wall-clock time `at` on `day` (a DST gap moves it forward)."""
    return datetime.combine(day, at, tzinfo=zone(tz)).astimezone(UTC)


def _plenary_title(plenary: Plenary, rulebook: Rulebook) -> Term:
    return term(plenary_message(plenary.kind is not PlenaryKind.ANNUAL, plenary.year, rulebook))


def _days(plenary: Plenary) -> list[date]:
    return [
        plenary.starts + timedelta(days=n) for n in range((plenary.ends - plenary.starts).days + 1)
    ]


def session_uid(plenary_id: str, day_number: int, rulebook: Rulebook) -> str:
    return item_uid(f"{plenary_id}-day-{day_number}", rulebook.initiative.uid_domain)


def plenary_sessions(plenary: Plenary, rulebook: Rulebook) -> tuple[CalendarItem, ...]:
    """One busy, timed event per day of the plenary, public like the plenary itself."""
    tz, hours = rulebook.initiative.timezone, rulebook.plenary
    title = _plenary_title(plenary, rulebook)
    days = _days(plenary)
    items = []
    for n, day in enumerate(days, start=1):
        heading = say("%(plenary)s, day %(day)s of %(days)s", plenary=title, day=n, days=len(days))
        description = say(
            "Session %(session)s of the %(plenary)s in %(location)s.",
            session=n,
            plenary=title,
            location=plenary.location,
        )
        items.append(
            CalendarItem(
                uid=session_uid(plenary.id, n, rulebook),
                kind="plenary_session",
                title=heading.english(),
                description=description.english(),
                title_message=heading,
                description_message=description,
                location=plenary.location,
                starts=local_instant(day, hours.session_opens, tz),
                ends=local_instant(day, hours.session_closes, tz),
                audiences=frozenset({PUBLIC}),
            )
        )
    return tuple(items)


def committee_meetings(plenary: Plenary, rulebook: Rulebook) -> tuple[CalendarItem, ...]:
    """The Committee's meetings the rulebook sets before an annual plenary (none otherwise)."""
    if plenary.kind is not PlenaryKind.ANNUAL:
        return ()
    tz = rulebook.initiative.timezone
    title = _plenary_title(plenary, rulebook)
    items = []
    for meeting in rulebook.steering_committee.meetings:
        day = plenary.starts - timedelta(days=meeting.days_before_plenary)
        heading = say(
            "%(meeting)s",
            meeting=Label(
                key=f"steering_committee.meetings.{meeting.key}.title", text=meeting.title
            ),
        )
        description = say(
            "Before the %(plenary)s in %(location)s.", plenary=title, location=plenary.location
        )
        items.append(
            CalendarItem(
                uid=item_uid(
                    f"{plenary.id}-committee-{meeting.key.replace('_', '-')}",
                    rulebook.initiative.uid_domain,
                ),
                kind="committee_meeting",
                title=heading.english(),
                description=description.english(),
                title_message=heading,
                description_message=description,
                location=plenary.location,
                starts=local_instant(day, meeting.opens, tz),
                ends=local_instant(day, meeting.closes, tz),
                audiences=_COMMITTEE,
            )
        )
    return tuple(items)


def meeting_events(
    plenary: Plenary, rulebook: Rulebook, before: Plenary | None = None
) -> tuple[CalendarItem, ...]:
    """The plenary's sessions and Committee meetings; after a move from `before`, the sessions
    of days the plenary no longer has, cancelled."""
    items = [*plenary_sessions(plenary, rulebook), *committee_meetings(plenary, rulebook)]
    if before is not None:
        dropped = plenary_sessions(before, rulebook)[len(_days(plenary)) :]
        items += [s.model_copy(update={"status": EventStatus.CANCELLED}) for s in dropped]
    return tuple(items)
