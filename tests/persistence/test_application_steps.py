"""An application's step is written once, however often its activity runs (issue 21).

An admission's first step is written by a local activity (workflows/application.py), which runs
again when its workflow task fails or its worker dies before the task completes, possibly while
the first attempt is still writing. Each run writes the same step with the same audit key: the
second finds the key and changes nothing, or, racing the first on PostgreSQL, fails on the key's
unique index and finds it on its retry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from governance.applications import rules
from governance.applications.contracts import ApplicationStep, StepResult
from governance.applications.effects import audit_entry, calendar_changes
from governance.applications.model import APPLICANT, Applicant, ApplicationKind, ApplicationRules
from governance.kernel.actor import Actor
from governance.kernel.audit import AuditEntry
from governance.kernel.model import Pillar, Role
from governance.rulebook.model import Rulebook
from govsched.persistence.commands import applications as commands
from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.tables import ApplicationRow, ApplicationStepRow, AuditRow

AT = datetime(2027, 2, 1, 15, 0, tzinfo=UTC)
TZ = "America/Toronto"


def _submission(application_id: str = "app-ember") -> ApplicationStep:
    """The step an admission's submission writes, made as the workflow makes it."""
    transition = rules.submit(
        application_id,
        ApplicationKind.ADMISSION,
        Applicant(
            organisation="Ember Energy",
            pillar=Pillar.COMPANY,
            country="Yssel",
            contact_email="contact@ember.example",
            statement="We commit to the Voluntary Principles.",
        ),
        APPLICANT,
        AT,
        (datetime(2027, 12, 31, tzinfo=UTC), datetime(2028, 3, 31, tzinfo=UTC)),
        date(2027, 3, 31),
        datetime(2027, 4, 1, 4, 0, tzinfo=UTC),
    )
    record = transition.record
    return ApplicationStep(
        record=record,
        audit=audit_entry(transition, AT),
        calendar=calendar_changes(record, record, AT, ApplicationRules.of(Rulebook())),
        at=AT,
    )


def _record(db: Database, step: ApplicationStep) -> StepResult:
    with db.writing() as session:
        return commands.record_step(session, step, TZ)


def _retried(
    attempt: Callable[[], StepResult], lost: list[IntegrityError], attempts: int = 3
) -> StepResult:
    """An attempt retried as the activity's retry policy would: a write that lost a race on the
    audit key's unique index fails (kept in `lost`), and the next attempt runs."""
    for _ in range(attempts - 1):
        try:
            return attempt()
        except IntegrityError as exc:
            lost.append(exc)
    return attempt()


def _counts(db: Database, application_id: str) -> tuple[int, int, int]:
    with db.reading() as session:
        audit = session.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.item_id == application_id)
        )
        rows = session.scalar(
            select(func.count())
            .select_from(ApplicationRow)
            .where(ApplicationRow.id == application_id)
        )
        steps = session.scalar(
            select(func.count())
            .select_from(ApplicationStepRow)
            .where(ApplicationStepRow.application_id == application_id)
        )
    return int(audit or 0), int(rows or 0), int(steps or 0)


def test_a_step_run_again_after_it_committed_changes_nothing(db: Database) -> None:
    step = _submission()

    first = _record(db, step)
    again = _record(db, step)

    assert first == again == StepResult(member=None)
    assert _counts(db, "app-ember") == (1, 1, 1)
    with db.reading() as session:
        assert application_repo.get(session, "app-ember") == step.record
        (entry,) = audit_repo.entries(session, "application", "app-ember")
    assert entry == step.audit


def test_a_step_run_again_while_the_first_run_writes_is_written_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run has written and not committed when the second begins (a worker that took
    the workflow task over from one still writing): both end, one step is stored. On
    PostgreSQL the second has looked for the audit key, and not found it, before the first
    commits; on SQLite it cannot begin its write before then (`BEGIN IMMEDIATE`)."""
    step = _submission()
    racing = db.engine.dialect.name == "postgresql"
    written, looked = threading.Event(), threading.Event()
    results: dict[str, StepResult] = {}
    failures: list[BaseException] = []
    lost: list[IntegrityError] = []
    append = audit_repo.append

    def append_then_say(session: Session, entry: AuditEntry) -> bool:
        added = append(session, entry)
        if threading.current_thread().name == "second":
            looked.set()
        return added

    monkeypatch.setattr(audit_repo, "append", append_then_say)

    def first() -> None:
        try:
            with db.writing() as session:
                results["first"] = commands.record_step(session, step, TZ)
                written.set()
                if racing:
                    assert looked.wait(timeout=60)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)
            written.set()

    def second() -> None:
        try:
            results["second"] = _retried(lambda: _record(db, step), lost)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    runs = [threading.Thread(target=first, name="first")]
    runs[0].start()
    assert written.wait(timeout=60)
    runs.append(threading.Thread(target=second, name="second"))
    runs[1].start()
    for run in runs:
        run.join(timeout=120)

    assert failures == []
    assert results == {"first": StepResult(member=None), "second": StepResult(member=None)}
    assert _counts(db, "app-ember") == (1, 1, 1)
    # on PostgreSQL the second run's first attempt lost the race on the key and its retry
    # found the entry; on SQLite it waited and found it at once
    assert len(lost) == (1 if racing else 0)


def test_an_older_step_run_again_after_a_later_one_leaves_the_later_record(db: Database) -> None:
    """A submission's step that runs again after the next step was written (a late re-run of
    the local activity) neither rewinds the record nor adds an entry."""
    submitted = _submission()
    checked = rules.mark_complete(
        submitted.record,
        Actor(person="sec", roles=frozenset({Role.SECRETARIAT})),
        AT,
    )
    later = ApplicationStep(record=checked.record, audit=audit_entry(checked, AT), at=AT)
    _record(db, submitted)
    _record(db, later)

    _record(db, submitted)

    with db.reading() as session:
        assert application_repo.get(session, "app-ember") == checked.record
    assert _counts(db, "app-ember") == (2, 1, 2)
