"""Concern work for My work: the step a case waits on, for whoever the rules give it to.

The Secretariat acknowledges a filed case (the form is on the item), facilitates its dialogue
until the dialogue ends, and records the decision once the committee recommended; a Steering
Committee member recommends on a case in review. The items name the member concerned, never the
filer, and only cases the person may know of (`access.may_see`) are read.
"""

from __future__ import annotations

from datetime import date, datetime

from governance.concerns.access import may_see
from governance.concerns.model import ConcernRecord, ConcernState
from governance.kernel.model import Role
from governance.kernel.timekeeping import day_ending_at, local_date
from governance.rulebook.model import Rulebook
from govsched.http.web import concern_forms as forms
from govsched.http.web.auth import Viewer
from govsched.http.web.forms import Form
from govsched.http.web.labels import words
from govsched.http.web.work_item import WorkItem
from govsched.i18n.current import gettext as _
from govsched.persistence.db import Database
from govsched.persistence.repos import concerns as concern_repo
from govsched.persistence.repos import registry as registry_repo

BACK = "/web/my-work"


def _step(
    record: ConcernRecord, viewer: Viewer
) -> tuple[str, datetime | None, tuple[Form, ...]] | None:
    """What `viewer` must do on the case now, by when, and the form that does it."""
    secretariat = viewer.holds(Role.SECRETARIAT)
    match record.state:
        case ConcernState.FILED if secretariat:
            title = _("Acknowledge a concern about %(member)s")
            return title, record.acknowledge_due, (forms.acknowledge(record.id, BACK),)
        case ConcernState.DIALOGUE if secretariat:
            return (
                _("Facilitate the dialogue on a concern about %(member)s"),
                record.dialogue_due,
                (),
            )
        case ConcernState.REVIEW if viewer.holds(Role.STEERING_COMMITTEE):
            return _("Recommend on a concern about %(member)s"), record.review_due, ()
        case ConcernState.AWAITING_DECISION if secretariat:
            return (
                _("Record the decision on a concern about %(member)s"),
                record.decision_target,
                (),
            )
        case _:
            return None


def concern_items(db: Database, viewer: Viewer, rulebook: Rulebook) -> list[WorkItem]:
    if not viewer.holds(Role.SECRETARIAT, Role.STEERING_COMMITTEE):
        return []
    tz = rulebook.initiative.timezone
    with db.reading() as session:
        records = [r for r in concern_repo.records(session) if not r.final]
        names = registry_repo.member_names(session, {r.about for r in records})
    items = []
    for record in records:
        step = _step(record, viewer) if may_see(record, viewer.actor) else None
        if step is None:
            continue
        verb, due_at, found = step
        due: date | None = None
        if due_at is not None:
            # a deadline's instant ends its last day; a decision's target is the plenary's day
            awaits_decision = record.state is ConcernState.AWAITING_DECISION
            due = local_date(due_at, tz) if awaits_decision else day_ending_at(due_at, tz)
        about = names.get(record.about, record.about)
        items.append(
            WorkItem(
                due,
                verb % {"member": about},
                _("case %(case)s, %(state)s") % {"case": record.id, "state": words(record.state)},
                f"/web/concerns/{record.id}",
                found,
                "concern",
            )
        )
    return items
