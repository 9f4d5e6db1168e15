"""The years an address may name, bounded as every model bounds a year: shared by the API and
the workspace (which never import each other), so a page refuses what the API refuses. SQLite
cannot even hold 99999999999999999999999: an unbounded year in a path was a 500."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

PlenaryYear = Annotated[int, Path(ge=1990, le=2200, description="the year of the annual plenary")]
ReportingYear = Annotated[int, Path(ge=1990, le=2200, description="the reporting year")]
# a group's plan: the years the plans' own model takes
PlanYear = Annotated[int, Path(ge=2000, le=2100)]
