"""The forms a group's coordinators (and the Secretariat) plan and move meetings with.

A series is asked for in plain words ("every week", "every month on the same weekday") and an
end (a last day or a number of meetings); `rule_from_choice` writes the RRULE the API would be
sent, so the rules that judge the API's meeting judge the form's. Times are the group's wall
clock, as the API takes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from governance.groups.meetings import MeetingKind
from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import say
from govsched.http.web.forms import Field, Form
from govsched.i18n.marking import N_

KIND_WORDS = {
    MeetingKind.MEETING: N_("Meeting"),
    MeetingKind.WORKSHOP: N_("Workshop"),
    MeetingKind.TRAINING: N_("Training"),
    MeetingKind.FIELD_VISIT: N_("Field visit"),
    MeetingKind.DELEGATION_VISIT: N_("Delegation visit"),
}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The plain choices, in the order offered; "" is a one-off meeting or a visit of several days.
REPEATS = {
    "daily": N_("Every day"),
    "weekly": N_("Every week, on the same weekday"),
    "fortnightly": N_("Every two weeks, on the same weekday"),
    "monthly-weekday": N_("Every month, on the same weekday (like the first Tuesday)"),
    "monthly-date": N_("Every month, on the same date"),
}


def _weekday_of_month(starts: datetime) -> str:
    """`+1TU` for a first Tuesday; a fifth one is the month's last (`-1TU`), which every month
    has, where not every month has a fifth."""
    weekday = _WEEKDAYS[starts.weekday()]
    nth = (starts.day - 1) // 7 + 1
    return f"-1{weekday}" if nth == 5 else f"+{nth}{weekday}"


def rule_from_choice(
    repeats: str, starts: datetime | None, until: date | None, count: int | None
) -> str | None:
    """The RRULE for the plain choice, or None for a meeting that does not repeat; a choice
    that cannot make one is refused beside its field."""
    if not repeats:
        if until is not None or count is not None:
            raise InvalidInput(
                say("the form is refused"),
                [Problem("repeats", say("choose how the meeting repeats, or leave the end empty"))],
            )
        return None
    if repeats not in REPEATS:
        raise InvalidInput(
            say("the form is refused"), [Problem("repeats", say("choose one of the options"))]
        )
    if until is not None and count is not None:
        raise InvalidInput(
            say("the form is refused"),
            [Problem("count", say("give the last day or the number of meetings, not both"))],
        )
    if starts is None:
        return None  # the time's own refusal comes first
    parts = {
        "daily": "FREQ=DAILY",
        "weekly": "FREQ=WEEKLY",
        "fortnightly": "FREQ=WEEKLY;INTERVAL=2",
        "monthly-weekday": f"FREQ=MONTHLY;BYDAY={_weekday_of_month(starts)}",
        "monthly-date": "FREQ=MONTHLY",
    }[repeats]
    if until is not None:
        # the rule's UNTIL is the group's wall clock, like the meeting: the whole last day
        parts += f";UNTIL={until.strftime('%Y%m%d')}T235959"
    if count is not None:
        parts += f";COUNT={count}"
    return parts


def plan_form(group_id: str) -> Form:
    back = f"/web/groups/{group_id}"
    return Form(
        "group-meeting",
        f"{back}/meetings",
        N_("Plan the meeting"),
        (
            Field("id", N_("Short name"), required=True, hint=N_("Lower case and hyphens")),
            Field("title", N_("Title"), required=True),
            Field(
                "kind",
                N_("Kind"),
                "select",
                [(k.value, text) for k, text in KIND_WORDS.items()],
                value=MeetingKind.MEETING.value,
            ),
            Field("starts", N_("Starts"), "datetime-local", required=True),
            Field(
                "ends",
                N_("Ends"),
                "datetime-local",
                required=True,
                hint=N_("A visit may last several days; a meeting of a series, one day at most"),
            ),
            Field("location", N_("Place")),
            Field(
                "repeats",
                N_("Repeats"),
                "select",
                list(REPEATS.items()),
                hint=N_("Leave unchosen for a single meeting or visit"),
            ),
            Field("until", N_("Last day of the series"), "date"),
            Field(
                "count",
                N_("Or the number of meetings"),
                "number",
                hint=N_("Leave both empty for a series without an end"),
            ),
            Field("description", N_("Description"), "textarea"),
        ),
        back,
    )


def move_form(group_id: str, occurrences: Sequence[tuple[str, str]]) -> Form:
    """Move one meeting of a series; `occurrences` are (key, label) as the cancel form's."""
    back = f"/web/groups/{group_id}"
    return Form(
        "group-move",
        f"{back}/moves",
        N_("Move this meeting"),
        (
            Field("occurrence", N_("Meeting of a series"), "select", occurrences, required=True),
            Field("starts", N_("New start"), "datetime-local", required=True),
            Field("ends", N_("New end"), "datetime-local", required=True),
            Field("location", N_("New place"), hint=N_("Leave empty to keep the series' place")),
        ),
        back,
    )
