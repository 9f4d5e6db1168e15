"""The verification presentation roster: who presents at a plenary, and why.

The rule, in the order it is applied to the Full members of each presenting pillar:

1. Eligible: Full on the day of the draw, continuously Full since at least `grace_years` before
   the plenary's year, of a presenting pillar. Inactive, withdrawn and expelled members are not.
2. Slots: the rulebook's number, or as many as needed for every eligible member to present once
   per cycle; shared between pillars by their shares (by default, by eligible members): each
   pillar gets the whole part of its share, and the slots left over go to the pillars owed most
   over the cycle so far, so each pillar is within one slot of its share every year.
3. Within a pillar, first whoever was deferred (or absent, if the rulebook says absentees present
   the next year) at the previous plenary, then whoever was excused (if excused members keep
   their priority), then the member whose last turn is oldest, a member that never presented
   counting as if its last turn were the year before it became eligible (so members Full for
   long come first and a newcomer joins the end of the rotation rather than jumping it), then
   the longer Full, and last, for exact ties, the published seed: each tied member's SHA-256 of
   "seed:year:member", lowest first.

That is rule version 1. Version 2 (`RULE_VERSION`, what `RosterRules.of` gives) keeps its
promise when members defer, are absent or excused, and when years pass without a plenary:

- Plenaries, not years, are counted: the plenaries are the years the ledger holds.
- Must present: whoever was carried over from the previous plenary (deferred there, or absent
  if absentees present at the next one), and every member that is due, i.e. `cycle - 1`
  plenaries have passed since its last turn (for a member that never had one, since the year
  before it first became eligible, counting its earliest Full status: a member that lapses and
  comes back keeps its place in the rotation instead of starting again at its end).
- Slots: from rule 1's count (a fixed `presenters_per_plenary` is the least number), one more
  at a time until every pillar can hold its must-present members within one slot of its share
  (`roster_apportion`). Within a pillar the must-present members come first (carried over, then
  due), then rule 1's order.

Version 3 (`RULE_VERSION`) keeps version 2 and carries a member over to the next plenary it is
eligible for, not only to the next plenary held: what carries it (deferred, or absent if
absentees present at the next one; excused keeps its priority) is its own latest outcome in the
ledger, whatever plenaries passed without it (it was Inactive or not yet Full again). Version 2
read only the previous plenary's outcomes, so a member deferred there and not eligible at the
plenary after lost its claim, and waited for its turn in the rotation instead (with a cycle of
four or more, years). Where a member's latest outcome is at the previous plenary, the two agree.

Every slot carries its reason in plain words, and the same inputs always give the same roster,
so anyone holding the published inputs can recompute it. A published roster records the rule
version that drew it, and is recomputed by that version.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, NamedTuple, Protocol

from pydantic import Field, PositiveInt

from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import say
from governance.kernel.model import Frozen, MemberStatus, Pillar
from governance.roster.apportion import apportion
from governance.rulebook.model import AfterAbsence, AfterExcuse, Rulebook

# The rule version new rosters are drawn by; documents without one were drawn by version 1.
RULE_VERSION: Literal[3] = 3


class PresentationOutcome(StrEnum):
    PRESENTED = "presented"
    DEFERRED = "deferred"
    EXCUSED = "excused"
    ABSENT = "absent"


class LedgerEntry(Frozen):
    year: int
    member: str
    outcome: PresentationOutcome


class LedgerLike(Protocol):
    """What the rule reads of a ledger entry (forecasts simulate theirs as plain tuples)."""

    @property
    def year(self) -> int: ...
    @property
    def member(self) -> str: ...
    @property
    def outcome(self) -> PresentationOutcome: ...


class _Simulated(NamedTuple):
    """A presentation a forecast assumes: light, because forecasts make tens of thousands."""

    year: int
    member: str
    outcome: PresentationOutcome


class StatusMark(Frozen):
    status: MemberStatus
    since: date


class RosterMember(Frozen):
    """A member as the rule sees it: its pillar and dated status history."""

    id: str
    pillar: Pillar
    history: tuple[StatusMark, ...]


# A document's rules are read back from the published JSON by anyone who verifies it, so they
# carry the rulebook's own bounds: a tampered file is refused, field by field, before the rule
# divides by a cycle of 0 or rounds a share that is not a number.
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class RosterRules(Frozen):
    presenting_pillars: tuple[Pillar, ...]
    presenters_per_plenary: PositiveInt | None
    pillar_shares: dict[Pillar, Share] | None
    cycle_years: PositiveInt
    grace_years: Annotated[int, Field(ge=0, le=10)]
    after_excuse: AfterExcuse
    after_absence: AfterAbsence
    # Which version of the rule (module docstring) applies. Documents published before there
    # were versions carry none and were drawn by version 1, so they recompute by it.
    rule_version: Literal[1, 2, 3] = 1

    @classmethod
    def of(cls, rulebook: Rulebook) -> RosterRules:
        roster = rulebook.roster
        return cls(
            rule_version=RULE_VERSION,
            presenting_pillars=tuple(roster.presenting_pillars),
            presenters_per_plenary=roster.presenters_per_plenary,
            pillar_shares=roster.pillar_shares,
            cycle_years=roster.cycle_years,
            grace_years=roster.grace_years_newly_full,
            after_excuse=roster.after_excuse,
            after_absence=roster.after_absence,
        )


class Slot(Frozen):
    member: str
    pillar: Pillar
    reason: str
    rank: int


class Draw(Frozen):
    year: int
    seed: str
    slots: tuple[Slot, ...]
    quotas: dict[Pillar, int]
    eligible: int
    # rule 2: the members that had to be drawn (carried over or due), whatever the count
    required: tuple[str, ...] = ()

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(slot.member for slot in self.slots)


@dataclass(frozen=True, slots=True)
class _Candidate:
    member: str
    pillar: Pillar
    # tier, the year of the last turn (or as if), Full since: equal keys are ties
    key: tuple[int, int, date]
    # rule 2: carried over or due, so the member is drawn whatever the count
    required: bool = False
    # What its reason is written from, only for the members drawn (most of a large registry
    # is not). Plain fields rather than a closure: a forecast makes one candidate per member
    # per year, and the garbage collector's walks over closures and their cells cost about
    # as much as the rule at 6,000 members.
    version: int = 2
    year: int = 0
    carried: PresentationOutcome | None = None
    last: int | None = None
    last_outcome: PresentationOutcome | None = None
    since: date = date.min
    previous: int | None = None
    passed: int = 0
    cycle: int = 0

    @property
    def basis(self) -> str:
        """Why the member stands where it does, in plain words (a tie's rank is added later)."""
        return _basis_v1(self) if self.version == 1 else _basis_v2(self)


def _basis_v1(c: _Candidate) -> str:
    match c.carried:
        case PresentationOutcome.DEFERRED:
            return f"deferred from {c.year - 1}"
        case PresentationOutcome.ABSENT:
            return f"absent in {c.year - 1}: presents the next year"
        case PresentationOutcome.EXCUSED:
            return f"excused in {c.year - 1}: keeps its priority"
        case _:
            return _rotation_basis(c.last, c.since)


def _basis_v2(c: _Candidate) -> str:
    rank, anchor, _ = c.key
    if rank == 0:
        if c.carried is PresentationOutcome.DEFERRED:
            return f"deferred from {c.previous}"
        return f"absent in {c.previous}: presents at the next plenary"
    if rank == 1:
        if c.last is None:
            turn = f"never presented (eligible since {anchor + 1})"
        elif c.last_outcome is PresentationOutcome.PRESENTED:
            turn = f"last presented {c.last}"
        else:
            turn = f"last turn {c.last} ({c.last_outcome.value if c.last_outcome else ''})"
        plenaries = "plenary" if c.passed == 1 else "plenaries"
        return f"due: {turn}, {c.passed} {plenaries} since, cycle of {c.cycle}"
    if rank == 2:
        return f"excused in {c.previous}: keeps its priority"
    return _rotation_basis(c.last, c.since)


def status_on(member: RosterMember, day: date) -> MemberStatus | None:
    current = None
    for mark in member.history:
        if mark.since <= day:
            current = mark.status
    return current


def full_since(member: RosterMember, day: date) -> date | None:
    """The first day of the member's current unbroken Full status, if Full on `day`."""
    start: date | None = None
    for mark in member.history:
        if mark.since > day:
            break
        start = (start or mark.since) if mark.status is MemberStatus.FULL else None
    return start


def eligible(
    members: Iterable[RosterMember], year: int, as_of: date, rules: RosterRules
) -> list[tuple[RosterMember, date]]:
    """Members that may be drawn for `year`, with the day their Full status began."""
    found = []
    for member in members:
        if member.pillar not in rules.presenting_pillars:
            continue
        since = full_since(member, as_of)
        if since is not None and since.year + rules.grace_years <= year:
            found.append((member, since))
    return sorted(found, key=lambda pair: pair[0].id)


def eligible_by_pillar(
    members: Iterable[RosterMember], year: int, as_of: date, rules: RosterRules
) -> dict[Pillar, int]:
    """How many members of each presenting pillar may be drawn: the base of its share."""
    counts = Counter(member.pillar for member, _ in eligible(members, year, as_of, rules))
    return {pillar: counts[pillar] for pillar in rules.presenting_pillars}


def slots_for(eligible_count: int, rules: RosterRules) -> int:
    if rules.presenters_per_plenary is not None:
        return min(rules.presenters_per_plenary, eligible_count)
    return math.ceil(eligible_count / rules.cycle_years)


def exact_shares(counts: dict[Pillar, int], total: int, rules: RosterRules) -> dict[Pillar, float]:
    """Each pillar's share of `total` slots as a fraction: by the rulebook's shares if it sets
    them, otherwise by eligible members. Pillars with nobody eligible have no share."""
    pillars = [p for p in rules.presenting_pillars if counts.get(p, 0) > 0]
    if rules.pillar_shares is not None:
        weights = {p: rules.pillar_shares.get(p, 0.0) for p in pillars}
    else:
        weights = {p: float(counts[p]) for p in pillars}
    if sum(weights.values()) == 0:
        weights = dict.fromkeys(pillars, 1.0)
    weight_sum = sum(weights.values())
    return {p: total * weights[p] / weight_sum for p in pillars}


def quotas(
    counts: dict[Pillar, int],
    total: int,
    rules: RosterRules,
    turns: dict[Pillar, int] | None = None,
    window_years: int = 0,
) -> dict[Pillar, int]:
    """Each pillar's slots: the whole part of its share of `total`, plus one for the pillars
    with the largest claim (cumulative apportionment), capped by how many are eligible.

    A pillar's claim is its share this year plus what it is owed: its share over the last
    `window_years` (the rest of the rotation cycle) minus the turns its members actually took
    then (`turns`). So every pillar stays within one slot of its share each year, and over a
    cycle gets as many slots as it has members.
    """
    pillars = [p for p in rules.presenting_pillars if counts.get(p, 0) > 0]
    total = min(total, sum(counts[p] for p in pillars))
    exact = exact_shares(counts, total, rules)
    result = {p: min(math.floor(exact[p]), counts[p]) for p in pillars}
    taken = turns or {}
    claim = {p: exact[p] - result[p] + window_years * exact[p] - taken.get(p, 0) for p in pillars}
    by_claim = sorted(pillars, key=lambda p: (-claim[p], rules.presenting_pillars.index(p)))
    while sum(result.values()) < total:
        for pillar in by_claim:
            if sum(result.values()) < total and result[pillar] < counts[pillar]:
                result[pillar] += 1
    return {p: result.get(p, 0) for p in rules.presenting_pillars}


def _tiebreak(seed: str, year: int, member: str) -> str:
    return hashlib.sha256(f"{seed}:{year}:{member}".encode()).hexdigest()


def _turn_outcomes(rules: RosterRules) -> frozenset[PresentationOutcome]:
    """The outcomes that use a member's turn in the rotation, under these rules."""
    outcomes = {PresentationOutcome.PRESENTED}
    if rules.after_absence is AfterAbsence.COUNTS_AS_PRESENTED:
        outcomes.add(PresentationOutcome.ABSENT)
    if rules.after_excuse is AfterExcuse.NEXT_CYCLE:
        outcomes.add(PresentationOutcome.EXCUSED)
    return frozenset(outcomes)


def _carried(
    outcomes: AbstractSet[PresentationOutcome], rules: RosterRules
) -> tuple[int, PresentationOutcome | None]:
    """The tier last year's outcomes put a member in, and the outcome that did it."""
    if PresentationOutcome.DEFERRED in outcomes:
        return 0, PresentationOutcome.DEFERRED
    if (
        PresentationOutcome.ABSENT in outcomes
        and rules.after_absence is AfterAbsence.PRESENT_NEXT_YEAR
    ):
        return 0, PresentationOutcome.ABSENT
    if PresentationOutcome.EXCUSED in outcomes and rules.after_excuse is AfterExcuse.KEEP_PRIORITY:
        return 1, PresentationOutcome.EXCUSED
    return 2, None


_NONE: frozenset[PresentationOutcome] = frozenset()


@dataclass(frozen=True, slots=True)
class _Past:
    """What the rule reads of the ledger before the year it draws."""

    plenaries: list[int]  # the years the ledger holds: the plenaries held, oldest first
    last_turn: dict[str, int]
    last_turn_outcome: dict[str, PresentationOutcome]
    # the year whose outcomes carry members over (rule 1: the calendar year before; rule 2:
    # the previous plenary), and those outcomes; rule 3: each member's own latest year in the
    # ledger (`latest`), and its outcomes then
    previous: int | None
    outcomes: dict[str, set[PresentationOutcome]]
    latest: dict[str, int] | None = None

    @classmethod
    def of(cls, ledger: Iterable[LedgerLike], year: int, rules: RosterRules) -> _Past:
        turn_outcomes = _turn_outcomes(rules)
        last_turn: dict[str, int] = {}
        last_outcome: dict[str, PresentationOutcome] = {}
        before = [entry for entry in ledger if entry.year < year]
        plenaries = sorted({entry.year for entry in before})
        if rules.rule_version == 1:
            previous: int | None = year - 1
        else:
            previous = plenaries[-1] if plenaries else None
        outcomes: dict[str, set[PresentationOutcome]] = {}
        latest: dict[str, int] | None = {} if rules.rule_version >= 3 else None
        for entry in before:
            if latest is not None:
                year_of = latest.get(entry.member, -1)
                if entry.year > year_of:
                    latest[entry.member] = entry.year
                    outcomes[entry.member] = {entry.outcome}
                elif entry.year == year_of:
                    outcomes[entry.member].add(entry.outcome)
            elif entry.year == previous:
                outcomes.setdefault(entry.member, set()).add(entry.outcome)
            if entry.outcome in turn_outcomes and entry.year >= last_turn.get(entry.member, -1):
                newer = entry.year > last_turn.get(entry.member, -1)
                if newer or entry.outcome is PresentationOutcome.PRESENTED:
                    last_outcome[entry.member] = entry.outcome
                last_turn[entry.member] = entry.year
        return cls(plenaries, last_turn, last_outcome, previous, outcomes, latest)

    def carried(self, member: str) -> AbstractSet[PresentationOutcome]:
        """The member's outcomes in the year that carries members over."""
        return self.outcomes.get(member, _NONE)

    def carried_from(self, member: str) -> int | None:
        """The year whose outcomes carry the member over (named in its reason)."""
        return self.previous if self.latest is None else self.latest.get(member)

    def since(self, anchor: int) -> int:
        """How many plenaries were held after `anchor`."""
        return len(self.plenaries) - bisect.bisect_right(self.plenaries, anchor)


class _Ledger:
    """The ledger read once and kept up to date as a forecast adds its years, so that each
    forecast year reads what `_Past.of` and `_recent_turns` would read from the whole simulated
    ledger without scanning it again (at 20,000 members that rescan was most of a forecast).

    Entries are fed in the order the whole ledger would list them (the ledger's own entries of
    a year before the years a forecast simulates), so same-year ties fall as in `_Past.of`."""

    def __init__(self, members: Sequence[RosterMember], rules: RosterRules) -> None:
        self.rules = rules
        self.turn_outcomes = _turn_outcomes(rules)
        self.pillar_of = {m.id: m.pillar for m in members}
        self.last_turn: dict[str, int] = {}
        self.last_outcome: dict[str, PresentationOutcome] = {}
        self.years: list[int] = []
        self.outcomes: dict[int, dict[str, set[PresentationOutcome]]] = {}
        self.turns: dict[int, Counter[Pillar]] = {}
        # rule 3: each member's latest year in the ledger, and its outcomes then
        self.latest: dict[str, int] = {}
        self.latest_outcomes: dict[str, set[PresentationOutcome]] = {}

    def feed(self, entries: Iterable[LedgerLike]) -> None:
        for entry in entries:
            if entry.year not in self.outcomes:
                bisect.insort(self.years, entry.year)
                self.outcomes[entry.year] = {}
                self.turns[entry.year] = Counter()
            self.outcomes[entry.year].setdefault(entry.member, set()).add(entry.outcome)
            year_of = self.latest.get(entry.member, -1)
            if entry.year > year_of:
                self.latest[entry.member] = entry.year
                self.latest_outcomes[entry.member] = {entry.outcome}
            elif entry.year == year_of:
                self.latest_outcomes[entry.member].add(entry.outcome)
            if entry.outcome not in self.turn_outcomes:
                continue
            pillar = self.pillar_of.get(entry.member)
            if pillar is not None:
                self.turns[entry.year][pillar] += 1
            last = self.last_turn.get(entry.member, -1)
            if entry.year >= last:
                if entry.year > last or entry.outcome is PresentationOutcome.PRESENTED:
                    self.last_outcome[entry.member] = entry.outcome
                self.last_turn[entry.member] = entry.year

    def past(self, year: int) -> _Past:
        """`_Past.of` for `year`, when every entry fed is of a year before it."""
        plenaries = [y for y in self.years if y < year]
        if self.rules.rule_version == 1:
            previous: int | None = year - 1
        else:
            previous = plenaries[-1] if plenaries else None
        if self.rules.rule_version >= 3:
            return _Past(
                plenaries,
                self.last_turn,
                self.last_outcome,
                previous,
                self.latest_outcomes,
                self.latest,
            )
        outcomes = self.outcomes.get(previous, {}) if previous is not None else {}
        return _Past(plenaries, self.last_turn, self.last_outcome, previous, outcomes)

    def recent_turns(self, year: int) -> tuple[dict[Pillar, int], int]:
        """`_recent_turns` for `year`, from the counts kept per year."""
        recorded = [y for y in self.years if y < year]
        if self.rules.rule_version == 1:
            window = [y for y in range(year - self.rules.cycle_years + 1, year) if y in recorded]
        else:
            window = recorded[max(len(recorded) - self.rules.cycle_years + 1, 0) :]
        turns: Counter[Pillar] = Counter()
        for y in window:
            turns.update(self.turns[y])
        return dict(turns), len(window)


def _ordered(
    members: Iterable[RosterMember],
    ledger: Iterable[LedgerLike],
    year: int,
    as_of: date,
    rules: RosterRules,
    seed: str,
    past: _Past | None = None,
) -> dict[Pillar, list[_Candidate]]:
    """Each pillar's eligible members in the order the rule takes them."""
    past = past if past is not None else _Past.of(ledger, year, rules)
    make = _candidate_v1 if rules.rule_version == 1 else _candidate_v2
    candidates = [
        make(member, since, past, year, as_of, rules)
        for member, since in eligible(members, year, as_of, rules)
    ]
    return {
        pillar: _seed_sorted([c for c in candidates if c.pillar is pillar], seed, year)
        for pillar in rules.presenting_pillars
    }


def _seed_sorted(candidates: list[_Candidate], seed: str, year: int) -> list[_Candidate]:
    """Sorted by key, exact ties by the seed's hash: the hash is computed only for members
    that share their key with another (it decides nothing for the rest)."""
    candidates.sort(key=lambda c: c.key)
    result: list[_Candidate] = []
    start = 0
    while start < len(candidates):
        end = start + 1
        while end < len(candidates) and candidates[end].key == candidates[start].key:
            end += 1
        tied = candidates[start:end]
        if len(tied) > 1:
            tied.sort(key=lambda c: _tiebreak(seed, year, c.member))
        result += tied
        start = end
    return result


def _candidate_v1(
    member: RosterMember,
    since: date,
    past: _Past,
    year: int,
    _as_of: date,
    rules: RosterRules,
) -> _Candidate:
    """Rule 1: carried over from the calendar year before, then the oldest turn."""
    tier, carried = _carried(past.carried(member.id), rules)
    last = past.last_turn.get(member.id)
    # Never presented: as if its last turn were just before it became eligible. Members
    # Full for long come first, and a newcomer joins the end of the rotation (within its
    # first cycle) instead of pushing everyone back.
    turn_year = last if last is not None else since.year + rules.grace_years - 1
    return _Candidate(
        member=member.id,
        pillar=member.pillar,
        key=(tier, turn_year, since),
        version=1,
        year=year,
        carried=carried,
        last=last,
        since=since,
    )


def _rotation_basis(last: int | None, since: date) -> str:
    if last is not None:
        return f"longest since last presentation ({last})"
    return f"never presented (Full since {since.year})"


def first_full(member: RosterMember, day: date) -> date | None:
    """The first day the member was ever Full, on or before `day`."""
    return min(
        (m.since for m in member.history if m.status is MemberStatus.FULL and m.since <= day),
        default=None,
    )


def _candidate_v2(
    member: RosterMember,
    since: date,
    past: _Past,
    _year: int,
    as_of: date,
    rules: RosterRules,
) -> _Candidate:
    """Rules 2 and 3: carried over (from the previous plenary; rule 3: from the member's latest
    outcome), then due, then rule 1's order."""
    tier, carried = _carried(past.carried(member.id), rules)
    last = past.last_turn.get(member.id)
    # A member that never had a turn counts from the year before it first became eligible,
    # in its earliest Full period: coming back after a lapse does not restart its wait.
    anchor = last if last is not None else (first_full(member, as_of) or since).year
    if last is None:
        anchor += rules.grace_years - 1
    passed = past.since(anchor)
    due = passed >= rules.cycle_years - 1
    rank = 0 if tier == 0 else 1 if due else 2 if tier == 1 else 3
    return _Candidate(
        member=member.id,
        pillar=member.pillar,
        key=(rank, anchor, since),
        required=rank <= 1,
        carried=carried,
        last=last,
        last_outcome=past.last_turn_outcome.get(member.id),
        since=since,
        previous=past.carried_from(member.id),
        passed=passed,
        cycle=rules.cycle_years,
    )


def _with_reasons(own: list[_Candidate], count: int) -> list[tuple[str, str]]:
    """The first `count` of a pillar's order, each with its reason (naming its tie, if any)."""
    sizes: dict[tuple[int, int, date], int] = {}
    for candidate in own:
        sizes[candidate.key] = sizes.get(candidate.key, 0) + 1
    position: dict[tuple[int, int, date], int] = {}
    result = []
    for candidate in own[:count]:
        reason = candidate.basis
        tied = sizes[candidate.key]
        if tied > 1:
            rank = position[candidate.key] = position.get(candidate.key, 0) + 1
            reason += f"; tie among {tied} broken by the published seed: rank {rank}"
        result.append((candidate.member, reason))
    return result


def ranked(
    members: Iterable[RosterMember],
    ledger: Iterable[LedgerLike],
    year: int,
    as_of: date,
    rules: RosterRules,
    seed: str,
) -> dict[Pillar, list[tuple[str, str]]]:
    """The order in which the rule takes each pillar's eligible members, with reasons."""
    order = _ordered(members, ledger, year, as_of, rules, seed)
    return {pillar: _with_reasons(own, len(own)) for pillar, own in order.items()}


def _recent_turns(
    members: Sequence[RosterMember],
    ledger: Sequence[LedgerLike],
    year: int,
    rules: RosterRules,
) -> tuple[dict[Pillar, int], int]:
    """Turns taken by each pillar in the recorded years of the rest of the cycle, and how many
    such years there are (years before the ledger begins do not count). Rule 2 counts the
    last `cycle - 1` plenaries, whatever their years."""
    recorded = sorted({e.year for e in ledger if e.year < year})
    if rules.rule_version == 1:
        window = [y for y in range(year - rules.cycle_years + 1, year) if y in recorded]
    else:
        window = recorded[max(len(recorded) - rules.cycle_years + 1, 0) :]
    pillar_of = {m.id: m.pillar for m in members}
    turn_outcomes = _turn_outcomes(rules)
    turns: dict[Pillar, int] = {}
    years = set(window)
    for entry in ledger:
        pillar = pillar_of.get(entry.member)
        if entry.year in years and pillar is not None and entry.outcome in turn_outcomes:
            turns[pillar] = turns.get(pillar, 0) + 1
    return turns, len(window)


def _claim_order(
    rules: RosterRules, turns: dict[Pillar, int], window_years: int
) -> Callable[[dict[Pillar, float]], list[Pillar]]:
    """Pillars most owed first: this year's fraction of a slot plus the share of the rest of
    the cycle minus the turns taken then (as `quotas` computes it)."""

    def order(exact: dict[Pillar, float]) -> list[Pillar]:
        claim = {
            p: exact[p] - math.floor(exact[p]) + window_years * exact[p] - turns.get(p, 0)
            for p in exact
        }
        return sorted(exact, key=lambda p: (-claim[p], rules.presenting_pillars.index(p)))

    return order


def draw(
    year: int,
    as_of: date,
    members: Sequence[RosterMember],
    ledger: Sequence[LedgerLike],
    rules: RosterRules,
    seed: str,
) -> Draw:
    """The roster for the plenary of `year`, drawn on `as_of`: `draw_reference`'s, computed
    over columns of the registry (governance/roster/columns.py) when it models the registry."""
    from governance.roster import columns  # it builds on this module's definitions

    if columns.supported(members, rules):
        return columns.draw(year, as_of, members, ledger, rules, seed)
    return draw_reference(year, as_of, members, ledger, rules, seed)


def draw_reference(
    year: int,
    as_of: date,
    members: Sequence[RosterMember],
    ledger: Sequence[LedgerLike],
    rules: RosterRules,
    seed: str,
) -> Draw:
    """The roster for the plenary of `year`, drawn on `as_of`, one candidate per member: the
    rule as the module docstring states it, which `draw` must equal."""
    return _draw(
        year,
        as_of,
        members,
        rules,
        seed,
        _Past.of(ledger, year, rules),
        _recent_turns(members, ledger, year, rules),
    )


def _draw(
    year: int,
    as_of: date,
    members: Sequence[RosterMember],
    rules: RosterRules,
    seed: str,
    past: _Past,
    recent: tuple[dict[Pillar, int], int],
) -> Draw:
    order = _ordered(members, (), year, as_of, rules, seed, past)
    counts = {p: len(order[p]) for p in rules.presenting_pillars}
    total = slots_for(sum(counts.values()), rules)
    turns, window = recent
    required = tuple(c.member for p in rules.presenting_pillars for c in order[p] if c.required)
    if rules.rule_version == 1:
        shares = quotas(counts, total, rules, turns, window)
    else:
        present = {p: n for p, n in counts.items() if n > 0}
        must = {p: sum(1 for c in order[p] if c.required) for p in present}
        found = apportion(
            present,
            must,
            total,
            lambda slots: exact_shares(present, slots, rules),
            _claim_order(rules, turns, window),
        )
        shares = {p: found.quotas.get(p, 0) for p in rules.presenting_pillars}
    slots: list[Slot] = []
    for pillar in rules.presenting_pillars:
        for member, reason in _with_reasons(order[pillar], shares[pillar]):
            # built from validated parts: skipping validation keeps large forecasts cheap
            slot = Slot.model_construct(
                member=member, pillar=pillar, reason=reason, rank=len(slots) + 1
            )
            slots.append(slot)
    return Draw(
        year=year,
        seed=seed,
        slots=tuple(slots),
        quotas=shares,
        eligible=sum(counts.values()),
        required=required,
    )


def replace(
    current: Draw,
    vacated: str,
    as_of: date,
    members: Sequence[RosterMember],
    ledger: Sequence[LedgerLike],
    rules: RosterRules,
    deferred: AbstractSet[str] = frozenset(),
) -> Draw:
    """Fill the slot `vacated` leaves, by the same rule, moving nobody else.

    The replacement comes from the vacated member's pillar (so shares hold) if anyone there is
    left, otherwise from the pillar furthest below its share this year (ties: the rulebook's
    order), so every pillar still stays within one slot of its share. Nobody on the roster and
    nobody already `deferred` from it is drawn: a member whose deferral was approved presents
    at the next plenary, even when its own replacement defers in turn (it ranks first among
    the spares, so without this a second deferral drew it back).
    """
    slot = next((s for s in current.slots if s.member == vacated), None)
    if slot is None:
        raise InvalidInput(
            say("%(member)s is not on the %(year)s roster", member=vacated, year=current.year),
            [Problem("member", say("not a presenter that year"))],
        )
    taken = {*current.members, *deferred}
    order = ranked(members, ledger, current.year, as_of, rules, current.seed)
    spare = {p: [(m, r) for m, r in order[p] if m not in taken] for p in order}
    remaining = [s for s in current.slots if s.member != vacated]
    pillar = slot.pillar if spare.get(slot.pillar) else _most_owed(order, remaining, spare, rules)
    if pillar is not None:
        member, reason = spare[pillar][0]
        filled = Slot(
            member=member, pillar=pillar, reason=f"replaces {vacated}: {reason}", rank=slot.rank
        )
        remaining.append(filled)
    remaining.sort(key=lambda s: s.rank)
    return current.model_copy(update={"slots": tuple(remaining)})


def _most_owed(
    order: dict[Pillar, list[tuple[str, str]]],
    remaining: Sequence[Slot],
    spare: dict[Pillar, list[tuple[str, str]]],
    rules: RosterRules,
) -> Pillar | None:
    """The pillar with someone left to draw that is furthest below its share of the slots."""
    counts = {p: len(order.get(p, ())) for p in rules.presenting_pillars}
    exact = exact_shares(counts, len(remaining) + 1, rules)
    held = {p: sum(1 for s in remaining if s.pillar is p) for p in rules.presenting_pillars}
    open_pillars = [p for p in rules.presenting_pillars if spare.get(p)]
    if not open_pillars:
        return None
    return max(
        open_pillars,
        key=lambda p: (exact.get(p, 0.0) - held[p], -rules.presenting_pillars.index(p)),
    )


def forecast(
    first_year: int,
    years: int,
    as_of: Callable[[int], date],
    members: Sequence[RosterMember],
    ledger: Sequence[LedgerLike],
    rules: RosterRules,
    seed: str | Callable[[int], str],
) -> list[Draw]:
    """The rosters of the coming years if every drawn member presents when drawn.

    `seed` is one seed for every year, or each year's own (a scheduled plenary's published one).
    `forecast_reference`'s rosters, computed over columns of the registry when it models it.
    """
    from governance.roster import columns  # it builds on this module's definitions

    seed_for = seed if callable(seed) else (lambda _year: seed)
    if columns.supported(members, rules):
        return columns.forecast(first_year, years, as_of, members, ledger, rules, seed_for)
    return forecast_reference(first_year, years, as_of, members, ledger, rules, seed)


def forecast_reference(
    first_year: int,
    years: int,
    as_of: Callable[[int], date],
    members: Sequence[RosterMember],
    ledger: Sequence[LedgerLike],
    rules: RosterRules,
    seed: str | Callable[[int], str],
) -> list[Draw]:
    """`forecast` one candidate per member, each year drawn as `draw_reference` draws it."""
    seed_for = seed if callable(seed) else (lambda _year: seed)
    by_year: dict[int, list[LedgerLike]] = {}
    for entry in ledger:
        by_year.setdefault(entry.year, []).append(entry)
    known = _Ledger(members, rules)
    known.feed(e for y in sorted(by_year) if y < first_year for e in by_year[y])
    draws = []
    for year in range(first_year, first_year + years):
        past, recent = known.past(year), known.recent_turns(year)
        result = _draw(year, as_of(year), members, rules, seed_for(year), past, recent)
        draws.append(result)
        # what the whole simulated ledger would list for this year: its own entries, then the
        # presentations the forecast assumes
        known.feed(by_year.get(year, ()))
        known.feed(
            _Simulated(year, member, PresentationOutcome.PRESENTED) for member in result.members
        )
    return draws
