"""What a page says when the workflow service is out of reach, in its reader's language.

The exception says what happened (nothing changed, or recorded and its workflow not yet told);
the page adds what to do about it. An exception raised with only English reads as written.
"""

from __future__ import annotations

from govsched.i18n.current import gettext as _
from govsched.i18n.messages import in_current_language
from govsched.temporal.client import ServiceUnavailable


def what_happened(exc: ServiceUnavailable) -> str:
    return str(exc) if exc.words is None else in_current_language(exc.words)


def try_again(exc: ServiceUnavailable) -> str:
    """The form keeps its key, so sending it again finishes what was begun."""
    return _("%(cause)s; try again") % {"cause": what_happened(exc)}


def nothing_recorded(exc: ServiceUnavailable) -> str:
    return _("%(cause)s; nothing was recorded, try again") % {"cause": what_happened(exc)}


def nothing_recorded_yet(exc: ServiceUnavailable) -> str:
    return _("%(cause)s; nothing was recorded, try again shortly") % {"cause": what_happened(exc)}
