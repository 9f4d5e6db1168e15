"""The application workflow driven by its updates, on both Temporal servers."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from temporalio import activity
from temporalio.activity import _Definition as _ActivityDefinition
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer, Worker

from activities.applications import ApplicationActivities
from governance.applications import requests as req
from governance.applications.contracts import (
    ApplicationStep,
    StepResult,
    application_workflow_id,
    engaged_workflow_id,
)
from governance.applications.model import ApplicationState
from governance.kernel.errors import Conflict, Forbidden, NotFound
from governance.kernel.model import Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, audit_entry
from governance.registry.person_roles import ChangePersonRoles
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.registry import decide, seed
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.services.applications import ApplicationService
from govsched.worker import activities_for
from tests.helpers import T0, record_sitting_plenary, running_worker
from workflows import WORKFLOWS
from workflows.base.keepalive import StoreKeepalive
from workflows.base.sandbox import workflow_runner

REGISTRY: list[RegistryCommand] = [
    AddMember(id="gov-norland", name="Government of Norland", pillar="government", country="N"),
    AddMember(id="gov-estavia", name="Government of Estavia", pillar="government", country="E"),
    AddPerson(id="sec", name="Amina", email="sec@example.org", roles=["secretariat"]),
    AddPerson(
        id="sc-1",
        name="Lea",
        email="sc1@example.org",
        member="gov-norland",
        roles=["focal_point", "steering_committee"],
    ),
    AddPerson(
        id="fp-estavia",
        name="Ines",
        email="ines@example.org",
        member="gov-estavia",
        roles=["focal_point"],
    ),
]


def _submission() -> req.SubmitApplication:
    """Each test its own id: the Temporal server is shared by the whole session."""
    return req.SubmitApplication(
        id=f"app-moz-{uuid.uuid4().hex[:8]}",
        organisation="Government of Mozambique",
        pillar="government",
        country="Mozambique",
        contact_email="vps@moz.example",
        statement="We apply to join.",
    )


def _seeded(db: Database) -> None:
    with db.writing() as session:
        seed(session, REGISTRY, T0, Rulebook())


async def test_an_application_goes_from_intake_to_admission_through_its_updates(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    _seeded(lane_db)
    client = workflow_env.client
    now: datetime = await workflow_env.get_current_time()
    submission = _submission()
    app = submission.id
    assert app is not None
    async with running_worker(client, lane_db) as queue:
        service = ApplicationService(client, lane_db, Rulebook(), queue)
        first = await service.submit(submission, "sec", now)
        again = await service.submit(submission, "sec", now)
        await service.perform(
            req.RequestInformation(application=app, by="sec", question="Roadmap?"), now
        )
        await service.perform(
            req.ProvideInformation(application=app, by="sec", answer="Attached."), now
        )
        await service.perform(req.MarkComplete(application=app, by="sec"), now)
        reviewed = await service.perform(req.StartReview(application=app, by="sec"), now)
        closed = await service.perform(
            req.Recommend(application=app, by="sc-1", recommendation="support"), now
        )
        objected = await service.perform(
            req.Object(application=app, by="fp-estavia", reason="Discuss first."), now
        )
        sitting = record_sitting_plenary(lane_db, now)
        admitted = await service.perform(
            req.RecordPlenaryDecision(application=app, by="sec", decision="admit"), now
        )
        with pytest.raises(Conflict) as after_the_end:
            await service.perform(req.MarkComplete(application=app, by="sec"), now)
        handle = client.get_workflow_handle(application_workflow_id(app))
        await handle.result()
        engaged = await client.get_workflow_handle(
            engaged_workflow_id(admitted.member or "")
        ).describe()
        history = await handle.fetch_history()

    assert first.state is ApplicationState.AWAITING_CHECK
    assert again.id == first.id
    assert again.version == first.version
    assert reviewed.reviewers == ("sc-1",)
    assert closed.state is ApplicationState.NO_OBJECTION_PERIOD  # the only reviewer answered
    assert objected.state is ApplicationState.AWAITING_PLENARY
    assert admitted.state is ApplicationState.ADMITTED
    assert admitted.decided_at_plenary == sitting
    assert admitted.member is not None
    assert admitted.member.startswith("gov-mozambique")
    assert after_the_end.value.problems[0].path == "state"
    assert engaged.status == WorkflowExecutionStatus.RUNNING
    replayer = Replayer(
        workflows=WORKFLOWS,
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(history)


async def test_refused_updates_leave_the_application_as_it_was(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    _seeded(lane_db)
    client = workflow_env.client
    now: datetime = await workflow_env.get_current_time()
    async with running_worker(client, lane_db) as queue:
        service = ApplicationService(client, lane_db, Rulebook(), queue)
        submission = _submission()
        app = submission.id
        assert app is not None
        await service.submit(submission, "sec", now)
        before = service.get(app)
        with pytest.raises(Forbidden) as wrong_role:
            await service.perform(req.MarkComplete(application=app, by="sc-1"), now)
        # a member's focal point may not know of it: the unknown id's answer, before the role
        with pytest.raises(NotFound) as hidden:
            await service.perform(req.MarkComplete(application=app, by="fp-estavia"), now)
        with pytest.raises(Conflict) as wrong_state:
            await service.perform(req.StartReview(application=app, by="sec"), now)
        with pytest.raises(NotFound):
            await service.perform(req.MarkComplete(application="app-none", by="sec"), now)
        with pytest.raises(Conflict) as taken:
            await service.submit(
                submission.model_copy(update={"organisation": "Someone Else"}), "sec", now
            )
        after = service.get(app)

    assert wrong_role.value.missing_role == "secretariat"
    assert hidden.value.message == f"application {app!r} does not exist"
    assert wrong_state.value.problems[0].path == "state"
    assert "awaiting_completeness_check" in wrong_state.value.problems[0].reason
    assert taken.value.problems[0].path == "id"
    assert after == before


# -- the submission's step, written by a local activity (issue 21) ------------------------------

STEP = "record-application-step"


def _to_the_answer(events: Iterable[HistoryEvent]) -> list[HistoryEvent]:
    """The history's events up to the submitter's answer (the `submitted` update's completion)."""
    until: list[HistoryEvent] = []
    for event in events:
        until.append(event)
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
            return until
    raise AssertionError("the submission was never answered")


def _scheduled(events: Iterable[HistoryEvent]) -> list[str]:
    scheduled = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    return [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in events
        if e.event_type == scheduled
    ]


def _local_steps(events: Iterable[HistoryEvent]) -> list[bool]:
    """Each local activity's marker in order: whether it recorded a failure."""
    markers = []
    for event in events:
        if event.event_type != EventType.EVENT_TYPE_MARKER_RECORDED:
            continue
        marker = event.marker_recorded_event_attributes
        if marker.marker_name == "core_local_activity":
            data = json.loads(marker.details["data"].payloads[0].data)
            assert data["activity_type"] == STEP
            markers.append(marker.HasField("failure"))
    return markers


def _count(events: Iterable[HistoryEvent], kind: EventType.ValueType) -> int:
    return sum(1 for e in events if e.event_type == kind)


def _submission_entries(db: Database, app: str) -> list[str]:
    with db.reading() as session:
        return [e.action for e in audit_repo.entries(session, "application", app)]


def _seeded_with_second_reviewer(db: Database) -> None:
    second = AddPerson(
        id="sc-2",
        name="Ravi",
        email="sc2@example.org",
        member="gov-estavia",
        roles=["focal_point", "steering_committee"],
    )
    with db.writing() as session:
        seed(session, [*REGISTRY, second], T0, Rulebook())


def _leaves_the_committee(db: Database, person: str, at: datetime) -> None:
    """The Secretariat takes the person's Steering Committee role away."""
    leaves = ChangePersonRoles(person=person, roles=[Role.FOCAL_POINT])
    with db.writing() as session:
        effects = decide(session, leaves, at, Rulebook())
        store_effects(session, effects, audit_entry(effects, "left", at, "sec", ""), at)


async def _stop(client: Client, app: str) -> None:
    """End a run a test leaves waiting on a timer: the time-skipping server is shared by the
    session, and a later test's sleep would otherwise fire it with no worker to take it."""
    await client.get_workflow_handle(application_workflow_id(app)).terminate("test over")


@asynccontextmanager
async def _worker_whose_step_is(
    client: Client, db: Database, record_step: Callable[[ApplicationActivities], Any]
) -> AsyncIterator[str]:
    """The real worker's workflows and activities, but the step written by `record_step`."""
    queue = f"test-{uuid.uuid4().hex}"
    rulebook, notifier = Rulebook(), RecordingNotifier()
    real = ApplicationActivities(db, rulebook, notifier)
    activities = [
        a
        for a in activities_for(db, rulebook, notifier, client, queue)
        if _ActivityDefinition.must_from_callable(a).name != STEP
    ]
    with ThreadPoolExecutor(8, thread_name_prefix="test-activity") as executor:
        async with Worker(
            client,
            task_queue=queue,
            workflows=WORKFLOWS,
            workflow_runner=workflow_runner(),
            activities=[*activities, record_step(real)],
            activity_executor=executor,
            max_concurrent_activities=8,
            interceptors=[StoreKeepalive()],
        ):
            yield queue


async def test_a_submission_is_answered_after_the_first_task_by_a_local_activity(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    _seeded(lane_db)
    client = workflow_env.client
    now: datetime = await workflow_env.get_current_time()
    submission = _submission()
    app = submission.id
    assert app is not None
    async with running_worker(client, lane_db) as queue:
        service = ApplicationService(client, lane_db, Rulebook(), queue)
        first = await service.submit(submission, "sec", now)
        history = await client.get_workflow_handle(application_workflow_id(app)).fetch_history()

    answer = _to_the_answer(history.events)
    assert first.state is ApplicationState.AWAITING_CHECK
    # written in the run's first workflow task: no activity task for the step, no second task
    assert _local_steps(answer) == [False]
    assert STEP not in _scheduled(history.events)
    assert _count(answer, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) == 1
    assert _submission_entries(lane_db, app) == ["application.submitted"]


async def test_a_local_step_run_again_after_its_write_is_recorded_once(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    """The first local attempt writes the step and its answer is lost (as when the worker dies
    after the commit): the attempt that runs again finds the audit entry and adds nothing."""
    _seeded(lane_db)
    client = workflow_env.client
    now: datetime = await workflow_env.get_current_time()
    attempts: list[int] = []

    def written_then_lost(real: ApplicationActivities) -> Callable[[ApplicationStep], StepResult]:
        @activity.defn(name=STEP)
        def record_step(step: ApplicationStep) -> StepResult:
            result = real.record_step(step)
            info = activity.info()
            attempts.append(info.attempt)
            if info.is_local and info.attempt == 1:
                raise ApplicationError("written, then the answer was lost")
            return result

        return record_step

    submission = _submission()
    app = submission.id
    assert app is not None
    async with _worker_whose_step_is(client, lane_db, written_then_lost) as queue:
        service = ApplicationService(client, lane_db, Rulebook(), queue)
        first = await service.submit(submission, "sec", now)
        history = await client.get_workflow_handle(application_workflow_id(app)).fetch_history()

    assert first.state is ApplicationState.AWAITING_CHECK
    assert attempts == [1, 2]
    assert _local_steps(_to_the_answer(history.events)) == [False]
    assert STEP not in _scheduled(history.events)
    assert _submission_entries(lane_db, app) == ["application.submitted"]
    assert service.get(app) == first


async def test_a_step_not_written_locally_is_written_by_the_store_activity(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    """Local attempts that fail for good hand the step to the ordinary activity, retried by the
    server as every store activity is; the submitter is answered once it is written."""
    _seeded(lane_db)
    client = workflow_env.client
    now: datetime = await workflow_env.get_current_time()

    def never_locally(real: ApplicationActivities) -> Callable[[ApplicationStep], StepResult]:
        @activity.defn(name=STEP)
        def record_step(step: ApplicationStep) -> StepResult:
            if activity.info().is_local:
                raise ApplicationError("not from this worker", non_retryable=True)
            return real.record_step(step)

        return record_step

    submission = _submission()
    app = submission.id
    assert app is not None
    async with _worker_whose_step_is(client, lane_db, never_locally) as queue:
        service = ApplicationService(client, lane_db, Rulebook(), queue)
        first = await service.submit(submission, "sec", now)
        history = await client.get_workflow_handle(application_workflow_id(app)).fetch_history()

    answer = _to_the_answer(history.events)
    assert first.state is ApplicationState.AWAITING_CHECK
    assert _local_steps(answer) == [True]
    assert _scheduled(answer)[0] == STEP
    assert _submission_entries(lane_db, app) == ["application.submitted"]
    replayer = Replayer(
        workflows=WORKFLOWS,
        data_converter=pydantic_data_converter,
        interceptors=[StoreKeepalive()],
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(history)


async def test_a_reviewer_who_left_the_committee_is_not_counted_silent(
    time_skipping_env: WorkflowEnvironment, lane_db: Database
) -> None:
    """Found by a review: a reviewer whose role was taken away during the review was counted
    silent when it closed at its deadline ("no answer from ..."), as if still deciding: with a
    rulebook counting silence as an objection, a departed member's silence sent an admission to
    the plenary. Silence now counts for those still on the Committee at the close."""
    env = time_skipping_env
    _seeded_with_second_reviewer(lane_db)
    strict = Rulebook.model_validate({"applications": {"silence_counts_as": "object"}})
    now: datetime = await env.get_current_time()
    app = _submission().id
    assert app is not None
    async with running_worker(env.client, lane_db, strict) as queue:
        service = ApplicationService(env.client, lane_db, strict, queue)
        await service.submit(_submission().model_copy(update={"id": app}), "sec", now)
        await service.perform(req.MarkComplete(application=app, by="sec"), now)
        reviewed = await service.perform(req.StartReview(application=app, by="sec"), now)
        await service.perform(
            req.Recommend(application=app, by="sc-1", recommendation="support"), now
        )
        _leaves_the_committee(lane_db, "sc-2", now)
        await env.sleep(timedelta(days=strict.applications.review_days + 2))
        closed = service.get(app)
        await _stop(env.client, app)
    assert reviewed.reviewers == ("sc-1", "sc-2")
    assert closed.state is ApplicationState.NO_OBJECTION_PERIOD
    assert [(r.person, r.silent) for r in closed.recommendations] == [("sc-1", False)]
    with lane_db.reading() as session:
        entries = audit_repo.entries(session, "application", app)
    assert [e.reason for e in entries if e.action == "application.review_closed"] == ["1 support"]


async def test_a_note_longer_than_the_audit_keeps_is_taken_and_clipped_in_the_log(
    time_skipping_env: WorkflowEnvironment, lane_db: Database
) -> None:
    """Found by a review: a withdrawal note of 2,001 to 4,000 characters (what the request
    takes) made the step's audit entry invalid inside the workflow, whose every task then failed:
    the application answered nothing, ever again. The note is kept whole in the history."""
    env = time_skipping_env
    _seeded(lane_db)
    now: datetime = await env.get_current_time()
    app = _submission().id
    assert app is not None
    note = "Withdrawn, because " + "n" * 3980
    async with running_worker(env.client, lane_db) as queue:
        service = ApplicationService(env.client, lane_db, Rulebook(), queue)
        await service.submit(_submission().model_copy(update={"id": app}), "sec", now)
        withdrawn = await service.perform(
            req.WithdrawApplication(application=app, by="sec", note=note), now
        )
    assert withdrawn.state is ApplicationState.WITHDRAWN
    assert withdrawn.history[-1].note == note
    with lane_db.reading() as session:
        [entry] = [e for e in audit_repo.entries(session, "application", app) if e.actor == "sec"][
            -1:
        ]
    assert len(entry.reason) == 2000
    assert entry.reason.endswith("n…")


async def test_the_review_closes_once_every_reviewer_still_on_the_committee_answered(
    time_skipping_env: WorkflowEnvironment, lane_db: Database
) -> None:
    """Found by a review: with a reviewer gone from the Committee, the review waited for them
    until its deadline, six weeks, although everyone who could answer had."""
    env = time_skipping_env
    _seeded_with_second_reviewer(lane_db)
    now: datetime = await env.get_current_time()
    app = _submission().id
    assert app is not None
    async with running_worker(env.client, lane_db) as queue:
        service = ApplicationService(env.client, lane_db, Rulebook(), queue)
        await service.submit(_submission().model_copy(update={"id": app}), "sec", now)
        await service.perform(req.MarkComplete(application=app, by="sec"), now)
        reviewed = await service.perform(req.StartReview(application=app, by="sec"), now)
        _leaves_the_committee(lane_db, "sc-2", now)
        closed = await service.perform(
            req.Recommend(application=app, by="sc-1", recommendation="support"), now
        )
        await _stop(env.client, app)
    assert reviewed.reviewers == ("sc-1", "sc-2")
    assert closed.state is ApplicationState.NO_OBJECTION_PERIOD
    assert [(r.person, r.silent) for r in closed.recommendations] == [("sc-1", False)]
