"""The email outbox as the Secretariat reads it: what was emailed to whom, and where it stands.

Built to be one part of the workspace's full outbox (every channel): `entries` gives the rows,
`state_text` the words for a delivery state, and the template `_email_outbox.html` a table
any page can include.
"""

from __future__ import annotations

from governance.notifications.channels import EmailState, OutboxEmail
from govsched.i18n.marking import N_
from govsched.persistence.db import Database
from govsched.persistence.repos import email as email_repo

LIMIT = 200

# In English; a page shows them in its reader's language (the catalog's, through `_`).
_STATES = {
    EmailState.HELD: N_("held for the daily digest"),
    EmailState.IN_DIGEST: N_("in the daily digest"),
    EmailState.SENDING: N_("waiting for the relay"),
    EmailState.HANDED_OVER: N_("handed to the relay, answer not recorded yet"),
    EmailState.ACCEPTED: N_("accepted by the relay"),
    EmailState.REFUSED: N_("refused by the relay"),
}


def entries(db: Database, limit: int = LIMIT, kind: str | None = None) -> list[OutboxEmail]:
    with db.reading() as session:
        return email_repo.outbox(session, limit, kind)


def state_text(entry: OutboxEmail) -> str:
    text = _STATES[entry.state]
    if entry.state is EmailState.ACCEPTED and entry.handovers > 1:
        # the one case with a possible second copy (RELIABILITY.md, "Email")
        text += f" (handed over {entry.handovers} times after a crash: same Message-ID)"
    if entry.state is EmailState.REFUSED and entry.error:
        text += f": {entry.error}"
    return text
