"""The roster's promises over generated histories, through the published document (issue 17).

Each example is a registry whose members join (Engaged first or not), leave (Inactive, withdrawn,
expelled) and come back, with observers; a ledger from before govsched; ten years in which some
have no plenary; and presenters that present, defer, are excused or absent, under both settings
of `after_excuse` and `after_absence` and several cycles and grace periods. Each plenary's roster
is published, deferrals are applied to the document the way the deferral process does, and
outcomes are recorded. Then, for every year:

1. A member eligible at `cycle` consecutive plenaries, in which it neither deferred, nor was
   absent, nor excused, presented at one of them.
2. A member deferred at a plenary (or absent, when absentees present at the next) is drawn at
   the next plenary it is eligible for, and its slot says why.
3. Each pillar's slots stay within one of its exact share, in the draw and after deferrals.
4. Every slot has its reason; the members that had to be drawn say why; nobody else is drawn
   than the eligible (observers, lapsed and Engaged members never are).
5. No fewer slots would do: below the count drawn, no split within one slot of every share
   covers the members that had to be drawn (checked here by enumeration).
6. The published document verifies, also after a trip through JSON.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.model import MemberStatus, Pillar
from governance.roster.document import RosterDocument, defer, publish, verify
from governance.roster.rule import (
    Draw,
    LedgerEntry,
    PresentationOutcome,
    RosterMember,
    RosterRules,
    StatusMark,
    draw,
    eligible,
)
from governance.rulebook.model import AfterAbsence, AfterExcuse, Rulebook

PRESENTING = (Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO)
FIRST = 2027
YEARS = 10
PRIOR = 3  # plenaries in the ledger from before govsched
SEED = "5eed"
DRAWN_AT = datetime(2027, 2, 17, 5, tzinfo=UTC)
Outcome = PresentationOutcome
GONE = (MemberStatus.INACTIVE, MemberStatus.WITHDRAWN, MemberStatus.EXPELLED)


def as_of(year: int) -> date:
    return date(year - 1, 12, 1)


@st.composite
def members(draw_: st.DrawFn) -> list[RosterMember]:
    result = []
    for pillar in (*PRESENTING, Pillar.OBSERVER):
        most = 12 if pillar in PRESENTING else 3
        for number in range(draw_(st.integers(1 if pillar is Pillar.GOVERNMENT else 0, most))):
            year = draw_(st.integers(2000, FIRST + 6))
            start = date(year, draw_(st.integers(1, 12)), 1)
            marks: list[tuple[MemberStatus, date]] = []
            if draw_(st.booleans()):
                marks.append((MemberStatus.ENGAGED, date(year - 2, start.month, 1)))
            marks.append((MemberStatus.FULL, start))
            day = start
            for _ in range(draw_(st.integers(0, 2))):  # leaves, and may come back
                day = date(draw_(st.integers(day.year + 1, day.year + 5)), 6, 1)
                marks.append((draw_(st.sampled_from(GONE)), day))
                if not draw_(st.booleans()):
                    break
                day = date(day.year + draw_(st.integers(0, 2)), draw_(st.integers(7, 12)), 1)
                marks.append((MemberStatus.FULL, day))
            history = tuple(StatusMark(status=s, since=d) for s, d in marks)
            member_id = f"{pillar.value[:3]}-{number:02d}"
            result.append(RosterMember(id=member_id, pillar=pillar, history=history))
    return result


@st.composite
def rules(draw_: st.DrawFn) -> RosterRules:
    return RosterRules.of(Rulebook()).model_copy(
        update={
            "after_excuse": draw_(st.sampled_from(AfterExcuse)),
            "after_absence": draw_(st.sampled_from(AfterAbsence)),
            "cycle_years": draw_(st.integers(1, 4)),
            "grace_years": draw_(st.integers(0, 2)),
        }
    )


@dataclass
class Year:
    year: int
    pool: set[str]
    drawn: Draw
    document: RosterDocument
    previous: int | None  # the plenary before, as the ledger holds it


@dataclass
class History:
    members: list[RosterMember]
    rules: RosterRules
    ledger: list[LedgerEntry] = field(default_factory=list)
    plenaries: list[int] = field(default_factory=list)
    years: list[Year] = field(default_factory=list)

    def pool(self, year: int) -> set[str]:
        return {m.id for m, _ in eligible(self.members, year, as_of(year), self.rules)}


def _prior_ledger(history: History, rnd: random.Random) -> None:
    """Plenaries before govsched, whoever presented them (not drawn by the rule)."""
    for year in range(FIRST - PRIOR, FIRST):
        pool = sorted(history.pool(year))
        for member in rnd.sample(pool, min(len(pool), rnd.randint(1, 4))):
            history.ledger.append(LedgerEntry(year=year, member=member, outcome=Outcome.PRESENTED))
        if pool:
            history.plenaries.append(year)


def simulate(
    members: list[RosterMember], rules: RosterRules, luck: int, held: list[bool]
) -> History:
    rnd = random.Random(luck)
    history = History(members, rules)
    _prior_ledger(history, rnd)
    weights = (70, 10, 10, 10)  # presented, deferred, excused, absent
    for year, plenary in zip(range(FIRST, FIRST + YEARS), held, strict=True):
        if not plenary:
            continue
        before = tuple(history.ledger)
        previous = max((e.year for e in before), default=None)
        drawn = draw(year, as_of(year), members, before, rules, SEED)
        document = publish(
            year, f"plenary-{year}", SEED, as_of(year), DRAWN_AT, tuple(members), before, rules
        )
        assert document.drawn == drawn.slots
        deferred: set[str] = set()
        outcome: dict[str, Outcome] = {}
        while True:  # a replacement may defer too
            asking = [s.member for s in document.slots if s.member not in outcome]
            if not asking:
                break
            for member in asking:
                outcome[member] = rnd.choices(list(Outcome), weights=weights)[0]
                if outcome[member] is Outcome.DEFERRED:
                    document, _ = defer(document, member, "reason", "fp", "chair", DRAWN_AT)
                    deferred.add(member)
        for member in sorted(deferred):
            history.ledger.append(LedgerEntry(year=year, member=member, outcome=Outcome.DEFERRED))
        for slot in document.slots:
            history.ledger.append(
                LedgerEntry(year=year, member=slot.member, outcome=outcome[slot.member])
            )
        history.years.append(Year(year, history.pool(year), drawn, document, previous))
        if document.slots or deferred:
            history.plenaries.append(year)
    return history


def _turn_in(history: History, member: str, years: list[int]) -> bool:
    return any(
        e.member == member and e.year in years and e.outcome is Outcome.PRESENTED
        for e in history.ledger
    )


def _excused_or_carried_in(history: History, member: str, years: list[int]) -> bool:
    return any(
        e.member == member and e.year in years and e.outcome is not Outcome.PRESENTED
        for e in history.ledger
    )


def _check_cycles(history: History) -> None:
    """Promise 1, for every window that ends with a plenary the rule drew."""
    cycle = history.rules.cycle_years
    pools = {y: history.pool(y) for y in history.plenaries}
    members = {m.id for m in history.members}
    for end in range(cycle - 1, len(history.plenaries)):
        window = history.plenaries[end - cycle + 1 : end + 1]
        if window[-1] < FIRST:
            continue
        for member in members:
            if not all(member in pools[y] for y in window):
                continue
            if _excused_or_carried_in(history, member, window):
                continue
            assert _turn_in(history, member, window), (member, window)


def _check_carried(history: History, year: Year) -> None:
    """Promise 2 (rule version 3): a member whose latest outcome before this plenary carries
    it over (deferred; absent, if absentees present at the next one) is drawn at the next
    plenary it is eligible for, however many plenaries passed while it was not."""
    carried = {Outcome.DEFERRED}
    if history.rules.after_absence is AfterAbsence.PRESENT_NEXT_YEAR:
        carried.add(Outcome.ABSENT)
    latest: dict[str, int] = {}
    for entry in history.ledger:
        if entry.year < year.year:
            latest[entry.member] = max(latest.get(entry.member, entry.year), entry.year)
    outcomes: dict[str, set[Outcome]] = {}
    for entry in history.ledger:
        if entry.year == latest.get(entry.member):
            outcomes.setdefault(entry.member, set()).add(entry.outcome)
    reasons = {s.member: s.reason for s in year.drawn.slots}
    for member, found in outcomes.items():
        if not found & carried or member not in year.pool:
            continue
        assert member in reasons, (year.year, member, latest[member], found)
        if Outcome.DEFERRED in found:
            assert reasons[member].startswith(f"deferred from {latest[member]}")
        else:
            assert reasons[member].startswith(f"absent in {latest[member]}: presents at")


def _pillars(history: History, ids: set[str]) -> dict[Pillar, int]:
    pillar_of = {m.id: m.pillar for m in history.members}
    return {p: sum(1 for m in ids if pillar_of[m] is p) for p in PRESENTING}


def _check_shares(history: History, year: Year) -> None:
    """Promise 3, on the draw and on the roster after its deferrals. A deferred member never
    comes back to the roster: once every eligible member of a pillar is on it or deferred, a
    deferral is filled from another pillar or not at all, and only then may a pillar stray
    further than one slot from its share."""
    counts = _pillars(history, year.pool)
    pillar_of = {m.id: m.pillar for m in history.members}
    deferred = {d.member for d in year.document.deferrals}
    assert not deferred & {s.member for s in year.document.slots}, (year.year, deferred)
    for slots in (year.drawn.slots, year.document.slots):
        if not year.pool:
            assert slots == ()
            continue
        out = {s.member for s in slots} | {d.member for d in year.document.deferrals}
        exhausted = {p for p in PRESENTING if all(m in out for m in year.pool if pillar_of[m] is p)}
        for p in PRESENTING:
            share = len(slots) * counts[p] / len(year.pool)
            taken = sum(1 for s in slots if s.pillar is p)
            if slots is year.document.slots and year.document.deferrals and exhausted:
                continue
            assert abs(taken - share) < 1 + 1e-9, (year.year, p, taken, share)


def _check_reasons(year: Year) -> None:
    """Promise 4."""
    drawn = {s.member for s in year.drawn.slots}
    assert set(year.drawn.required) <= drawn
    assert drawn <= year.pool
    assert {s.member for s in year.document.slots} <= year.pool
    for slot in year.document.slots:
        assert slot.reason
        if slot.member not in drawn:
            assert slot.reason.startswith("replaces ")
    for slot in year.drawn.slots:
        if slot.member in year.drawn.required:
            assert slot.reason.startswith(("due: ", "deferred from ", "absent in "))


def _split_exists(counts: dict[Pillar, int], must: dict[Pillar, int], total: int) -> bool:
    """Whether `total` slots can be shared within one slot of every proportional share while
    covering `must`: each pillar between floor and ceil of its share, and at least its must."""
    everyone = sum(counts.values())
    low = high = 0
    for p in PRESENTING:
        exact = total * counts[p] / everyone
        if must[p] > math.ceil(exact):
            return False
        low += max(math.floor(exact), must[p])
        high += math.ceil(exact)
    return low <= total <= high


def _check_minimal(history: History, year: Year) -> None:
    """Promise 5: the count is the least from one cycle's share that fits."""
    counts = _pillars(history, year.pool)
    must = _pillars(history, set(year.drawn.required))
    everyone = len(year.pool)
    if not everyone:
        return
    base = math.ceil(everyone / history.rules.cycle_years)
    for total in range(base, len(year.drawn.slots)):
        assert not _split_exists(counts, must, total), (year.year, total)
    assert len(year.drawn.slots) >= min(base, everyone)


@settings(max_examples=300, deadline=None)
@given(
    members(),
    rules(),
    st.integers(0, 2**32 - 1),
    st.lists(st.integers(0, 5).map(bool), min_size=YEARS, max_size=YEARS),
)
def test_every_promise_holds_over_generated_histories(
    members: list[RosterMember], rules: RosterRules, luck: int, held: list[bool]
) -> None:
    history = simulate(members, rules, luck, held)
    _check_cycles(history)
    for year in history.years:
        _check_carried(history, year)
        _check_shares(history, year)
        _check_reasons(year)
        _check_minimal(history, year)
        assert verify(year.document) == []
        again = RosterDocument.model_validate_json(year.document.model_dump_json())
        assert again.rules.rule_version == 3
        assert verify(again) == []
        assert not {m.id for m in members if m.pillar is Pillar.OBSERVER} & {
            s.member for s in year.document.slots
        }
