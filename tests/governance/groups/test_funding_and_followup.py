"""Funding requests go through the Secretariat's check and the Steering Committee's review like
an application (silence counted as the rulebook says); the plan's follow-up reminds owners,
summarises what is late for the Secretariat and closes reviews at their deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from governance.groups.followup import Parties, next_step_at, run_due, step_notices
from governance.groups.funding import (
    Asker,
    FundingAsk,
    FundingRecommendation,
    FundingRequest,
    FundingState,
    close_review,
    may_see,
    recommend,
    report_use,
    request_funding,
    resubmit,
    return_incomplete,
    stands_aside,
    start_review,
)
from governance.groups.model import Group
from governance.groups.money import Money, Spent
from governance.groups.plans import Deliverable, DeliverableStatus, Plan
from governance.kernel.errors import Conflict, Forbidden, InvalidInput
from governance.kernel.model import Role
from governance.rulebook.model import NotificationKind as K
from governance.rulebook.model import Recommendation, Rulebook, load_rulebook, stoppable

RULES = Rulebook()
# Accra is UTC all year; the initiative's zone (the Steering Committee's) is Toronto.
PARTIES = Parties(group_name="Ghana group", timezone="Africa/Accra", coordinators=("ama",))
COORDINATOR = Asker("ama", frozenset(), coordinator=True)
SECRETARIAT = Asker("sam", frozenset({Role.SECRETARIAT}))
SC = {p: Asker(p, frozenset({Role.STEERING_COMMITTEE})) for p in ("sc-a", "sc-b")}
AT = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
CLOSES = datetime(2027, 4, 13, 4, 0, tzinfo=UTC)
USD = Money(amount=Decimal("12000.00"), currency="USD")


def asked() -> FundingRequest:
    return request_funding("fr-1", "ghana", 2027, USD, "Two trainings.", COORDINATOR, AT)


def reviewed(rulebook: Rulebook = RULES) -> FundingRequest:
    return start_review(asked(), SECRETARIAT, ("sc-b", "sc-a"), AT, rulebook)


def test_only_a_coordinator_asks_and_only_the_secretariat_checks() -> None:
    with pytest.raises(Forbidden):
        request_funding("fr-1", "ghana", 2027, USD, "x", SECRETARIAT, AT)
    with pytest.raises(Forbidden):
        start_review(asked(), COORDINATOR, ("sc-a",), AT, RULES)
    with pytest.raises(Conflict) as nobody:
        start_review(asked(), SECRETARIAT, (), AT, RULES)
    assert nobody.value.problems[0].path == "reviewers"


def test_returned_as_incomplete_says_what_is_missing_and_comes_back() -> None:
    with pytest.raises(InvalidInput) as silent:
        return_incomplete(asked(), SECRETARIAT, "  ")
    assert silent.value.problems[0].path == "missing"
    returned = return_incomplete(asked(), SECRETARIAT, "The venue's quote.")
    assert returned.state is FundingState.RETURNED
    again = resubmit(returned, COORDINATOR, None, "Two trainings; quote attached.", AT)
    assert (again.state, again.missing, again.amount) == (FundingState.SUBMITTED, "", USD)


def test_the_review_runs_the_applications_review_days_in_the_initiatives_zone() -> None:
    request = reviewed()
    # 42 days after 1 March 2027, ending at Toronto's midnight (EDT, UTC-4)
    assert request.review_due_date == date(2027, 4, 12)
    assert request.review_due == CLOSES
    assert request.reviewers == ("sc-a", "sc-b")


def test_the_last_recommendation_closes_the_review_and_an_objection_declines() -> None:
    request = recommend(reviewed(), SC["sc-a"], Recommendation.SUPPORT, "", AT, RULES)
    assert request.state is FundingState.UNDER_REVIEW
    with pytest.raises(Conflict):
        recommend(request, SC["sc-a"], Recommendation.SUPPORT, "", AT, RULES)
    declined = recommend(request, SC["sc-b"], Recommendation.OBJECT, "Too much.", AT, RULES)
    assert declined.state is FundingState.DECLINED
    with pytest.raises(Forbidden):
        recommend(reviewed(), SECRETARIAT, Recommendation.SUPPORT, "", AT, RULES)


def test_silence_counts_as_the_rulebook_says() -> None:
    approved = close_review(reviewed(), CLOSES, RULES)
    assert approved.state is FundingState.APPROVED
    assert [r.silent for r in approved.recommendations] == [True, True]
    # 90 days after the decision's local day (13 April 2027 in Toronto)
    assert approved.report_due == date(2027, 7, 12)
    strict = load_rulebook({"applications": {"silence_counts_as": "object"}})
    assert close_review(reviewed(strict), CLOSES, strict).state is FundingState.DECLINED


def test_a_use_report_is_in_the_approved_currency() -> None:
    approved = close_review(reviewed(), CLOSES, RULES)
    with pytest.raises(InvalidInput) as other:
        report_use(approved, COORDINATOR, Spent(amount="10", currency="EUR"), "Spent.", AT)
    assert other.value.problems[0].path == "spent.currency"
    spent = Spent(amount=Decimal("11800.50"), currency="USD")
    done = report_use(approved, COORDINATOR, spent, "Two trainings held.", AT)
    assert done.state is FundingState.USE_REPORTED
    assert not done.report_overdue(date(2028, 1, 1))
    assert approved.report_overdue(date(2027, 7, 13))
    assert not approved.report_overdue(date(2027, 7, 12))


def test_requests_are_seen_by_the_group_the_secretariat_and_the_committee_only() -> None:
    assert may_see(COORDINATOR)
    assert may_see(Asker("m", frozenset(), member=True))
    assert may_see(SECRETARIAT)
    assert may_see(SC["sc-a"])
    assert not may_see(Asker("chair", frozenset({Role.CHAIR, Role.FOCAL_POINT})))


def plan_with(*deliverables: Deliverable) -> Plan:
    created = datetime(2027, 1, 5, tzinfo=UTC)
    return Plan(group_id="ghana", year=2027, created_at=created, deliverables=deliverables)


def report(owner: str = "kofi", due: date = date(2027, 6, 30), id_: str = "report") -> Deliverable:
    return Deliverable(id=id_, title="Annual report", owner=owner, due=due)


def test_the_owner_is_reminded_then_told_and_the_secretariat_gets_the_summary() -> None:
    plan = plan_with(report(), report("ama", date(2027, 6, 30), "survey"))
    since = datetime(2027, 6, 1, tzinfo=UTC)
    # 14 days before: 16 June 2027 at midnight in Accra (UTC)
    assert next_step_at(plan, [], PARTIES, since, RULES) == datetime(2027, 6, 16, tzinfo=UTC)
    first = run_due(plan, [], PARTIES, since, datetime(2027, 6, 16, 0, 0, tzinfo=UTC), RULES)
    assert [(n.recipients, n.kind.value) for n in first.notices] == [
        (("kofi",), "deadline_reminder"),
        (("ama",), "deadline_reminder"),
    ]
    assert first.notices[0].text == (
        "Reminder: the deliverable Annual report of the Ghana group 2027 plan is due on "
        "30 June 2027."
    )
    late = run_due(
        plan,
        [],
        PARTIES,
        datetime(2027, 6, 30, 12, tzinfo=UTC),
        datetime(2027, 7, 1, 0, 0, tzinfo=UTC),
        RULES,
    )
    assert [(n.channel, n.kind.value) for n in late.notices] == [
        ("direct", "overdue"),
        ("direct", "overdue"),
        ("secretariat", "overdue"),
    ]
    assert late.notices[-1].text == (
        "The Ghana group 2027 plan has 2 overdue deliverables: "
        "Annual report (kofi, 2027-06-30), Annual report (ama, 2027-06-30)."
    )
    assert next_step_at(plan, [], PARTIES, datetime(2027, 7, 1, tzinfo=UTC), RULES) is None


def test_after_downtime_only_the_latest_step_is_sent_and_done_deliverables_are_quiet() -> None:
    plan = plan_with(report())
    due = run_due(
        plan,
        [],
        PARTIES,
        datetime(2027, 6, 1, tzinfo=UTC),
        datetime(2027, 6, 29, tzinfo=UTC),
        RULES,
    )
    assert [n.key for n in due.notices] == [
        "deadline_reminder:icig-plan:ghana-2027:vreport:2027-06-30:reminder-3:kofi"
    ]
    done = plan.model_copy(
        update={"deliverables": (report().model_copy(update={"status": DeliverableStatus.DONE}),)}
    )
    quiet = run_due(done, [], PARTIES, datetime(2027, 6, 1, tzinfo=UTC), AT.replace(month=8), RULES)
    assert quiet.notices == []


def test_the_review_closes_at_its_deadline_and_the_use_report_is_chased() -> None:
    plan, request = plan_with(), reviewed()
    reminded = run_due(plan, [request], PARTIES, AT, datetime(2027, 4, 9, 12, tzinfo=UTC), RULES)
    assert [n.recipients for n in reminded.notices] == [("sc-a",), ("sc-b",)]
    closed = run_due(
        plan,
        [request],
        PARTIES,
        datetime(2027, 4, 9, 12, tzinfo=UTC),
        datetime(2027, 4, 13, 5, tzinfo=UTC),
        RULES,
    )
    assert [r.state for r in closed.closed] == [FundingState.APPROVED]
    assert [(n.channel, n.recipients) for n in closed.notices] == [
        ("direct", ("ama",)),
        ("secretariat", ()),
    ]
    approved = closed.closed[0]
    overdue = run_due(
        plan,
        [approved],
        PARTIES,
        datetime(2027, 7, 12, tzinfo=UTC),
        datetime(2027, 7, 13, 5, tzinfo=UTC),
        RULES,
    )
    assert [(n.kind.value, n.channel) for n in overdue.notices] == [
        ("overdue", "direct"),
        ("overdue", "secretariat"),
    ]


STRICT = load_rulebook({"applications": {"silence_counts_as": "object"}})
# sc-left's member withdrew during the review: the Committee's role went with its vote
SITTING = frozenset({"sc-a", "sc-b"})
LEFT = Asker("sc-left", frozenset())


def reviewed_by_three(rulebook: Rulebook = STRICT) -> FundingRequest:
    return start_review(asked(), SECRETARIAT, ("sc-a", "sc-left", "sc-b"), AT, rulebook)


def test_a_reviewer_who_left_is_neither_waited_for_nor_counted_silent() -> None:
    request = recommend(
        reviewed_by_three(), SC["sc-a"], Recommendation.SUPPORT, "", AT, STRICT, SITTING
    )
    assert request.state is FundingState.UNDER_REVIEW
    assert request.awaited(SITTING) == ("sc-b",)
    approved = recommend(request, SC["sc-b"], Recommendation.SUPPORT, "", AT, STRICT, SITTING)
    assert approved.state is FundingState.APPROVED
    assert [(r.person, r.silent) for r in approved.recommendations] == [
        ("sc-a", False),
        ("sc-b", False),
    ]
    with pytest.raises(Forbidden):
        recommend(request, LEFT, Recommendation.OBJECT, "", AT, STRICT, SITTING)
    # at the deadline only the silence of those still sitting counts, as the rulebook says
    assert close_review(request, CLOSES, STRICT, SITTING).state is FundingState.DECLINED
    only_a = frozenset({"sc-a"})
    assert close_review(request, CLOSES, STRICT, only_a).state is FundingState.APPROVED
    declined = close_review(reviewed_by_three(), CLOSES, STRICT, SITTING)
    assert declined.state is FundingState.DECLINED
    assert [r.person for r in declined.recommendations] == ["sc-a", "sc-b"]


def test_the_follow_up_reminds_only_sitting_reviewers_and_closes_once_they_answered() -> None:
    plan, request = plan_with(), reviewed_by_three()
    before_the_reminder = datetime(2027, 4, 9, 12, tzinfo=UTC)
    reminded = run_due(plan, [request], PARTIES, AT, before_the_reminder, STRICT, SITTING)
    assert [n.recipients for n in reminded.notices] == [("sc-a",), ("sc-b",)]
    # and delivery drops one who leaves before the reminder goes out
    assert {n.for_role for n in reminded.notices} == {Role.STEERING_COMMITTEE}
    assert reminded.closed == []
    # sc-a and sc-b answered while sc-left still sat; sc-left leaves: the next look decides
    answered = request.model_copy(
        update={
            "recommendations": tuple(
                FundingRecommendation(person=p, recommendation=Recommendation.SUPPORT, at=AT)
                for p in ("sc-a", "sc-b")
            )
        }
    )
    look = datetime(2027, 3, 20, 9, tzinfo=UTC)
    due = run_due(plan, [answered], PARTIES, AT, look, STRICT, SITTING)
    assert [(r.state, r.decided_at) for r in due.closed] == [(FundingState.APPROVED, look)]
    assert [n.kind.value for n in due.notices] == ["decision", "decision"]
    # a review nobody answered is not decided by nobody before its deadline
    nobody = run_due(plan, [request], PARTIES, AT, look, STRICT, frozenset())
    assert (nobody.closed, nobody.notices) == ([], [])


# found by a review: a Committee member who coordinates the group (or is of one of its member
# organisations) supported its own group's request
GROUP = Group(
    id="ghana",
    name="Ghana group",
    country="GH",
    timezone="Africa/Accra",
    member_ids=frozenset({"co-basalt"}),
    coordinators=frozenset({"sc-coord"}),
)
PARTIES_ON_THE_COMMITTEE = {
    "sc-coord": Asker("sc-coord", frozenset({Role.STEERING_COMMITTEE}), coordinator=True),
    "sc-basalt": Asker("sc-basalt", frozenset({Role.STEERING_COMMITTEE}), member=True),
}


def test_the_group_s_parties_stand_aside_from_the_review_of_its_request() -> None:
    assert stands_aside(GROUP, "sc-coord", "co-aurum")
    assert stands_aside(GROUP, "sc-basalt", "co-basalt")
    assert not stands_aside(GROUP, "sc-a", "co-aurum")
    aside = frozenset({"sc-coord", "sc-basalt"})
    committee = ("sc-a", "sc-coord", "sc-basalt")
    request = start_review(asked(), SECRETARIAT, committee, AT, STRICT, aside)
    assert request.reviewers == ("sc-a",)
    told = step_notices(asked(), request, PARTIES, AT)
    assert [n.recipients for n in told] == [("sc-a",)]
    for party, why in (
        (PARTIES_ON_THE_COMMITTEE["sc-coord"], "sc-coord coordinates ghana"),
        (PARTIES_ON_THE_COMMITTEE["sc-basalt"], "sc-basalt is of a member of ghana"),
    ):
        with pytest.raises(Conflict) as refused:
            recommend(request, party, Recommendation.SUPPORT, "", AT, STRICT)
        assert refused.value.problems[0].path == "by"
        assert refused.value.problems[0].reason.startswith(why)
    # standing aside leaves nobody: the check is refused, as when nobody holds the role
    with pytest.raises(Conflict) as nobody:
        start_review(asked(), SECRETARIAT, ("sc-coord", "sc-basalt"), AT, STRICT, aside)
    assert nobody.value.problems[0].path == "reviewers"
    assert "stands aside" in nobody.value.problems[0].reason


def test_each_change_of_state_tells_its_people() -> None:
    submitted = asked()
    assert [n.channel for n in step_notices(None, submitted, PARTIES, AT)] == ["secretariat"]
    review = reviewed()
    told = step_notices(submitted, review, PARTIES, AT)
    assert [n.recipients for n in told] == [("sc-a",), ("sc-b",)]
    assert {n.for_role for n in told} == {Role.STEERING_COMMITTEE}
    # a request to act, which no opt-out stops, as an application's review request (found by
    # a review: a reviewer who stopped deadline reminders never heard of the review)
    assert {n.kind for n in told} == {K.REQUEST}
    assert not any(stoppable(n.kind) for n in told)
    assert step_notices(review, review, PARTIES, AT) == []


refused_values = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["fr-1", "FR 1", "", "x" * 70]),
        "year": st.sampled_from([2027, 1999, 2101, "soon"]),
        "amount": st.fixed_dictionaries(
            {
                "amount": st.sampled_from(["10.00", "10.001", "-1", "0", "ten", 10.5, "1e20"]),
                "currency": st.sampled_from(["USD", "usd", "XXXX", "ABC", ""]),
            }
        ),
        "purpose": st.sampled_from(["Trainings.", "", "bad\x00text", "y" * 4001]),
    }
)


@settings(max_examples=300, deadline=None)
@given(refused_values)
def test_any_refused_request_names_the_field(data: dict[str, Any]) -> None:
    try:
        FundingAsk.model_validate(data)
    except ValidationError as refused:
        fields = {".".join(str(part) for part in e["loc"]) for e in refused.errors()}
        assert fields
        assert fields <= {"id", "year", "amount.amount", "amount.currency", "purpose"}
