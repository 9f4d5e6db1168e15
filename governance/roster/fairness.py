"""How fair and stable the roster rule is, against a plain round-robin and a random draw.

A simulation over a generated registry with churn: each year some members leave, others become
Full (and eligible after the grace period), and some drawn presenters defer. For each strategy:

- spread: max minus min, over members eligible for at least a full cycle, of presentations per
  eligible year (0 is perfectly even);
- pillar deviation: the mean, over the years, of the largest distance between a pillar's slots
  and its share of them;
- stability: the share of forecast slots (for the next years, made a year earlier) that are
  still the same after a year of churn;
- missed cycles: how many times a member eligible for `cycle` plenaries in a row, and not
  deferring in them, presented at none (the promise the rule keeps: 0);
- presenters: the mean number drawn per plenary (what keeping the promise costs).

Pure: the randomness is a `random.Random` seeded by the caller, so the report is reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from governance.kernel.messages import NP_, Message, Terms, Text, figure, say, say_in, say_n, term
from governance.kernel.model import MemberStatus, Pillar
from governance.roster.rule import (
    LedgerEntry,
    PresentationOutcome,
    RosterMember,
    RosterRules,
    StatusMark,
    eligible,
    forecast,
    slots_for,
)

PILLAR_MIX = ((Pillar.GOVERNMENT, 12), (Pillar.COMPANY, 36), (Pillar.NGO, 16))
FORECAST_YEARS = 3
CHURN = 0.03
DEFERRAL_RATE = 0.05


@dataclass
class Figures:
    spread: float
    pillar_deviation: float
    stability: float
    missed_cycles: int = 0
    presenters: float = 0.0


@dataclass
class _World:
    members: dict[str, RosterMember] = field(default_factory=dict)
    left: dict[str, int] = field(default_factory=dict)
    counter: int = 0

    def join(self, pillar: Pillar, since: date) -> None:
        self.counter += 1
        member_id = f"{pillar.value[:3]}-{self.counter:04d}"
        history = (StatusMark(status=MemberStatus.FULL, since=since),)
        self.members[member_id] = RosterMember(id=member_id, pillar=pillar, history=history)

    def leave(self, member_id: str, day: date) -> None:
        member = self.members[member_id]
        history = (*member.history, StatusMark(status=MemberStatus.WITHDRAWN, since=day))
        self.members[member_id] = member.model_copy(update={"history": history})


@dataclass(frozen=True)
class Situation:
    """What a strategy may look at when it plans the coming years."""

    year: int
    pool: list[str]
    past: dict[str, list[int]]
    rules: RosterRules
    years: int


Strategy = Callable[[Situation], list[list[str]]]


def _as_of(year: int) -> date:
    return date(year - 1, 12, 1)


def _eligible_ids(world: _World, year: int, rules: RosterRules) -> list[str]:
    return [m.id for m, _ in eligible(world.members.values(), year, _as_of(year), rules)]


def _round_robin(now: Situation) -> list[list[str]]:
    """Everyone in one list by id; each year the next N after whoever presented last."""
    ordered, past = sorted(now.pool), now.past
    last = max((m for m, ys in past.items() if ys), key=lambda m: (max(past[m]), m), default=None)
    start = (ordered.index(last) + 1) % len(ordered) if last in ordered else 0
    n = slots_for(len(ordered), now.rules)
    return [
        [ordered[(start + k * n + i) % len(ordered)] for i in range(n)] for k in range(now.years)
    ]


def _random_draw(seed: int) -> Strategy:
    def strategy(now: Situation) -> list[list[str]]:
        n = min(slots_for(len(now.pool), now.rules), len(now.pool))
        return [
            random.Random(f"{seed}:{now.year + k}").sample(sorted(now.pool), n)
            for k in range(now.years)
        ]

    return strategy


def _rule(world: _World, ledger: list[LedgerEntry], seed: str) -> Strategy:
    def strategy(now: Situation) -> list[list[str]]:
        members = list(world.members.values())
        draws = forecast(now.year, now.years, _as_of, members, ledger, now.rules, seed)
        return [list(d.members) for d in draws]

    return strategy


def simulate(
    rules: RosterRules,
    years: int,
    seed: int,
    start_year: int = 2027,
    churn: float = CHURN,
    deferral_rate: float = DEFERRAL_RATE,
) -> dict[str, Figures]:
    """The three strategies over the same simulated history of joins, leaves and deferrals."""
    rnd = random.Random(seed)
    world = _World()
    for pillar, count in PILLAR_MIX:
        for _ in range(count):
            world.join(pillar, date(rnd.randint(2005, start_year - 2), 1, 1))
    ledgers: dict[str, list[LedgerEntry]] = {"govsched": [], "round-robin": [], "random": []}
    strategies: dict[str, Strategy] = {
        "govsched": _rule(world, ledgers["govsched"], str(seed)),
        "round-robin": _round_robin,
        "random": _random_draw(seed),
    }
    past: dict[str, dict[str, list[int]]] = {name: {} for name in strategies}
    forecasts: dict[str, list[list[str]]] = {}
    drawn: dict[str, dict[str, set[int]]] = {name: {} for name in strategies}
    kept = {name: [0, 0] for name in strategies}
    deviations: dict[str, list[float]] = {name: [] for name in strategies}
    eligible_years: dict[str, int] = {}
    pools: dict[int, set[str]] = {}
    sizes: dict[str, list[int]] = {name: [] for name in strategies}
    for year in range(start_year, start_year + years):
        pool = _eligible_ids(world, year, rules)
        pools[year] = set(pool)
        for member in pool:
            eligible_years[member] = eligible_years.get(member, 0) + 1
        deferring = {m for m in pool if rnd.random() < deferral_rate}
        for name, strategy in strategies.items():
            planned = strategy(Situation(year, pool, past[name], rules, FORECAST_YEARS))
            if name in forecasts:
                earlier = forecasts[name][1:]
                for old, new in zip(earlier, planned, strict=False):
                    kept[name][0] += len(set(old) & set(new))
                    kept[name][1] += len(old)
            forecasts[name] = planned
            roster = planned[0]
            sizes[name].append(len(roster))
            for member in roster:
                drawn[name].setdefault(member, set()).add(year)
            _record(name, year, roster, deferring, pool, ledgers, past)
            deviations[name].append(_deviation(roster, world, year, rules))
        _churn(world, year, rnd, churn)
    return {
        name: Figures(
            spread=_spread(past[name], eligible_years, rules),
            pillar_deviation=sum(deviations[name]) / max(len(deviations[name]), 1),
            stability=kept[name][0] / kept[name][1] if kept[name][1] else 1.0,
            missed_cycles=_missed_cycles(drawn[name], pools, rules),
            presenters=sum(sizes[name]) / max(len(sizes[name]), 1),
        )
        for name in strategies
    }


def _missed_cycles(
    drawn: dict[str, set[int]],
    pools: dict[int, set[str]],
    rules: RosterRules,
) -> int:
    """Windows of `cycle` plenaries (one a year here) at which a member was eligible, was never
    drawn and presented at none."""
    years = sorted(pools)
    missed = 0
    for end in range(rules.cycle_years - 1, len(years)):
        window = years[end - rules.cycle_years + 1 : end + 1]
        for member in set.intersection(*(pools[y] for y in window)):
            if drawn.get(member, set()) & set(window):
                continue  # drawn and deferred (a turn given) or presented
            missed += 1
    return missed


def _record(
    name: str,
    year: int,
    roster: list[str],
    deferring: set[str],
    pool: list[str],
    ledgers: dict[str, list[LedgerEntry]],
    past: dict[str, dict[str, list[int]]],
) -> None:
    for member in roster:
        deferred = member in deferring
        outcome = PresentationOutcome.DEFERRED if deferred else PresentationOutcome.PRESENTED
        if name in ledgers:
            ledgers[name].append(LedgerEntry(year=year, member=member, outcome=outcome))
        if not deferred:
            past[name].setdefault(member, []).append(year)
    for member in pool:
        past[name].setdefault(member, [])


def _deviation(roster: list[str], world: _World, year: int, rules: RosterRules) -> float:
    pool = eligible(world.members.values(), year, _as_of(year), rules)
    if not pool:
        return 0.0
    worst = 0.0
    for pillar in rules.presenting_pillars:
        share = sum(1 for m, _ in pool if m.pillar is pillar) / len(pool)
        taken = sum(1 for m in roster if world.members[m].pillar is pillar)
        worst = max(worst, abs(taken - share * len(roster)))
    return worst


def _churn(world: _World, year: int, rnd: random.Random, rate: float) -> None:
    active = sorted(m for m in world.members if m not in world.left)
    for member in rnd.sample(active, round(len(active) * rate)):
        world.left[member] = year
        world.leave(member, date(year, 6, 1))
    for pillar, count in PILLAR_MIX:
        for _ in range(round(count * rate)):
            world.join(pillar, date(year, 6, 1))


def _spread(
    presented: dict[str, list[int]], eligible_years: dict[str, int], rules: RosterRules
) -> float:
    rates = [
        len(presented.get(member, [])) / count
        for member, count in eligible_years.items()
        if count >= rules.cycle_years
    ]
    return max(rates) - min(rates) if rates else 0.0


# The ways of drawing the report compares, by the names `simulate` gives them.
_STRATEGIES = {
    "round-robin": NP_("fairness strategy", "round-robin"),
    "random": NP_("fairness strategy", "random"),
}


def _strategy(name: str) -> Message:
    if name in _STRATEGIES:
        return say_in("fairness strategy", _STRATEGIES[name])
    return Message(id="%(name)s", params={"name": Text(value=name)})  # a name, as written


def report_text(
    figures: dict[str, Figures],
    years: int,
    churn: float = CHURN,
    deferral_rate: float = DEFERRAL_RATE,
    write: Callable[[Message], str] | None = None,
) -> str:
    """The report; `write` renders each message in the reader's language (English, as the
    rules write it, by default)."""
    said = write or Message.english
    # (markers are not nested inside one another: extraction would miss the outer one)
    pillars = [(term(say_in("word", pillar.value)), count) for pillar, count in PILLAR_MIX]
    mix = Terms(
        messages=tuple(
            say("%(count)s %(pillar)s", count=count, pillar=word) for word, count in pillars
        )
    )
    labels = [
        said(say("spread (presentations per eligible year)")),
        said(say("pillar deviation (slots from share)")),
        said(say("forecast stability (slots unchanged)")),
        said(say("missed cycles (eligible, never drawn)")),
        said(say("presenters per plenary (mean)")),
    ]
    width = max(40, *(len(label) for label in labels))
    values: list[Callable[[Figures], float]] = [
        lambda f: f.spread,
        lambda f: f.pillar_deviation,
        lambda f: f.stability,
        lambda f: f.missed_cycles,
        lambda f: f.presenters,
    ]
    rows = [
        said(
            say_n(
                "Roster fairness over %(count)s simulated year",
                "Roster fairness over %(count)s simulated years",
                years,
            )
        ),
        said(
            say(
                "(%(members)s members at the start: %(mix)s; each year %(churn)s leave and as "
                "many join; %(deferral)s of the drawn presenters defer)",
                members=sum(c for _, c in PILLAR_MIX),
                mix=mix,
                churn=figure(churn, percent=True),
                deferral=figure(deferral_rate, percent=True),
            )
        ),
        "",
        f"{'':{width}} " + " ".join(f"{said(_strategy(name)):>12}" for name in figures),
        *(
            _row(label, width, figures, value, said)
            for label, value in zip(labels, values, strict=True)
        ),
        "",
        said(
            say(
                "spread: max minus min presentations per eligible year, over members eligible "
                "for a whole cycle (lower is fairer)"
            )
        ),
        said(
            say(
                "pillar deviation: mean over the years of the largest gap between a pillar's "
                "slots and its share (lower is fairer)"
            )
        ),
        said(
            say(
                "forecast stability: share of slots forecast a year earlier still drawn after a "
                "year of churn (higher is more predictable)"
            )
        ),
        said(
            say(
                "missed cycles: times a member eligible for a whole cycle of plenaries in a row "
                "was drawn at none of them (the rule promises 0)"
            )
        ),
    ]
    return "\n".join(rows) + "\n"


def _row(
    label: str,
    width: int,
    figures: dict[str, Figures],
    value: Callable[[Figures], float],
    said: Callable[[Message], str],
) -> str:
    """The figures under each strategy, written as the reader's locale writes numbers."""
    cells = [value(f) for f in figures.values()]
    written = [
        said(
            _FIGURE.model_copy(update={"params": {"v": figure(v, 0 if isinstance(v, int) else 3)}})
        )
        for v in cells
    ]
    return f"{label:{width}} " + " ".join(f"{cell:>12}" for cell in written)


# A figure alone: no words to translate, only the number to write in the reader's locale.
_FIGURE = Message(id="%(v)s")
