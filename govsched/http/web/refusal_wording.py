"""Form refusals in plain words, in the reader's language (govsched/i18n/field_refusals.py),
each sentence chosen when the form is refused, during the request."""

from __future__ import annotations

from pydantic_core import ErrorDetails

from govsched.i18n.current import gettext as _
from govsched.i18n.field_refusals import reason_words
from govsched.i18n.messages import in_current_language


def plain(error: ErrorDetails) -> str:
    """The reason, in words a person who fills in the form understands, in their language."""
    return in_current_language(reason_words(error))


def line_of(error: ErrorDetails) -> str:
    """ "line N: " for an entry of a list written one per line; "" for a single value."""
    loc = error["loc"]
    if len(loc) > 1 and isinstance(loc[1], int):
        return _("line %(num)d: ") % {"num": loc[1] + 1}
    return ""
