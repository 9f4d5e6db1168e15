"""A participant concern on the time-skipping server: the late acknowledgement escalates to the
Chair, the dialogue is extended once and ends into review by itself, a remedial plan reminds at
its follow-ups, and the finished run replays (issue 9)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import timedelta

from temporalio.client import WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from governance.concerns.contracts import (
    AcknowledgeConcern,
    DecideConcern,
    ExtendDialogue,
    FileConcern,
    RecommendOnConcern,
    WithdrawConcern,
    concern_workflow_id,
)
from governance.concerns.model import ConcernState, Filing, Outcome
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import concerns as concern_repo
from govsched.services.concerns import ConcernService, wake_open_concerns
from govsched.services.ids import FILER_CASE_IDS
from tests.concern_registry import SEEDED_AT, concern_registry
from tests.helpers import running_worker
from workflows import WORKFLOWS
from workflows.base.sandbox import workflow_runner

DAY = timedelta(days=1)
TZ = Rulebook().initiative.timezone


async def until(check: Callable[[], bool], what: str) -> None:
    for _ in range(300):
        if check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def state_of(db: Database, case: str) -> ConcernState:
    with db.reading() as session:
        record = concern_repo.get(session, case)
    assert record is not None
    return record.state


async def test_a_case_escalates_is_extended_once_goes_to_review_and_follows_up(
    time_skipping_env: WorkflowEnvironment, lane_db: Database
) -> None:
    env, notifier = time_skipping_env, RecordingNotifier()
    with lane_db.writing() as session:
        seed(session, concern_registry(), SEEDED_AT, Rulebook())
    case = f"c-{uuid.uuid4().hex[:8]}"
    filing = Filing(id=case, about="co-aurum", summary="Guards untrained.", anonymous=True)

    def texts(recipient: str) -> list[str]:
        return [n.text for n in notifier.sent if recipient in (n.channel, *n.recipients)]

    async with running_worker(env.client, lane_db, notifier=notifier) as queue:
        service = ConcernService(env.client, lane_db, Rulebook(), queue, case_ids=FILER_CASE_IDS)
        await service.perform(
            FileConcern(by="nina-ngo", **filing.model_dump()), await env.get_current_time()
        )
        await until(lambda: bool(texts("secretariat")), "the Secretariat is told")
        assert texts("chris-chair") == []
        await env.sleep(16 * DAY)
        await until(lambda: bool(texts("chris-chair")), "the Chair is told of the late ack")
        assert "not acknowledged" in texts("chris-chair")[0]

        now = await env.get_current_time()
        await service.perform(AcknowledgeConcern(case=case, by="sam-sec"), now)
        await service.perform(ExtendDialogue(case=case, by="chris-chair", reason="Late."), now)
        await env.sleep(100 * DAY)
        assert state_of(lane_db, case) is ConcernState.DIALOGUE  # extended: 180 days
        await env.sleep(85 * DAY)
        await until(lambda: state_of(lane_db, case) is ConcernState.REVIEW, "review")
        await until(lambda: bool(texts("steering_committee")), "the Committee is asked")

        now = await env.get_current_time()
        await service.perform(
            RecommendOnConcern(case=case, by="sally-sc", recommendation="A plan."), now
        )
        follow_up = local_date(now, TZ) + 30 * DAY
        decide = DecideConcern(
            case=case, by="sam-sec", outcome=Outcome.REMEDIAL_PLAN, follow_ups=[follow_up]
        )
        await service.perform(decide, now)
        await env.sleep(31 * DAY)
        await until(lambda: any("Follow-up" in t for t in texts("carl-co")), "follow-up")
        handle = env.client.get_workflow_handle(concern_workflow_id(case))
        await handle.result()
        assert (await handle.describe()).status is WorkflowExecutionStatus.COMPLETED
        history = await handle.fetch_history()

    everything = "\n".join(n.text for n in notifier.sent)
    assert "nina" not in everything
    assert "Watch NGO" not in everything
    keys = [n.key for n in notifier.sent]
    assert len(keys) == len(set(keys))
    replayer = Replayer(
        workflows=WORKFLOWS,
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(history)


async def test_a_withdrawn_case_ends_its_workflow(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    with lane_db.writing() as session:
        seed(session, concern_registry(), SEEDED_AT, Rulebook())
    case = f"c-{uuid.uuid4().hex[:8]}"
    filing = Filing(id=case, about="co-aurum", summary="Guards untrained.")
    async with running_worker(workflow_env.client, lane_db) as queue:
        service = ConcernService(
            workflow_env.client, lane_db, Rulebook(), queue, case_ids=FILER_CASE_IDS
        )
        now = await workflow_env.get_current_time()
        await service.perform(FileConcern(by="nina-ngo", **filing.model_dump()), now)
        await service.perform(WithdrawConcern(case=case, by="nina-ngo"), now)
        handle = workflow_env.client.get_workflow_handle(concern_workflow_id(case))
        await asyncio.wait_for(handle.result(), 30)
    assert state_of(lane_db, case) is ConcernState.WITHDRAWN


async def test_a_step_recorded_without_temporal_is_delivered_when_a_worker_starts(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    """The service wrote the step but could not wake the workflow: the worker's start-up wakes
    every case with something left to do, and the waiting notices go out."""
    notifier = RecordingNotifier()
    with lane_db.writing() as session:
        seed(session, concern_registry(), SEEDED_AT, Rulebook())
    case = f"c-{uuid.uuid4().hex[:8]}"
    filing = Filing(id=case, about="co-aurum", summary="Guards untrained.")
    now = await workflow_env.get_current_time()
    async with running_worker(workflow_env.client, lane_db, notifier=notifier) as queue:
        service = ConcernService(
            workflow_env.client, lane_db, Rulebook(), queue, case_ids=FILER_CASE_IDS
        )
        service.record(FileConcern(by="nina-ngo", **filing.model_dump()), now)
        started = await wake_open_concerns(
            workflow_env.client, lane_db, Rulebook(), queue, timedelta(0)
        )
        assert started == [concern_workflow_id(case)]
        await until(lambda: any(case in n.key for n in notifier.sent), "the filing is announced")
        await service.perform(WithdrawConcern(case=case, by="sam-sec"), now)
        handle = workflow_env.client.get_workflow_handle(concern_workflow_id(case))
        await asyncio.wait_for(handle.result(), 30)
        assert (
            await wake_open_concerns(workflow_env.client, lane_db, Rulebook(), queue, timedelta(0))
            == []
        )
