"""Rule version 2: once per cycle through deferrals, absences, excuses, lapses and empty years.

Worked out by hand; the generated histories are in test_roster_property.py. Rule version 1
stays as it was, for the rosters it drew (test_roster_versions.py).
"""

from __future__ import annotations

from datetime import date

import pytest

from governance.kernel.model import MemberStatus, Pillar
from governance.roster.apportion import apportion
from governance.roster.rule import (
    RULE_VERSION,
    Draw,
    LedgerEntry,
    PresentationOutcome,
    RosterMember,
    RosterRules,
    StatusMark,
    draw,
    exact_shares,
    forecast,
    replace,
)
from governance.rulebook.model import AfterAbsence, AfterExcuse, Rulebook

RULES = RosterRules.of(Rulebook())
V1 = RULES.model_copy(update={"rule_version": 1})
G, C, N = Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO
Outcome = PresentationOutcome


def as_of(year: int) -> date:
    return date(year - 1, 12, 1)


def full(member_id: str, pillar: Pillar = G, since: date = date(2010, 1, 1)) -> RosterMember:
    history = (StatusMark(status=MemberStatus.FULL, since=since),)
    return RosterMember(id=member_id, pillar=pillar, history=history)


def entries(year: int, outcome: Outcome, *members: str) -> list[LedgerEntry]:
    return [LedgerEntry(year=year, member=m, outcome=outcome) for m in members]


SIX = [full(f"gov-{c}") for c in "abcdef"]
SIX_LEDGER = [
    *entries(2024, Outcome.PRESENTED, "gov-e", "gov-f"),
    *entries(2025, Outcome.PRESENTED, "gov-a", "gov-b"),
    *entries(2026, Outcome.PRESENTED, "gov-c", "gov-d"),
]


def _three_plenaries(rules: RosterRules) -> list[Draw]:
    """2027-2029 of the issue's example: gov-e is absent in 2027, everyone else presents."""
    ledger = list(SIX_LEDGER)
    draws = []
    for year in (2027, 2028, 2029):
        result = draw(year, as_of(year), SIX, ledger, rules, "seed")
        draws.append(result)
        for member in result.members:
            absent = (year, member) == (2027, "gov-e")
            ledger += entries(year, Outcome.ABSENT if absent else Outcome.PRESENTED, member)
    return draws


def test_new_rosters_are_drawn_by_rule_version_3() -> None:
    assert RULE_VERSION == 3
    assert RULES.rule_version == 3
    # a rules object read from a document published before versions existed
    assert RosterRules.model_validate(V1.model_dump(exclude={"rule_version"})).rule_version == 1


def test_the_issue_example_gov_d_presents_within_its_cycle_when_gov_e_was_absent() -> None:
    # 6 governments, ledger 2024 e,f / 2025 a,b / 2026 c,d; gov-e absent in 2027. Rule 1 drew
    # 2027 e,f; 2028 e,a (or e,b); 2029 b,c (or a,d): a member of 2026 went past its cycle.
    old = [set(d.members) for d in _three_plenaries(V1)]
    assert old[0] == {"gov-e", "gov-f"}
    assert not all("gov-d" in drawn or "gov-c" in drawn for drawn in old)
    assert len(old[1]) == len(old[2]) == 2
    rosters = _three_plenaries(RULES)
    assert [set(d.members) for d in rosters] == [
        {"gov-e", "gov-f"},
        {"gov-e", "gov-a", "gov-b"},  # the absentee, and both members of 2025, who are due
        {"gov-c", "gov-d"},
    ]
    reasons = {s.member: s.reason.split(";")[0] for s in rosters[1].slots}
    assert reasons == {
        "gov-e": "absent in 2027: presents at the next plenary",
        "gov-a": "due: last presented 2025, 2 plenaries since, cycle of 3",
        "gov-b": "due: last presented 2025, 2 plenaries since, cycle of 3",
    }
    assert rosters[2].slots[0].reason.startswith("due: last presented 2026, 2 plenaries since")


def test_when_absence_counts_as_presented_the_absentee_waits_its_turn() -> None:
    rules = RULES.model_copy(update={"after_absence": AfterAbsence.COUNTS_AS_PRESENTED})
    assert [set(d.members) for d in _three_plenaries(rules)] == [
        {"gov-e", "gov-f"},
        {"gov-a", "gov-b"},
        {"gov-c", "gov-d"},
    ]


def test_a_deferred_member_presents_at_the_next_plenary_even_a_year_later() -> None:
    # No plenary in 2028: gov-a, deferred in 2027, comes first in 2029, "from 2027".
    ledger = [*SIX_LEDGER, *entries(2027, Outcome.DEFERRED, "gov-a")]
    ledger += entries(2027, Outcome.PRESENTED, "gov-e", "gov-f")
    result = draw(2029, as_of(2029), SIX, ledger, RULES, "seed")
    assert result.slots[0].member == "gov-a"
    assert result.slots[0].reason == "deferred from 2027"
    # Rule 1 looked only at the calendar year before, and forgot the deferral.
    old = draw(2029, as_of(2029), SIX, ledger, V1, "seed")
    assert not old.slots[0].reason.startswith("deferred")


def test_plenaries_not_years_are_counted() -> None:
    # gov-a last presented 2023; plenaries were held in 2023 and 2026 only: one since.
    ledger = [
        *entries(2023, Outcome.PRESENTED, "gov-a", "gov-b"),
        *entries(2026, Outcome.PRESENTED, "gov-c", "gov-d"),
    ]
    reasons = {s.member: s.reason for s in draw(2027, as_of(2027), SIX, ledger, RULES, "s").slots}
    assert all(not r.startswith("due: last presented 2023") for r in reasons.values())
    ledger += entries(2027, Outcome.PRESENTED, *reasons)
    later = draw(2030, as_of(2030), SIX, ledger, RULES, "s")
    due = [s.reason for s in later.slots if s.member in {"gov-a", "gov-b"}]
    assert due
    assert all(r.startswith("due: last presented 2023, 2 plenaries since") for r in due)


def test_carried_over_members_add_slots_rather_than_push_others_past_their_cycle() -> None:
    # Two deferred in 2026 and two due: four must present though one cycle's share is two.
    ledger = [
        *entries(2024, Outcome.PRESENTED, "gov-a", "gov-b"),
        *entries(2025, Outcome.PRESENTED, "gov-c", "gov-d"),
        *entries(2026, Outcome.DEFERRED, "gov-e", "gov-f"),
    ]
    result = draw(2027, as_of(2027), SIX, ledger, RULES, "seed")
    assert set(result.members) == {"gov-e", "gov-f", "gov-a", "gov-b"}
    assert set(result.required) == set(result.members)
    assert all(s.reason.startswith("deferred from 2026") for s in result.slots[:2])


def test_a_fixed_number_of_presenters_is_the_least_number() -> None:
    rules = RULES.model_copy(update={"presenters_per_plenary": 1})
    ledger = [*SIX_LEDGER, *entries(2027, Outcome.DEFERRED, "gov-e")]
    ledger += entries(2027, Outcome.PRESENTED, "gov-f")
    result = draw(2028, as_of(2028), SIX, ledger, rules, "seed")
    # gov-e was deferred, gov-a and gov-b are due: three, not one
    assert set(result.members) == {"gov-e", "gov-a", "gov-b"}
    quiet = draw(2025, as_of(2025), SIX, [], rules, "seed")
    assert len(quiet.slots) == 1  # nobody is carried over or due: the rulebook's number


def test_excused_members_keep_priority_or_wait_a_cycle_as_the_rulebook_says() -> None:
    ledger = [*SIX_LEDGER, *entries(2027, Outcome.EXCUSED, "gov-e")]
    ledger += entries(2027, Outcome.PRESENTED, "gov-f")
    keep = draw(2028, as_of(2028), SIX, ledger, RULES, "seed")
    # its last turn is 2024: it is due, and drawn with the two of 2025
    assert set(keep.members) == {"gov-e", "gov-a", "gov-b"}
    assert {s.member: s.reason for s in keep.slots}["gov-e"].startswith("due: last presented 2024")
    rules = RULES.model_copy(update={"after_excuse": AfterExcuse.NEXT_CYCLE})
    wait = draw(2028, as_of(2028), SIX, ledger, rules, "seed")
    assert set(wait.members) == {"gov-a", "gov-b"}  # the excuse was its turn


def test_a_newcomer_joins_the_end_of_the_rotation_and_is_due_within_its_first_cycle() -> None:
    newcomer = full("gov-n", since=date(2026, 6, 1))  # eligible from 2027
    members = [*SIX, newcomer]
    draws = forecast(2027, 3, as_of, members, SIX_LEDGER, RULES, "seed")
    drawn_in = {d.year: set(d.members) for d in draws}
    assert "gov-n" not in drawn_in[2027]  # the members waiting longer come first
    assert any("gov-n" in drawn_in[y] for y in (2027, 2028, 2029))
    reason = next(s.reason for d in draws for s in d.slots if s.member == "gov-n")
    assert reason.startswith(("never presented (Full since 2026)", "due: never presented"))


def test_a_member_that_lapses_and_returns_keeps_its_place_in_the_rotation() -> None:
    # gov-r: Full since 2010, never drawn, Inactive for a few months in 2025 and Full again.
    lapsed = RosterMember(
        id="gov-r",
        pillar=G,
        history=(
            StatusMark(status=MemberStatus.FULL, since=date(2010, 1, 1)),
            StatusMark(status=MemberStatus.INACTIVE, since=date(2025, 3, 1)),
            StatusMark(status=MemberStatus.FULL, since=date(2025, 9, 1)),
        ),
    )
    members = [*SIX, lapsed]
    result = draw(2027, as_of(2027), members, SIX_LEDGER, RULES, "seed")
    reason = {s.member: s.reason for s in result.slots}["gov-r"]
    # counted from its first eligibility (2011), not from its return
    assert reason.startswith("due: never presented (eligible since 2011), 3 plenaries since")


def test_members_that_leave_are_never_due_and_never_drawn() -> None:
    left = RosterMember(
        id="gov-x",
        pillar=G,
        history=(
            StatusMark(status=MemberStatus.FULL, since=date(2010, 1, 1)),
            StatusMark(status=MemberStatus.WITHDRAWN, since=date(2026, 3, 1)),
        ),
    )
    ledger = [*SIX_LEDGER, *entries(2026, Outcome.DEFERRED, "gov-x")]
    result = draw(2027, as_of(2027), [*SIX, left], ledger, RULES, "seed")
    assert "gov-x" not in result.members
    assert "gov-x" not in result.required


def test_shares_stay_within_one_slot_when_the_count_grows() -> None:
    members = [
        *(full(f"gov-{k}", G) for k in range(3)),
        *(full(f"co-{k}", C) for k in range(9)),
        *(full(f"ngo-{k}", N) for k in range(3)),
    ]
    # every company deferred in 2026: nine must present; 15 eligible, one cycle's share is 5
    ledger = entries(2026, Outcome.DEFERRED, *(f"co-{k}" for k in range(9)))
    result = draw(2027, as_of(2027), members, ledger, RULES, "seed")
    counts = {G: 3, C: 9, N: 3}
    exact = exact_shares(counts, len(result.slots), RULES)
    # 9 companies within one slot of 9/15 of the total: at least 14 slots
    assert len(result.slots) == 14
    for pillar in (G, C, N):
        taken = sum(1 for s in result.slots if s.pillar is pillar)
        assert abs(taken - exact[pillar]) < 1


def test_a_deferral_after_the_draw_is_replaced_and_carried_to_the_next_plenary() -> None:
    result = draw(2027, as_of(2027), SIX, SIX_LEDGER, RULES, "seed")
    ledger = [*SIX_LEDGER, *entries(2027, Outcome.DEFERRED, "gov-e")]
    refilled = replace(result, "gov-e", as_of(2027), SIX, ledger, RULES)
    added = next(s for s in refilled.slots if s.member not in result.members)
    assert added.reason.startswith("replaces gov-e: ")
    ledger += entries(2027, Outcome.PRESENTED, *refilled.members)
    after = draw(2028, as_of(2028), SIX, ledger, RULES, "seed")
    assert after.slots[0].member == "gov-e"
    assert after.slots[0].reason == "deferred from 2027"


def _shares(counts: dict[Pillar, int]) -> object:
    return lambda total: exact_shares(counts, total, RULES)


def _by_rulebook_order(exact: dict[Pillar, float]) -> list[Pillar]:
    return sorted(exact, key=lambda p: (G, C, N).index(p))


@pytest.mark.parametrize(
    ("must", "total", "quotas"),
    [
        # nothing required: one cycle's share (exact 1, 3.33, 0.67), the spare slot by order
        ({G: 0, C: 0, N: 0}, 5, {G: 1, C: 4, N: 0}),
        # the NGOs' one must: the spare slot is theirs
        ({G: 0, C: 0, N: 1}, 5, {G: 1, C: 3, N: 1}),
        # five companies must: 4 is the ceiling of their share of 5 or 6 slots; of 7, 4.67
        ({G: 0, C: 5, N: 0}, 7, {G: 2, C: 5, N: 0}),
        # every member must
        ({G: 3, C: 10, N: 2}, 15, {G: 3, C: 10, N: 2}),
    ],
)
def test_the_count_grows_to_the_least_that_holds_every_pillar_within_one_slot(
    must: dict[Pillar, int], total: int, quotas: dict[Pillar, int]
) -> None:
    counts = {G: 3, C: 10, N: 2}
    found = apportion(counts, must, 5, _shares(counts), _by_rulebook_order)  # type: ignore[arg-type]
    assert (found.total, found.quotas, found.within_shares) == (total, quotas, True)


def test_configured_shares_too_small_for_the_must_present_members_yield_to_them() -> None:
    rules = RULES.model_copy(update={"pillar_shares": {G: 0.8, C: 0.1, N: 0.1}})
    counts = {G: 2, C: 10, N: 10}
    must = {G: 0, C: 6, N: 0}
    found = apportion(
        counts,
        must,
        4,
        lambda total: exact_shares(counts, total, rules),
        _by_rulebook_order,
    )
    assert found.within_shares is False
    assert found.quotas[C] >= 6
    assert found.quotas[G] <= 2
