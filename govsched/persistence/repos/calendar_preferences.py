"""People's calendar preferences (the alarm their feeds carry)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from govsched.persistence.tables import CalendarPreferenceRow


@dataclass(frozen=True, slots=True)
class AlarmPreference:
    """Minutes before each event, or None for no alarm."""

    minutes_before: int | None


def alarm(session: Session, person_id: str) -> AlarmPreference | None:
    """The person's stated preference, or None when they never stated one (rulebook default)."""
    row = session.get(CalendarPreferenceRow, person_id)
    return None if row is None else AlarmPreference(row.alarm_minutes_before)


def set_alarm(session: Session, person_id: str, minutes_before: int | None, at: datetime) -> None:
    row = session.get(CalendarPreferenceRow, person_id)
    if row is None:
        session.add(
            CalendarPreferenceRow(
                person_id=person_id, alarm_minutes_before=minutes_before, updated_at=at
            )
        )
    else:
        row.alarm_minutes_before = minutes_before
        row.updated_at = at
    session.flush()


def forget_alarm(session: Session, person_id: str) -> None:
    """Back to the rulebook's default: as if the person had never stated a preference."""
    row = session.get(CalendarPreferenceRow, person_id)
    if row is not None:
        session.delete(row)
        session.flush()
