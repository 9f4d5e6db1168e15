"""What a case's private link shows (governance/concerns/follow.py): the stage, the next step
and its date, the dated steps; never a name nor anything anyone wrote."""

from __future__ import annotations

from datetime import date, timedelta

from governance.concerns import rules
from governance.concerns.follow import follow_view
from governance.concerns.model import ConcernState, Outcome
from tests.governance.concerns.concern_cast import (
    AT,
    CHAIR,
    FILER,
    RULES,
    SC,
    SECRETARIAT,
    filing,
)

DAY = timedelta(days=1)
# names and words that must never reach a private link's page
NEVER = ("nina-ngo", "nick-ngo", "ngo-watch", "sam-sec", "chris-chair", "sally-sc", "c-1")
WRITTEN = ("Security contractors", "example.org", "Met at the site", "More time", "A plan")


def test_each_stage_says_what_comes_next_and_by_when_and_nothing_else() -> None:
    filed = rules.file_concern(filing(anonymous=True), FILER, AT, RULES).record
    acked = rules.acknowledge(filed, SECRETARIAT, AT + DAY, RULES).record
    met = rules.record_dialogue(acked, SECRETARIAT, AT + 2 * DAY, "Met at the site.", RULES)
    extended = rules.extend_dialogue(met.record, CHAIR, AT + 3 * DAY, "More time.", RULES)
    referred = rules.refer_to_review(extended.record, None, AT + 200 * DAY, RULES).record
    recommended = rules.recommend(
        referred, SC, AT + 210 * DAY, "A plan.", AT + 300 * DAY, "plenary-2027"
    ).record
    decided = rules.decide(
        recommended,
        SECRETARIAT,
        AT + 300 * DAY,
        Outcome.REMEDIAL_PLAN,
        "A plan agreed.",
        RULES,
        (date(2028, 1, 5),),
    ).record
    expected = [
        (filed, "The Secretariat acknowledges the concern", filed.acknowledge_due),
        (acked, "The facilitated dialogue between the parties", acked.dialogue_due),
        (referred, "The Steering Committee's recommendation", referred.review_due),
        (recommended, "The decision, at the Annual Plenary", AT + 300 * DAY),
        (decided, None, None),
    ]
    for record, step, due in expected:
        seen = follow_view(record, RULES)
        said = None if seen.next_step is None else seen.next_step.english()
        assert (seen.state, said, seen.next_due) == (record.state, step, due)
        dump = seen.model_dump_json()
        for secret in NEVER + WRITTEN:
            assert secret not in dump, (record.state, secret)
    last = follow_view(decided, RULES)
    assert last.outcome is Outcome.REMEDIAL_PLAN
    assert last.follow_ups == (date(2028, 1, 5),)
    assert [s.what for s in last.steps] == [
        "filed",
        "acknowledged",
        "dialogue recorded",
        "dialogue extended",
        "referred",
        "recommended",
        "decided",
    ]
    assert [s.at for s in last.steps] == [s.at for s in decided.history]


def test_a_withdrawn_case_has_no_next_step() -> None:
    filed = rules.file_concern(filing(anonymous=True), FILER, AT, RULES).record
    withdrawn = rules.withdraw(filed, FILER, AT + DAY, "Settled with the company.").record
    seen = follow_view(withdrawn, RULES)
    assert (seen.state, seen.next_step, seen.next_due) == (ConcernState.WITHDRAWN, None, None)
    assert "Settled" not in seen.model_dump_json()
