"""A group's annual plan: its deliverables and its budget (Strategy 3a-3b).

The Strategy asks groups for "clear deliverables and planned outcomes" and a framework for
their budgets and plans. A plan is one calendar year of one group. A deliverable has an owner
(a person in the registry, the one reminded of it), a due day (a local day in the group's
zone) and a status; a budget line names an exact amount in a currency, and the plan's totals
are one sum per currency.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, field_validator, model_validator

from governance.groups.model import Group, GroupStatus, Text
from governance.groups.money import Amount, Currency, Money, amount_in_currency, totals
from governance.kernel.errors import Conflict, Problem, ValueRefused
from governance.kernel.messages import NP_, say, say_in, word
from governance.kernel.model import Frozen, Slug

Year = Annotated[int, Field(ge=2000, le=2100)]


class DeliverableStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


# A deliverable still owed: its owner is reminded and it can become overdue.
OPEN = frozenset({DeliverableStatus.PLANNED, DeliverableStatus.IN_PROGRESS})

_MOVES: dict[DeliverableStatus, frozenset[DeliverableStatus]] = {
    DeliverableStatus.PLANNED: frozenset(
        {DeliverableStatus.IN_PROGRESS, DeliverableStatus.DONE, DeliverableStatus.DROPPED}
    ),
    DeliverableStatus.IN_PROGRESS: frozenset(
        {DeliverableStatus.PLANNED, DeliverableStatus.DONE, DeliverableStatus.DROPPED}
    ),
    # done and dropped are final: a deliverable taken up again is a new one
    DeliverableStatus.DONE: frozenset(),
    DeliverableStatus.DROPPED: frozenset(),
}


class Deliverable(Frozen):
    id: Slug
    title: Annotated[Text, Field(max_length=300)]
    owner: Slug
    due: date
    status: DeliverableStatus = DeliverableStatus.PLANNED

    @property
    def open(self) -> bool:
        return self.status in OPEN


class BudgetLine(Frozen):
    id: Slug
    label: Text
    currency: Currency
    amount: Amount

    _places = field_validator("amount")(amount_in_currency)

    @property
    def money(self) -> Money:
        return Money(amount=self.amount, currency=self.currency)


class Plan(Frozen):
    group_id: Slug
    year: Year
    created_at: AwareDatetime
    deliverables: tuple[Deliverable, ...] = ()
    budget: tuple[BudgetLine, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        for refusal, ids in (
            (
                NP_("entries", "two deliverables entries share an id"),
                [d.id for d in self.deliverables],
            ),
            (NP_("entries", "two budget entries share an id"), [b.id for b in self.budget]),
        ):
            if len(ids) != len(set(ids)):
                raise ValueRefused(say_in("entries", refusal))
        return self

    @property
    def totals(self) -> dict[str, Decimal]:
        return totals(line.money for line in self.budget)

    def deliverable(self, deliverable_id: str) -> Deliverable | None:
        return next((d for d in self.deliverables if d.id == deliverable_id), None)


def plan_id(group_id: str, year: int) -> str:
    return f"{group_id}-{year}"


def new_plan(group: Group, year: int, at: datetime) -> Plan:
    """A group plans once it works: a group still being explored or dormant has no plan."""
    if group.status is not GroupStatus.ACTIVE:
        raise Conflict(
            say("only an active group keeps an annual plan"),
            [Problem("group", say("the group is %(status)s", status=word(group.status)))],
        )
    return Plan(group_id=group.id, year=year, created_at=at)


def add_deliverable(plan: Plan, deliverable: Deliverable) -> Plan:
    if plan.deliverable(deliverable.id) is not None:
        raise Conflict(
            say("the plan already has this deliverable"),
            [Problem("id", say("%(deliverable)r is taken", deliverable=deliverable.id))],
        )
    if deliverable.due.year != plan.year:
        raise Conflict(
            say("a deliverable is due within its plan's year"),
            [
                Problem(
                    "due",
                    say(
                        "%(due)s is not in %(year)s",
                        due=deliverable.due,
                        year=plan.year,
                    ),
                )
            ],
        )
    return plan.model_copy(update={"deliverables": (*plan.deliverables, deliverable)})


def change_deliverable(plan: Plan, deliverable_id: str, status: DeliverableStatus) -> Plan:
    found = plan.deliverable(deliverable_id)
    if found is None:
        raise Conflict(
            say("the plan has no such deliverable"),
            [Problem("deliverable", say("%(deliverable_id)r", deliverable_id=deliverable_id))],
        )
    if status not in _MOVES[found.status]:
        allowed = ", ".join(sorted(s.value for s in _MOVES[found.status])) or "nothing (final)"
        raise Conflict(
            say(
                "a deliverable that is %(status)s cannot become %(status2)s",
                status=found.status.value,
                status2=status.value,
            ),
            [
                Problem(
                    "status",
                    say(
                        "from %(status)s it may become: %(allowed)s",
                        status=found.status.value,
                        allowed=allowed,
                    ),
                )
            ],
        )
    changed = found.model_copy(update={"status": status})
    kept = tuple(changed if d.id == deliverable_id else d for d in plan.deliverables)
    return plan.model_copy(update={"deliverables": kept})


def add_budget_line(plan: Plan, line: BudgetLine) -> Plan:
    if any(b.id == line.id for b in plan.budget):
        raise Conflict(
            say("the plan already has this budget line"),
            [Problem("id", say("%(line)r", line=line.id))],
        )
    return plan.model_copy(update={"budget": (*plan.budget, line)})


def overdue(plan: Plan, today: date) -> list[Deliverable]:
    """The deliverables still open after their due day, earliest due first."""
    late = [d for d in plan.deliverables if d.open and d.due < today]
    return sorted(late, key=lambda d: (d.due, d.id))
