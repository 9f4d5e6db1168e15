"""A group's annual plan: deliverables move through their statuses, budget lines are exact
amounts in a currency, and the plan's totals are one sum per currency."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from governance.groups.followup import Parties, overdue_on_adding
from governance.groups.model import Exploration, Group, GroupStatus
from governance.groups.money import Money, totals
from governance.groups.plans import (
    BudgetLine,
    Deliverable,
    DeliverableStatus,
    add_budget_line,
    add_deliverable,
    change_deliverable,
    new_plan,
    overdue,
)
from governance.kernel.errors import Conflict
from governance.rulebook.model import NotificationKind

AT = datetime(2027, 1, 10, 15, 0, tzinfo=UTC)
FOUND = Exploration(demand="Asked for.", support="Backed.", recorded_on=date(2026, 5, 4))


def ghana(status: GroupStatus = GroupStatus.ACTIVE) -> Group:
    return Group(
        id="ghana",
        name="Ghana group",
        country="GH",
        timezone="Africa/Accra",
        status=status,
        exploration=FOUND,
    )


def training(due: date = date(2027, 6, 30), deliverable_id: str = "training") -> Deliverable:
    return Deliverable(id=deliverable_id, title="Police training", owner="kofi", due=due)


def test_only_an_active_group_keeps_a_plan() -> None:
    assert new_plan(ghana(), 2027, AT).year == 2027
    with pytest.raises(Conflict) as refused:
        new_plan(ghana(GroupStatus.DORMANT), 2027, AT)
    assert refused.value.problems[0].path == "group"


def test_a_deliverable_is_due_within_its_plan_year_and_ids_are_unique() -> None:
    plan = add_deliverable(new_plan(ghana(), 2027, AT), training())
    with pytest.raises(Conflict) as late:
        add_deliverable(plan, training(date(2028, 1, 5), "later"))
    assert (late.value.problems[0].path, late.value.problems[0].reason) == (
        "due",
        "5 January 2028 is not in 2027",
    )
    with pytest.raises(Conflict) as twice:
        add_deliverable(plan, training())
    assert twice.value.problems[0].path == "id"


def test_deliverable_statuses_move_forward_and_done_or_dropped_are_final() -> None:
    plan = add_deliverable(new_plan(ghana(), 2027, AT), training())
    started = change_deliverable(plan, "training", DeliverableStatus.IN_PROGRESS)
    assert started.deliverables[0].status is DeliverableStatus.IN_PROGRESS
    done = change_deliverable(started, "training", DeliverableStatus.DONE)
    with pytest.raises(Conflict) as final:
        change_deliverable(done, "training", DeliverableStatus.PLANNED)
    assert final.value.problems[0].path == "status"
    with pytest.raises(Conflict) as unknown:
        change_deliverable(done, "nothing", DeliverableStatus.DONE)
    assert unknown.value.problems[0].path == "deliverable"


def test_overdue_lists_open_deliverables_past_their_day() -> None:
    plan = new_plan(ghana(), 2027, AT)
    for d in (
        training(date(2027, 3, 1), "a"),
        training(date(2027, 2, 1), "b"),
        training(date(2027, 5, 1), "c"),
    ):
        plan = add_deliverable(plan, d)
    plan = change_deliverable(plan, "b", DeliverableStatus.DROPPED)
    assert [d.id for d in overdue(plan, date(2027, 3, 2))] == ["a"]
    assert overdue(plan, date(2027, 3, 1)) == []


def test_budget_totals_are_exact_per_currency() -> None:
    plan = new_plan(ghana(), 2027, AT)
    for i, (amount, currency) in enumerate(
        [("0.10", "USD"), ("0.20", "USD"), ("1500", "GHS"), ("2500.75", "GHS"), ("3", "JPY")]
    ):
        line = BudgetLine(id=f"l{i}", label="Line", amount=amount, currency=currency)
        plan = add_budget_line(plan, line)
    assert plan.totals == {
        "GHS": Decimal("4000.75"),
        "JPY": Decimal("3"),
        "USD": Decimal("0.30"),
    }
    assert plan.model_dump(mode="json")["budget"][0]["amount"] == "0.10"


@pytest.mark.parametrize(
    ("amount", "currency", "field", "why"),
    [
        ("12.345", "USD", "amount", "2 decimal places"),
        ("12.5", "JPY", "amount", "0 decimal places"),
        (12.5, "USD", "amount", "not as a float"),
        ("0", "USD", "amount", "more than zero"),
        ("-3", "USD", "amount", "more than zero"),
        ("1000000000000.01", "USD", "amount", "at most 1000000000000"),
        # text as a budget is written, only: Decimal would take each of these
        ("NaN", "USD", "amount", "digits 0-9"),
        ("1e-999999999", "USD", "amount", "digits 0-9"),
        ("1e999999999", "USD", "amount", "digits 0-9"),
        ("1e3", "USD", "amount", "digits 0-9"),
        ("1_000", "USD", "amount", "digits 0-9"),
        (" 12 ", "USD", "amount", "digits 0-9"),
        ("\u0663", "USD", "amount", "digits 0-9"),
        ("+5", "USD", "amount", "digits 0-9"),
        ("5.", "USD", "amount", "digits 0-9"),
        ("10", "usd", "currency", "ISO 4217"),
        ("10", "ABC", "currency", "ISO 4217"),
    ],
)
def test_a_wrong_amount_is_refused_naming_its_field(
    amount: object, currency: str, field: str, why: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        BudgetLine(id="l", label="Line", amount=amount, currency=currency)
    errors = refused.value.errors()
    assert [e["loc"] for e in errors] == [(field,)]
    assert why in errors[0]["msg"]


# Decimal places as CLDR counts them (COP is counted in whole pesos there).
PLACES = {"USD": 2, "GHS": 2, "COP": 0, "JPY": 0, "EUR": 2}
CURRENCIES = tuple(PLACES)
money = st.builds(
    lambda units, currency: Money(
        amount=Decimal(units).scaleb(-PLACES[currency]), currency=currency
    ),
    st.integers(min_value=1, max_value=10**11),
    st.sampled_from(CURRENCIES),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(money, max_size=40))
def test_budget_totals_per_currency_equal_a_plain_sum(amounts: list[Money]) -> None:
    summed = totals(amounts)
    for currency in CURRENCIES:
        mine = [m.amount for m in amounts if m.currency == currency]
        if mine:
            assert summed[currency] == sum(mine, Decimal(0))
        else:
            assert currency not in summed
    assert list(summed) == sorted(summed)


def test_the_rulebook_refuses_reminders_that_cannot_fall_before_their_deadline() -> None:
    from governance.kernel.errors import RulebookInvalid
    from governance.rulebook.model import load_rulebook

    with pytest.raises(RulebookInvalid) as refused:
        load_rulebook(
            {
                "group_plans": {
                    "use_report_days": 30,
                    "use_report_reminder_days_before": [30],
                    "deliverable_reminder_days_before": [7, 7],
                }
            }
        )
    assert sorted(p.path for p in refused.value.problems) == [
        "group_plans.deliverable_reminder_days_before",
        "group_plans.use_report_reminder_days_before.0",
    ]
    assert load_rulebook({}).group_plans.deliverable_reminder_days_before == [14, 3]


def test_a_deliverable_added_after_its_due_day_is_reported_overdue_at_once() -> None:
    """Found by a review: added on 10 January, due on 1 January, it never reached its overdue
    step (the plan's steps are looked at from their last look on), so nobody heard of it."""
    parties = Parties("Ghana group", "Africa/Accra", ("kofi",))
    late = training(due=date(2027, 1, 1), deliverable_id="late")
    plan = add_deliverable(new_plan(ghana(), 2027, AT), late)
    owner, summary = overdue_on_adding(plan, late, parties, AT)
    assert (owner.kind, owner.recipients) == (NotificationKind.OVERDUE, ("kofi",))
    assert "was due on" in owner.text
    assert "overdue deliverable" in summary.text
    # one still to come, or already done, says nothing
    coming = training(due=date(2027, 6, 30))
    assert overdue_on_adding(add_deliverable(plan, coming), coming, parties, AT) == []
    done = late.model_copy(update={"status": DeliverableStatus.DONE})
    assert overdue_on_adding(plan, done, parties, AT) == []
