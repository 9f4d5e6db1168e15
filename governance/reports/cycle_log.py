"""What a reporting cycle has done, read as typed values from the markers its store keeps.

The store keeps one string per step run (`open-2027-01-15`, `overdue-2027-05-01`, `close`), per
report set aside (`unassignable-<rules>-<member>`) and per set of dates told (`dates-<due>-<review
due>`). Those strings are the store's and the histories' format and do not change; everything
that reads them goes through `CycleLog` and the step types here, never through string surgery.
A move told is `moved-<n>-<due>-<review due>` (older stores hold `moved-<due>-<review due>`): the
plenary can move back to dates it held before, and that is a new move to tell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from governance.reports.cycle import (
    CycleDates,
    CycleStep,
    StepKind,
    cycle_steps,
    set_aside,
)
from governance.rulebook.model import Rulebook

_DAY = r"(\d{4}-\d{2}-\d{2})"
_TOLD = re.compile(rf"^dates-{_DAY}-{_DAY}$")
MOVED_PREFIX = "moved-"
CLOSE = "close"


@dataclass(frozen=True, slots=True)
class ToldDates:
    """The report and review due days the cycle told people about."""

    due: date
    review_due: date

    @classmethod
    def of(cls, dates: CycleDates) -> ToldDates:
        return cls(dates.due, dates.review_due)

    @classmethod
    def parse(cls, marker: str) -> ToldDates | None:
        match = _TOLD.match(marker)
        if match is None:
            return None
        return cls(date.fromisoformat(match[1]), date.fromisoformat(match[2]))

    @property
    def marker(self) -> str:
        return f"dates-{self.due}-{self.review_due}"


@dataclass(frozen=True, slots=True)
class MovedDates:
    """The step that tells whoever still owes something that its date moved with the plenary."""

    was: ToldDates
    now: ToldDates
    # which move of the cycle this is (1 for the first told): moving back to dates held before
    # must not find the marker of the earlier move to the same dates and tell nobody
    number: int = 1

    @property
    def name(self) -> str:
        return f"{MOVED_PREFIX}{self.number}-{self.now.due}-{self.now.review_due}"


# A step as the workflow orders it run: one of the cycle's planned steps, or a move to tell of.
Step = CycleStep | MovedDates


@dataclass(frozen=True, slots=True)
class CycleLog:
    """The markers of one cycle, oldest first."""

    done: tuple[str, ...]

    @classmethod
    def of(cls, done: Iterable[str]) -> CycleLog:
        return cls(tuple(done))

    def has_run(self, name: str) -> bool:
        return name in self.done

    @property
    def closed(self) -> bool:
        return CLOSE in self.done

    @property
    def assigned(self) -> bool:
        """Whether reviewers were assigned (the assignment step ran, for some due date)."""
        return any(d.startswith(f"{StepKind.ASSIGN.value}-") for d in self.done)

    @property
    def told(self) -> ToldDates | None:
        """The dates last told, if any step has run."""
        told = [t for t in map(ToldDates.parse, self.done) if t is not None]
        return told[-1] if told else None

    def set_aside(self, rulebook: Rulebook) -> set[str]:
        """The reports set aside under the rulebook's present peer-review rules."""
        return set_aside(self.done, rulebook)

    def moved(self, dates: CycleDates) -> MovedDates | None:
        """The move to tell of, if the plenary moved since the cycle last told its dates."""
        told = self.told
        if told is None or told == ToldDates.of(dates):
            return None
        return MovedDates(was=told, now=ToldDates.of(dates), number=self._moves_told + 1)

    @property
    def _moves_told(self) -> int:
        # a marker recorded again moves to the end and is never doubled: each move told counts once
        return sum(1 for d in self.done if d.startswith(MOVED_PREFIX))

    def step(self, name: str, dates: CycleDates, rulebook: Rulebook) -> Step | None:
        """The step `name` stands for under the cycle's dates now (None: it is no longer one,
        as when the plenary moved since and the step has a new name)."""
        if name.startswith(MOVED_PREFIX):
            told = self.told
            if told is None:
                return None
            return MovedDates(was=told, now=ToldDates.of(dates), number=self._moves_told + 1)
        return next((s for s in cycle_steps(dates, rulebook) if s.name == name), None)


def step_names(moved: MovedDates | None, due: Sequence[CycleStep]) -> list[str]:
    """The names the workflow passes back, in the order to run them: a move first."""
    return ([moved.name] if moved else []) + [s.name for s in due]
