"""The registry-change workflow on both Temporal servers: applied once, announced once."""

from __future__ import annotations

from datetime import date, timedelta

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from governance.kernel.audit import AuditEntry
from governance.kernel.model import Pillar
from governance.kernel.notices import Notification
from governance.registry.changes import AddMember, SetChair
from governance.registry.contracts import registry_change_workflow_id
from govsched.notify.console import RecordingNotifier
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import registry as registry_service
from tests.helpers import NORLAND, PLENARY, change, running_worker
from workflows import WORKFLOWS
from workflows.base.sandbox import workflow_runner


async def _finished(client: Client, key: str) -> WorkflowHandle[object, object]:
    """Wait for the change's workflow to end, then prove its history replays."""
    handle = client.get_workflow_handle(registry_change_workflow_id(key))
    await handle.result()
    replayer = Replayer(
        workflows=WORKFLOWS,
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(await handle.fetch_history())
    return handle


def _audit(db: Database, item_id: str) -> list[AuditEntry]:
    with db.reading() as session:
        return audit_repo.entries(session, item_id=item_id)


async def test_a_plenary_is_scheduled_once_and_announced_once(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    notifier = RecordingNotifier()
    client = workflow_env.client
    async with running_worker(client, lane_db, notifier=notifier) as queue:
        await registry_service.submit(client, change(NORLAND), queue)
        scheduled = change(PLENARY)
        outcome = await registry_service.submit(client, scheduled, queue)
        await _finished(client, scheduled.key)
        repeated = await registry_service.submit(client, scheduled, queue)
        # an annual plenary sets its verification roster going, once
        roster = await client.get_workflow_handle("roster-plenary-2027").describe()

    assert roster.status == WorkflowExecutionStatus.RUNNING
    assert outcome.applied is not None
    assert outcome.applied.item_id == "plenary-2027"
    assert repeated == outcome
    plenary_notices = [n.key for n in notifier.sent if n.item == "plenary-2027"]
    assert plenary_notices == ["announcement:plenary-2027:v1:all_members"]
    assert "Norland Harbour, from 18 to 21 May 2027" in next(
        n.text for n in notifier.sent if n.item == "plenary-2027"
    )
    assert [e.action for e in _audit(lane_db, "plenary-2027")] == ["plenary.scheduled"]
    with lane_db.reading() as session:
        plenary = registry_repo.get_plenary(session, "plenary-2027")
    assert plenary is not None
    assert plenary.host == "gov-norland"


async def test_a_refused_change_writes_nothing_and_says_why(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    client = workflow_env.client
    company = AddMember(id="co-aurum", name="Aurum Mining", pillar=Pillar.COMPANY, country="N")
    async with running_worker(client, lane_db) as queue:
        await registry_service.submit(client, change(company), queue)
        refused = change(
            SetChair(member="co-aurum", starts=date(2027, 5, 21), ends=date(2028, 5, 19))
        )
        outcome = await registry_service.submit(client, refused, queue)
        await _finished(client, refused.key)

    assert outcome.applied is None
    assert outcome.refusal is not None
    assert outcome.refusal["type"] == "InvalidInput"
    # the reason in English, and as the message a reader's language words (issue 20)
    [problem] = outcome.refusal["problems"]
    assert (problem["path"], problem["reason"], problem["words"]["id"]) == (
        "member",
        "the Chair is a government",
        "the Chair is a government",
    )
    with lane_db.reading() as session:
        assert registry_repo.list_chair_terms(session) == []


async def test_a_chair_term_is_announced_when_it_begins(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    notifier = RecordingNotifier()
    client = workflow_env.client
    now = await workflow_env.get_current_time()
    starts = now + timedelta(seconds=3)
    async with running_worker(client, lane_db, notifier=notifier) as queue:
        await registry_service.submit(client, change(NORLAND, at=now), queue)
        term = change(
            SetChair(member="gov-norland", starts=starts, ends=starts + timedelta(days=365)), at=now
        )
        outcome = await registry_service.submit(client, term, queue)
        assert notifier.sent == []
        await _finished(client, term.key)

    assert outcome.applied is not None
    [began] = notifier.sent
    assert began.kind.value == "handover"
    assert began.issued_at == starts
    assert "Government of Norland is now the Government Chair" in began.text
    began_entries = [
        e for e in _audit(lane_db, outcome.applied.item_id) if e.action == "chair_term.began"
    ]
    assert [e.at for e in began_entries] == [starts]


async def test_months_pass_on_the_governance_clock_not_the_machine_clock(
    time_skipping_env: WorkflowEnvironment, lane_db: Database
) -> None:
    """With a clock offset, a term beginning in months is announced at that governance instant."""
    notifier = RecordingNotifier()
    client = time_skipping_env.client
    scenario_now = (await time_skipping_env.get_current_time()).replace(year=2019)
    offset = scenario_now - await time_skipping_env.get_current_time()
    starts = scenario_now + timedelta(days=80)
    async with running_worker(client, lane_db, notifier=notifier) as queue:
        await registry_service.submit(client, change(NORLAND, at=scenario_now), queue, offset)
        term = change(
            SetChair(member="gov-norland", starts=starts, ends=starts + timedelta(days=365)),
            at=scenario_now,
        )
        await registry_service.submit(client, term, queue, offset)
        await time_skipping_env.sleep(timedelta(days=79))
        assert notifier.sent == []
        await time_skipping_env.sleep(timedelta(days=2))
        await _finished(client, term.key)

    assert [n.issued_at for n in notifier.sent] == [starts]


class FlakyNotifier(RecordingNotifier):
    """Fails the first delivery of `item`'s notices as a network error would, then works.

    Only that item's: the processes a plenary sets going (its roster, the governance year)
    deliver through the same notifier, sooner or later depending on the machine's load.
    """

    def __init__(self, item: str) -> None:
        super().__init__()
        self.item = item
        self.attempts = 0

    def deliver(self, notification: Notification) -> str | None:
        if notification.item == self.item:
            self.attempts += 1
            if self.attempts == 1:
                raise ConnectionError("connection reset by peer")
        return super().deliver(notification)


async def test_a_failed_delivery_is_retried_and_delivered_once(
    workflow_env: WorkflowEnvironment, lane_db: Database
) -> None:
    notifier = FlakyNotifier("plenary-2027")
    client = workflow_env.client
    async with running_worker(client, lane_db, notifier=notifier) as queue:
        await registry_service.submit(client, change(NORLAND), queue)
        scheduled = change(PLENARY)
        await registry_service.submit(client, scheduled, queue)
        await _finished(client, scheduled.key)

    assert notifier.attempts == 2
    (announced,) = [n for n in notifier.sent if n.item == "plenary-2027"]
    with lane_db.reading() as session:
        key = announced.key
        assert notification_repo.status_of(session, key) == notification_repo.SENT
        ledger = [n.key for n in notification_repo.delivered(session) if n.item == "plenary-2027"]
        assert ledger == [key]
