"""The reminder a person's calendar feeds carry before each event, as a choice of plain
durations: the API takes any number of minutes (`PUT /me/calendar-preferences`), a form offers
what people pick in their calendar apps, and keeps an odd value set through the API as it is."""

from __future__ import annotations

from dataclasses import dataclass

from governance.rulebook.model import Rulebook
from govsched.i18n.current import gettext as _
from govsched.i18n.current import ngettext
from govsched.persistence.repos.calendar_preferences import AlarmPreference

DEFAULT = "default"
NONE = "none"
PRESETS = (15, 60, 120, 24 * 60, 2 * 24 * 60, 7 * 24 * 60)


def duration_text(minutes: int) -> str:
    """In the reader's language (the page's), with the plural its language uses."""
    if minutes % (7 * 24 * 60) == 0 and minutes:
        count = minutes // (7 * 24 * 60)
        return ngettext("%(num)d week", "%(num)d weeks", count) % {"num": count}
    if minutes % (24 * 60) == 0 and minutes:
        count = minutes // (24 * 60)
        return ngettext("%(num)d day", "%(num)d days", count) % {"num": count}
    if minutes % 60 == 0 and minutes:
        count = minutes // 60
        return ngettext("%(num)d hour", "%(num)d hours", count) % {"num": count}
    return ngettext("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes}


def _before(minutes: int) -> str:
    return _("%(duration)s before") % {"duration": duration_text(minutes)}


def default_text(rulebook: Rulebook) -> str:
    days = rulebook.calendars.default_alarm_days_before
    if days == 0:
        return _("The initiative's default (at the start of each event)")
    return _("The initiative's default (%(duration)s before)") % {
        "duration": duration_text(days * 24 * 60)
    }


def current(preference: AlarmPreference | None) -> str:
    """The choice that stands for a stored preference (None: never stated, the default)."""
    if preference is None:
        return DEFAULT
    if preference.minutes_before is None:
        return NONE
    return str(preference.minutes_before)


def choices(rulebook: Rulebook, preference: AlarmPreference | None) -> list[tuple[str, str]]:
    offered = [(DEFAULT, default_text(rulebook))]
    offered += [(str(m), _before(m)) for m in PRESETS]
    offered.append((NONE, _("No reminder")))
    stated = current(preference)
    if stated not in {value for value, _ in offered}:
        # set through the API: kept on offer so that saving the form leaves it as it is
        minutes = int(stated)
        offered.insert(1, (stated, _("%(when)s (set earlier)") % {"when": _before(minutes)}))
    return offered


@dataclass(frozen=True)
class AlarmChoice:
    """What the person chose: back to the default, or a stated number of minutes (or None)."""

    default: bool
    minutes_before: int | None = None


def chosen(value: str, offered: list[tuple[str, str]]) -> AlarmChoice | None:
    """The choice behind a posted value, or None for a value the form did not offer."""
    if value not in {v for v, _ in offered}:
        return None
    if value == DEFAULT:
        return AlarmChoice(default=True)
    if value == NONE:
        return AlarmChoice(default=False)
    return AlarmChoice(default=False, minutes_before=int(value))
