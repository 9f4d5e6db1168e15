"""The Engaged period: evidence towards Full membership, checkpoints and the deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.applications import engaged_period as period
from governance.applications.contracts import engaged_input
from governance.applications.engaged_effects import audit_entry, deadline_item, event_notices
from governance.applications.engaged_period import (
    Checkpoint,
    EngagedRecord,
    PeriodEvent,
    PeriodState,
    checkpoints,
    full_membership_due,
)
from governance.kernel.calendar import EventStatus
from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from governance.kernel.model import Pillar, Role
from governance.kernel.notices import DIRECT
from governance.kernel.timekeeping import end_of_day, start_of_day
from governance.rulebook.model import (
    EngagedPeriod,
    EvidenceKind,
    MonthDay,
    NotificationKind,
    Rulebook,
)

TZ = "America/Toronto"
RULEBOOK = Rulebook()
RULES = RULEBOOK.engaged_period
ADMITTED_ON = date(2027, 6, 10)
STARTED = datetime(2027, 6, 10, 16, 0, tzinfo=UTC)
DUE = datetime(2031, 1, 1, 5, 0, tzinfo=UTC)  # end of 31 December 2030 in Ottawa
NOW = datetime(2028, 9, 1, 14, 0, tzinfo=UTC)
FOCAL = frozenset({Role.FOCAL_POINT})
SECRETARIAT = frozenset({Role.SECRETARIAT})
STEERING = frozenset({Role.STEERING_COMMITTEE})
NAP = EvidenceKind.NATIONAL_ACTION_PLAN
IMPLEMENTATION = EvidenceKind.IMPLEMENTATION_EVIDENCE


def yssel(
    admitted_on: date = ADMITTED_ON,
    started: datetime = STARTED,
    pillar: Pillar = Pillar.GOVERNMENT,
) -> EngagedRecord:
    return engaged_input(
        "gov-yssel", "Government of Yssel", pillar, admitted_on, started, RULEBOOK
    ).record


def with_evidence() -> EngagedRecord:
    return period.record_evidence(yssel(), NAP, NOW, "fp-yssel", FOCAL, "gov-yssel")


def full() -> EngagedRecord:
    return yssel().model_copy(update={"state": PeriodState.FULL})


def events(record: EngagedRecord) -> list[tuple[str, datetime, bool]]:
    return [(e.key, e.at, e.overdue) for e in period.pending_events(record)]


# the deadline and the checkpoints


def test_full_membership_is_due_on_31_december_of_the_third_calendar_year_after_admission() -> None:
    assert full_membership_due(ADMITTED_ON, RULES, TZ) == (date(2030, 12, 31), DUE)
    assert full_membership_due(date(2027, 1, 1), RULES, TZ)[0] == date(2030, 12, 31)
    assert full_membership_due(date(2027, 12, 31), RULES, TZ)[0] == date(2030, 12, 31)


def test_the_deadline_follows_the_rulebook() -> None:
    rules = EngagedPeriod(calendar_years_after_admission=2, due=MonthDay(month=6, day=30))
    assert full_membership_due(ADMITTED_ON, rules, TZ) == (
        date(2029, 6, 30),
        datetime(2029, 7, 1, 4, 0, tzinfo=UTC),
    )


def test_a_new_period_starts_engaged_with_its_deadline_and_the_pillars_evidence() -> None:
    record = yssel()
    assert record.state is PeriodState.ENGAGED
    assert (record.due_date, record.due) == (date(2030, 12, 31), DUE)
    assert record.tracking_since == STARTED
    assert record.required_evidence is NAP
    assert yssel(pillar=Pillar.NGO).required_evidence is IMPLEMENTATION
    assert yssel(pillar=Pillar.OBSERVER).required_evidence is None
    assert record.version == 1


def test_checkpoints_are_yearly_anniversaries_then_90_and_30_days_before_the_deadline() -> None:
    assert checkpoints(ADMITTED_ON, date(2030, 12, 31), RULES, TZ) == (
        Checkpoint(
            key="anniversary-2028",
            at=datetime(2028, 6, 10, 4, 0, tzinfo=UTC),
            label="1 year(s) since admission",
        ),
        Checkpoint(
            key="anniversary-2029",
            at=datetime(2029, 6, 10, 4, 0, tzinfo=UTC),
            label="2 year(s) since admission",
        ),
        Checkpoint(
            key="anniversary-2030",
            at=datetime(2030, 6, 10, 4, 0, tzinfo=UTC),
            label="3 year(s) since admission",
        ),
        Checkpoint(
            key="due-in-90-days-2030-12-31",
            at=datetime(2030, 10, 2, 4, 0, tzinfo=UTC),
            label="90 days before the deadline",
        ),
        Checkpoint(
            key="due-in-30-days-2030-12-31",
            at=datetime(2030, 12, 1, 5, 0, tzinfo=UTC),
            label="30 days before the deadline",
        ),
    )


def test_an_admission_on_29_february_has_its_anniversaries_on_28_february() -> None:
    marks = checkpoints(date(2028, 2, 29), date(2031, 12, 31), RULES, TZ)
    assert [(c.key, c.at) for c in marks] == [
        ("anniversary-2029", start_of_day(date(2029, 2, 28), TZ)),
        ("anniversary-2030", start_of_day(date(2030, 2, 28), TZ)),
        ("anniversary-2031", start_of_day(date(2031, 2, 28), TZ)),
        ("due-in-90-days-2031-12-31", start_of_day(date(2031, 10, 2), TZ)),
        ("due-in-30-days-2031-12-31", start_of_day(date(2031, 12, 1), TZ)),
    ]


def test_no_anniversary_on_or_after_the_deadline() -> None:
    marks = checkpoints(date(2027, 12, 31), date(2030, 12, 31), RULES, TZ)
    assert [c.key for c in marks] == [
        "anniversary-2028",
        "anniversary-2029",
        "due-in-90-days-2030-12-31",
        "due-in-30-days-2030-12-31",
    ]


def test_checkpoints_without_yearly_ones_and_none_before_admission() -> None:
    rules = EngagedPeriod(
        calendar_years_after_admission=1,
        due=MonthDay(month=1, day=31),
        yearly_checkpoints=False,
    )
    # due 31 January 2028: 90 days before is before the admission, 30 days before is not
    marks = checkpoints(date(2027, 11, 15), date(2028, 1, 31), rules, TZ)
    assert [(c.key, c.at) for c in marks] == [
        ("due-in-30-days-2028-01-31", start_of_day(date(2028, 1, 1), TZ)),
    ]


# evidence


def test_the_members_own_focal_point_records_the_evidence_its_pillar_needs() -> None:
    record = period.record_evidence(yssel(), NAP, NOW, "fp-yssel", FOCAL, "gov-yssel", "adopted")
    assert [(e.kind, e.at, e.by, e.note) for e in record.evidence] == [
        (NAP, NOW, "fp-yssel", "adopted")
    ]
    assert record.version == 2


def test_the_secretariat_may_record_evidence() -> None:
    record = period.record_evidence(yssel(), NAP, NOW, "sec-amina", SECRETARIAT, None)
    assert len(record.evidence) == 1


def test_evidence_of_the_wrong_kind_is_invalid() -> None:
    with pytest.raises(InvalidInput) as caught:
        period.record_evidence(yssel(), IMPLEMENTATION, NOW, "fp-yssel", FOCAL, "gov-yssel")
    assert caught.value.problems == [Problem("kind", "a government shows national_action_plan")]


def test_a_pillar_without_required_evidence_accepts_any() -> None:
    record = period.record_evidence(
        yssel(pillar=Pillar.OBSERVER), IMPLEMENTATION, NOW, "sec-amina", SECRETARIAT, None
    )
    assert [e.kind for e in record.evidence] == [IMPLEMENTATION]


@pytest.mark.parametrize(
    ("roles", "member"),
    [(FOCAL, "gov-norland"), (STEERING, "gov-yssel"), (frozenset(), "gov-yssel")],
)
def test_only_the_own_focal_point_or_the_secretariat_records_evidence(
    roles: frozenset[Role], member: str
) -> None:
    with pytest.raises(Forbidden) as caught:
        period.record_evidence(yssel(), NAP, NOW, "someone", roles, member)
    assert caught.value.missing_role == "secretariat"


def test_no_evidence_is_recorded_once_the_member_is_full() -> None:
    with pytest.raises(Conflict) as caught:
        period.record_evidence(full(), NAP, NOW, "sec-amina", SECRETARIAT, None)
    assert caught.value.problems == [Problem("state", "is full")]


# the request for Full membership


def test_full_membership_needs_the_evidence_first() -> None:
    with pytest.raises(Conflict) as caught:
        period.request_full(yssel(), FOCAL, "gov-yssel")
    assert caught.value.problems == [Problem("member", "no national_action_plan recorded yet")]


def test_with_the_evidence_the_request_gets_the_members_id() -> None:
    assert period.request_full(with_evidence(), FOCAL, "gov-yssel") == "full-gov-yssel"
    assert period.request_full(with_evidence(), SECRETARIAT, None) == "full-gov-yssel"


def test_a_second_request_while_one_is_open_is_a_conflict() -> None:
    record = with_evidence().model_copy(
        update={"requests": ("full-gov-yssel",), "open_request": "full-gov-yssel"}
    )
    with pytest.raises(Conflict) as caught:
        period.request_full(record, FOCAL, "gov-yssel")
    assert caught.value.problems == [Problem("member", "full-gov-yssel is still being decided")]


def test_a_new_request_after_a_refused_one_is_numbered() -> None:
    record = with_evidence().model_copy(update={"requests": ("full-gov-yssel",)})
    assert period.request_full(record, FOCAL, "gov-yssel") == "full-gov-yssel-2"
    record = record.model_copy(update={"requests": ("full-gov-yssel", "full-gov-yssel-2")})
    assert period.next_request_id(record) == "full-gov-yssel-3"


def test_another_member_may_not_request_full_membership_for_it() -> None:
    with pytest.raises(Forbidden):
        period.request_full(with_evidence(), FOCAL, "gov-norland")


def test_a_full_member_cannot_request_full_membership_again() -> None:
    with pytest.raises(Conflict):
        period.request_full(full(), SECRETARIAT, None)


def test_a_pillar_without_required_evidence_may_request_at_once() -> None:
    assert period.request_full(yssel(pillar=Pillar.OBSERVER), FOCAL, "gov-yssel") == (
        "full-gov-yssel"
    )


# extensions


NEW_DATE = date(2031, 6, 30)
NEW_DUE = end_of_day(NEW_DATE, TZ)
EXTENDED_AT = datetime(2031, 2, 15, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("roles", [STEERING, SECRETARIAT])
def test_the_steering_committee_or_the_secretariat_extends_the_period(
    roles: frozenset[Role],
) -> None:
    record = yssel()
    extended = period.extend(record, NEW_DATE, NEW_DUE, EXTENDED_AT, "sc-ana", roles, "NAP soon")
    assert (extended.due_date, extended.due) == (NEW_DATE, NEW_DUE)
    assert [(x.due_date, x.at, x.by, x.reason) for x in extended.extensions] == [
        (NEW_DATE, EXTENDED_AT, "sc-ana", "NAP soon")
    ]
    assert extended.version == record.version + 1


def test_a_focal_point_may_not_extend_its_own_period() -> None:
    with pytest.raises(Forbidden) as caught:
        period.extend(yssel(), NEW_DATE, NEW_DUE, EXTENDED_AT, "fp-yssel", FOCAL, "please")
    assert caught.value.missing_role == "steering_committee"


@pytest.mark.parametrize("until", [date(2030, 12, 31), date(2030, 6, 30)])
def test_an_extension_must_move_the_deadline_later(until: date) -> None:
    with pytest.raises(InvalidInput) as caught:
        period.extend(yssel(), until, end_of_day(until, TZ), EXTENDED_AT, "sc-ana", STEERING, "why")
    assert caught.value.problems == [Problem("until", "must be after 31 December 2030")]


def test_a_full_members_period_cannot_be_extended() -> None:
    with pytest.raises(Conflict):
        period.extend(full(), NEW_DATE, NEW_DUE, EXTENDED_AT, "sc-ana", STEERING, "why")


def test_after_an_extension_the_deadline_and_its_escalations_start_again_from_the_new_date() -> (
    None
):
    record = yssel()
    handled = {"anniversary-2028", "deadline-2030-12-31", "overdue-2030-12-31-1"}
    record = record.model_copy(update={"done": frozenset(handled)})
    assert [e for e in events(record) if e[2]] == [
        ("overdue-2030-12-31-2", DUE + timedelta(days=60), True),
    ]
    extended = period.extend(record, NEW_DATE, NEW_DUE, EXTENDED_AT, "sc-ana", STEERING, "soon")
    # the handled keys stay handled; the new deadline's keys are new, so they come again
    assert extended.done == frozenset(handled)
    assert [e for e in events(extended) if e[2]] == [
        ("deadline-2031-06-30", NEW_DUE, True),
        ("overdue-2031-06-30-1", NEW_DUE + timedelta(days=30), True),
    ]


def test_after_an_extension_the_member_is_reminded_before_the_new_deadline() -> None:
    # Extended after the deadline passed, every old checkpoint handled: the member should still
    # get the reminder 30 days before the new deadline (whatever its key).
    record = yssel()
    handled = {c.key for c in record.checkpoints} | {"deadline-2030-12-31"}
    record = record.model_copy(update={"done": frozenset(handled)})
    new_marks = checkpoints(record.admitted_on, NEW_DATE, RULES, TZ)
    extended = period.extend(
        record, NEW_DATE, NEW_DUE, EXTENDED_AT, "sc-ana", STEERING, "soon", new_marks
    )
    reminders = [(e.key, e.at) for e in period.pending_events(extended) if not e.overdue]
    # the reminders of the new deadline, and the anniversary that now falls before it
    assert reminders == [
        ("due-in-90-days-2031-06-30", start_of_day(date(2031, 4, 1), TZ)),
        ("due-in-30-days-2031-06-30", start_of_day(date(2031, 5, 31), TZ)),
        ("anniversary-2031", start_of_day(date(2031, 6, 10), TZ)),
    ]
    # reminders that would already have passed when the extension was granted are dropped
    late = period.extend(
        record,
        NEW_DATE,
        NEW_DUE,
        datetime(2031, 5, 1, tzinfo=UTC),
        "sc-ana",
        STEERING,
        "soon",
        new_marks,
    )
    assert [e.key for e in period.pending_events(late) if not e.overdue] == [
        "due-in-30-days-2031-06-30",
        "anniversary-2031",
    ]


# pending events


def test_a_new_period_has_its_checkpoints_then_the_deadline_then_an_escalation() -> None:
    assert events(yssel()) == [
        ("anniversary-2028", datetime(2028, 6, 10, 4, 0, tzinfo=UTC), False),
        ("anniversary-2029", datetime(2029, 6, 10, 4, 0, tzinfo=UTC), False),
        ("anniversary-2030", datetime(2030, 6, 10, 4, 0, tzinfo=UTC), False),
        ("due-in-90-days-2030-12-31", datetime(2030, 10, 2, 4, 0, tzinfo=UTC), False),
        ("due-in-30-days-2030-12-31", datetime(2030, 12, 1, 5, 0, tzinfo=UTC), False),
        ("deadline-2030-12-31", DUE, True),
        ("overdue-2030-12-31-1", datetime(2031, 1, 31, 5, 0, tzinfo=UTC), True),
    ]


def test_checkpoints_before_tracking_began_are_skipped() -> None:
    since = datetime(2029, 7, 1, 14, 0, tzinfo=UTC)
    record = yssel(started=since)
    assert [key for key, _, _ in events(record)] == [
        "anniversary-2030",
        "due-in-90-days-2030-12-31",
        "due-in-30-days-2030-12-31",
        "deadline-2030-12-31",
        "overdue-2030-12-31-1",
    ]


def test_a_checkpoint_at_the_instant_tracking_begins_is_kept() -> None:
    since = datetime(2029, 6, 10, 4, 0, tzinfo=UTC)
    assert events(yssel(started=since))[0] == ("anniversary-2029", since, False)


def test_a_deadline_already_passed_when_tracking_begins_is_reported_once_then() -> None:
    since = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
    record = yssel(admitted_on=date(2022, 5, 1), started=since)
    assert record.due_date == date(2025, 12, 31)
    assert events(record) == [
        ("deadline-2025-12-31", since, True),
        ("overdue-2025-12-31-1", since + timedelta(days=30), True),
    ]
    record = record.model_copy(update={"done": frozenset({"deadline-2025-12-31"})})
    assert events(record) == [("overdue-2025-12-31-1", since + timedelta(days=30), True)]


def test_escalations_follow_every_thirty_days_after_the_deadline() -> None:
    record = yssel()
    done = {c.key for c in record.checkpoints} | {"deadline-2030-12-31"}
    for n in range(1, 5):
        record = record.model_copy(update={"done": frozenset(done)})
        assert events(record) == [
            (f"overdue-2030-12-31-{n}", DUE + timedelta(days=30 * n), True),
        ]
        done.add(f"overdue-2030-12-31-{n}")


def test_a_full_member_has_no_pending_events() -> None:
    assert period.pending_events(full()) == []
    ended = yssel().model_copy(update={"state": PeriodState.ENDED})
    assert period.pending_events(ended) == []


# what the period publishes


def test_the_deadline_item_is_for_the_member_and_the_secretariat() -> None:
    item = deadline_item(yssel(), "vpi.govsched")
    assert item.uid == "engaged-gov-yssel-deadline@vpi.govsched"
    assert item.kind == "membership_deadline"
    assert item.title == "Government of Yssel: Full membership due"
    assert item.description == "The end of the Engaged period set by the rulebook."
    assert item.start_date == date(2030, 12, 31)
    assert item.status is EventStatus.CONFIRMED
    assert item.audiences == frozenset({"member:gov-yssel", "role:secretariat"})
    assert not item.confidential


def test_the_deadline_item_moves_with_an_extension_and_is_cancelled_once_full() -> None:
    extended = period.extend(yssel(), NEW_DATE, NEW_DUE, EXTENDED_AT, "sc-ana", STEERING, "soon")
    item = deadline_item(extended, "vpi.govsched")
    assert item.start_date == NEW_DATE
    assert item.description == "The end of the Engaged period set by the rulebook, extended 1 time."
    assert deadline_item(full(), "vpi.govsched").status is EventStatus.CANCELLED


def test_a_checkpoint_reminds_each_focal_point_directly_and_the_secretariat() -> None:
    record = yssel()
    event = period.pending_events(record)[0]
    sent = event_notices(record, event, ["fp-yssel-b", "fp-yssel-a"], "Steering Committee")
    assert [(n.kind, n.channel, n.recipients) for n in sent] == [
        (NotificationKind.DEADLINE_REMINDER, DIRECT, ("fp-yssel-a",)),
        (NotificationKind.DEADLINE_REMINDER, DIRECT, ("fp-yssel-b",)),
        (NotificationKind.DEADLINE_REMINDER, "secretariat", ()),
    ]
    assert [n.key for n in sent] == [
        "deadline_reminder:engaged-gov-yssel:vanniversary-2028:fp-yssel-a",
        "deadline_reminder:engaged-gov-yssel:vanniversary-2028:fp-yssel-b",
        "deadline_reminder:engaged-gov-yssel:vanniversary-2028:secretariat",
    ]
    assert sent[0].text == (
        "Government of Yssel has until 31 December 2030 to become a Full member "
        "(1 year since admission); evidence: not yet recorded (national_action_plan)."
    )
    assert all(n.issued_at == event.at and n.item == "engaged-gov-yssel" for n in sent)


def test_a_checkpoint_says_whether_the_evidence_is_recorded() -> None:
    event = PeriodEvent(at=NOW, key="due-in-90-days", label="90 days before the deadline")
    [notice] = event_notices(with_evidence(), event, [], "Steering Committee")
    assert notice.text.endswith("evidence: recorded.")
    [notice] = event_notices(yssel(pillar=Pillar.OBSERVER), event, [], "Steering Committee")
    assert notice.text.endswith("evidence: not required.")


def test_an_overdue_period_asks_the_steering_committee_and_the_secretariat() -> None:
    record = yssel()
    event = next(e for e in period.pending_events(record) if e.overdue)
    sent = event_notices(record, event, ["fp-yssel"], "Steering Committee")
    assert [(n.kind, n.channel, n.recipients) for n in sent] == [
        (NotificationKind.OVERDUE, "steering_committee", ()),
        (NotificationKind.OVERDUE, "secretariat", ()),
    ]
    assert sent[0].text == (
        "Government of Yssel's Engaged period ended on 31 December 2030 without Full "
        "membership: the Steering Committee is asked to extend it or decide."
    )
    assert len({n.key for n in sent}) == 2


def test_the_audit_entry_names_the_member_version_and_action() -> None:
    record = with_evidence()
    entry = audit_entry(record, "engaged_period.evidence_recorded", "fp-yssel", NOW, "NAP")
    assert entry.key == "engaged-gov-yssel:v2:engaged_period.evidence_recorded"
    assert (entry.item_kind, entry.item_id, entry.actor, entry.at, entry.reason) == (
        "member",
        "gov-yssel",
        "fp-yssel",
        NOW,
        "NAP",
    )
    assert entry.data == {"due_date": "2030-12-31", "state": "engaged"}


def test_engaged_input_carries_the_rules_of_the_rulebook() -> None:
    inp = engaged_input(
        "gov-yssel", "Government of Yssel", Pillar.GOVERNMENT, ADMITTED_ON, STARTED, RULEBOOK
    )
    assert inp.started_at == STARTED
    assert inp.engaged_rules == RULES
    assert inp.application_rules.timezone == TZ
    assert inp.record.member == "gov-yssel"
