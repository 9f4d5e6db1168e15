"""The application workflow driven by its updates, on both Temporal servers."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from temporalio.client import WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from governance.applications import requests as req
from governance.applications.contracts import application_workflow_id, engaged_workflow_id
from governance.applications.model import ApplicationState
from governance.kernel.errors import Conflict, Forbidden, NotFound
from governance.registry.changes import AddMember, AddPerson, RegistryCommand
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.services.applications import ApplicationService
from tests.helpers import T0, record_sitting_plenary, running_worker
from workflows import WORKFLOWS
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
