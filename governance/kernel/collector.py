"""The cyclic garbage collector paused while a large rule result is built (issue 21).

A roster forecast or a peer-review assignment at 20,000 members makes hundreds of thousands of
new objects (slots, candidate lists, assignments with their reasons). As they accumulate, the
collector makes full passes over everything the process holds, the caller's registry included:
half a forecast's time, and a third of an assignment's. What these rules build holds no
reference cycle, so those passes find nothing in it; memory is freed by reference counting as
always, and the collector runs again once the result is returned.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic collector for the block, as it was found (left off if it was off)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
