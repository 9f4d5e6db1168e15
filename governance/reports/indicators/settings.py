"""The rulebook's `indicators` section: the set versions and the suppression threshold."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from governance.kernel.errors import InvalidInput, Problem
from governance.kernel.messages import say
from governance.reports.indicators.default_set import DEFAULT_SET
from governance.reports.indicators.model import IndicatorSection, IndicatorSet


class IndicatorRules(IndicatorSection):
    sets: list[IndicatorSet] = [DEFAULT_SET]
    # DEFAULT 3: an aggregate cell made of fewer members is kept from readers outside the
    # entitled, and so is any cell that would let them find it by subtraction.
    min_members_per_cell: Annotated[int, Field(ge=1, le=100)] = 3

    def set_for_year(self, year: int) -> IndicatorSet:
        """The version in force for reporting year `year`: the latest that starts by then."""
        started = [s for s in self.sets if s.from_year <= year]
        if not started:
            first = min((s.from_year for s in self.sets), default=None)
            raise InvalidInput(
                say("no indicator set applies to that year"),
                [
                    Problem(
                        "year",
                        say("the first indicator set applies from %(first)s", first=str(first)),
                    )
                ],
            )
        return max(started, key=lambda s: s.from_year)

    def set_by_version(self, version: str) -> IndicatorSet:
        """The set a year's stored values were checked against (state keeps its version)."""
        for indicator_set in self.sets:
            if indicator_set.version == version:
                return indicator_set
        known = ", ".join(s.version for s in self.sets)
        raise InvalidInput(
            say("that indicator set is no longer in the rulebook"),
            [
                Problem(
                    "indicators.sets",
                    say(
                        "%(version)r is not one of: %(known)s; keep old versions",
                        version=version,
                        known=known,
                    ),
                )
            ],
        )
