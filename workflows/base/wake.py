"""The one wake loop of the timer-shaped workflows.

The governance year, a Chair handover, a reporting cycle and a concern keep their state in the
database. Each round of the loop asks an activity what is due now, acts on it, and then sleeps
until the next instant it was told of, or until an empty signal says the state changed (a person
acted, a plenary moved). The round decides how the loop goes on; the loop owns the waiting, so
the four workflows wait alike and their histories keep one shape: activity, deliveries, timer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from governance.kernel.notices import Notification
    from workflows.base.clock import governance_now, wait_until_or
    from workflows.base.common import deliver
    from workflows.base.policies import PATIENT_RETRY, STORE_TIMEOUT


@dataclass(frozen=True)
class Finished:
    """The process is over: the loop returns."""


@dataclass(frozen=True)
class LookAgain:
    """Work was done that may have made more due: the next round starts at once."""


@dataclass(frozen=True)
class SleepUntil:
    """Nothing more is due: sleep until `at`, or until told (with no `at`, only until told)."""

    at: datetime | None


Next = Finished | LookAgain | SleepUntil


class Due(Protocol):
    """What a store activity answers a look with: at least the notices due now."""

    @property
    def notices(self) -> Sequence[Notification]: ...


R = TypeVar("R")
D = TypeVar("D", bound=Due)
FINISHED = Finished()
LOOK_AGAIN = LookAgain()


class WakeLoop:
    """Base of the timer-shaped workflows. A subclass's signal handler calls `wake()`; its run
    method calls `loop()` with the round it plays each time it wakes."""

    def __init__(self) -> None:
        self._woken = False

    def wake(self) -> None:
        """The state changed: end the sleep (or, mid-round, skip the next one)."""
        self._woken = True

    @property
    def woken(self) -> bool:
        """Whether a change arrived since this round began."""
        return self._woken

    async def look(self, activity: Callable[[Any, R], D], request: R) -> D:
        """Ask the process's store activity what is due now, and deliver the notices it found
        (each once, by its key); the round decides what to do with the rest."""
        due = await workflow.execute_activity_method(
            activity, request, start_to_close_timeout=STORE_TIMEOUT, retry_policy=PATIENT_RETRY
        )
        await deliver(due.notices)
        return due

    async def loop(self, offset: timedelta, play: Callable[[datetime], Awaitable[Next]]) -> None:
        """Play rounds at governance time until one says the process is finished."""
        while True:
            self._woken = False
            match await play(governance_now(offset)):
                case Finished():
                    return
                case LookAgain():
                    continue
                case SleepUntil(at=None):
                    await workflow.wait_condition(lambda: self._woken)
                case SleepUntil(at=at):
                    assert at is not None
                    await wait_until_or(at, offset, lambda: self._woken)
