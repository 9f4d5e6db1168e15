"""Which entries of the register (the audit log) a person may read, by the kind of item.

The audit log keeps who really acted, even where the views mask a person (an anonymous concern
filer), so it follows the strictest reading rule of each item's own access rules rather than
masking line by line:

- the registry's public facts (members, plenaries, milestones, Chair terms, Steering Committee
  seats, presentations, the Chair handover): everyone signed in, as the year and roster pages;
- the reporting cycle (reports, reviews, conflicts) and the roster's deferral requests: those
  who see the whole cycle (the Secretariat, the Steering Committee and the Chair), as
  `cycle_view` answers;
- applications: those who read the whole record (`application_access.entitled`: the
  Secretariat and the Steering Committee);
- an Engaged member's way to Full membership (its evidence, its request, extensions): audited as
  the member's, read as an application's (`ENGAGED_PERIOD_ACTIONS`: the member's Engaged
  status is public, the steps of its period are not);
- in-country groups' funding requests: the Secretariat and the Steering Committee (the group's
  own coordinators and members read their requests, not the register, which is by role);
- everything else (concerns, people's sessions, tokens and preferences, feed links, failed
  notifications, and any kind added later): the Secretariat alone. A new kind of item is
  confidential until it is named here.
"""

from __future__ import annotations

from collections.abc import Iterable

from governance.kernel.model import Role

PUBLIC_KINDS = frozenset(
    {
        "member",
        "plenary",
        "milestone",
        "chair_term",
        "steering_committee_seat",
        "presentation",
        "handover",
    }
)
WHOLE_CYCLE_KINDS = frozenset({"report", "review", "review_conflict", "roster"})
APPLICATION_KINDS = frozenset({"application"})
FUNDING_KINDS = frozenset({"icig_funding"})

# The Engaged period's steps, audited under the item kind "member" (found by a review: every
# signed-in person read a member's evidence and its request for Full membership in the register,
# while the request itself answered them 404).
ENGAGED_PERIOD_ACTIONS = frozenset(
    {
        "engaged_period.started",
        "engaged_period.extended",
        "engaged_period.completed",
        "member.evidence_recorded",
        "member.full_membership_requested",
        "member.full_membership_refused",
    }
)

_WHOLE_CYCLE = frozenset({Role.SECRETARIAT, Role.STEERING_COMMITTEE, Role.CHAIR})
_WHOLE_APPLICATION = frozenset({Role.SECRETARIAT, Role.STEERING_COMMITTEE})


def readable_kinds(roles: Iterable[Role]) -> frozenset[str] | None:
    """The item kinds whose entries a holder of `roles` may read; None: every kind."""
    held = frozenset(roles)
    if Role.SECRETARIAT in held:
        return None
    kinds = set(PUBLIC_KINDS)
    if held & _WHOLE_CYCLE:
        kinds |= WHOLE_CYCLE_KINDS
    if held & _WHOLE_APPLICATION:
        kinds |= APPLICATION_KINDS | FUNDING_KINDS
    return frozenset(kinds)


def hidden_actions(roles: Iterable[Role]) -> frozenset[str]:
    """Actions left out of the kinds a holder of `roles` reads."""
    return frozenset() if frozenset(roles) & _WHOLE_APPLICATION else ENGAGED_PERIOD_ACTIONS


def may_read(item_kind: str, roles: Iterable[Role], action: str = "") -> bool:
    kinds = readable_kinds(roles)
    readable = kinds is None or item_kind in kinds
    return readable and action not in hidden_actions(roles)
