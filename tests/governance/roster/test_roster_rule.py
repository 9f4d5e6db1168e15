"""The roster rule on small registries worked out by hand: slots, reasons, ties, the document."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.kernel.errors import Conflict, InvalidInput
from governance.kernel.model import MemberStatus, Pillar
from governance.roster.document import RULE_SUMMARY, defer, markdown, publish, recompute, verify
from governance.roster.fairness import report_text, simulate
from governance.roster.presentations import LedgerFacts, RecordPresentation, check
from governance.roster.rule import (
    LedgerEntry,
    PresentationOutcome,
    RosterMember,
    RosterRules,
    StatusMark,
    draw,
    forecast,
    quotas,
    replace,
    slots_for,
)
from governance.rulebook.model import Rulebook

RULES = RosterRules.of(Rulebook())
G, C, N = Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO
AS_OF = date(2027, 2, 17)
DRAWN_AT = datetime(2027, 2, 17, 5, tzinfo=UTC)


def full(member_id: str, pillar: Pillar, since: date) -> RosterMember:
    return RosterMember(
        id=member_id,
        pillar=pillar,
        history=(StatusMark(status=MemberStatus.FULL, since=since),),
    )


def presented(year: int, *members: str) -> list[LedgerEntry]:
    return [
        LedgerEntry(year=year, member=m, outcome=PresentationOutcome.PRESENTED) for m in members
    ]


def test_slots_cover_every_eligible_member_once_per_cycle_unless_the_rulebook_fixes_them() -> None:
    assert slots_for(19, RULES) == 7
    assert slots_for(21, RULES) == 7
    assert slots_for(2, RULES) == 1
    fixed = RULES.model_copy(update={"presenters_per_plenary": 5})
    assert slots_for(19, fixed) == 5
    assert slots_for(3, fixed) == 3


def test_quotas_give_each_pillar_its_whole_share_then_the_spare_slots_by_claim() -> None:
    # 5, 10 and 5 eligible, 7 slots: exact shares 1.75, 3.5, 1.75.
    assert quotas({G: 5, C: 10, N: 5}, 7, RULES) == {G: 2, C: 3, N: 2}
    # The same year after two recorded years in which companies took 8 turns of their 7 owed:
    # governments and NGOs are owed more, companies less.
    owed = quotas({G: 5, C: 10, N: 5}, 7, RULES, turns={G: 3, C: 8, N: 3}, window_years=2)
    assert owed == {G: 2, C: 3, N: 2}
    # Companies took fewer than owed: they get a spare slot first; then governments and NGOs
    # are owed the same, and the rulebook's pillar order decides.
    short = quotas({G: 5, C: 10, N: 5}, 7, RULES, turns={G: 4, C: 6, N: 4}, window_years=2)
    assert short == {G: 2, C: 4, N: 1}
    # A pillar without eligible members gets nothing, and the others share its slots.
    assert quotas({G: 0, C: 4, N: 2}, 2, RULES) == {G: 0, C: 1, N: 1}


def test_configured_shares_override_the_proportional_ones() -> None:
    rules = RULES.model_copy(update={"pillar_shares": {G: 0.5, C: 0.25, N: 0.25}})
    assert quotas({G: 10, C: 10, N: 10}, 4, rules) == {G: 2, C: 1, N: 1}
    # Not enough governments for their share: the slot goes to a pillar that can fill it.
    assert quotas({G: 1, C: 10, N: 10}, 4, rules) == {G: 1, C: 2, N: 1}


def _plain_words_case() -> tuple[list[RosterMember], list[LedgerEntry]]:
    members = [
        full("gov-a", G, date(2005, 3, 1)),
        full("gov-b", G, date(2006, 3, 1)),
        full("gov-c", G, date(2007, 3, 1)),
        full("co-a", C, date(2009, 5, 1)),
        full("co-b", C, date(2010, 5, 1)),
        full("co-c", C, date(2027, 1, 10)),  # Full, but in its grace year for 2027
        full("ngo-a", N, date(2007, 4, 1)),
    ]
    ledger = [
        *presented(2024, "gov-a", "co-a"),
        LedgerEntry(year=2026, member="gov-b", outcome=PresentationOutcome.DEFERRED),
        LedgerEntry(year=2026, member="ngo-a", outcome=PresentationOutcome.EXCUSED),
    ]
    return members, ledger


def test_each_slot_says_why_in_plain_words_rule_version_1() -> None:
    members, ledger = _plain_words_case()
    rules = RULES.model_copy(update={"presenters_per_plenary": 6, "rule_version": 1})
    result = draw(2027, AS_OF, members, ledger, rules, "seed")
    assert [(s.member, s.reason) for s in result.slots] == [
        ("gov-b", "deferred from 2026"),
        ("gov-c", "never presented (Full since 2007)"),
        ("gov-a", "longest since last presentation (2024)"),
        ("co-b", "never presented (Full since 2010)"),
        ("co-a", "longest since last presentation (2024)"),
        ("ngo-a", "excused in 2026: keeps its priority"),
    ]
    assert [s.rank for s in result.slots] == [1, 2, 3, 4, 5, 6]
    assert result.eligible == 6  # co-c is in its grace year


def test_each_slot_says_why_in_plain_words() -> None:
    members, ledger = _plain_words_case()
    rules = RULES.model_copy(update={"presenters_per_plenary": 6})
    result = draw(2027, AS_OF, members, ledger, rules, "seed")
    # The ledger holds the plenaries of 2024 and 2026 (none was recorded for 2025): a member
    # whose last turn is before both, or that never had one, is due (cycle of 3).
    assert [(s.member, s.reason) for s in result.slots] == [
        ("gov-b", "deferred from 2026"),
        ("gov-c", "due: never presented (eligible since 2008), 2 plenaries since, cycle of 3"),
        ("gov-a", "longest since last presentation (2024)"),  # only 2026 since: not due
        ("co-b", "due: never presented (eligible since 2011), 2 plenaries since, cycle of 3"),
        ("co-a", "longest since last presentation (2024)"),
        # excused in 2026, and due in any case: it never had a turn
        ("ngo-a", "due: never presented (eligible since 2008), 2 plenaries since, cycle of 3"),
    ]
    assert result.required == ("gov-b", "gov-c", "co-b", "ngo-a")
    assert [s.rank for s in result.slots] == [1, 2, 3, 4, 5, 6]
    assert result.eligible == 6  # co-c is in its grace year


def test_exact_ties_are_broken_by_the_published_seed_and_say_so() -> None:
    members = [full(f"co-{k}", C, date(2010, 5, 1)) for k in range(4)]
    rules = RULES.model_copy(update={"presenters_per_plenary": 4})
    first = draw(2027, AS_OF, members, [], rules, "seed-one")
    assert [s.reason for s in first.slots] == [
        f"never presented (Full since 2010); tie among 4 broken by the published seed: rank {r}"
        for r in (1, 2, 3, 4)
    ]
    orders = {draw(2027, AS_OF, members, [], rules, f"seed-{k}").members for k in range(12)}
    assert len(orders) > 1  # the seed, not the member ids, decides


def test_a_forecast_assumes_everyone_drawn_presents() -> None:
    members = [full(f"co-{k}", C, date(2010 + k, 5, 1)) for k in range(6)]
    years = forecast(2027, 3, lambda y: date(y - 1, 12, 1), members, [], RULES, "seed")
    assert [d.members for d in years] == [
        ("co-0", "co-1"),
        ("co-2", "co-3"),
        ("co-4", "co-5"),
    ]
    seeds = forecast(2027, 2, lambda y: date(y - 1, 12, 1), members, [], RULES, lambda y: str(y))
    assert [d.seed for d in seeds] == ["2027", "2028"]


def test_a_pillars_only_member_deferring_is_replaced_from_the_pillar_most_below_its_share() -> None:
    # 1 government, 8 companies, 5 NGOs: 5 slots, exact shares 0.36, 2.86 and 1.79. After a
    # year in which the NGOs took 3 turns, the draw gives 1, 3 and 1 (each within one of its
    # share); when the only government defers, a company would make 4 (1.14 over), so the
    # NGOs, 0.79 below their share, fill the slot.
    members = [
        full("gov-a", G, date(2000, 1, 1)),
        *(full(f"co-{k}", C, date(2000 + k, 1, 1)) for k in range(8)),
        *(full(f"ngo-{k}", N, date(2000 + k, 1, 1)) for k in range(5)),
    ]
    ledger = presented(2026, "co-0", "co-1", "ngo-0", "ngo-1", "ngo-2")
    rosters = draw(2027, AS_OF, members, ledger, RULES, "seed")
    assert [s.pillar for s in rosters.slots].count(C) == 3
    assert "gov-a" in rosters.members
    deferred = LedgerEntry(year=2027, member="gov-a", outcome=PresentationOutcome.DEFERRED)
    refilled = replace(rosters, "gov-a", AS_OF, members, [*ledger, deferred], RULES)
    by_member = {s.member: s for s in refilled.slots}
    assert "gov-a" not in by_member
    newcomer = next(s for s in refilled.slots if s.member not in rosters.members)
    assert newcomer.pillar is N
    assert newcomer.reason.startswith("replaces gov-a: ")
    assert [s.member for s in refilled.slots if s.member != newcomer.member] == [
        s.member for s in rosters.slots if s.member != "gov-a"
    ]


def _document() -> tuple[list[RosterMember], list[LedgerEntry]]:
    members = [
        full("gov-a", G, date(2005, 3, 1)),
        full("gov-b", G, date(2006, 3, 1)),
        full("co-a", C, date(2009, 5, 1)),
        full("co-b", C, date(2010, 5, 1)),
        full("co-c", C, date(2011, 5, 1)),
        full("ngo-a", N, date(2007, 4, 1)),
        full("obs-a", Pillar.OBSERVER, date(2007, 4, 1)),
    ]
    return members, [*presented(2025, "gov-a"), *presented(2028, "co-a")]


def test_a_published_document_keeps_its_inputs_and_recomputes() -> None:
    members, ledger = _document()
    document = publish(
        2027,
        "plenary-2027",
        "seed",
        AS_OF,
        DRAWN_AT,
        tuple(reversed(members)),
        tuple(ledger),
        RULES,
    )
    # Only what the rule reads: presenting pillars, sorted; the ledger before the year.
    assert [m.id for m in document.members] == ["co-a", "co-b", "co-c", "gov-a", "gov-b", "ngo-a"]
    assert document.ledger == tuple(presented(2025, "gov-a"))
    assert document.drawn == document.slots
    assert recompute(document) == document.slots
    assert verify(document) == []
    reseeded = document.model_copy(update={"rules": RULES.model_copy(update={"cycle_years": 1})})
    assert verify(reseeded) != []


def test_verify_checks_the_first_draw_and_each_replacement_the_roster_prints() -> None:
    """Found by a review: a document whose deferral named another replacement, or whose first
    draw lost a member, still "matched"; the circulated roster prints both."""
    members, ledger = _document()
    document = publish(
        2027, "plenary-2027", "seed", AS_OF, DRAWN_AT, tuple(members), tuple(ledger), RULES
    )
    deferred, _ = defer(document, document.slots[0].member, "Elections", "fp-x", "sec-x", DRAWN_AT)
    assert verify(deferred) == []
    (deferral,) = deferred.deferrals
    other = next(m.id for m in members if m.id not in {s.member for s in deferred.slots})
    forged = deferred.model_copy(
        update={"deferrals": (deferral.model_copy(update={"replaced_by": other}),)}
    )
    assert verify(forged) == [
        f"{deferral.member}'s deferral: published replaced by {other}, "
        f"recomputed {deferral.replaced_by}"
    ]
    shortened = deferred.model_copy(update={"drawn": deferred.drawn[1:]})
    [difference] = verify(shortened)
    assert difference.startswith("the first draw's members differ")


def test_the_circulated_roster_names_members_and_explains_the_rule() -> None:
    members, ledger = _document()
    document = publish(
        2027, "plenary-2027", "seed", AS_OF, DRAWN_AT, tuple(members), tuple(ledger), RULES
    )
    first = document.slots[0]
    text = markdown(document, {first.member: "Aurum | Mining"})
    assert text.startswith("# Verification presentations, 2027 plenary (plenary-2027)\n")
    assert "with the published seed `seed`, from 6 members and 1 ledger entry." in text
    assert f"| 1 | Aurum \\| Mining | company | {first.reason} |" in text
    assert f"| 2 | {document.slots[1].member} |" in text  # no name known: the id
    assert RULE_SUMMARY in text
    assert "govsched roster verify" in text


def test_the_fairness_report_is_reproducible_and_favours_the_rule_on_pillars() -> None:
    figures = simulate(RULES, years=6, seed=11)
    assert simulate(RULES, years=6, seed=11) == figures
    assert list(figures) == ["govsched", "round-robin", "random"]
    rule, round_robin, random_draw = figures.values()
    assert rule.pillar_deviation < 1 <= round_robin.pillar_deviation
    assert rule.spread <= random_draw.spread
    assert 0 <= rule.stability <= 1
    # drawn within every cycle, despite the deferrals; a random draw is not
    assert rule.missed_cycles == 0 < random_draw.missed_cycles
    assert rule.presenters >= round_robin.presenters
    text = report_text(figures, 6)
    assert text.splitlines()[0] == "Roster fairness over 6 simulated years"
    assert "lower is fairer" in text
    assert "missed cycles (eligible, never drawn)" in text


# -- recording outcomes --------------------------------------------------------------------------


def _record(outcome: str = "presented") -> RecordPresentation:
    return RecordPresentation(year=2027, member="co-a", outcome=PresentationOutcome(outcome))


def _facts(**changes: object) -> LedgerFacts:
    facts = LedgerFacts(
        today=date(2027, 5, 21),
        member_exists=True,
        on_roster=True,
        plenary_starts=date(2027, 5, 18),
    )
    return facts.model_copy(update=changes)


def test_an_outcome_for_a_presenter_after_the_plenary_begins_is_recorded() -> None:
    entry = check(_record("excused"), _facts())
    assert entry == LedgerEntry(year=2027, member="co-a", outcome=PresentationOutcome.EXCUSED)
    # History from before govsched: no roster, no plenary on record.
    assert (
        check(_record("deferred"), _facts(on_roster=None, plenary_starts=None)).outcome
        == "deferred"
    )


@pytest.mark.parametrize(
    ("record", "facts", "error", "field"),
    [
        (_record(), _facts(member_exists=False), InvalidInput, "member"),
        (_record(), _facts(already=PresentationOutcome.ABSENT), Conflict, "member"),
        (_record(), _facts(today=date(2027, 5, 17)), Conflict, "year"),
        (_record(), _facts(on_roster=False), Conflict, "member"),
        (_record("deferred"), _facts(), Conflict, "outcome"),
        # a year to come without a plenary is not history
        (
            _record(),
            _facts(today=date(2026, 12, 31), on_roster=None, plenary_starts=None),
            InvalidInput,
            "year",
        ),
    ],
)
def test_an_outcome_the_rules_refuse_names_the_field(
    record: RecordPresentation, facts: LedgerFacts, error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as refused:
        check(record, facts)
    assert [p.path for p in refused.value.problems] == [field]  # type: ignore[attr-defined]
