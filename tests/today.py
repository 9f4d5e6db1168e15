"""The tests' today: the product's own injectable one (GOVSCHED_TODAY, read by Settings), never
the machine's date, so that `make test` can run the date-sensitive tests on other days too.

Tests that take an expectation from today carry the `dates` marker; those `make test` runs again
with GOVSCHED_TODAY set to other days (the Makefile names them).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from govsched.config import Settings


def now() -> datetime:
    return Settings().now()


def today(rulebook: Rulebook | None = None) -> date:
    """Today in the initiative's time zone."""
    return local_date(now(), (rulebook or Rulebook()).initiative.timezone)


def clock_offset() -> timedelta:
    """What services and workflows started by a test add to Temporal's clock."""
    return Settings().clock_offset
