"""Who came to a group's meeting, as numbers only.

The Strategy's gender analysis (4j) asks how many women and women's organisations take part.
That is answered with counts kept per occurrence: no list of names, no person's gender is ever
recorded, so nothing here can say who was there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, NonNegativeInt, ValidationInfo, field_validator

from governance.groups.meetings import LocalTime, Meeting, find_occurrence
from governance.kernel.errors import Conflict, Problem, ValueRefused
from governance.kernel.messages import Instant, say
from governance.kernel.model import Frozen, Paragraphs, Slug

Count = Annotated[NonNegativeInt, Field(le=100_000)]


class GenderCounts(Frozen):
    """Optional counts by gender; whoever is not counted here is left unstated."""

    women: Count = 0
    men: Count = 0
    another_gender: Count = 0

    @property
    def counted(self) -> int:
        return self.women + self.men + self.another_gender


class Attendance(Frozen):
    meeting_id: Slug
    # The occurrence of a series (its local start by the rule); None for a one-off meeting.
    recurrence_id: LocalTime | None = None
    total: Count
    by_gender: GenderCounts | None = None
    womens_organisations: Count | None = None
    notes: Annotated[Paragraphs, Field(max_length=4000)] = ""

    # a field's validator (not the model's), so a refusal names `by_gender`, not the body
    @field_validator("by_gender")
    @classmethod
    def _within_total(
        cls, counts: GenderCounts | None, info: ValidationInfo
    ) -> GenderCounts | None:
        total = info.data.get("total")
        if counts is not None and total is not None and counts.counted > total:
            raise ValueRefused(
                say(
                    "the counts by gender add up to %(counted)s, more than the %(total)s who "
                    "attended",
                    counted=counts.counted,
                    total=total,
                )
            )
        return counts

    @property
    def unstated(self) -> int | None:
        return None if self.by_gender is None else self.total - self.by_gender.counted


def check_attendance(meeting: Meeting, tz: str, attendance: Attendance, now: datetime) -> None:
    """Attendance is recorded for an occurrence that took place, once it has begun."""
    occurrence = find_occurrence(meeting, tz, attendance.recurrence_id)
    if occurrence.starts > now:
        raise Conflict(
            say("attendance is recorded after the meeting"),
            [
                Problem(
                    "recurrence_id",
                    say(
                        "the meeting starts at %(starts)s",
                        starts=Instant(value=occurrence.starts, timezone=tz),
                    ),
                )
            ],
        )
