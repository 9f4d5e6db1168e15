"""Confidentiality of concerns: who sees a case, and an anonymous filer in every output."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.concerns import rules
from governance.concerns.access import entitled, export_entry, may_see, view
from governance.concerns.effects import (
    audit_entry,
    calendar_items,
    timed_notices,
    transition_notices,
)
from governance.concerns.model import ANONYMOUS, COMMITTEE, ConcernRecord, Outcome
from governance.concerns.rules import Transition
from governance.concerns.timeline import pending_events
from governance.kernel.actor import Actor
from governance.kernel.calendar import PUBLIC, visible_to
from governance.kernel.errors import GovernanceError
from governance.kernel.model import Plenary, Role
from governance.rulebook.model import Rulebook
from governance.year.plenary_agenda import AgendaFacts, as_html, as_markdown, draft_agenda
from tests.governance.concerns.concern_cast import (
    ABOUT,
    AT,
    CHAIR,
    FILER,
    FILER_COLLEAGUE,
    OUTSIDER,
    PARTIES,
    RULES,
    SC,
    SECRETARIAT,
    filing,
)

DAY = timedelta(days=1)
# What would identify the filer: the person, a colleague, the member.
FILER_MARKS = ("nina-ngo", "nick-ngo", "ngo-watch")


def every_step(anonymous: bool) -> list[tuple[ConcernRecord | None, Transition]]:
    """Each step of a case that goes all the way, with the record before it."""
    steps: list[tuple[ConcernRecord | None, Transition]] = []
    t = rules.file_concern(filing(anonymous), FILER, AT, RULES)
    steps.append((None, t))
    makers: list[Callable[[ConcernRecord], Transition]] = [
        lambda r: rules.acknowledge(r, SECRETARIAT, AT + DAY, RULES),
        lambda r: rules.record_dialogue(r, SECRETARIAT, AT + 2 * DAY, "Met.", RULES),
        lambda r: rules.extend_dialogue(r, CHAIR, AT + 3 * DAY, "More time.", RULES),
        lambda r: rules.refer_to_review(r, None, AT + 200 * DAY, RULES),
        lambda r: rules.recommend(r, SC, AT + 210 * DAY, "Plan.", AT + 300 * DAY, "plenary-2027"),
    ]
    for make in makers:
        before = t.record
        t = make(before)
        steps.append((before, t))
    return steps


def outputs(anonymous: bool) -> str:
    """Every notice, calendar item and export line a case produces, as text."""
    parts: list[str] = []
    for before, t in every_step(anonymous):
        at = t.record.history[-1].at
        parts += [n.model_dump_json() for n in transition_notices(t, at, RULES, PARTIES)]
        parts += [c.model_dump_json() for c in calendar_items(before, t.record, at, RULES, PARTIES)]
        for event in pending_events(t.record, RULES):
            parts += [n.model_dump_json() for n in timed_notices(t.record, event, RULES, PARTIES)]
    last = every_step(anonymous)[-1][1].record
    decided = rules.decide(
        last, SECRETARIAT, AT + 300 * DAY, Outcome.REMEDIAL_PLAN, "", RULES, (date(2028, 1, 5),)
    )
    parts += [n.model_dump_json() for n in transition_notices(decided, AT, RULES, PARTIES)]
    for event in pending_events(decided.record, RULES):
        parts += [n.model_dump_json() for n in timed_notices(decided.record, event, RULES, PARTIES)]
    parts.append(json.dumps(export_entry(decided.record, secretariat=False), default=str))
    return "\n".join(parts)


def test_no_notice_calendar_item_or_export_names_an_anonymous_filer() -> None:
    text = outputs(anonymous=True)
    assert "c-1" in text
    assert "co-aurum" in text
    # notices go to the filer's side directly, so their ids appear only as recipients: the
    # texts themselves never carry them
    for line in text.splitlines():
        data = json.loads(line)
        prose = " ".join(str(data.get(k, "")) for k in ("text", "title", "description"))
        assert not any(mark in prose for mark in FILER_MARKS), prose
        assert not any(mark in str(data.get("history", "")) for mark in FILER_MARKS)
        if "audiences" in data:
            assert PUBLIC not in data["audiences"]
            assert data["confidential"]


def test_anonymous_filer_is_masked_in_state_except_in_the_secretariats_export() -> None:
    record = every_step(anonymous=True)[-1][1].record
    withdrawn = rules.withdraw(record, FILER, AT + 250 * DAY).record
    masked = export_entry(withdrawn, secretariat=False)
    assert next(h["by"] for h in masked["history"]) == ANONYMOUS
    assert masked["history"][-1]["by"] == ANONYMOUS
    assert set(masked) == {"id", "about", "state", "outcome", "history"}
    own = export_entry(withdrawn, secretariat=True)
    assert own["history"][0]["by"] == "nina-ngo"
    named = export_entry(every_step(anonymous=False)[-1][1].record, secretariat=False)
    assert named["history"][0]["by"] == "nina-ngo"


@pytest.mark.parametrize("viewer", [ABOUT, SC, CHAIR])
def test_the_other_party_and_the_bodies_see_anonymous_in_the_case(viewer: object) -> None:
    record = every_step(anonymous=True)[-1][1].record
    seen = view(record, viewer)  # type: ignore[arg-type]
    assert seen.filed_by == ANONYMOUS
    assert seen.filer_member is None
    assert "nina-ngo" not in seen.model_dump_json()


@pytest.mark.parametrize("viewer", [SECRETARIAT, FILER, FILER_COLLEAGUE])
def test_the_secretariat_and_the_filers_side_see_who_filed(viewer: object) -> None:
    record = every_step(anonymous=True)[-1][1].record
    assert view(record, viewer).filed_by == "nina-ngo"  # type: ignore[arg-type]


def test_the_steering_committee_reads_a_case_only_from_the_review_step() -> None:
    steps = [t.record for _, t in every_step(anonymous=False)]
    dialogue, review = steps[3], steps[4]
    assert not may_see(dialogue, SC)
    assert may_see(review, SC)
    assert entitled(review, SC)
    early = rules.decide(dialogue, SECRETARIAT, AT + 9 * DAY, Outcome.RESOLVED, "", RULES).record
    assert not may_see(early, SC)
    # the Chair knows of the case (to extend, to be told of a late acknowledgement) but reads
    # its contents only from the review step
    assert may_see(dialogue, CHAIR)
    assert not entitled(dialogue, CHAIR)
    assert view(dialogue, CHAIR).summary is None
    assert not may_see(dialogue, OUTSIDER)
    assert view(dialogue, ABOUT).summary is not None


def test_calendar_items_reach_the_parties_feeds_never_the_public_or_outsiders() -> None:
    steps = every_step(anonymous=True)
    before, t = steps[1]
    items = calendar_items(before, t.record, AT + DAY, RULES, PARTIES)
    assert {i.status.value for i in items} == {"cancelled", "confirmed"}
    outsider = frozenset({PUBLIC, "person:olga-gov", "role:focal_point", "member:gov-norland"})
    assert not any(visible_to(i, outsider) for i in items)
    assert all(visible_to(i, frozenset({"person:carl-co"})) for i in items)
    review = calendar_items(steps[4][0], steps[4][1].record, AT + 200 * DAY, RULES, PARTIES)
    assert any(visible_to(i, frozenset({"role:steering_committee"})) for i in review)


def test_the_late_acknowledgement_goes_to_the_chair_and_the_secretariat() -> None:
    record = every_step(anonymous=True)[0][1].record
    (event,) = pending_events(record, RULES)
    notices = timed_notices(record, event, RULES, PARTIES)
    assert {(n.channel, n.recipients) for n in notices} == {
        ("direct", ("chris-chair",)),
        ("secretariat", ()),
    }
    assert all("14 days" in n.text for n in notices)


def test_every_step_is_audited_with_a_unique_key() -> None:
    entries = [audit_entry(t, t.record.history[-1].at) for _, t in every_step(anonymous=True)]
    assert len({e.key for e in entries}) == len(entries)
    assert [e.action for e in entries][:2] == ["concern.filed", "concern.acknowledged"]


def test_the_agenda_names_the_member_concerned_never_the_filer() -> None:
    record = every_step(anonymous=True)[-1][1].record
    plenary = Plenary(
        id="plenary-2027",
        year=2027,
        starts=date(2027, 5, 18),
        ends=date(2027, 5, 21),
        location="Norland Harbour",
    )
    facts = AgendaFacts(
        plenary=plenary,
        as_of=date(2027, 4, 1),
        concerns=(record,),
        names={"co-aurum": "Aurum Mining", "ngo-watch": "Watch NGO"},
    )
    agenda = draft_agenda(facts, Rulebook(), None)
    (section,) = [s for s in agenda.sections if s.key == "participant_concerns"]
    assert section.items
    assert "Aurum Mining" in section.items[0]
    for text in (agenda.model_dump_json(), as_markdown(agenda), as_html(agenda)):
        assert not any(m in text for m in (*FILER_MARKS, "Watch NGO"))
    other = AgendaFacts(
        plenary=plenary.model_copy(update={"id": "plenary-2028"}),
        as_of=date(2027, 4, 1),
        concerns=(record,),
    )
    (empty,) = [
        s for s in draft_agenda(other, Rulebook(), None).sections if s.key == "participant_concerns"
    ]
    assert empty.items == ()


def test_a_colleague_of_an_anonymous_filer_is_masked_too() -> None:
    record = every_step(anonymous=True)[-1][1].record
    withdrawn = rules.withdraw(record, FILER_COLLEAGUE, AT + 250 * DAY).record
    assert view(withdrawn, ABOUT).history[-1].by == ANONYMOUS
    assert view(withdrawn, SC).history[-1].by == ANONYMOUS
    assert export_entry(withdrawn, secretariat=False)["history"][-1]["by"] == ANONYMOUS
    assert view(withdrawn, SECRETARIAT).history[-1].by == "nick-ngo"
    # the Secretariat withdrawing is not the filer's side
    by_secretariat = rules.withdraw(record, SECRETARIAT, AT + 250 * DAY).record
    assert view(by_secretariat, ABOUT).history[-1].by == "sam-sec"


# -- who is masked: the filer, never the Secretariat acting on the case ---------------------------

SECRETARIAT_TOO = Actor(person="sara-sec", roles=frozenset({Role.SECRETARIAT}))
STEPS = st.lists(
    st.sampled_from(
        ["acknowledge", "dialogue", "extend", "refer", "recommend", "decide", "withdraw-own"]
    ),
    max_size=8,
)


def _apply(record: ConcernRecord, step: str, at: datetime) -> ConcernRecord | None:
    """The step on the case, or None when the rules refuse it in this state."""
    withdrawer = FILER if record.filer_member else SECRETARIAT
    makers: dict[str, Callable[[], Transition]] = {
        "acknowledge": lambda: rules.acknowledge(record, SECRETARIAT_TOO, at, RULES),
        "dialogue": lambda: rules.record_dialogue(record, SECRETARIAT, at, "Met.", RULES),
        "extend": lambda: rules.extend_dialogue(record, CHAIR, at, "More time.", RULES),
        "refer": lambda: rules.refer_to_review(record, SECRETARIAT, at, RULES),
        "recommend": lambda: rules.recommend(record, SC, at, "Plan.", at + DAY, "plenary-2027"),
        "decide": lambda: rules.decide(record, SECRETARIAT_TOO, at, Outcome.RESOLVED, "", RULES),
        "withdraw-own": lambda: rules.withdraw(record, withdrawer, at),
    }
    try:
        return makers[step]().record
    except GovernanceError:
        return None


@given(third_party=st.booleans(), anonymous=st.booleans(), steps=STEPS)
def test_only_the_filers_own_steps_are_ever_masked(
    third_party: bool, anonymous: bool, steps: list[str]
) -> None:
    """Over generated histories: with the Secretariat filing for a third party, only the
    filing is the filer's (the third party's, through the Secretariat); every other step is
    named, in state.json and to every viewer. With a member filing, its side's steps are
    masked from those who may not know the filer."""
    if third_party:
        made = filing(anonymous, on_behalf_of="Lower Valley forum")
        record = rules.file_concern(made, SECRETARIAT, AT, RULES).record
    else:
        record = rules.file_concern(filing(anonymous), FILER, AT, RULES).record
    at = AT
    for action in steps:
        at += 3 * DAY
        record = _apply(record, action, at) or record
    filers = {SECRETARIAT.person} if third_party else {FILER.person, FILER_COLLEAGUE.person}
    for viewer in (ABOUT, SC, CHAIR, OUTSIDER, None):
        lines = (
            export_entry(record, secretariat=False)["history"]
            if viewer is None
            else [s.model_dump() for s in view(record, viewer).history]
        )
        for line, step in zip(lines, record.history, strict=True):
            own = step.action == "concern.filed" or (not third_party and step.by in filers)
            masked = anonymous and own
            assert line["by"] == (ANONYMOUS if masked else step.by), (viewer, step)
    for viewer in (SECRETARIAT, FILER, None):
        if viewer is None:
            named = export_entry(record, secretariat=True)["history"]
        else:
            named = [s.model_dump() for s in view(record, viewer).history]
        if viewer is FILER and third_party:
            continue  # not a party to the third party's case
        assert [line["by"] for line in named] == [s.by for s in record.history]


def test_the_parties_read_the_recommendation_as_the_committees_not_a_members() -> None:
    """Found by a review: the filer and the member concerned read which Committee member wrote
    the recommendation down. They still read the recommendation itself (the decision to come is
    about them); the Secretariat and the Committee see who recorded it."""
    recommended = every_step(anonymous=False)[-1][1].record
    for party in (FILER, FILER_COLLEAGUE, ABOUT):
        seen = view(recommended, party)
        assert seen.recommendation == "Plan."
        assert [s.by for s in seen.history if s.action == "concern.recommended"] == [COMMITTEE]
        assert SC.person not in seen.model_dump_json()
    for body in (SECRETARIAT, SC):
        seen = view(recommended, body)
        assert [s.by for s in seen.history if s.action == "concern.recommended"] == [SC.person]
