"""Concern cases stored and read back on both databases: steps, meetings, audit, calendar,
the version guard, and refusals that write nothing (issue 9)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pytest
from sqlalchemy import func, select
from temporalio.client import Client

from governance.concerns.contracts import (
    AcknowledgeConcern,
    DecideConcern,
    FileConcern,
    RecordDialogue,
)
from governance.concerns.model import ConcernState, Filing, Outcome
from governance.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import concerns as concern_repo
from govsched.persistence.tables import ConcernMeetingRow, ConcernStepRow
from govsched.services.concerns import ConcernService
from govsched.services.ids import FILER_CASE_IDS
from tests.concern_registry import SEEDED_AT, concern_registry

AT = SEEDED_AT + timedelta(days=10)
DAY = timedelta(days=1)


@pytest.fixture
def service(db: Database) -> ConcernService:
    with db.writing() as session:
        seed(session, concern_registry(), SEEDED_AT, Rulebook())
    # `record` never reaches Temporal; only `perform` wakes the workflow
    return ConcernService(cast(Client, None), db, Rulebook(), "unused", case_ids=FILER_CASE_IDS)


def file(service: ConcernService, anonymous: bool = True) -> None:
    filing = Filing(id="c-1", about="co-aurum", summary="Untrained guards.", anonymous=anonymous)
    service.record(FileConcern(by="nina-ngo", **filing.model_dump()), AT)


def test_a_case_is_stored_with_its_steps_meetings_audit_and_calendar(
    service: ConcernService, db: Database
) -> None:
    file(service)
    service.record(AcknowledgeConcern(case="c-1", by="sam-sec"), AT + DAY)
    service.record(RecordDialogue(case="c-1", by="sam-sec", note="First meeting."), AT + 2 * DAY)
    with db.reading() as session:
        record = concern_repo.get(session, "c-1")
        assert record is not None
        assert record.state is ConcernState.DIALOGUE
        assert record.version == 3
        steps = session.scalar(select(func.count()).select_from(ConcernStepRow))
        meetings = session.scalars(select(ConcernMeetingRow.held_on)).all()
        entries = audit_repo.entries(session, item_kind="concern")
        ack = calendar_repo.get(session, "concern-c-1-acknowledge@vpi.govsched")
        dialogue = calendar_repo.get(session, "concern-c-1-dialogue@vpi.govsched")
        assert [r.id for r in concern_repo.records(session, member="ngo-watch")] == ["c-1"]
        assert concern_repo.records(session, member="gov-norland") == []
        parties = concern_repo.parties(session, record)
    assert steps == 3
    assert meetings == [date(2026, 11, 13)]
    assert [e.action for e in entries] == [
        "concern.filed",
        "concern.acknowledged",
        "concern.dialogue_recorded",
    ]
    assert ack is not None
    assert ack.item.status.value == "cancelled"
    assert dialogue is not None
    assert dialogue.item.audiences == frozenset(
        {"role:secretariat", "person:nina-ngo", "person:nick-ngo", "person:carl-co"}
    )
    assert parties.chair == ("chris-chair",)
    # every notice so far is in the outbox for the workflow, none names the anonymous filer
    assert record.outbox
    assert all("nina" not in n.text and "Watch" not in n.text for n in record.outbox)


def test_refusals_write_nothing(service: ConcernService, db: Database) -> None:
    file(service)
    with pytest.raises(Forbidden):
        service.record(AcknowledgeConcern(case="c-1", by="carl-co"), AT + DAY)
    with pytest.raises(Conflict):
        service.record(RecordDialogue(case="c-1", by="sam-sec", note="x"), AT + DAY)
    with pytest.raises(NotFound):
        service.record(AcknowledgeConcern(case="c-1", by="olga-gov"), AT + DAY)
    with pytest.raises(Conflict, match="already exists"):
        file(service)
    filing = Filing(id="c-2", about="co-nowhere", summary="x")
    with pytest.raises(InvalidInput, match="no member"):
        service.record(FileConcern(by="nina-ngo", **filing.model_dump()), AT)
    with db.reading() as session:
        record = concern_repo.get(session, "c-1")
        assert record is not None
        assert record.version == 1
        assert len(audit_repo.entries(session, item_kind="concern")) == 1


def test_a_stale_version_is_refused(service: ConcernService, db: Database) -> None:
    file(service)
    with db.reading() as session:
        stale = concern_repo.get(session, "c-1")
    assert stale is not None
    service.record(DecideConcern(case="c-1", by="sam-sec", outcome=Outcome.RESOLVED), AT + DAY)
    with db.writing() as session, pytest.raises(Conflict, match="changed meanwhile"):
        concern_repo.save(session, stale.model_copy(update={"version": 2}), 1)
