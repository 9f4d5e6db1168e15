"""An annual plenary on given days, for the rules' tests (its id is the year's)."""

from __future__ import annotations

from datetime import date, timedelta

from governance.kernel.model import Plenary


def annual(starts: date, days: int = 4) -> Plenary:
    return Plenary(
        id=f"plenary-{starts.year}",
        year=starts.year,
        starts=starts,
        ends=starts + timedelta(days=days - 1),
        location="Norland Harbour",
    )
