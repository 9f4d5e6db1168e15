"""Governance time inside workflows: Temporal's clock plus the input's offset.

The offset is zero in production. A rehearsal runs on the time-skipping server, whose clock
starts at the machine's current time; the offset maps it onto scenario time. Every workflow
takes its time from here, never from workflow.now() directly, and records the instants it meant
(a deadline, the time a command was issued) rather than the instant a timer happened to fire.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from temporalio import workflow


def governance_now(offset: timedelta) -> datetime:
    return workflow.now() + offset


async def sleep_until(instant: datetime, offset: timedelta) -> None:
    """Wait until governance time reaches `instant` (at once if it has)."""
    remaining = instant - governance_now(offset)
    if remaining > timedelta(0):
        await workflow.sleep(remaining)


async def wait_until_or(instant: datetime, offset: timedelta, woken: Callable[[], bool]) -> bool:
    """Wait until governance time reaches `instant` or `woken()` holds; True if woken."""
    remaining = instant - governance_now(offset)
    if remaining <= timedelta(0):
        return woken()
    try:
        await workflow.wait_condition(woken, timeout=remaining)
    except TimeoutError:
        return False
    return True
