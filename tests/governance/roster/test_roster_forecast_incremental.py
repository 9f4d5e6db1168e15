"""The forecast keeps its reading of the ledger up to date year by year instead of rescanning
the whole simulated ledger (issue 21); it must give exactly the rosters the year-by-year draw
over that ledger gives, under both rule versions, with every outcome, years without a plenary,
ledger entries in the forecast's own years, and several seeds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.roster.rule import (
    Draw,
    LedgerEntry,
    LedgerLike,
    PresentationOutcome,
    RosterMember,
    RosterRules,
    draw,
    forecast,
)
from tests.governance.roster.test_roster_history_property import FIRST, as_of, members, rules


def reference(
    first: int,
    years: int,
    registry: list[RosterMember],
    ledger: list[LedgerEntry],
    rules_: RosterRules,
) -> list[Draw]:
    """The forecast as it was: each year drawn over the whole ledger simulated so far."""
    simulated: list[LedgerLike] = list(ledger)
    found = []
    for year in range(first, first + years):
        result = draw(year, as_of(year), registry, simulated, rules_, f"s{year}")
        found.append(result)
        simulated += [
            LedgerEntry(year=year, member=m, outcome=PresentationOutcome.PRESENTED)
            for m in result.members
        ]
    return found


@settings(max_examples=40)
@given(registry=members(), rules_=rules(), version=st.sampled_from((1, 2)), data=st.data())
def test_the_forecast_equals_drawing_each_year_over_the_simulated_ledger(
    registry: list[RosterMember], rules_: RosterRules, version: int, data: st.DataObject
) -> None:
    ids = [m.id for m in registry] + ["gone-member"]  # and one the registry no longer has
    entry = st.builds(
        LedgerEntry,
        year=st.integers(FIRST - 6, FIRST + 3),  # some in the forecast's own years
        member=st.sampled_from(ids),
        outcome=st.sampled_from(PresentationOutcome),
    )
    ledger = data.draw(st.lists(entry, max_size=25))
    rules_ = rules_.model_copy(update={"rule_version": version})
    years = data.draw(st.integers(1, 7))
    got = forecast(FIRST, years, as_of, registry, ledger, rules_, lambda y: f"s{y}")
    assert got == reference(FIRST, years, registry, ledger, rules_)
