"""Words of the registry that notices name, each a message of its own (issue 20)."""

from __future__ import annotations

from governance.kernel.messages import NP_, Term, say_in, term
from governance.kernel.model import Pillar

# Named as the notices have always named them (the English text is unchanged).
_PILLARS = {
    Pillar.GOVERNMENT: NP_("pillar", "government"),
    Pillar.COMPANY: NP_("pillar", "company"),
    Pillar.NGO: NP_("pillar", "ngo"),
    Pillar.OBSERVER: NP_("pillar", "observer"),
}


def pillar_term(pillar: Pillar) -> Term:
    return term(say_in("pillar", _PILLARS[pillar]))
