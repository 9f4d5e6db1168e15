"""The Chair handover: planning, designation, the checklist, alerts and the move (issue 6)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.errors import Conflict, Forbidden, InvalidInput
from governance.kernel.model import ChairTerm, MemberStatus, Pillar, PlenaryKind, Role
from governance.kernel.timekeeping import end_of_day, local_date, start_of_day
from governance.registry.changes import MemberFacts
from governance.rulebook.model import HandoverOwner, Rulebook, load_rulebook
from governance.year.handover.changes import (
    HandoverFacts,
    complete_handover_item,
    designate_incoming_chair,
    may_complete,
)
from governance.year.handover.rules import (
    ChairTasks,
    CompleteHandoverItem,
    DesignateIncomingChair,
    Handover,
    Owners,
    WaitingApplication,
    carried_to_handover,
    chair_at,
    complete_item,
    designate,
    designation_due,
    hand_over,
    plan_handover,
    ready,
    replan_handover,
    what_is_due,
)
from tests.governance.plenaries import annual

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
ZONES = ["America/Toronto", "Europe/London", "Australia/Sydney", "Pacific/Chatham", "UTC"]
NAMES = {"gov-norland": "Norland", "gov-estavia": "Estavia"}
ESTAVIA = MemberFacts("gov-estavia", "Estavia", Pillar.GOVERNMENT, MemberStatus.FULL)
NORLAND = MemberFacts("gov-norland", "Norland", Pillar.GOVERNMENT, MemberStatus.FULL)


PLENARY = annual(date(2027, 5, 18))
HANDOVER_AT = end_of_day(date(2027, 5, 21), TZ)


def planned(outgoing: str | None = "gov-norland") -> Handover:
    handover = plan_handover(PLENARY, outgoing, RULEBOOK)
    assert handover is not None
    return handover


def term(member: str, starts: datetime, ends: datetime) -> ChairTerm:
    return ChairTerm(member=member, starts=starts, ends=ends)


def test_the_checklist_falls_before_the_plenary_and_the_chair_moves_when_it_ends() -> None:
    handover = planned()
    assert handover.handover_at == HANDOVER_AT
    assert {i.key: i.due for i in handover.items} == {
        "briefing_pack": date(2027, 4, 18),
        "open_applications": date(2027, 4, 27),
        "open_roster_deferrals": date(2027, 4, 27),
        "steering_committee_contacts": date(2027, 5, 4),
        "association_signatories": date(2027, 4, 18),
        "channel_ownership": date(2027, 5, 11),
    }
    assert designation_due(PLENARY, RULEBOOK) == end_of_day(date(2027, 3, 19), TZ)
    special = PLENARY.model_copy(
        update={"id": "plenary-2027-x1", "kind": PlenaryKind.EXTRAORDINARY}
    )
    assert plan_handover(special, "gov-norland", RULEBOOK) is None


@given(
    starts=st.dates(date(2000, 1, 1), date(2150, 12, 1)),
    days=st.integers(1, 6),
    zone=st.sampled_from(ZONES),
)
def test_the_handover_is_the_end_of_the_last_local_day_in_any_zone(
    starts: date, days: int, zone: str
) -> None:
    rulebook = load_rulebook({"initiative": {"timezone": zone}})
    plenary = annual(starts, days)
    handover = plan_handover(plenary, None, rulebook)
    assert handover is not None
    # the instant is a local midnight, the first instant of the day after the plenary
    assert local_date(handover.handover_at, zone) == plenary.ends + timedelta(days=1)
    assert handover.handover_at == start_of_day(plenary.ends + timedelta(days=1), zone)
    for item, rule in zip(handover.items, rulebook.chair.handover_items, strict=True):
        assert (plenary.starts - item.due).days == rule.days_before_plenary


def test_the_chair_before_an_instant_includes_a_term_ending_at_it() -> None:
    a = datetime(2026, 5, 22, 4, tzinfo=UTC)
    terms = [
        term("gov-norland", a, HANDOVER_AT),
        term("gov-estavia", HANDOVER_AT, HANDOVER_AT + timedelta(days=365)),
    ]
    assert chair_at(terms, HANDOVER_AT) == "gov-norland"
    assert chair_at(terms, HANDOVER_AT + timedelta(seconds=1)) == "gov-estavia"
    assert chair_at(terms, a) is None


def test_a_move_shifts_open_items_and_keeps_done_ones() -> None:
    at = datetime(2027, 4, 1, 14, tzinfo=UTC)
    handover = complete_item(planned(), "briefing_pack", "fp-norland", at, True)
    moved = replan_handover(handover, annual(date(2027, 6, 8)), RULEBOOK)
    items = {i.key: i for i in moved.items}
    assert items["briefing_pack"].due == date(2027, 4, 18)
    assert items["briefing_pack"].completed_by == "fp-norland"
    assert items["channel_ownership"].due == date(2027, 6, 1)
    assert moved.handover_at == end_of_day(date(2027, 6, 11), TZ)


def test_designation_announces_the_incoming_chair_and_cannot_repeat() -> None:
    at = datetime(2027, 4, 5, 14, tzinfo=UTC)
    after, notices = designate(planned(), "gov-estavia", "sec-amina", at, NAMES, RULEBOOK)
    assert (after.incoming, after.designated_by, after.designated_at) == (
        "gov-estavia",
        "sec-amina",
        at,
    )
    assert [n.channel for n in notices] == ["all_members"]
    assert notices[0].text == (
        "Estavia will take over as Government Chair at the end of the plenary on "
        "21 May 2027, from Norland."
    )
    with pytest.raises(Conflict):
        designate(after, "gov-estavia", "sec-amina", at, NAMES, RULEBOOK)
    done = after.model_copy(update={"completed_at": HANDOVER_AT})
    with pytest.raises(Conflict):
        designate(done, "gov-norland", "sec-amina", at, NAMES, RULEBOOK)


def facts(
    handover: Handover | None, roles: set[Role], member: MemberFacts | None, **kw: object
) -> HandoverFacts:
    return HandoverFacts(
        handover=handover,
        by_roles=frozenset(roles),
        by_member="gov-norland",
        member=member,
        names=NAMES,
        **kw,  # type: ignore[arg-type]
    )


def test_only_a_full_government_may_be_designated_by_the_secretariat_or_the_chair() -> None:
    at = datetime(2027, 3, 1, 15, tzinfo=UTC)
    cmd = DesignateIncomingChair(member="gov-estavia", by="sc-aurum")
    with pytest.raises(Forbidden) as forbidden:
        designate_incoming_chair(
            cmd, at, facts(planned(), {Role.STEERING_COMMITTEE}, ESTAVIA), RULEBOOK
        )
    assert [p.path for p in forbidden.value.problems] == ["by"]
    assert forbidden.value.missing_role == "secretariat or chair"
    engaged = MemberFacts("gov-valdoria", "Valdoria", Pillar.GOVERNMENT, MemberStatus.ENGAGED)
    company = MemberFacts("co-aurum", "Aurum", Pillar.COMPANY, MemberStatus.FULL)
    for member in (engaged, company, None):
        cmd = DesignateIncomingChair(member=member.id if member else "nobody", by="sec-amina")
        with pytest.raises(InvalidInput) as refused:
            designate_incoming_chair(
                cmd, at, facts(planned(), {Role.SECRETARIAT}, member), RULEBOOK
            )
        assert [p.path for p in refused.value.problems] == ["member"]
    with pytest.raises(InvalidInput) as refused:
        designate_incoming_chair(cmd, at, facts(None, {Role.SECRETARIAT}, ESTAVIA), RULEBOOK)
    assert [p.path for p in refused.value.problems] == ["year"]
    ok = DesignateIncomingChair(member="gov-estavia", by="fp-norland")
    effects = designate_incoming_chair(ok, at, facts(planned(), {Role.CHAIR}, ESTAVIA), RULEBOOK)
    assert effects.handover is not None
    assert effects.handover.incoming == "gov-estavia"


def test_a_second_consecutive_term_is_allowed_and_a_third_is_not() -> None:
    at = datetime(2027, 3, 1, 15, tzinfo=UTC)
    year = timedelta(days=365)
    # Norland's term ends a day before the (moved) handover: it still counts as running to it.
    one = [term("gov-norland", HANDOVER_AT - year, HANDOVER_AT - timedelta(days=1))]
    cmd = DesignateIncomingChair(member="gov-norland", by="sec-amina")
    effects = designate_incoming_chair(
        cmd, at, facts(planned(), {Role.SECRETARIAT}, NORLAND, terms=tuple(one)), RULEBOOK
    )
    assert effects.handover is not None
    assert "for a consecutive term" in effects.notices[0].text
    two = [term("gov-norland", HANDOVER_AT - 2 * year, HANDOVER_AT - year), *one]
    two[1] = two[1].model_copy(update={"starts": HANDOVER_AT - year})
    with pytest.raises(InvalidInput) as refused:
        designate_incoming_chair(
            cmd, at, facts(planned(), {Role.SECRETARIAT}, NORLAND, terms=tuple(two)), RULEBOOK
        )
    assert refused.value.message == "too many consecutive terms"
    # a rulebook allowing three accepts it
    three = load_rulebook({"chair": {"max_consecutive_terms": 3}})
    designate_incoming_chair(
        cmd, at, facts(planned(), {Role.SECRETARIAT}, NORLAND, terms=tuple(two)), three
    )


def test_each_item_is_closed_by_its_owner_or_the_secretariat_only() -> None:
    handover = planned().model_copy(update={"incoming": "gov-estavia"})
    chair, secretariat = frozenset({Role.CHAIR, Role.FOCAL_POINT}), frozenset({Role.SECRETARIAT})
    incoming = frozenset({Role.FOCAL_POINT})
    assert may_complete(handover, "briefing_pack", chair, "gov-norland")
    assert not may_complete(handover, "briefing_pack", chair, "gov-estavia")
    assert not may_complete(handover, "open_applications", chair, "gov-norland")
    assert may_complete(handover, "open_applications", secretariat, None)
    rulebook_items = {i.key: i.owner for i in handover.items}
    assert HandoverOwner.INCOMING_CHAIR not in rulebook_items.values()
    with_incoming = handover.model_copy(
        update={
            "items": (
                *handover.items,
                handover.items[0].model_copy(
                    update={"key": "incoming_brief", "owner": HandoverOwner.INCOMING_CHAIR}
                ),
            )
        }
    )
    assert may_complete(with_incoming, "incoming_brief", incoming, "gov-estavia")
    assert not may_complete(with_incoming, "incoming_brief", incoming, "gov-norland")
    at = datetime(2027, 4, 2, 14, tzinfo=UTC)
    cmd = CompleteHandoverItem(year=2027, key="association_signatories", by="sc-aurum")
    with pytest.raises(Forbidden) as forbidden:
        complete_handover_item(cmd, at, facts(handover, {Role.FOCAL_POINT}, None))
    assert forbidden.value.problems[0].reason == "only the Secretariat may"
    done = complete_handover_item(
        cmd.model_copy(update={"by": "sec-amina"}), at, facts(handover, {Role.SECRETARIAT}, None)
    )
    assert done.handover is not None
    with pytest.raises(Conflict):
        complete_item(done.handover, "association_signatories", "sec-amina", at, True)
    with pytest.raises(InvalidInput) as refused:
        complete_item(handover, "nope", "sec-amina", at, True)
    assert "briefing_pack" in refused.value.problems[0].reason


OWNERS = Owners(chairs=("fp-norland",), incoming=("fp-estavia",))


def test_nobody_named_by_t60_alerts_the_steering_committee_and_the_end_stalls() -> None:
    due = designation_due(PLENARY, RULEBOOK)
    before = what_is_due(planned(), PLENARY, due - timedelta(hours=1), OWNERS, NAMES, RULEBOOK)
    assert not [n for n in before.notices if n.channel == "steering_committee"]
    assert before.next_at is not None
    assert before.next_at <= due
    after = what_is_due(planned(), PLENARY, due, OWNERS, NAMES, RULEBOOK)
    alerts = [n for n in after.notices if n.channel == "steering_committee"]
    assert [n.key for n in alerts] == ["handover:handover-2027:vno-incoming:steering_committee"]
    ended = what_is_due(planned(), PLENARY, HANDOVER_AT, OWNERS, NAMES, RULEBOOK)
    stalled = [n for n in ended.notices if "remains Government Chair" in n.text]
    assert len(stalled) == 1
    assert not ready(planned(), HANDOVER_AT)
    named = planned().model_copy(update={"incoming": "gov-estavia", "designated_at": due})
    assert not [
        n
        for n in what_is_due(named, PLENARY, HANDOVER_AT, OWNERS, NAMES, RULEBOOK).notices
        if n.channel == "steering_committee"
    ]
    assert ready(named, HANDOVER_AT)
    assert not ready(named, HANDOVER_AT - timedelta(seconds=1))


def test_item_reminders_go_to_their_owner_and_stop_when_done() -> None:
    reminder = start_of_day(date(2027, 4, 18) - timedelta(days=14), TZ)
    due = what_is_due(planned(), PLENARY, reminder, OWNERS, NAMES, RULEBOOK)
    by_item = {n.item: n for n in due.notices}
    assert by_item["handover-2027-briefing-pack"].recipients == ("fp-norland",)
    assert by_item["handover-2027-association-signatories"].channel == "secretariat"
    done = complete_item(planned(), "briefing_pack", "fp-norland", reminder, True)
    again = what_is_due(done, PLENARY, reminder, OWNERS, NAMES, RULEBOOK)
    assert "handover-2027-briefing-pack" not in {n.item for n in again.notices}


def test_the_move_closes_the_outgoing_term_and_opens_the_incoming_one() -> None:
    named = planned().model_copy(
        update={
            "incoming": "gov-estavia",
            "designated_at": datetime(2027, 4, 5, 14, tzinfo=UTC),
        }
    )
    outgoing = term(
        "gov-norland", HANDOVER_AT - timedelta(days=365), HANDOVER_AT + timedelta(days=2)
    )
    following = end_of_day(date(2028, 5, 19), TZ)
    tasks = ChairTasks(applications=(WaitingApplication("Kestrel Minerals"),))
    done = hand_over(named, outgoing, following, ["fp-estavia"], tasks, NAMES, RULEBOOK)
    assert done.handover.completed_at == HANDOVER_AT
    assert done.closed == outgoing.model_copy(update={"ends": HANDOVER_AT})
    assert done.opened == term("gov-estavia", HANDOVER_AT, following)
    texts = {n.channel: n.text for n in done.notices}
    assert texts["all_members"].startswith(
        "Estavia is now the Government Chair, taking over from Norland"
    )
    assert "Kestrel Minerals (awaiting the plenary's decision)" in texts["direct"]
    assert [n.recipients for n in done.notices if n.channel == "direct"] == [("fp-estavia",)]


def test_a_late_designation_hands_over_at_the_designation_for_a_term_year() -> None:
    late = HANDOVER_AT + timedelta(days=15)
    named = planned().model_copy(update={"incoming": "gov-estavia", "designated_at": late})
    done = hand_over(named, None, None, [], ChairTasks(), NAMES, RULEBOOK)
    assert done.opened.starts == late
    # one term year later, to the instant
    assert done.opened.ends == start_of_day(date(2028, 6, 6), TZ) == late + timedelta(days=366)
    assert done.closed is None
    _, notices = designate(planned(), "gov-estavia", "sec-amina", late, NAMES, RULEBOOK)
    assert notices[0].text.startswith("Estavia takes over as Government Chair now")


def test_the_chair_in_office_is_carried_to_the_next_handover_only() -> None:
    """The term ended before the plenary planned after it (found by a review: nobody was Chair
    through the plenary); a later handover, history long over, or a handover more than a term
    year on does not carry it."""
    handover = planned(outgoing=None)
    ended = HANDOVER_AT - timedelta(days=26)
    term_ = term("gov-norland", ended - timedelta(days=365), ended)
    planned_at = ended - timedelta(days=60)
    carried = carried_to_handover(handover, [term_], planned_at)
    assert carried == term_.model_copy(update={"ends": HANDOVER_AT})
    assert carried_to_handover(handover, [term_], planned_at, open_years=[2026]) is None
    assert carried_to_handover(handover, [term_], ended + timedelta(days=400)) is None
    long_before = term("gov-norland", ended - timedelta(days=800), ended - timedelta(days=400))
    assert carried_to_handover(handover, [long_before], long_before.ends) is None
    running = term_.model_copy(update={"ends": HANDOVER_AT + timedelta(days=1)})
    assert carried_to_handover(handover, [running], planned_at) is None
