"""The applicant told of the Secretariat's question by the application workflow, on the
time-skipping server: when it is asked, and again at its reminder while it is unanswered
(patch application-applicant-told-of-question)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from governance.applications import requests as req
from governance.applications.contracts import application_workflow_id
from governance.applications.model import ApplicationState
from governance.kernel.languages import Language
from governance.kernel.notices import APPLICANT, Notification
from governance.registry.changes import AddPerson
from governance.rulebook.model import NotificationKind, Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.services.applications import ApplicationService
from tests.helpers import T0, running_worker

QUESTION = 'Please send <b>the statutes</b> & your accounts ("audited", 100%).'
DAYS = 14  # the rulebook reminds 7 days before the question is due


def _seeded(db: Database) -> None:
    secretariat = AddPerson(id="sec", name="Amina", email="sec@example.org", roles=["secretariat"])
    with db.writing() as session:
        seed(session, [secretariat], T0, Rulebook())


def _submission() -> req.SubmitApplication:
    return req.SubmitApplication(
        id=f"app-ask-{uuid.uuid4().hex[:8]}",
        organisation="Harbour Light Advocates",
        pillar="ngo",
        country="Pelagonia",
        contact_email="intake@harbour-light.example.org",
        statement="We apply to join.",
        language=Language.FR,
    )


def _to_applicant(notifier: RecordingNotifier, app: str) -> list[Notification]:
    return [n for n in notifier.sent if n.channel == APPLICANT and n.item == app]


async def _stop(client: Client, app: str) -> None:
    """End a run left waiting on a timer: the time-skipping server is shared by the session."""
    await client.get_workflow_handle(application_workflow_id(app)).terminate("test over")


async def test_the_applicant_is_told_of_the_question_and_reminded_until_it_lapses(
    time_skipping_env: WorkflowEnvironment, lane_db: Database
) -> None:
    env = time_skipping_env
    _seeded(lane_db)
    notifier = RecordingNotifier()
    now: datetime = await env.get_current_time()
    submission = _submission()
    app = submission.id
    assert app is not None
    async with running_worker(env.client, lane_db, notifier=notifier) as queue:
        service = ApplicationService(env.client, lane_db, Rulebook(), queue)
        await service.submit(submission, None, now)
        asked = await service.perform(
            req.RequestInformation(
                application=app, by="sec", question=QUESTION, respond_within_days=DAYS
            ),
            now,
        )
        told = _to_applicant(notifier, app)
        await env.sleep(timedelta(days=DAYS - 7 + 1))
        reminded = _to_applicant(notifier, app)
        await env.sleep(timedelta(days=7 + 1))
        lapsed = service.get(app)  # its run is over: nothing left to stop
    assert asked.applicant.language is Language.FR
    assert [(n.kind, n.key) for n in told] == [
        (NotificationKind.REQUEST, f"request:{app}:v{asked.version}:applicant")
    ]
    assert told[0].text.endswith(f"\n\n{QUESTION}")
    assert [n.kind for n in reminded] == [
        NotificationKind.REQUEST,
        NotificationKind.DEADLINE_REMINDER,
    ]
    assert reminded[1].text.endswith(f"\n\n{QUESTION}")
    assert lapsed.state is ApplicationState.LAPSED
    # a lapsed application's applicant is told nothing more of the question
    assert len(_to_applicant(notifier, app)) == 2


async def test_an_answered_question_is_not_reminded(
    time_skipping_env: WorkflowEnvironment, lane_db: Database
) -> None:
    env = time_skipping_env
    _seeded(lane_db)
    notifier = RecordingNotifier()
    now: datetime = await env.get_current_time()
    submission = _submission()
    app = submission.id
    assert app is not None
    async with running_worker(env.client, lane_db, notifier=notifier) as queue:
        service = ApplicationService(env.client, lane_db, Rulebook(), queue)
        await service.submit(submission, None, now)
        await service.perform(
            req.RequestInformation(
                application=app, by="sec", question=QUESTION, respond_within_days=DAYS
            ),
            now,
        )
        await service.perform(req.ProvideInformation(application=app, answer="Attached."), now)
        await env.sleep(timedelta(days=DAYS + 1))
        await _stop(env.client, app)
    assert [n.kind for n in _to_applicant(notifier, app)] == [NotificationKind.REQUEST]
