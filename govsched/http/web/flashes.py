"""The short confirmations a page shows after an action ("Done: decision recorded.").

A redirect carries the English words in `?done=`; only these are shown, each in the reader's
language, so a crafted link cannot put sentences on the page.
"""

from __future__ import annotations

from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_

DONE = frozenset(
    {
        N_("acknowledged"),
        N_("reminder saved"),
        N_("roles changed"),
        N_("status changed"),
        N_("indicators saved"),
        N_("comment saved"),
        N_("put on the agenda"),
        N_("agenda published"),
        N_("answer recorded"),
        N_("answer sent"),
        N_("answer already received"),
        N_("application received"),
        N_("application recorded"),
        N_("Chair term recorded"),
        N_("concern filed"),
        N_("decision recorded"),
        N_("deferral decided"),
        N_("attendance recorded"),
        N_("deferral requested"),
        N_("dialogue extended"),
        N_("document attached"),
        N_("handover item completed"),
        N_("incoming Chair named"),
        N_("information requested"),
        N_("item added"),
        N_("item moved"),
        N_("item removed"),
        N_("marked complete"),
        N_("meeting cancelled"),
        N_("meeting planned"),
        N_("meeting moved"),
        N_("meeting recorded"),
        N_("member recorded"),
        N_("milestone completed"),
        N_("notice sent"),
        N_("objection recorded"),
        N_("person added"),
        N_("preferences saved"),
        N_("recommendation recorded"),
        N_("referred"),
        N_("report submitted"),
        N_("review started"),
        N_("review submitted"),
        N_("seat recorded"),
        N_("sessions ended"),
        N_("signed out"),
        N_("withdrawn"),
        # the registry of groups and the plenary nominations (issue 23)
        N_("group recorded"),
        N_("findings recorded"),
        N_("Partner flag saved"),
        N_("organisation added"),
        N_("organisation removed"),
        N_("participant added"),
        N_("participant removed"),
        N_("coordinator added"),
        N_("coordinator removed"),
        N_("nominated"),
        N_("nominee confirmed"),
        N_("plan started"),
        N_("funds requested"),
        N_("request checked"),
        N_("request sent again"),
        N_("use of funds reported"),
    }
)


def flash(done: str) -> str:
    """The confirmation in the reader's language, or nothing for words we never send."""
    return _(done) if done in DONE else ""
