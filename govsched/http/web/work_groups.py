"""My work in groups a person plans by: overdue, this week, later; and its kinds, counted.

"This week" is the seven days from today (today and the next six), not the calendar week:
on a Friday, Monday's deadline belongs with what must be done now, not with "later".
Work without a deadline is "later".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from govsched.http.web.work_item import WorkItem
from govsched.i18n import formatting
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_

WEEK = timedelta(days=7)
# In English; shown through the catalog (`kind_name`).
KIND_NAMES = {
    "application": N_("Applications"),
    "report": N_("Reports"),
    "review": N_("Reviews"),
    "roster": N_("Roster"),
    "milestone": N_("Milestones"),
    "handover": N_("Chair handover"),
    "concern": N_("Concerns"),
    "funding": N_("Funding requests"),
    "other": N_("Other"),
}


def kind_name(kind: str) -> str:
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind.replace("_", " ").capitalize()


@dataclass(frozen=True)
class WorkGroup:
    key: str
    heading: str
    items: list[WorkItem]
    # how the count line names the group ("2 overdue, 1 this week")
    short: str = ""


def grouped(items: list[WorkItem], today: date) -> list[WorkGroup]:
    """The three groups in order, each soonest first (empty groups included: a person sees
    that nothing is overdue)."""
    ordered = sorted(items, key=lambda i: i.sort_key)
    overdue = [i for i in ordered if i.due is not None and i.due < today]
    week = [i for i in ordered if i.due is not None and today <= i.due < today + WEEK]
    later = [i for i in ordered if i not in overdue and i not in week]
    last = today + WEEK - timedelta(days=1)
    return [
        WorkGroup("overdue", _("Overdue"), overdue, _("overdue")),
        WorkGroup(
            "week",
            _("This week, to %(day)s") % {"day": formatting.day(last)},
            week,
            _("this week"),
        ),
        WorkGroup("later", _("Later"), later, _("later")),
    ]


def kind_counts(items: list[WorkItem]) -> list[tuple[str, str, int]]:
    """(kind, name, count) for each kind the person has work of, in a fixed order."""
    counts = Counter(i.kind for i in items)
    order = list(KIND_NAMES)
    return [
        (kind, kind_name(kind), counts[kind])
        for kind in sorted(counts, key=lambda k: order.index(k) if k in order else len(order))
    ]
