"""What the web offers around a Chair handover: only the governments a designation accepts."""

from __future__ import annotations

from governance.kernel.model import Pillar
from governance.registry.changes import MemberFacts
from governance.rulebook.model import Rulebook
from governance.year.handover.changes import may_serve_as_incoming
from governance.year.handover.rules import Handover
from govsched.persistence.db import Database
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import registry as registry_repo


def incoming_candidates(db: Database, handover: Handover, rulebook: Rulebook) -> list[MemberFacts]:
    """The governments the designation of `handover`'s incoming Chair would accept now, by the
    same rule that refuses the others (a Full government, within the consecutive-term limit)."""
    with db.reading() as session:
        governments = [
            MemberFacts(m.id, m.name, m.pillar, m.status)
            for m in registry_repo.list_members(session, Pillar.GOVERNMENT)
        ]
        terms = registry_repo.list_chair_terms(session)
        following = handover_repo.get(session, handover.year + 1)
    next_at = None if following is None else following.handover_at
    return may_serve_as_incoming(governments, handover, terms, next_at, rulebook)
