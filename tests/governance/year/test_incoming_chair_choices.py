"""The incoming Chair's list offers exactly the governments a designation accepts (issue 17.10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.errors import GovernanceError
from governance.kernel.model import ChairTerm, MemberStatus, Pillar, Role
from governance.registry.changes import MemberFacts
from governance.rulebook.model import load_rulebook
from governance.year.handover.changes import (
    HandoverFacts,
    designate_incoming_chair,
    may_serve_as_incoming,
)
from governance.year.handover.rules import DesignateIncomingChair
from tests.governance.year.test_handover import HANDOVER_AT, planned

AT = datetime(2027, 3, 1, 15, tzinfo=UTC)
YEAR = timedelta(days=365)
IDS = [f"gov-{n}" for n in ("norland", "estavia", "korvania", "lusmark", "yssel")]


@st.composite
def registries(draw: st.DrawFn) -> tuple[list[MemberFacts], tuple[ChairTerm, ...]]:
    """Candidates of every pillar and status, and back-to-back Chair terms before the handover."""
    members = [
        MemberFacts(
            member_id,
            member_id.title(),
            draw(st.sampled_from(list(Pillar))),
            draw(st.sampled_from(list(MemberStatus))),
        )
        for member_id in IDS
    ]
    chairs = draw(st.lists(st.sampled_from(IDS), min_size=0, max_size=4))
    terms = tuple(
        ChairTerm(
            member=chair,
            starts=HANDOVER_AT - (len(chairs) - i) * YEAR,
            ends=HANDOVER_AT - (len(chairs) - i - 1) * YEAR,
        )
        for i, chair in enumerate(chairs)
    )
    return members, terms


@settings(max_examples=300, deadline=None)
@given(registries(), st.integers(1, 3), st.one_of(st.none(), st.sampled_from(IDS)))
def test_offered_if_and_only_if_the_designation_would_be_accepted(
    registry: tuple[list[MemberFacts], tuple[ChairTerm, ...]],
    limit: int,
    designated: str | None,
) -> None:
    members, terms = registry
    rulebook = load_rulebook({"chair": {"max_consecutive_terms": limit}})
    outgoing = terms[-1].member if terms else None
    handover = planned(outgoing).model_copy(update={"incoming": designated})
    offered = {m.id for m in may_serve_as_incoming(members, handover, terms, None, rulebook)}
    for member in members:
        facts = HandoverFacts(
            handover=handover,
            by_roles=frozenset({Role.SECRETARIAT}),
            by_member=None,
            member=member,
            terms=terms,
        )
        command = DesignateIncomingChair(member=member.id, by="sec-amina")
        try:
            designate_incoming_chair(command, AT, facts, rulebook)
        except GovernanceError:
            accepted = False
        else:
            accepted = True
        assert (member.id in offered) is accepted, (member, terms)
