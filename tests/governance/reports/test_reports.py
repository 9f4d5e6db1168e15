"""The reporting cycle's dates, steps, submissions and escalation (issue 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.errors import Conflict, Forbidden, GovernanceError, InvalidInput
from governance.kernel.model import MemberStatus, Pillar, Plenary, Role
from governance.kernel.timekeeping import end_of_day, start_of_day
from governance.reports.cycle import (
    MAY_REPORT,
    NOT_REPORTING,
    EscalationKind,
    ReportKind,
    Review,
    StepKind,
    SubmissionFacts,
    SubmitReport,
    SubmitReview,
    cycle_dates,
    cycle_steps,
    due_steps,
    escalation_for,
    expected_kind,
    missed_in_a_row,
    next_step_at,
    owes_report_for,
    submit_report,
    submit_review,
)
from governance.rulebook.model import Rulebook, load_rulebook

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
PLENARY = Plenary(
    id="plenary-2027",
    year=2027,
    starts=date(2027, 5, 18),
    ends=date(2027, 5, 21),
    location="Norland Harbour",
)
DATES = cycle_dates(PLENARY, RULEBOOK)


def test_the_cycle_is_planned_from_the_plenary() -> None:
    assert (DATES.opens, DATES.due, DATES.review_due) == (
        date(2027, 1, 2),
        date(2027, 4, 3),
        date(2027, 5, 3),
    )
    steps = [(s.kind, s.at) for s in cycle_steps(DATES, RULEBOOK)]
    assert steps == [
        (StepKind.OPEN, start_of_day(date(2027, 1, 2), TZ)),
        (StepKind.REPORT_REMINDER, start_of_day(date(2027, 3, 4), TZ)),
        (StepKind.REPORT_REMINDER, start_of_day(date(2027, 3, 20), TZ)),
        (StepKind.REPORT_REMINDER, start_of_day(date(2027, 3, 27), TZ)),
        (StepKind.REPORT_REMINDER, start_of_day(date(2027, 4, 2), TZ)),
        # overdue the day after the due day; reviewers assigned then
        (StepKind.OVERDUE, end_of_day(date(2027, 4, 3), TZ)),
        (StepKind.ASSIGN, end_of_day(date(2027, 4, 3), TZ)),
        (StepKind.REVIEW_REMINDER, start_of_day(date(2027, 4, 26), TZ)),
        (StepKind.REVIEW_REMINDER, start_of_day(date(2027, 5, 1), TZ)),
        (StepKind.REVIEWS_LATE, end_of_day(date(2027, 5, 3), TZ)),
        (StepKind.CLOSE, end_of_day(date(2027, 5, 21), TZ)),
    ]


@given(hours=st.integers(-24 * 150, 24 * 150))
def test_only_the_latest_passed_reminder_runs_and_nothing_runs_twice(hours: int) -> None:
    steps = cycle_steps(DATES, RULEBOOK)
    now = start_of_day(DATES.due, TZ) + timedelta(hours=hours)
    due = due_steps(steps, now, ())
    assert [s for s in due if s.at > now] == []
    for kind in (StepKind.REPORT_REMINDER, StepKind.REVIEW_REMINDER):
        reminders = [s for s in due if s.kind is kind]
        passed = [s for s in steps if s.kind is kind and s.at <= now]
        assert reminders == passed[-1:]
    others = [
        s
        for s in steps
        if s.at <= now and s.kind not in (StepKind.REPORT_REMINDER, StepKind.REVIEW_REMINDER)
    ]
    assert [s for s in due if s in others] == others
    assert due_steps(steps, now, [s.name for s in steps]) == []
    following = next_step_at(steps, now)
    assert following is None or following > now


def test_a_moved_plenary_renames_its_dated_steps() -> None:
    moved = cycle_dates(
        PLENARY.model_copy(update={"starts": date(2027, 6, 8), "ends": date(2027, 6, 11)}), RULEBOOK
    )
    before = {s.name for s in cycle_steps(DATES, RULEBOOK)}
    after = {s.name for s in cycle_steps(moved, RULEBOOK)}
    assert before & after == {"open-2027-01-02", "close"}


def test_full_reports_every_three_years_from_the_year_after_joining() -> None:
    joined = date(2020, 5, 1)
    kinds = [expected_kind(y, joined, RULEBOOK) for y in range(2021, 2028)]
    full, update = ReportKind.FULL, ReportKind.UPDATE
    assert kinds == [full, update, update, full, update, update, full]
    yearly = load_rulebook({"reporting": {"full_report_every_years": 1}})
    assert {expected_kind(y, joined, yearly) for y in range(2021, 2028)} == {full}


def test_one_miss_refers_two_in_a_row_propose_inactive() -> None:
    held = {2025, 2026, 2027, 2028}
    assert missed_in_a_row(2028, {2027}, held) == 2
    assert missed_in_a_row(2028, {2026}, held) == 1
    assert missed_in_a_row(2028, set(), held) == 1
    assert missed_in_a_row(2028, {2026, 2027}, held) == 3
    assert escalation_for(1, RULEBOOK) is EscalationKind.REFERRED
    assert escalation_for(2, RULEBOOK) is EscalationKind.PROPOSE_INACTIVE
    assert escalation_for(5, RULEBOOK) is EscalationKind.PROPOSE_INACTIVE
    lenient = load_rulebook(
        {
            "reporting": {
                "refer_to_steering_committee_after_missed": 2,
                "propose_inactive_after_missed": 3,
            }
        }
    )
    assert escalation_for(1, lenient) is None


def facts(**kw: object) -> SubmissionFacts:
    base = {
        "dates": DATES,
        "member_status": MemberStatus.FULL,
        "sections": ("A Commitment",),
        "by_roles": frozenset({Role.FOCAL_POINT}),
        "by_member": "co-aurum",
        "already": None,
        "due_kind": ReportKind.FULL,
        "owed": None,
    }
    return SubmissionFacts(**(base | kw))  # type: ignore[arg-type]


CMD = SubmitReport(
    year=2027,
    member="co-aurum",
    by="fp-aurum",
    kind=ReportKind.FULL,
    url="https://aurum.example/vp-2027.pdf",
)


def test_a_report_is_taken_from_its_focal_point_or_the_secretariat_only() -> None:
    on_time = datetime(2027, 4, 2, 15, tzinfo=UTC)
    report = submit_report(CMD, on_time, facts(), TZ)
    assert (report.late, report.sections, report.kind) == (
        False,
        ("A Commitment",),
        ReportKind.FULL,
    )
    late = submit_report(CMD, end_of_day(DATES.due, TZ), facts(), TZ)
    assert late.late
    cases: list[tuple[SubmissionFacts, str, type[GovernanceError]]] = [
        (facts(by_member="co-basalt"), "by", Forbidden),
        (facts(by_roles=None), "by", InvalidInput),
        (facts(member_status=None), "member", InvalidInput),
        (facts(member_status=MemberStatus.WITHDRAWN), "member", InvalidInput),
        (facts(dates=None), "year", InvalidInput),
    ]
    for bad, field, error in cases:
        with pytest.raises(error) as refused:
            submit_report(CMD, on_time, bad, TZ)
        assert [p.path for p in refused.value.problems] == [field]
    with pytest.raises(InvalidInput) as early:
        submit_report(CMD, datetime(2026, 12, 30, tzinfo=UTC), facts(), TZ)
    assert "open on 2 January 2027" in early.value.problems[0].reason
    with pytest.raises(Conflict):
        submit_report(CMD, on_time, facts(already=report), TZ)
    secretariat = facts(by_roles=frozenset({Role.SECRETARIAT}), by_member=None)
    assert submit_report(CMD, on_time, secretariat, TZ).submitted_by == "fp-aurum"
    inactive = facts(member_status=MemberStatus.INACTIVE)
    assert submit_report(CMD, on_time, inactive, TZ).member == "co-aurum"
    with pytest.raises(InvalidInput) as no_public:
        submit_report(CMD.model_copy(update={"public_on": date(2027, 5, 1)}), on_time, facts(), TZ)
    assert [p.path for p in no_public.value.problems] == ["public_on"]


def test_an_update_is_refused_when_a_full_report_is_due() -> None:
    # found by a review: an update was taken for the year a full report was due
    on_time = datetime(2027, 4, 2, 15, tzinfo=UTC)
    update = CMD.model_copy(update={"kind": ReportKind.UPDATE})
    with pytest.raises(InvalidInput) as refused:
        submit_report(update, on_time, facts(due_kind=ReportKind.FULL), TZ)
    assert [p.path for p in refused.value.problems] == ["kind"]
    assert "owes a full report for 2027, not an update" in refused.value.problems[0].reason
    # the kind due is taken, and a full report where an update is due gives more, not less
    assert submit_report(update, on_time, facts(due_kind=ReportKind.UPDATE), TZ).kind == "update"
    assert submit_report(CMD, on_time, facts(due_kind=ReportKind.UPDATE), TZ).kind == "full"


def test_after_the_close_a_report_is_taken_only_from_a_member_that_owed_it() -> None:
    # the cycle closes as its plenary's last day (21 May) ends in the initiative's time zone
    closes = end_of_day(PLENARY.ends, TZ)
    before = submit_report(CMD, closes - timedelta(microseconds=1), facts(owed=None), TZ)
    assert (before.late, before.after_close) == (True, False)
    after = submit_report(CMD, closes, facts(owed=True), TZ)
    assert (after.late, after.after_close) == (True, True)
    with pytest.raises(Conflict) as refused:
        submit_report(CMD, closes, facts(owed=False), TZ)
    assert [p.path for p in refused.value.problems] == ["member"]
    assert "closed with its plenary on 21 May 2027" in refused.value.problems[0].reason


@pytest.mark.parametrize(
    ("joined", "status", "owes"),
    [
        (date(2020, 3, 1), MemberStatus.FULL, True),
        (date(2027, 4, 3), MemberStatus.ENGAGED, True),  # a member on the due day (3 April)
        (date(2027, 4, 4), MemberStatus.ENGAGED, False),  # admitted the day after
        (date(2027, 5, 25), MemberStatus.ENGAGED, False),  # after the plenary (18-21 May)
        (date(2027, 11, 2), MemberStatus.FULL, False),  # late that year
        (date(2020, 3, 1), MemberStatus.INACTIVE, False),
    ],
)
def test_a_member_owes_the_reports_only_of_cycles_it_was_a_member_for(
    joined: date, status: MemberStatus, owes: bool
) -> None:
    assert owes_report_for(status, Pillar.COMPANY, joined, DATES, RULEBOOK) is owes
    # an observer owes none under the default rulebook, whenever it joined
    assert not owes_report_for(status, Pillar.OBSERVER, joined, DATES, RULEBOOK)


def test_a_year_without_a_plenary_does_not_break_a_row_of_missed_reports() -> None:
    """No plenary in 2028, so no cycle: the 2027 and 2029 reports missed are two in a row."""
    held = {2026, 2027, 2029}
    assert missed_in_a_row(2029, {2027}, held) == 2
    assert escalation_for(missed_in_a_row(2029, {2027}, held), RULEBOOK) is (
        EscalationKind.PROPOSE_INACTIVE
    )
    # a cycle held and reported in breaks the row, and a cycle after `year` does not count
    assert missed_in_a_row(2029, {2026}, held) == 1
    assert missed_in_a_row(2027, {2026}, {*held, 2030}) == 2


def test_a_member_that_left_since_its_assignment_no_longer_reviews() -> None:
    assigned = Review(
        year=2027,
        report_of="co-aurum",
        reviewer="gov-b",
        reason="paired",
        assigned_at=end_of_day(DATES.due, TZ),
    )
    cmd = SubmitReview(
        year=2027, report_of="co-aurum", reviewer="gov-b", by="fp-b", url="https://b.example/r"
    )
    at = datetime(2027, 4, 20, 15, tzinfo=UTC)
    roles = frozenset({Role.FOCAL_POINT})
    for left in (MemberStatus.WITHDRAWN, MemberStatus.EXPELLED):
        with pytest.raises(InvalidInput) as refused:
            submit_review(cmd, at, assigned, roles, "gov-b", reviewer_status=left)
        assert [(p.path, p.reason) for p in refused.value.problems] == [
            ("reviewer", f"gov-b is {left.value} and no longer reviews")
        ]
    # an Inactive member may still review, as it may still report (the way back)
    for status in (MemberStatus.INACTIVE, MemberStatus.FULL, MemberStatus.ENGAGED):
        review = submit_review(cmd, at, assigned, roles, "gov-b", reviewer_status=status)
        assert review.submitted_by == "fp-b"


def test_a_member_that_left_is_refused_in_english_whose_article_agrees() -> None:
    """Found by review: "a expelled member does not report"."""
    on_time = datetime(2027, 4, 2, 15, tzinfo=UTC)
    reasons = {}
    for left in (MemberStatus.WITHDRAWN, MemberStatus.EXPELLED):
        with pytest.raises(InvalidInput) as refused:
            submit_report(CMD, on_time, facts(member_status=left), TZ)
        reasons[left] = refused.value.problems[0].reason
    assert reasons == {
        MemberStatus.WITHDRAWN: "a withdrawn member does not report",
        MemberStatus.EXPELLED: "an expelled member does not report",
    }


def test_every_status_that_may_not_report_has_its_sentence() -> None:
    assert set(NOT_REPORTING) == set(MemberStatus) - MAY_REPORT
