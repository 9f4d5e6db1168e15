"""The participant-concern process: every path, refusals, the single extension (issue 9)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from governance.concerns import rules
from governance.concerns.model import ConcernRecord, ConcernRules, ConcernState, Outcome
from governance.concerns.timeline import TimedKind, next_event, pending_events
from governance.kernel.errors import Conflict, Forbidden, InvalidInput
from governance.kernel.model import MemberStatus, Role
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook, load_rulebook
from tests.governance.concerns.concern_cast import (
    ABOUT,
    AT,
    CHAIR,
    FILER,
    FILER_COLLEAGUE,
    OUTSIDER,
    RULES,
    SC,
    SECRETARIAT,
    filing,
)

S = ConcernState
DAY = timedelta(days=1)


def filed(anonymous: bool = False) -> ConcernRecord:
    return rules.file_concern(filing(anonymous), FILER, AT, RULES).record


def in_dialogue() -> ConcernRecord:
    return rules.acknowledge(filed(), SECRETARIAT, AT + DAY, RULES).record


def in_review() -> ConcernRecord:
    return rules.refer_to_review(in_dialogue(), None, AT + 91 * DAY, RULES).record


def awaiting() -> ConcernRecord:
    target = AT + 200 * DAY
    step = rules.recommend(
        in_review(), SC, AT + 100 * DAY, "Remedial plan.", target, "plenary-2027"
    )
    return step.record


def test_the_whole_path_to_a_remedial_plan_with_reminders_at_its_follow_ups() -> None:
    record = filed()
    assert record.state is S.FILED
    assert record.filer_member == "ngo-watch"
    assert record.acknowledge_due.date() == date(2027, 1, 26)  # end of 25 Jan in Toronto
    record = rules.acknowledge(record, SECRETARIAT, AT + DAY, RULES).record
    assert record.state is S.DIALOGUE
    record = rules.record_dialogue(
        record, SECRETARIAT, AT + 5 * DAY, "First meeting.", RULES
    ).record
    assert record.meetings[0].held_on == date(2027, 1, 16)
    assert next_event(record, RULES).kind is TimedKind.DIALOGUE_CLOSE  # type: ignore[union-attr]
    record = rules.refer_to_review(record, None, record.dialogue_due, RULES).record  # type: ignore[arg-type]
    assert record.state is S.REVIEW
    assert record.history[-1].by == "system"
    record = rules.recommend(record, SC, AT + 120 * DAY, "A plan.", AT + 200 * DAY, "p-27").record
    assert record.state is S.AWAITING_DECISION
    assert record.decision_plenary == "p-27"
    follow = (date(2027, 12, 1), date(2027, 9, 1))
    step = rules.decide(
        record, SECRETARIAT, AT + 200 * DAY, Outcome.REMEDIAL_PLAN, "", RULES, follow
    )
    assert step.record.state is S.DECIDED
    assert step.record.outcome is Outcome.REMEDIAL_PLAN
    assert step.record.decision.follow_ups == (date(2027, 9, 1), date(2027, 12, 1))  # type: ignore[union-attr]
    events = pending_events(step.record, RULES)
    assert [e.key for e in events] == ["follow-up-2027-09-01", "follow-up-2027-12-01"]
    done = rules.mark_done(rules.mark_done(step.record, events[0].key), events[1].key)
    assert pending_events(done, RULES) == []


@pytest.mark.parametrize(
    "outcome",
    [
        Outcome.RESOLVED,
        Outcome.NO_FURTHER_ACTION,
        Outcome.PROPOSE_INACTIVE,
        Outcome.PROPOSE_EXPULSION,
    ],
)
def test_every_decision_outcome_closes_the_case_and_proposals_change_no_status(
    outcome: Outcome,
) -> None:
    step = rules.decide(awaiting(), CHAIR, AT + 200 * DAY, outcome, "Vote 12-0.", RULES)
    assert step.record.outcome is outcome
    assert step.record.final
    assert step.action == "concern.decided"
    assert step.record.decision.plenary == "plenary-2027"  # type: ignore[union-attr]
    assert pending_events(step.record, RULES) == []


@pytest.mark.parametrize("stage", [filed, in_dialogue, in_review])
def test_a_case_can_be_resolved_early_at_any_step_but_nothing_else_is_decided_early(
    stage: object,
) -> None:
    record = stage()  # type: ignore[operator]
    step = rules.decide(record, SECRETARIAT, AT + 150 * DAY, Outcome.RESOLVED, "Settled.", RULES)
    assert step.action == "concern.resolved_early"
    assert step.record.decision.early  # type: ignore[union-attr]
    with pytest.raises(Conflict, match="before the Steering Committee"):
        rules.decide(record, SECRETARIAT, AT, Outcome.PROPOSE_EXPULSION, "", RULES)


@pytest.mark.parametrize("stage", [filed, in_dialogue, in_review, awaiting])
def test_the_filer_its_colleague_or_the_secretariat_withdraw_at_any_step(stage: object) -> None:
    record = stage()  # type: ignore[operator]
    for actor in (FILER, FILER_COLLEAGUE, SECRETARIAT):
        assert rules.withdraw(record, actor, AT + 150 * DAY).record.state is S.WITHDRAWN
    for actor in (ABOUT, SC, OUTSIDER):
        with pytest.raises(Forbidden):
            rules.withdraw(record, actor, AT + 150 * DAY)


def test_closed_cases_refuse_every_action() -> None:
    record = rules.withdraw(filed(), FILER, AT + DAY).record
    with pytest.raises(Conflict):
        rules.withdraw(record, FILER, AT + 2 * DAY)
    with pytest.raises(Conflict):
        rules.decide(record, SECRETARIAT, AT + 2 * DAY, Outcome.RESOLVED, "", RULES)
    with pytest.raises(Conflict):
        rules.acknowledge(record, SECRETARIAT, AT + 2 * DAY, RULES)
    assert pending_events(record, RULES) == []


def test_the_dialogue_is_extended_once_by_the_chair_with_a_reason() -> None:
    record = in_dialogue()
    first_due = record.dialogue_due
    with pytest.raises(Forbidden, match="chair"):
        rules.extend_dialogue(record, SECRETARIAT, AT + 10 * DAY, "More time", RULES)
    with pytest.raises(InvalidInput, match="reason"):
        rules.extend_dialogue(record, CHAIR, AT + 10 * DAY, "  ", RULES)
    step = rules.extend_dialogue(record, CHAIR, AT + 10 * DAY, "Parties met late.", RULES)
    assert step.record.dialogue_due - first_due >= timedelta(days=89)  # type: ignore[operator]
    keys = [e.key for e in pending_events(step.record, RULES)]
    assert keys == ["dialogue-close-1"]
    with pytest.raises(Conflict, match="cannot be extended again"):
        rules.extend_dialogue(step.record, CHAIR, AT + 11 * DAY, "Again.", RULES)


def test_the_number_of_extensions_and_every_period_are_rulebook_settings() -> None:
    book = load_rulebook(
        {"concerns": {"acknowledge_days": 7, "dialogue_extensions": 2, "dialogue_days": 30}}
    )
    custom = ConcernRules.of(book)
    record = rules.file_concern(filing(), FILER, AT, custom).record
    assert record.acknowledge_due.date() == date(2027, 1, 19)
    record = rules.acknowledge(record, SECRETARIAT, AT, custom).record
    for n in range(2):
        record = rules.extend_dialogue(record, CHAIR, AT + DAY, f"reason {n}", custom).record
    assert len(record.extensions) == 2
    assert Rulebook().concerns.steering_committee_review_days == 60


def test_late_acknowledgement_is_the_next_event_until_acknowledged() -> None:
    record = filed()
    event = next_event(record, RULES)
    assert event is not None
    assert event.kind is TimedKind.ACKNOWLEDGE_LATE
    assert event.at == record.acknowledge_due
    escalated = rules.mark_done(record, event.key)
    assert next_event(escalated, RULES) is None
    # acknowledged late: the dialogue still gets its full period from the acknowledgement
    late = rules.acknowledge(escalated, SECRETARIAT, AT + 30 * DAY, RULES).record
    assert late.dialogue_due > AT + 119 * DAY  # type: ignore[operator]


def test_review_late_and_decision_due_are_timed() -> None:
    assert [e.kind for e in pending_events(in_review(), RULES)] == [TimedKind.REVIEW_LATE]
    assert [e.kind for e in pending_events(awaiting(), RULES)] == [TimedKind.DECISION_DUE]
    intersessional = rules.recommend(in_review(), SC, AT + 100 * DAY, "x", None, None).record
    assert pending_events(intersessional, RULES) == []


def test_refusals_for_the_wrong_role_or_state() -> None:
    with pytest.raises(Forbidden):
        rules.file_concern(filing(), SC, AT, RULES)
    with pytest.raises(Forbidden, match="secretariat"):
        rules.file_concern(filing(on_behalf_of="Village council"), FILER, AT, RULES)
    with pytest.raises(InvalidInput, match="third party"):
        rules.file_concern(filing(), SECRETARIAT, AT, RULES)
    with pytest.raises(Conflict, match="itself"):
        rules.file_concern(filing(), ABOUT, AT, RULES)
    with pytest.raises(Forbidden):
        rules.acknowledge(filed(), FILER, AT, RULES)
    with pytest.raises(Conflict):
        rules.record_dialogue(filed(), SECRETARIAT, AT, "note", RULES)
    with pytest.raises(InvalidInput, match="once held"):
        rules.record_dialogue(in_dialogue(), SECRETARIAT, AT + DAY, "n", RULES, date(2027, 3, 1))
    with pytest.raises(Forbidden):
        rules.recommend(in_review(), SECRETARIAT, AT, "x", None, None)
    with pytest.raises(Conflict):
        rules.recommend(in_dialogue(), SC, AT, "x", None, None)
    with pytest.raises(Forbidden):
        rules.refer_to_review(in_dialogue(), CHAIR, AT, RULES)
    with pytest.raises(Forbidden):
        rules.decide(awaiting(), SC, AT, Outcome.RESOLVED, "", RULES)


def test_a_remedial_plan_needs_future_follow_ups_and_only_it_has_them() -> None:
    record, at = awaiting(), AT + 200 * DAY
    with pytest.raises(InvalidInput, match="needs follow-up"):
        rules.decide(record, SECRETARIAT, at, Outcome.REMEDIAL_PLAN, "", RULES)
    with pytest.raises(InvalidInput, match="after today"):
        rules.decide(record, SECRETARIAT, at, Outcome.REMEDIAL_PLAN, "", RULES, (date(2027, 1, 1),))
    with pytest.raises(InvalidInput, match="belong to a remedial plan"):
        rules.decide(record, SECRETARIAT, at, Outcome.RESOLVED, "", RULES, (date(2028, 1, 1),))


def test_the_secretariat_files_on_behalf_of_a_third_party() -> None:
    step = rules.file_concern(filing(on_behalf_of="Valley community forum"), SECRETARIAT, AT, RULES)
    assert step.record.filer_member is None
    assert step.record.on_behalf_of == "Valley community forum"


def test_the_filer_takes_no_chair_committee_or_decision_step_on_their_own_case() -> None:
    """Found by a review: a focal point of the Chair government filed anonymously and then
    extended the dialogue as Chair; the member the concern is about read "extended by
    anonymous", and only the Chair extends. A colleague holding the role acts instead."""
    as_chair = FILER.model_copy(update={"roles": FILER.roles | {Role.CHAIR}})
    as_committee = FILER.model_copy(update={"roles": FILER.roles | {Role.STEERING_COMMITTEE}})
    colleague_chair = FILER_COLLEAGUE.model_copy(
        update={"roles": FILER_COLLEAGUE.roles | {Role.CHAIR}}
    )
    dialogue = rules.acknowledge(filed(anonymous=True), SECRETARIAT, AT + DAY, RULES).record
    with pytest.raises(Conflict, match="filer does not act on it"):
        rules.extend_dialogue(dialogue, as_chair, AT + 10 * DAY, "More time.", RULES)
    with pytest.raises(Conflict, match="filer does not act on it"):
        rules.decide(dialogue, as_chair, AT + 10 * DAY, Outcome.RESOLVED, "", RULES)
    extended = rules.extend_dialogue(dialogue, colleague_chair, AT + 10 * DAY, "Met late.", RULES)
    assert extended.record.extensions[0].by == FILER_COLLEAGUE.person
    review = rules.refer_to_review(extended.record, None, AT + 200 * DAY, RULES).record
    with pytest.raises(Conflict, match="filer does not act on it"):
        rules.recommend(review, as_committee, AT + 201 * DAY, "Plan.", None, None)
    assert rules.recommend(review, SC, AT + 201 * DAY, "Plan.", None, None).record.recommendation


def test_a_secretariat_member_filing_for_a_third_party_still_decides() -> None:
    on_behalf = filing(anonymous=True, on_behalf_of="A community liaison")
    record = rules.file_concern(on_behalf, SECRETARIAT, AT, RULES).record
    decided = rules.decide(record, SECRETARIAT, AT + DAY, Outcome.RESOLVED, "Settled.", RULES)
    assert decided.record.state is S.DECIDED


def test_the_member_the_concern_is_about_does_not_recommend_on_it() -> None:
    """Found by a review: the Steering Committee member of the company a concern was about
    recorded the Committee's recommendation ("no further action, we are innocent")."""
    party = ABOUT.model_copy(update={"roles": ABOUT.roles | {Role.STEERING_COMMITTEE}})
    with pytest.raises(Conflict, match="about does not act on it") as refused:
        rules.recommend(in_review(), party, AT + 100 * DAY, "No further action.", None, None)
    assert [p.path for p in refused.value.problems] == ["by"]


@pytest.mark.parametrize("status", [MemberStatus.WITHDRAWN, MemberStatus.EXPELLED])
def test_a_focal_point_of_a_member_that_left_files_no_concern(status: MemberStatus) -> None:
    left = FILER.model_copy(update={"member_status": status})
    with pytest.raises(Conflict, match="left the initiative") as refused:
        rules.file_concern(filing(), left, AT, RULES)
    assert [p.path for p in refused.value.problems] == ["by"]
    still_a_member = FILER.model_copy(update={"member_status": MemberStatus.INACTIVE})
    assert rules.file_concern(filing(), still_a_member, AT, RULES).record.about == "co-aurum"


def test_the_chair_of_the_member_concerned_neither_extends_nor_decides() -> None:
    """Found by a review: the Chair, whose government the concern was about, extended the
    dialogue and then closed the case as resolved a minute after it was filed."""
    party_chair = ABOUT.model_copy(update={"roles": frozenset({Role.CHAIR, Role.FOCAL_POINT})})
    dialogue = rules.acknowledge(filed(), SECRETARIAT, AT + DAY, RULES).record
    with pytest.raises(Conflict, match="about does not act on it") as extended:
        rules.extend_dialogue(dialogue, party_chair, AT + 2 * DAY, "More time.", RULES)
    with pytest.raises(Conflict, match="about does not act on it") as decided:
        rules.decide(dialogue, party_chair, AT + 2 * DAY, Outcome.RESOLVED, "", RULES)
    assert [p.path for p in (*extended.value.problems, *decided.value.problems)] == ["by", "by"]
    assert rules.extend_dialogue(dialogue, CHAIR, AT + 2 * DAY, "More time.", RULES).record
    resolved = rules.decide(dialogue, SECRETARIAT, AT + 2 * DAY, Outcome.RESOLVED, "", RULES)
    assert resolved.record.state is S.DECIDED


def test_a_dialogue_meeting_is_not_dated_before_the_concern_was_filed() -> None:
    """Found by a review: a meeting dated 0001-01-01 was recorded."""
    dialogue = in_dialogue()
    with pytest.raises(InvalidInput) as refused:
        rules.record_dialogue(dialogue, SECRETARIAT, AT + 5 * DAY, "Met.", RULES, date(1, 1, 1))
    assert [p.path for p in refused.value.problems] == ["held_on"]
    filed_on = local_date(AT, RULES.timezone)
    met = rules.record_dialogue(dialogue, SECRETARIAT, AT + 5 * DAY, "Met.", RULES, filed_on)
    assert met.record.meetings[-1].held_on == filed_on
