"""The people and the filing the concern tests share."""

from __future__ import annotations

from datetime import UTC, datetime

from governance.concerns.effects import Parties
from governance.concerns.model import ConcernRules, Filing
from governance.kernel.actor import Actor
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook

RULES = ConcernRules.of(Rulebook())
AT = datetime(2027, 1, 11, 15, tzinfo=UTC)
SECRETARIAT = Actor(person="sam-sec", roles=frozenset({Role.SECRETARIAT}))
CHAIR = Actor(person="chris-chair", roles=frozenset({Role.CHAIR}))
SC = Actor(person="sally-sc", roles=frozenset({Role.STEERING_COMMITTEE}))
FILER = Actor(person="nina-ngo", roles=frozenset({Role.FOCAL_POINT}), member="ngo-watch")
FILER_COLLEAGUE = Actor(person="nick-ngo", roles=frozenset({Role.FOCAL_POINT}), member="ngo-watch")
ABOUT = Actor(person="carl-co", roles=frozenset({Role.FOCAL_POINT}), member="co-aurum")
OUTSIDER = Actor(person="olga-gov", roles=frozenset({Role.FOCAL_POINT}), member="gov-norland")
PARTIES = Parties(
    filer_side=("nick-ngo", "nina-ngo"), about_side=("carl-co",), chair=("chris-chair",)
)


def filing(anonymous: bool = False, **kw: object) -> Filing:
    return Filing(
        id="c-1",
        about="co-aurum",
        summary="Security contractors at the Aurum site were not trained as promised.",
        evidence=["https://example.org/report.pdf"],
        anonymous=anonymous,
        **kw,
    )
