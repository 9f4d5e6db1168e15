"""One thing a person must do: what, by when, where to read more, and the forms that do it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govsched.http.web.forms import Form


@dataclass(frozen=True)
class WorkItem:
    due: date | None
    title: str
    detail: str
    link: str
    forms: tuple[Form, ...]
    # what sort of work, for My work's filter (govsched/http/web/work_groups.py names them)
    kind: str = "other"

    @property
    def sort_key(self) -> tuple[date, str]:
        return (self.due or date.max, self.title)
