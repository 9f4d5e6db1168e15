"""How many presenters a plenary needs, and each pillar's part of them (roster rule 2).

Rule 1 took `ceil(eligible / cycle)` slots and shared them by the pillars' exact shares. That
count is enough only if every member drawn presents: each carried-over member (deferred or
absent last time) then takes a slot someone else needed, and that member passes its cycle.
Rule 2 starts from the same count and grows it, one slot at a time, until an apportionment
exists in which every pillar holds the whole part of its exact share or one more (floor or
ceil, capped by how many of it are eligible) and at least its members who must present.

Pure arithmetic on per-pillar numbers, so the search can be checked on its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from governance.kernel.model import Pillar

# Shares are floats (configured ones are fractions such as 1/3): a share a rounding error away
# from a whole number counts as that number, so 21 x 1/3 has the floor and ceiling 7.
EPSILON = 1e-9


def _floor(share: float) -> int:
    return math.floor(share + EPSILON)


def _ceil(share: float) -> int:
    return math.ceil(share - EPSILON)


@dataclass(frozen=True, slots=True)
class Apportionment:
    total: int
    quotas: dict[Pillar, int]
    # False only when configured pillar shares leave a pillar too small a share for the members
    # it must send: those members are drawn all the same (the promise comes first).
    within_shares: bool


def bounds(
    exact: dict[Pillar, float], counts: dict[Pillar, int], must: dict[Pillar, int]
) -> tuple[dict[Pillar, int], dict[Pillar, int]]:
    """Each pillar's least and most slots: floor and ceil of its share, capped by its eligible
    members, the least raised to the members that must present."""
    low = {p: max(min(_floor(exact[p]), counts[p]), must.get(p, 0)) for p in exact}
    high = {p: max(low[p], min(_ceil(exact[p]), counts[p])) for p in exact}
    return low, high


def within_ceilings(
    exact: dict[Pillar, float], counts: dict[Pillar, int], must: dict[Pillar, int]
) -> bool:
    """Whether every pillar's must-present members fit under the ceiling of its share."""
    return all(must.get(p, 0) <= min(_ceil(exact[p]), counts[p]) for p in exact)


def apportion(
    counts: dict[Pillar, int],
    must: dict[Pillar, int],
    first_total: int,
    shares_at: Callable[[int], dict[Pillar, float]],
    order: Callable[[dict[Pillar, float]], list[Pillar]],
) -> Apportionment:
    """The smallest total from `first_total` that fits, and its quotas.

    `shares_at(total)` gives each pillar's exact share of `total`; `order(exact)` the
    pillars in the order spare slots go to (the most owed first). A total of every eligible
    member always fits with proportional shares (each pillar's share is then its count); with
    configured shares none may, and then the smallest total that holds the must-present members
    is taken, each pillar as near its share as they allow.
    """
    everyone = sum(counts.values())
    first_total = min(first_total, everyone)
    fallback: Apportionment | None = None
    for total in range(first_total, everyone + 1):
        exact = shares_at(total)
        low, high = bounds(exact, counts, must)
        if sum(low.values()) > total:
            continue
        quotas = _fill(low, high, counts, total, order(exact))
        if within_ceilings(exact, counts, must):
            return Apportionment(total, quotas, within_shares=True)
        if fallback is None:
            fallback = Apportionment(total, quotas, within_shares=False)
    if fallback is None:  # nobody eligible
        return Apportionment(0, dict.fromkeys(counts, 0), within_shares=True)
    return fallback


def _fill(
    low: dict[Pillar, int],
    high: dict[Pillar, int],
    counts: dict[Pillar, int],
    total: int,
    by_claim: list[Pillar],
) -> dict[Pillar, int]:
    """From the least slots up to `total`: one more to each pillar in claim order, first up to
    the ceiling of its share, then (only when small pillars are capped) up to its count."""
    quotas = dict(low)
    for limit in (high, counts):
        while sum(quotas.values()) < total:
            grown = False
            for pillar in by_claim:
                if sum(quotas.values()) < total and quotas[pillar] < limit[pillar]:
                    quotas[pillar] += 1
                    grown = True
            if not grown:
                break
    return quotas
