"""One rule for who votes, over generated people of every pillar, status and role: observers
(Full while active) and Engaged members never vote, object, see the no-objection call, hold a
Steering Committee seat, or receive what only voting members receive, wherever it is decided."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.applications import rules
from governance.applications.access import may_see
from governance.applications.model import ApplicationState
from governance.feeds.scopes import PERSON_SCOPE, Subscriber, scope_audiences
from governance.kernel.actor import Actor
from governance.kernel.calendar import VOTING_MEMBERS, person_audiences
from governance.kernel.errors import Forbidden, GovernanceError
from governance.kernel.model import MemberStatus, Pillar, Role, votes
from governance.notifications.digest import channel_audiences
from governance.rulebook.model import Rulebook
from governance.year.seats import RecordSeat, SeatFacts, record_seat
from tests.governance.applications.application_cast import PERIOD_ENDS, in_no_objection_period

PEOPLE = st.builds(
    lambda pillar, status, roles, has_member: (
        pillar if has_member else None,
        status if has_member else None,
        frozenset(roles),
    ),
    st.sampled_from(list(Pillar)),
    st.sampled_from(list(MemberStatus)),
    st.sets(st.sampled_from(list(Role))),
    st.booleans(),
)


def _votes_by_the_domain_brief(pillar: Pillar | None, status: MemberStatus | None) -> bool:
    """Written out from the brief, not from governance.kernel.model: Full members of the three
    voting pillars (governments, companies, NGOs) vote; observers never do."""
    return status is MemberStatus.FULL and pillar in {Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO}


def _actor(pillar: Pillar | None, status: MemberStatus | None, roles: frozenset[Role]) -> Actor:
    member = None if pillar is None else f"m-{pillar.value}"
    return Actor(person="p", roles=roles, member=member, member_status=status, member_pillar=pillar)


@given(person=PEOPLE)
def test_whoever_may_object_is_a_voting_members_focal_point(
    person: tuple[Pillar | None, MemberStatus | None, frozenset[Role]],
) -> None:
    pillar, status, roles = person
    actor = _actor(pillar, status, roles)
    voting = _votes_by_the_domain_brief(pillar, status)
    assert votes(pillar, status) is voting
    assert actor.voting is voting
    objector = voting and Role.FOCAL_POINT in roles
    assert actor.objector is objector

    record = in_no_objection_period()
    staff = bool(roles & {Role.SECRETARIAT, Role.STEERING_COMMITTEE})
    assert may_see(record, actor) is (staff or objector)
    try:
        after = rules.object_to(record, actor, PERIOD_ENDS, "A reason.").record
    except Forbidden:
        assert not objector
    else:
        assert objector
        assert after.state is ApplicationState.AWAITING_PLENARY


@given(person=PEOPLE)
def test_only_voting_members_focal_points_get_the_no_objection_call_in_their_calendars(
    person: tuple[Pillar | None, MemberStatus | None, frozenset[Role]],
) -> None:
    pillar, status, roles = person
    member = None if pillar is None else "m"
    voting = _votes_by_the_domain_brief(pillar, status)
    subscriber = Subscriber("p", "P", roles, member, pillar, votes(pillar, status))
    told = voting and Role.FOCAL_POINT in roles
    assert (VOTING_MEMBERS in scope_audiences(subscriber, PERSON_SCOPE)) is told
    assert (VOTING_MEMBERS in person_audiences("p", roles, member, pillar, voting)) is told


@pytest.mark.parametrize("channel", sorted(Rulebook().notifications.channels))
def test_no_channel_digest_carries_what_only_voting_members_receive(channel: str) -> None:
    """`all_members` reaches observers and Engaged members too: the no-objection call stays
    out of every channel's digest."""
    assert VOTING_MEMBERS not in channel_audiences(channel)


@given(pillar=st.sampled_from(list(Pillar)), status=st.sampled_from(list(MemberStatus)))
def test_a_steering_committee_seat_is_held_by_a_voting_member(
    pillar: Pillar, status: MemberStatus
) -> None:
    command = RecordSeat(member="m", starts=date(2027, 1, 1), ends=date(2028, 12, 31))
    try:
        record_seat(command, SeatFacts(pillar, status, ()), Rulebook())
    except GovernanceError as refused:
        refused_for_voting = any(
            "voting" in p.reason for p in refused.problems if p.path == "member"
        )
        assert refused_for_voting is not _votes_by_the_domain_brief(pillar, status)
    else:
        assert _votes_by_the_domain_brief(pillar, status)
