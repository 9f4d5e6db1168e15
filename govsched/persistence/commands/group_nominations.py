"""The plenary nominations' steps as the governance year sees them: the call to each active group
and the one reminder to a group that missed the deadline, due now and not yet sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from governance.groups import nominations as rules
from governance.kernel.model import Plenary
from governance.kernel.notices import Notification
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo


def due_notices(
    session: Session, plenary: Plenary | None, now: datetime, rulebook: Rulebook
) -> list[Notification]:
    """The steps due at `now` whose notices the ledger has not recorded: each is sent once,
    however often the year looks (a re-run, a worker restarted)."""
    if plenary is None:
        return []
    groups = group_repo.groups(session)
    nominated = frozenset(n.group_id for n in group_repo.nominations(session, year=plenary.year))
    # coordinators with a sign-in; a local participant has none, so the Secretariat relays
    recipients = {
        g.id: [p for p in sorted(g.coordinating_people) if registry_repo.get_person(session, p)]
        for g in groups
    }
    found = rules.notices(plenary, groups, nominated, recipients, now, rulebook)
    return [n for n in found if notification_repo.status_of(session, n.key) is None]
