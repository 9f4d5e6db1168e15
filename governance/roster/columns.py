"""The roster rule computed over columns of the registry, for registries of tens of thousands.

`rule.py` states the rule one candidate per member, as anyone recomputing a roster reads it
(`draw_reference`, `forecast_reference`). This module draws exactly the same rosters with the
members as numpy arrays: each year's eligibility, tier, due count and sort key are array
operations, and Python touches a member only when it is drawn (its reason and slot) or shares
its key with someone at or above the last place drawn (the seed's hash decides that tie). The
members below the cut are never ordered among themselves: nothing published depends on it.

What a member's status history says on a given day is read from breakpoints computed once per
registry: a member's Full-since and first-Full days change only on the days its marks start,
so evaluating the reference's own functions on those days describes them for every day.

Identity with the reference is property-tested (tests/governance/roster/test_roster_columns.py).
Registries the columns do not model (two members with one id, a pillar listed twice) are drawn
by the reference.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date

import numpy as np
import numpy.typing as npt

from governance.kernel.collector import no_cycle_collection
from governance.kernel.model import MemberStatus, Pillar
from governance.roster.apportion import apportion
from governance.roster.rule import (
    Draw,
    LedgerLike,
    PresentationOutcome,
    RosterMember,
    RosterRules,
    Slot,
    _Candidate,
    _claim_order,
    _tiebreak,
    _turn_outcomes,
    exact_shares,
    first_full,
    full_since,
    quotas,
    slots_for,
)
from governance.rulebook.model import AfterAbsence, AfterExcuse

Ints = npt.NDArray[np.int64]
Bits = npt.NDArray[np.uint8]

OUTCOMES = tuple(PresentationOutcome)
CODE = {outcome: code for code, outcome in enumerate(OUTCOMES)}
BIT = {outcome: 1 << code for code, outcome in enumerate(OUTCOMES)}
NONE = -1  # no day, no year, no outcome
DAY_BITS = 32  # a breakpoint's key: the member's row above, the day's ordinal below


def supported(members: Sequence[RosterMember], rules: RosterRules) -> bool:
    """Whether the columns model this registry (otherwise the reference draws it)."""
    pillars = rules.presenting_pillars
    return len({m.id for m in members}) == len(members) and len(set(pillars)) == len(pillars)


class _Members:
    """The registry as columns, a row per member in the order of their ids (the order in which
    the reference lists eligible members, so stable sorts break nothing differently)."""

    def __init__(self, members: Sequence[RosterMember], rules: RosterRules) -> None:
        self.members = sorted(members, key=lambda m: m.id)
        self.ids = [m.id for m in self.members]
        self.row = {member: row for row, member in enumerate(self.ids)}
        self.pillar_of = {m.id: m.pillar for m in self.members}
        pillars = rules.presenting_pillars
        self.pillar: Ints = np.array(
            [pillars.index(m.pillar) if m.pillar in pillars else NONE for m in self.members],
            dtype=np.int64,
        )
        keys, full, full_year, first_year = [], [], [], []
        for row, member in enumerate(self.members):
            if len(member.history) == 1:  # most members: Full (or not) from one day on
                mark = member.history[0]
                keys.append(row << DAY_BITS | mark.since.toordinal())
                is_full = mark.status is MemberStatus.FULL
                full.append(mark.since.toordinal() if is_full else NONE)
                full_year.append(mark.since.year if is_full else NONE)
                first_year.append(mark.since.year if is_full else NONE)
                continue
            for day in sorted({mark.since for mark in member.history}):
                keys.append(row << DAY_BITS | day.toordinal())
                since = full_since(member, day)
                first = first_full(member, day)
                full.append(since.toordinal() if since else NONE)
                full_year.append(since.year if since else NONE)
                first_year.append(first.year if first else NONE)
        self.keys: Ints = np.array(keys, dtype=np.int64)
        self.full: Ints = np.array(full, dtype=np.int64)
        self.full_year: Ints = np.array(full_year, dtype=np.int64)
        self.first_year: Ints = np.array(first_year, dtype=np.int64)
        self.rows: Ints = np.arange(len(self.members), dtype=np.int64)

    def on(self, day: date) -> tuple[Ints, Ints, Ints]:
        """Each member's Full-since day (ordinal) and its year, and the year it was first Full,
        on `day` (NONE where it is not Full)."""
        absent = np.full(len(self.rows), NONE, dtype=np.int64)
        if len(self.keys) == 0:
            return absent, absent, absent
        at = np.searchsorted(self.keys, (self.rows << DAY_BITS) | day.toordinal(), "right") - 1
        safe = np.maximum(at, 0)
        mine = (at >= 0) & ((self.keys[safe] >> DAY_BITS) == self.rows)
        return (
            np.where(mine, self.full[safe], absent),
            np.where(mine, self.full_year[safe], absent),
            np.where(mine, self.first_year[safe], absent),
        )


class _Turns:
    """What the ledger says of each member, kept up to date as a forecast adds its years: the
    columns' `rule._Ledger` (same feeding order, same same-year precedence)."""

    def __init__(self, members: _Members, rules: RosterRules) -> None:
        self.members = members
        self.rules = rules
        self.turn_outcomes = _turn_outcomes(rules)
        size = len(members.ids)
        self.has_turn = np.zeros(size, dtype=bool)
        self.last_turn: Ints = np.zeros(size, dtype=np.int64)
        self.last_outcome: Ints = np.full(size, NONE, dtype=np.int64)
        self.years: list[int] = []
        self.outcomes: dict[int, Bits] = {}
        self.turns: dict[int, Counter[Pillar]] = {}

    def _year(self, year: int) -> None:
        if year not in self.outcomes:
            bisect.insort(self.years, year)
            self.outcomes[year] = np.zeros(len(self.members.ids), dtype=np.uint8)
            self.turns[year] = Counter()

    def feed(self, entries: Iterable[LedgerLike]) -> None:
        # read as plain Python, then written to the columns once
        marked: dict[int, tuple[list[int], list[int]]] = {}  # year: rows, outcome bits
        turned: dict[int, tuple[bool, int, int]] = {}  # row: has a turn, its year, outcome
        for entry in entries:
            year, outcome = entry.year, entry.outcome
            if year not in marked:
                self._year(year)
                marked[year] = ([], [])
            row = self.members.row.get(entry.member)
            if row is not None:
                marked[year][0].append(row)
                marked[year][1].append(BIT[outcome])
            if outcome not in self.turn_outcomes:
                continue
            pillar = self.members.pillar_of.get(entry.member)
            if pillar is not None:
                self.turns[year][pillar] += 1
            if row is None:
                continue
            if row not in turned:
                had = bool(self.has_turn[row])
                turned[row] = (had, int(self.last_turn[row]), int(self.last_outcome[row]))
            had, last, last_outcome = turned[row]
            last = last if had else -1
            if year >= last:
                if year > last or outcome is PresentationOutcome.PRESENTED:
                    last_outcome = CODE[outcome]
                turned[row] = (True, year, last_outcome)
        for year, (rows, bits) in marked.items():
            np.bitwise_or.at(self.outcomes[year], rows, np.array(bits, dtype=np.uint8))
        if turned:
            rows = list(turned)
            has_turn, last_turn, outcome_of = zip(*turned.values(), strict=True)
            self.has_turn[rows] = has_turn
            self.last_turn[rows] = last_turn
            self.last_outcome[rows] = outcome_of

    def presented(self, year: int, rows: Ints) -> None:
        """Every member in `rows` presented at `year`'s plenary (as a forecast assumes)."""
        if len(rows) == 0:
            return
        self._year(year)
        self.outcomes[year][rows] |= BIT[PresentationOutcome.PRESENTED]
        for pillar in self.members.pillar[rows].tolist():
            self.turns[year][self.rules.presenting_pillars[pillar]] += 1
        last = np.where(self.has_turn[rows], self.last_turn[rows], -1)
        later = rows[year >= last]
        self.last_outcome[later] = CODE[PresentationOutcome.PRESENTED]
        self.last_turn[later] = year
        self.has_turn[later] = True

    def latest(self, year: int) -> tuple[Bits, Ints]:
        """Rule 3: each member's outcomes in its own latest year of the ledger before `year`,
        and that year (NONE where it has none): the latest years first, each member taking the
        first it appears in."""
        bits = np.zeros(len(self.members.ids), dtype=np.uint8)
        years = np.full(len(self.members.ids), NONE, dtype=np.int64)
        for y in reversed([y for y in self.years if y < year]):
            fresh = (self.outcomes[y] != 0) & (years == NONE)
            bits[fresh] = self.outcomes[y][fresh]
            years[fresh] = y
        return bits, years

    def recent_turns(self, year: int) -> tuple[dict[Pillar, int], int]:
        recorded = [y for y in self.years if y < year]
        if self.rules.rule_version == 1:
            window = [y for y in range(year - self.rules.cycle_years + 1, year) if y in recorded]
        else:
            window = recorded[max(len(recorded) - self.rules.cycle_years + 1, 0) :]
        turns: Counter[Pillar] = Counter()
        for y in window:
            turns.update(self.turns[y])
        return dict(turns), len(window)


def _tiers(carried: Bits, rules: RosterRules) -> tuple[Ints, Ints]:
    """`rule._carried` for every member: its tier and the outcome that put it there."""
    tier = np.full(len(carried), 2, dtype=np.int64)
    code = np.full(len(carried), NONE, dtype=np.int64)
    # the weakest claim first, so a stronger one in the same year overwrites it
    if rules.after_excuse is AfterExcuse.KEEP_PRIORITY:
        excused = (carried & BIT[PresentationOutcome.EXCUSED]) != 0
        tier[excused], code[excused] = 1, CODE[PresentationOutcome.EXCUSED]
    if rules.after_absence is AfterAbsence.PRESENT_NEXT_YEAR:
        absent = (carried & BIT[PresentationOutcome.ABSENT]) != 0
        tier[absent], code[absent] = 0, CODE[PresentationOutcome.ABSENT]
    deferred = (carried & BIT[PresentationOutcome.DEFERRED]) != 0
    tier[deferred], code[deferred] = 0, CODE[PresentationOutcome.DEFERRED]
    return tier, code


def _draw(
    members: _Members, turns: _Turns, year: int, as_of: date, rules: RosterRules, seed: str
) -> tuple[Draw, Ints]:
    """The roster of `year` from the ledger fed so far, and the rows it draws."""
    full, full_year, first_year = members.on(as_of)
    grace, version = rules.grace_years, rules.rule_version
    ok = (members.pillar >= 0) & (full != NONE) & (full_year + grace <= year)
    plenaries = [y for y in turns.years if y < year]
    previous = year - 1 if version == 1 else plenaries[-1] if plenaries else None
    if version >= 3:
        carried, carried_from = turns.latest(year)
    else:
        kept = turns.outcomes.get(previous) if previous is not None else None
        carried = kept if kept is not None else np.zeros(len(members.ids), dtype=np.uint8)
        carried_from = np.full(len(members.ids), NONE if previous is None else previous)
    tier, code = _tiers(carried, rules)
    has, last = turns.has_turn, turns.last_turn
    if version == 1:
        anchor = np.where(has, last, full_year + grace - 1)
        rank, passed, required = tier, np.zeros_like(tier), np.zeros(len(tier), dtype=bool)
    else:
        earliest = np.where(first_year != NONE, first_year, full_year)
        anchor = np.where(has, last, earliest + grace - 1)
        held = np.array(plenaries, dtype=np.int64)
        passed = len(plenaries) - np.searchsorted(held, anchor, "right")
        rank = np.where(
            tier == 0, 0, np.where(passed >= rules.cycle_years - 1, 1, np.where(tier == 1, 2, 3))
        )
        required = rank <= 1

    pools: dict[Pillar, Ints] = {}
    for index, pillar in enumerate(rules.presenting_pillars):
        pool = np.nonzero(ok & (members.pillar == index))[0]
        # lexsort is stable and the rows are in id order: ties stay in the reference's order
        pools[pillar] = pool[np.lexsort((full[pool], anchor[pool], rank[pool]))]
    counts = {p: len(pools[p]) for p in rules.presenting_pillars}
    must = {p: int(required[pools[p]].sum()) for p in rules.presenting_pillars}
    total = slots_for(sum(counts.values()), rules)
    recent, window = turns.recent_turns(year)
    if version == 1:
        shares = quotas(counts, total, rules, recent, window)
    else:
        present = {p: n for p, n in counts.items() if n > 0}
        found = apportion(
            present,
            {p: must[p] for p in present},
            total,
            lambda slots: exact_shares(present, slots, rules),
            _claim_order(rules, recent, window),
        )
        shares = {p: found.quotas.get(p, 0) for p in rules.presenting_pillars}

    slots: list[Slot] = []
    required_ids: list[str] = []
    drawn: list[Ints] = []
    reasons = _Reasons(version, year, rules.cycle_years)
    last_or_none = np.where(has, last, NONE)
    for pillar in rules.presenting_pillars:
        order = pools[pillar]
        starts, sizes = _ties(rank[order], anchor[order], full[order])
        taken = shares[pillar]
        _seed_order(order, starts, sizes, max(taken, must[pillar]), members.ids, seed, year)
        required_ids += [members.ids[row] for row in order[: must[pillar]].tolist()]
        chosen = order[:taken]
        group = np.repeat(np.arange(len(starts)), sizes)[:taken]
        facts = np.stack(
            (
                rank[chosen],
                anchor[chosen],
                full[chosen],
                code[chosen],
                last_or_none[chosen],
                turns.last_outcome[chosen],
                passed[chosen],
                carried_from[chosen],
            ),
            axis=1,
        ).tolist()
        places = (np.arange(taken) - starts[group] + 1).tolist()
        ties = zip(sizes[group].tolist(), places, strict=True)
        for row, fact, (size, place) in zip(chosen.tolist(), facts, ties, strict=True):
            member = members.ids[row]
            reason = reasons.basis(member, pillar, fact)
            if size > 1:
                reason += f"; tie among {size} broken by the published seed: rank {place}"
            slots.append(slot_of(member, pillar, reason, len(slots) + 1))
        drawn.append(chosen)
    # the slots and the required ids are made of validated parts (the registry's ids and the
    # reasons' words); the rest is checked as the reference's is
    result = Draw(
        year=year, seed=seed, slots=(), quotas=shares, eligible=sum(counts.values())
    ).model_copy(update={"slots": tuple(slots), "required": tuple(required_ids)})
    return result, np.concatenate(drawn) if drawn else np.zeros(0, dtype=np.int64)


class _Reasons:
    """A drawn member's reason, but for its tie: in the reference's own words, written once
    for each distinct set of facts it is written from (many drawn members share theirs)."""

    def __init__(self, version: int, year: int, cycle: int) -> None:
        self.version, self.year, self.cycle = version, year, cycle
        self.known: dict[tuple[int, ...], str] = {}

    def basis(self, member: str, pillar: Pillar, facts: list[int]) -> str:
        """`facts`: rank, anchor, Full-since ordinal, carried outcome, last turn, its outcome,
        plenaries passed, the year that carries it over (NONE for none)."""
        key = tuple(facts)
        found = self.known.get(key)
        if found is None:
            rank, anchor, since, carried, last, last_outcome, passed, carried_from = facts
            day = date.fromordinal(since)
            found = self.known[key] = _Candidate(
                member=member,
                pillar=pillar,
                key=(rank, anchor, day),
                version=self.version,
                year=self.year,
                carried=OUTCOMES[carried] if carried != NONE else None,
                last=last if last != NONE else None,
                last_outcome=OUTCOMES[last_outcome] if last_outcome != NONE else None,
                since=day,
                previous=carried_from if carried_from != NONE else None,
                passed=passed,
                cycle=self.cycle,
            ).basis
        return found


_SLOT_FIELDS = frozenset(Slot.model_fields)
_set = object.__setattr__


def slot_of(member: str, pillar: Pillar, reason: str, rank: int) -> Slot:
    """`Slot.model_construct` of these four fields, without its general search of the fields
    for aliases and defaults (a Slot has none): a forecast at 20,000 members builds 83,000 and
    that search was a third of its time. Built from validated parts, as the reference's are."""
    slot = Slot.__new__(Slot)
    _set(slot, "__dict__", {"member": member, "pillar": pillar, "reason": reason, "rank": rank})
    _set(slot, "__pydantic_fields_set__", set(_SLOT_FIELDS))
    _set(slot, "__pydantic_extra__", None)
    _set(slot, "__pydantic_private__", None)
    return slot


def _ties(*keys: Ints) -> tuple[Ints, Ints]:
    """Where each run of equal keys starts in a sorted order, and its length."""
    length = len(keys[0])
    if length == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    change = np.ones(length, dtype=bool)
    change[1:] = False
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    starts = np.nonzero(change)[0]
    sizes = np.diff(np.append(starts, length))
    return starts, sizes


def _seed_order(
    order: Ints, starts: Ints, sizes: Ints, reach: int, ids: list[str], seed: str, year: int
) -> None:
    """Order each tie that begins before place `reach` by the seed's hash, in place; ties
    wholly below it decide nothing anyone sees."""
    for start, size in zip(starts.tolist(), sizes.tolist(), strict=True):
        if start >= reach:
            break
        if size > 1:
            tied = order[start : start + size].tolist()
            tied.sort(key=lambda row: _tiebreak(seed, year, ids[row]))
            order[start : start + size] = tied


def draw(
    year: int,
    as_of: date,
    members: Sequence[RosterMember],
    ledger: Sequence[LedgerLike],
    rules: RosterRules,
    seed: str,
) -> Draw:
    """`rule.draw_reference`, over columns."""
    with no_cycle_collection():
        columns = _Members(members, rules)
        turns = _Turns(columns, rules)
        turns.feed(_by_year(e for e in ledger if e.year < year))
        return _draw(columns, turns, year, as_of, rules, seed)[0]


def forecast(
    first_year: int,
    years: int,
    as_of: Callable[[int], date],
    members: Sequence[RosterMember],
    ledger: Sequence[LedgerLike],
    rules: RosterRules,
    seed_for: Callable[[int], str],
) -> list[Draw]:
    """`rule.forecast_reference`, over columns."""
    columns = _Members(members, rules)
    turns = _Turns(columns, rules)
    by_year: dict[int, list[LedgerLike]] = {}
    for entry in ledger:
        by_year.setdefault(entry.year, []).append(entry)
    turns.feed(e for y in sorted(by_year) if y < first_year for e in by_year[y])
    draws = []
    with no_cycle_collection():
        for year in range(first_year, first_year + years):
            result, rows = _draw(columns, turns, year, as_of(year), rules, seed_for(year))
            draws.append(result)
            # the whole simulated ledger's order: the year's own entries, then those assumed
            turns.feed(by_year.get(year, ()))
            turns.presented(year, rows)
    return draws


def _by_year(entries: Iterable[LedgerLike]) -> list[LedgerLike]:
    """The entries grouped by year, oldest first, each year's in the ledger's order (what the
    reference's single pass over the ledger reads the same way: only same-year order counts)."""
    return sorted(entries, key=lambda e: e.year)
