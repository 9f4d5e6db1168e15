"""The roster activities on both databases: planned, drawn and deferred once, however retried."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from temporalio.testing import ActivityEnvironment

from activities.roster import RosterActivities
from governance.kernel.calendar import EventStatus
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SchedulePlenary
from governance.roster.contracts import (
    ApplyDeferral,
    DeferralRequest,
    DrawnRoster,
    PlanRoster,
    PresenterLookup,
    RosterPlan,
)
from governance.roster.document import verify
from governance.roster.rule import LedgerEntry, PresentationOutcome
from governance.rulebook.model import Rulebook
from govsched.notify.console import ConsoleNotifier, RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import roster as roster_repo
from govsched.persistence.tables import PresentationRow, RosterRow

SCHEDULED = datetime(2027, 1, 5, 15, tzinfo=UTC)
DECIDED = datetime(2027, 2, 22, 15, tzinfo=UTC)


def _registry() -> list[RegistryCommand]:
    # the host: a government, Engaged so that the draw is among the companies alone
    commands: list[RegistryCommand] = [
        AddMember(
            id="gov-0",
            name="Government 0",
            pillar=Pillar.GOVERNMENT,
            country="Norland",
            status=MemberStatus.ENGAGED,
        )
    ]
    for k in range(6):
        commands.append(
            AddMember(
                id=f"co-{k}",
                name=f"Company {k}",
                pillar=Pillar.COMPANY,
                country="Norland",
                joined=date(2010 + k, 5, 1),
            )
        )
        commands.append(
            AddPerson(
                id=f"fp-co-{k}",
                name=f"Focal {k}",
                email=f"fp{k}@co.example",
                member=f"co-{k}",
                roles=[Role.FOCAL_POINT],
            )
        )
    commands.append(
        SchedulePlenary(
            year=2027,
            starts=date(2027, 5, 18),
            ends=date(2027, 5, 21),
            location="Norland Harbour",
            host="gov-0",
        )
    )
    return commands


@pytest.fixture
def activities(db: Database) -> RosterActivities:
    with db.writing() as session:
        seed(session, _registry(), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
    return RosterActivities(db, Rulebook(), ConsoleNotifier(io.StringIO()))


def _plan(activities: RosterActivities) -> RosterPlan:
    result: RosterPlan = ActivityEnvironment().run(
        activities.plan, PlanRoster(plenary_id="plenary-2027", scheduled_at=SCHEDULED)
    )
    return result


def test_the_plan_counts_back_from_the_plenary_in_local_days(
    db: Database, activities: RosterActivities
) -> None:
    plan = _plan(activities)
    assert plan.draw_on == date(2027, 2, 17)  # 90 days before 18 May
    assert plan.call_at == datetime(2027, 2, 17, 5, tzinfo=UTC)  # local midnight, Toronto
    assert plan.deferral_last_day == date(2027, 3, 10)
    assert plan.deferral_closes == datetime(2027, 3, 11, 5, tzinfo=UTC)
    assert plan.plenary_begins_at == datetime(2027, 5, 18, 4, tzinfo=UTC)  # summer time
    assert plan.outcomes_due_at == datetime(2027, 5, 22, 4, tzinfo=UTC)
    # Planned again (a retry, or the workflow replanning): the same seed, announced once.
    assert _plan(activities) == plan
    with db.reading() as session:
        actions = [e.action for e in audit_repo.entries(session, item_id="2027")]
    assert actions == ["roster.seed_published"]


def test_the_draw_publishes_once_with_calendar_events(
    db: Database, activities: RosterActivities
) -> None:
    plan = _plan(activities)
    first = ActivityEnvironment().run(activities.draw, plan)
    again = ActivityEnvironment().run(activities.draw, plan)
    assert again == first
    assert [s.member for s in first.document.slots] == ["co-0", "co-1"]
    assert first.presenters["co-0"].focal_points == ("fp-co-0",)
    with db.reading() as session:
        event = calendar_repo.get(session, "roster-2027-co-0@vpi.govsched")
        stored = roster_repo.document(session, "plenary-2027")
        presenting = roster_repo.slot_members(session, "plenary-2027")
        actions = [e.action for e in audit_repo.entries(session, item_id="2027")]
    assert presenting == ("co-0", "co-1")
    assert event is not None
    assert event.item.status is EventStatus.CONFIRMED
    # the workflow gets the draw without its inputs, which the stored document keeps
    assert stored is not None
    assert stored.members
    assert (first.document.members, first.document.ledger) == ((), ())
    assert stored.model_copy(update={"members": (), "ledger": ()}) == first.document
    assert actions == ["roster.seed_published", "roster.published"]


def _deferral_of_co_0(plan: RosterPlan) -> ApplyDeferral:
    request = DeferralRequest(
        member="co-0", reason="Audit late.", requested_by="fp-co-0", requested_at=DECIDED
    )
    return ApplyDeferral(plan=plan, request=request, decided_by="chair", at=DECIDED)


def _ledger_rows(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(PresentationRow)) or 0)


def test_a_deferral_is_applied_once_and_its_event_cancelled(
    db: Database, activities: RosterActivities
) -> None:
    plan = _plan(activities)
    ActivityEnvironment().run(activities.draw, plan)
    order = _deferral_of_co_0(plan)
    result = ActivityEnvironment().run(activities.apply_deferral, order)
    retried = ActivityEnvironment().run(activities.apply_deferral, order)
    assert retried == result
    assert result.vacated.member == "co-0"
    assert result.replacement is not None
    assert result.replacement.member == "co-2"
    assert [s.member for s in result.published.document.slots] == ["co-2", "co-1"]
    assert _ledger_rows(db) == 1
    with db.reading() as session:
        vacated = calendar_repo.get(session, "roster-2027-co-0@vpi.govsched")
        added = calendar_repo.get(session, "roster-2027-co-2@vpi.govsched")
        ledger = roster_repo.ledger(session)
    assert vacated is not None
    assert vacated.item.status is EventStatus.CANCELLED
    assert added is not None
    assert added.item.status is EventStatus.CONFIRMED
    assert ledger == [LedgerEntry(year=2027, member="co-0", outcome=PresentationOutcome.DEFERRED)]


def test_presenters_without_a_recorded_outcome_are_named(
    db: Database, activities: RosterActivities
) -> None:
    plan = _plan(activities)
    ActivityEnvironment().run(activities.draw, plan)
    with db.writing() as session:
        entry = LedgerEntry(year=2027, member="co-1", outcome=PresentationOutcome.PRESENTED)
        roster_repo.add_entry(session, entry, DECIDED, "sec")
    assert ActivityEnvironment().run(activities.unrecorded, plan) == ["Company 0"]


def test_a_plenary_scheduled_late_is_drawn_at_once_with_a_shorter_window(
    db: Database, activities: RosterActivities
) -> None:
    late = datetime(2027, 5, 1, 15, tzinfo=UTC)  # 17 days before the plenary
    plan: RosterPlan = ActivityEnvironment().run(
        activities.plan, PlanRoster(plenary_id="plenary-2027", scheduled_at=late)
    )
    assert plan.draw_on == date(2027, 5, 1)
    # at the instant it was scheduled, not at the start of that day, when it did not exist
    assert plan.call_at == late
    assert plan.deferral_last_day == date(2027, 5, 17)  # the eve of the plenary


def test_a_plenary_moved_past_its_call_is_drawn_at_the_move_and_a_drawn_one_stays(
    db: Database, activities: RosterActivities
) -> None:
    moved = datetime(2027, 3, 20, 15, tzinfo=UTC)  # the call for 18 May was 17 February
    plan: RosterPlan = ActivityEnvironment().run(
        activities.plan,
        PlanRoster(plenary_id="plenary-2027", scheduled_at=SCHEDULED, moved_at=moved),
    )
    assert (plan.draw_on, plan.call_at) == (date(2027, 3, 20), moved)
    assert plan.deferral_last_day == date(2027, 4, 10)
    drawn: RosterPlan = ActivityEnvironment().run(
        activities.plan,
        PlanRoster(plenary_id="plenary-2027", scheduled_at=SCHEDULED, drawn_on=date(2027, 3, 20)),
    )
    assert (drawn.draw_on, drawn.deferral_last_day) == (date(2027, 3, 20), date(2027, 4, 10))
    # planned again before its call: the call stays at local midnight 90 days before
    assert _plan(activities).call_at == datetime(2027, 2, 17, 5, tzinfo=UTC)


def test_a_roster_kept_in_the_store_answers_who_presents_and_announces_from_the_store(
    db: Database, activities: RosterActivities
) -> None:
    plan = _plan(activities)
    notifier = RecordingNotifier()
    stored = RosterActivities(db, Rulebook(), notifier)
    drawn = ActivityEnvironment().run(stored.draw_stored, plan)
    assert drawn == DrawnRoster(slots=("co-0", "co-1"))
    assert ActivityEnvironment().run(stored.draw_stored, plan) == drawn  # drawn once
    due = ActivityEnvironment().run(stored.announce, plan)
    # everyone hears of the roster; each presenter's focal point of its own slot
    told = [n.recipients or (n.channel,) for n in notifier.sent]
    assert told == [("all_members",), ("fp-co-0",), ("fp-co-1",)]
    assert due == 3
    retry = ActivityEnvironment()
    retry.info = dataclasses.replace(retry.info, heartbeat_details=[1])
    assert retry.run(stored.announce, plan) == 3
    assert len(notifier.sent) == 3  # resumed after the second, and the ledger holds it


def test_the_announcement_reads_the_stored_document_without_its_inputs(
    db: Database, activities: RosterActivities
) -> None:
    """Its notices and calendar events read the slots; the inputs (every member's history and
    the ledger), most of the document at 20,000 members, are never loaded for them."""
    plan = _plan(activities)
    with db.reading() as session:  # planned, not drawn: the roster's row has no document yet
        assert roster_repo.document_without_inputs(session, "plenary-2027") is None
    ActivityEnvironment().run(activities.draw_stored, plan)
    ActivityEnvironment().run(activities.apply_stored_deferral, _deferral_of_co_0(plan))
    with db.reading() as session:
        whole = roster_repo.document(session, "plenary-2027")
        light = roster_repo.document_without_inputs(session, "plenary-2027")
        unknown = roster_repo.document_without_inputs(session, "plenary-1999")
    assert whole is not None
    assert whole.members
    assert whole.deferrals
    assert light == whole.model_copy(update={"members": (), "ledger": ()})
    assert unknown is None


def test_a_deferral_in_the_store_answers_only_the_two_slots_that_changed(
    db: Database, activities: RosterActivities
) -> None:
    plan = _plan(activities)
    ActivityEnvironment().run(activities.draw_stored, plan)
    order = _deferral_of_co_0(plan)
    applied = ActivityEnvironment().run(activities.apply_stored_deferral, order)
    assert applied.vacated.member == "co-0"
    assert applied.replacement is not None
    assert applied.replacement.member == "co-2"
    assert sorted(applied.presenters) == ["co-0", "co-2"]
    assert applied.presenters["co-2"].focal_points == ("fp-co-2",)
    assert _ledger_rows(db) == 1
    # who presents is stored again with the document: the replacement in, by its key
    with db.reading() as session:
        stored = roster_repo.document(session, "plenary-2027")
        assert stored is not None
        slots = tuple(slot.member for slot in stored.slots)
        assert "co-2" in slots
        assert roster_repo.slot_members(session, "plenary-2027") == slots
        for member in ("co-0", "co-1", "co-2", "co-3"):
            assert roster_repo.presents(session, "plenary-2027", member) is (member in slots)
    lookup = PresenterLookup(member="co-1")
    presenter = ActivityEnvironment().run(activities.presenter, lookup)
    assert (presenter.name, presenter.focal_points) == ("Company 1", ("fp-co-1",))


def test_a_roster_stored_before_rule_versions_stays_version_1_through_a_deferral(
    db: Database, activities: RosterActivities
) -> None:
    # A document saved by an earlier govsched: its rules carry no rule_version.
    plan = _plan(activities)
    ActivityEnvironment().run(activities.draw_stored, plan)
    with db.writing() as session:
        row = session.get(RosterRow, "plenary-2027")
        assert row is not None
        assert row.document is not None
        old = dict(row.document)
        old["rules"] = {k: v for k, v in old["rules"].items() if k != "rule_version"}
        row.document = old
    with db.reading() as session:
        stored = roster_repo.document(session, "plenary-2027")
    assert stored is not None
    assert stored.rules.rule_version == 1
    assert verify(stored) == []
    ActivityEnvironment().run(activities.apply_stored_deferral, _deferral_of_co_0(plan))
    with db.reading() as session:
        after = roster_repo.document(session, "plenary-2027")
    assert after is not None
    assert after.rules.rule_version == 1  # recomputed, and replaced, by the rule that drew it
    assert [d.member for d in after.deferrals] == ["co-0"]
    assert verify(after) == []
