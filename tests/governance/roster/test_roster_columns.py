"""The rule over columns (governance/roster/columns.py, issue 21) draws byte for byte the rosters
the rule as written draws one candidate per member (`draw_reference`, `forecast_reference`):
under every rule version, every outcome and setting, fixed and proportional slots, configured
shares, members that lapse and come back, ledgers naming members the registry no longer has,
years without a plenary, entries in a forecast's own years, and many exact ties."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bench import roster as bench_roster
from governance.kernel.model import MemberStatus, Pillar
from governance.roster import columns
from governance.roster.rule import (
    Draw,
    LedgerEntry,
    PresentationOutcome,
    RosterMember,
    RosterRules,
    StatusMark,
    draw,
    draw_reference,
    forecast,
    forecast_reference,
)
from governance.rulebook.model import Rulebook
from tests.governance.roster.test_roster_history_property import FIRST, as_of, members, rules

PILLARS = (Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO, Pillar.OBSERVER)


def same(got: list[Draw], expected: list[Draw]) -> None:
    assert got == expected
    assert [d.model_dump_json() for d in got] == [d.model_dump_json() for d in expected]


@st.composite
def tied_members(draw_: st.DrawFn) -> list[RosterMember]:
    """Members Full since one of a few days: most sort keys are ties the seed breaks."""
    days = [date(2015, 1, 1), date(2015, 1, 1 + draw_(st.integers(0, 1))), date(2024, 6, 1)]
    count = draw_(st.integers(1, 30))
    return [
        RosterMember(
            id=f"m-{draw_(st.integers(0, 9))}{k:02d}",
            pillar=draw_(st.sampled_from(PILLARS)),
            history=(StatusMark(status=MemberStatus.FULL, since=draw_(st.sampled_from(days))),),
        )
        for k in range(count)
    ]


@st.composite
def varied_rules(draw_: st.DrawFn) -> RosterRules:
    base = draw_(rules())
    shares = st.none() | st.fixed_dictionaries(
        {p: st.sampled_from((0.0, 0.2, 1 / 3, 0.5)) for p in PILLARS[:3]}
    )
    return base.model_copy(
        update={
            "rule_version": draw_(st.sampled_from((1, 2, 3))),
            "presenters_per_plenary": draw_(st.none() | st.integers(1, 8)),
            "pillar_shares": draw_(shares),
        }
    )


def ledger_of(ids: list[str]) -> st.SearchStrategy[list[LedgerEntry]]:
    entry = st.builds(
        LedgerEntry,
        year=st.integers(FIRST - 6, FIRST + 3),  # some in the forecast's own years
        member=st.sampled_from([*ids, "gone-member"]),  # and one the registry no longer has
        outcome=st.sampled_from(PresentationOutcome),
    )
    return st.lists(entry, max_size=40)


@settings(max_examples=120, deadline=None)
@given(
    registry=members() | tied_members(),
    rules_=varied_rules(),
    seed=st.sampled_from(("5eed", "another")),
    data=st.data(),
)
def test_the_columns_draw_and_forecast_what_the_reference_does(
    registry: list[RosterMember], rules_: RosterRules, seed: str, data: st.DataObject
) -> None:
    ledger = data.draw(ledger_of([m.id for m in registry]))
    year = data.draw(st.integers(FIRST - 2, FIRST + 3))
    got = draw(year, as_of(year), registry, ledger, rules_, seed)
    same([got], [draw_reference(year, as_of(year), registry, ledger, rules_, seed)])
    years = data.draw(st.integers(1, 6))

    def seed_for(year: int) -> str:
        return f"{seed}{year}"

    ahead = forecast(FIRST, years, as_of, registry, ledger, rules_, seed_for)
    same(ahead, forecast_reference(FIRST, years, as_of, registry, ledger, rules_, seed_for))


def test_a_benchmark_registry_is_drawn_the_same_for_eleven_years_under_both_versions() -> None:
    registry = bench_roster.registry(600)
    for version in (1, 2, 3):
        rules_ = RosterRules.of(Rulebook()).model_copy(update={"rule_version": version})
        year = bench_roster.YEAR
        args = (registry.members, registry.ledger, rules_)
        same(
            [draw(year, bench_roster.as_of(year), *args, "b")],
            [draw_reference(year, bench_roster.as_of(year), *args, "b")],
        )
        same(
            forecast(year + 1, 10, bench_roster.as_of, *args, "b"),
            forecast_reference(year + 1, 10, bench_roster.as_of, *args, "b"),
        )


def test_a_registry_the_columns_do_not_model_is_drawn_by_the_reference() -> None:
    history = (StatusMark(status=MemberStatus.FULL, since=date(2010, 1, 1)),)
    twice = [RosterMember(id="gov-a", pillar=Pillar.GOVERNMENT, history=history)] * 2
    rules_ = RosterRules.of(Rulebook())
    assert not columns.supported(twice, rules_)
    assert columns.supported(twice[:1], rules_)
    same(
        [draw(FIRST, as_of(FIRST), twice, [], rules_, "s")],
        [draw_reference(FIRST, as_of(FIRST), twice, [], rules_, "s")],
    )
