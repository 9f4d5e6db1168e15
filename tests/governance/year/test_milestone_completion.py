"""Who completes a milestone (issue 17.9), and the one status every reader shows (issue 17.13)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.errors import Forbidden
from governance.kernel.model import Role
from governance.kernel.timekeeping import end_of_day, local_date
from governance.rulebook.model import Milestone, Rulebook, load_rulebook
from governance.year.milestones import (
    MilestoneProgress,
    MilestoneStatus,
    complete,
    every_members_own,
    may_complete_milestone,
    plan,
    progress,
    reading,
)
from tests.governance.plenaries import annual

S, C, SC, FP = Role.SECRETARIAT, Role.CHAIR, Role.STEERING_COMMITTEE, Role.FOCAL_POINT
# The people of the initiative, by the roles they hold together.
PEOPLE = {
    "secretariat": frozenset({S}),
    "chair": frozenset({C, FP, SC}),  # the Chair government's focal point, on the committee
    "committee member": frozenset({SC, FP}),
    "member focal point": frozenset({FP}),
    "nobody": frozenset[Role](),
}
# One milestone per owner role: the VPI rulebook's, and one the Chair owns.
RULEBOOK = load_rulebook(
    {
        "plenary": {
            "milestones": [
                *(m.model_dump(mode="json") for m in Rulebook().plenary.milestones),
                Milestone(
                    key="chair_report", title="Chair's report", offset_days=-21, owner_role=C
                ).model_dump(mode="json"),
            ]
        }
    }
)
# Who may complete a milestone of each owner, written out (not derived from the rule).
MAY = {
    S: {"secretariat"},
    C: {"secretariat", "chair"},
    SC: {"secretariat", "chair", "committee member"},
    # every member's own obligation (annual reports due): no single member closes it
    FP: {"secretariat"},
}
PLENARY = annual(date(2027, 5, 18))
AT = datetime(2027, 1, 10, 15, tzinfo=UTC)
TZ = RULEBOOK.initiative.timezone


@pytest.mark.parametrize("person", list(PEOPLE))
@pytest.mark.parametrize("milestone", plan(PLENARY, RULEBOOK), ids=lambda m: m.key)
def test_a_milestone_is_completed_by_its_owners_or_the_secretariat_and_never_for_all_members(
    person: str, milestone: object
) -> None:
    planned = plan(PLENARY, RULEBOOK)
    m = next(p for p in planned if p == milestone)
    allowed = person in MAY[m.owner_role]
    assert may_complete_milestone(m, PEOPLE[person]) is allowed
    if allowed:
        done = complete(planned, m.key, person, AT, PEOPLE[person])
        assert (done.status, done.completed_by) == (MilestoneStatus.COMPLETED, person)
        return
    with pytest.raises(Forbidden) as refused:
        complete(planned, m.key, person, AT, PEOPLE[person])
    assert [p.path for p in refused.value.problems] == ["by"]
    if every_members_own(m):
        assert "every member's own obligation" in refused.value.problems[0].reason
        assert refused.value.missing_role == S.value


def test_annual_reports_due_is_every_members_own_and_nothing_else_is() -> None:
    own = [m.key for m in plan(PLENARY, RULEBOOK) if every_members_own(m)]
    assert own == ["annual_reports_due"]


instants = st.integers(0, 400 * 24 * 3600).map(
    lambda s: datetime(2026, 11, 1, tzinfo=UTC) + timedelta(seconds=s)
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(plan(PLENARY, RULEBOOK)),
    instants,
    st.one_of(st.none(), instants),
    st.sampled_from(["America/Toronto", "Pacific/Chatham", "UTC"]),
)
def test_one_status_at_any_instant(
    milestone: object, now: datetime, completed_at: datetime | None, tz: str
) -> None:
    m = next(p for p in plan(PLENARY, RULEBOOK) if p == milestone)
    if completed_at is not None:
        m = m.model_copy(
            update={
                "status": MilestoneStatus.COMPLETED,
                "completed_at": completed_at,
                "completed_by": "sec",
            }
        )
    status = progress(m, now, tz)
    if completed_at is not None:
        assert status is MilestoneProgress.COMPLETED
    elif local_date(now, tz) > m.due:
        assert status is MilestoneProgress.OVERDUE
        assert now >= end_of_day(m.due, tz)
    else:
        assert status is MilestoneProgress.OPEN
    seen = reading(m, now, tz)
    assert seen.status is status
    assert seen.model_dump(exclude={"status"}) == m.model_dump(exclude={"status", "planned_at"})


def test_a_milestone_due_yesterday_is_overdue_from_local_midnight() -> None:
    m = next(p for p in plan(PLENARY, RULEBOOK) if p.key == "save_the_date")
    midnight = end_of_day(m.due, TZ)
    assert progress(m, midnight - timedelta(microseconds=1), TZ) is MilestoneProgress.OPEN
    assert progress(m, midnight, TZ) is MilestoneProgress.OVERDUE
