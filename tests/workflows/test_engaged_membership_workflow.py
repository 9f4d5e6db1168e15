"""The Engaged membership workflow on its own, its activities faked under their real names: it
records evidence, opens the request for Full membership as a process of its own, ends when that
request is admitted, refuses what the rulebook forbids before anything is recorded, and asks the
Steering Committee once the deadline has passed (issue 24)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from governance.applications.contracts import (
    APPLICATION_DECIDED,
    EXTEND,
    RECORD_MILESTONE,
    RECORD_QUERY,
    REQUEST_FULL_MEMBERSHIP,
    ApplicationDecided,
    EngagedInput,
    EngagedStep,
    EvidenceCommand,
    ExtendCommand,
    RequestFullCommand,
    engaged_input,
)
from governance.applications.engaged_period import EngagedRecord, PeriodState
from governance.applications.model import ApplicationState
from governance.kernel.actor import Actor
from governance.kernel.contracts import StartProcess
from governance.kernel.model import Pillar, Role
from governance.rulebook.model import EvidenceKind, Rulebook
from tests.workflows.fakes import Calls, eventually, faked, workflow_id
from workflows.engaged_membership import EngagedMembershipWorkflow

MEMBER = "gov-yssel"
FOCAL_POINT = Actor(person="fp-yssel", roles=frozenset({Role.FOCAL_POINT}), member=MEMBER)
OTHER_FOCAL_POINT = Actor(
    person="fp-other", roles=frozenset({Role.FOCAL_POINT}), member="gov-other"
)
STEERING_COMMITTEE = Actor(person="sc-lea", roles=frozenset({Role.STEERING_COMMITTEE}))
# Admitted in 2101: every reminder and the deadline (31 December 2104) lie far ahead of any day
# these tests run on, so on the dev server nothing falls due while a test runs.
FAR_ADMISSION = date(2101, 6, 10)
FAR_START = datetime(2101, 6, 10, 16, 0, tzinfo=UTC)
AT = datetime(2101, 9, 1, 14, 0, tzinfo=UTC)


class EngagedFakes(Calls):
    @activity.defn(name="record-engaged-step")
    async def record_step(self, step: EngagedStep) -> None:
        self.record("record-engaged-step", step)

    @activity.defn(name="member-focal-points")
    async def member_focal_points(self, member: str) -> list[str]:
        self.record("member-focal-points", member)
        return ["fp-yssel"]

    @activity.defn(name="start-process")
    async def start_process(self, order: StartProcess) -> bool:
        self.record("start-process", order)
        return True

    def actions(self) -> list[str]:
        return [step.audit.action for step in self.of("record-engaged-step")]

    def activities(self) -> list[Callable[..., Any]]:
        return [self.record_step, self.member_focal_points, self.start_process, self.deliver]


def _input(admitted_on: date, started: datetime, offset: timedelta = timedelta(0)) -> EngagedInput:
    made = engaged_input(
        MEMBER, "Government of Yssel", Pillar.GOVERNMENT, admitted_on, started, Rulebook()
    )
    return made.model_copy(update={"clock_offset": offset})


def _request(at: datetime) -> RequestFullCommand:
    return RequestFullCommand(
        actor=FOCAL_POINT,
        at=at,
        contact_email="fp@yssel.example",
        country="Yssel",
        statement="Our national action plan is adopted.",
        marks=(at, at),
    )


async def test_evidence_then_an_admitted_request_ends_the_period_as_full(
    workflow_env: WorkflowEnvironment,
) -> None:
    client = workflow_env.client
    fakes = EngagedFakes()
    async with faked(client, EngagedMembershipWorkflow, fakes.activities()) as queue:
        handle = await client.start_workflow(
            EngagedMembershipWorkflow.run,
            _input(FAR_ADMISSION, FAR_START),
            id=workflow_id("engaged"),
            task_queue=queue,
        )
        await eventually(lambda: fakes.actions() == ["engaged_period.started"], "the start")
        evidence = EvidenceCommand(
            actor=FOCAL_POINT, at=AT, kind=EvidenceKind.NATIONAL_ACTION_PLAN, note="adopted"
        )
        after_evidence = await handle.execute_update(
            RECORD_MILESTONE, evidence, result_type=EngagedRecord
        )
        application = await handle.execute_update(REQUEST_FULL_MEMBERSHIP, _request(AT))
        decided = ApplicationDecided(
            application=application, state=ApplicationState.ADMITTED, at=AT + timedelta(days=90)
        )
        await handle.signal(APPLICATION_DECIDED, decided)
        final = EngagedRecord.model_validate(await handle.result())
        status = (await handle.describe()).status

    assert [e.kind for e in after_evidence.evidence] == [EvidenceKind.NATIONAL_ACTION_PLAN]
    assert application == "full-gov-yssel"
    (order,) = fakes.of("start-process")
    assert (order.workflow, order.workflow_id) == ("application", "application-full-gov-yssel")
    assert order.arg["start"]["member"] == MEMBER
    assert order.arg["start"]["kind"] == "full_membership"
    assert status == WorkflowExecutionStatus.COMPLETED
    assert final.state is PeriodState.FULL
    assert final.requests == ("full-gov-yssel",)
    assert final.open_request is None
    assert fakes.actions() == [
        "engaged_period.started",
        "member.evidence_recorded",
        "member.full_membership_requested",
        "engaged_period.completed",
    ]
    assert fakes.delivered == []  # no reminder was due


async def test_refusals_record_nothing_and_a_refused_request_may_be_made_again(
    workflow_env: WorkflowEnvironment,
) -> None:
    client = workflow_env.client
    fakes = EngagedFakes()
    async with faked(client, EngagedMembershipWorkflow, fakes.activities()) as queue:
        handle = await client.start_workflow(
            EngagedMembershipWorkflow.run,
            _input(FAR_ADMISSION, FAR_START),
            id=workflow_id("engaged"),
            task_queue=queue,
        )
        await eventually(lambda: fakes.actions() == ["engaged_period.started"], "the start")
        refusals: list[str | None] = []
        # no national action plan recorded yet
        with pytest.raises(WorkflowUpdateFailedError) as early:
            await handle.execute_update(REQUEST_FULL_MEMBERSHIP, _request(AT))
        refusals.append(_refusal(early.value))
        # another member's focal point
        intruder = EvidenceCommand(
            actor=OTHER_FOCAL_POINT, at=AT, kind=EvidenceKind.NATIONAL_ACTION_PLAN
        )
        with pytest.raises(WorkflowUpdateFailedError) as foreign:
            await handle.execute_update(RECORD_MILESTONE, intruder)
        refusals.append(_refusal(foreign.value))
        # a deadline earlier than 31 December 2104
        earlier = ExtendCommand(
            actor=STEERING_COMMITTEE,
            at=AT,
            until=date(2104, 6, 30),
            until_due=datetime(2104, 7, 1, 4, 0, tzinfo=UTC),
            reason="a shorter period",
        )
        with pytest.raises(WorkflowUpdateFailedError) as backwards:
            await handle.execute_update(EXTEND, earlier)
        refusals.append(_refusal(backwards.value))
        unchanged = await handle.query(RECORD_QUERY, result_type=EngagedRecord)

        evidence = EvidenceCommand(actor=FOCAL_POINT, at=AT, kind=EvidenceKind.NATIONAL_ACTION_PLAN)
        await handle.execute_update(RECORD_MILESTONE, evidence)
        first = await handle.execute_update(REQUEST_FULL_MEMBERSHIP, _request(AT))
        with pytest.raises(WorkflowUpdateFailedError) as twice:
            await handle.execute_update(REQUEST_FULL_MEMBERSHIP, _request(AT))
        refusals.append(_refusal(twice.value))
        refused = ApplicationDecided(application=first, state=ApplicationState.REJECTED, at=AT)
        await handle.signal(APPLICATION_DECIDED, refused)
        second = await handle.execute_update(REQUEST_FULL_MEMBERSHIP, _request(AT))
        still = await handle.query(RECORD_QUERY, result_type=EngagedRecord)
        await handle.terminate("the test is over")

    assert refusals == ["Conflict", "Forbidden", "InvalidInput", "Conflict"]
    assert unchanged.version == 1
    assert unchanged.evidence == ()
    assert (first, second) == ("full-gov-yssel", "full-gov-yssel-2")
    assert still.state is PeriodState.ENGAGED
    assert still.open_request == "full-gov-yssel-2"
    assert [o.workflow_id for o in fakes.of("start-process")] == [
        "application-full-gov-yssel",
        "application-full-gov-yssel-2",
    ]
    assert fakes.actions() == [
        "engaged_period.started",
        "member.evidence_recorded",
        "member.full_membership_requested",
        "member.full_membership_refused",
        "member.full_membership_requested",
    ]


def _refusal(error: WorkflowUpdateFailedError) -> str | None:
    cause = error.cause
    return cause.type if isinstance(cause, ApplicationError) else None


# Governance time in the deadline test: tracking starts on 15 December 2030, after the last
# reminder (30 days before the deadline) and a fortnight before the deadline itself.
TRACKED_FROM = datetime(2030, 12, 15, 12, 0, tzinfo=UTC)


async def test_after_the_deadline_the_steering_committee_is_asked_then_asked_again_monthly(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client = time_skipping_env.client
    offset = TRACKED_FROM - await time_skipping_env.get_current_time()
    fakes = EngagedFakes()
    async with faked(client, EngagedMembershipWorkflow, fakes.activities()) as queue:
        handle = await client.start_workflow(
            EngagedMembershipWorkflow.run,
            _input(date(2027, 6, 10), TRACKED_FROM, offset),
            id=workflow_id("engaged"),
            task_queue=queue,
        )
        await eventually(lambda: fakes.actions() == ["engaged_period.started"], "the start")
        # past the deadline (end of 31 December 2030 in Ottawa, 05:00 UTC on 1 January)
        await time_skipping_env.sleep(timedelta(days=17))
        await eventually(lambda: len(fakes.delivered) == 2, "the deadline's two notices")
        # 30 days after the deadline: the first monthly escalation
        await time_skipping_env.sleep(timedelta(days=30))
        await eventually(lambda: len(fakes.delivered) == 4, "the first escalation")
        record = await handle.query(RECORD_QUERY, result_type=EngagedRecord)
        await handle.terminate("the test is over")

    assert [(n.channel, n.key) for n in fakes.delivered] == [
        ("steering_committee", "overdue:engaged-gov-yssel:vdeadline-2030-12-31:steering_committee"),
        ("secretariat", "overdue:engaged-gov-yssel:vdeadline-2030-12-31:secretariat"),
        (
            "steering_committee",
            "overdue:engaged-gov-yssel:voverdue-2030-12-31-1:steering_committee",
        ),
        ("secretariat", "overdue:engaged-gov-yssel:voverdue-2030-12-31-1:secretariat"),
    ]
    assert all("ended on 31 December 2030" in n.text for n in fakes.delivered)
    assert [n.issued_at for n in fakes.delivered[::2]] == [
        datetime(2031, 1, 1, 5, 0, tzinfo=UTC),
        datetime(2031, 1, 31, 5, 0, tzinfo=UTC),
    ]
    # an overdue period asks the Committee, not the member: no focal points were looked up
    assert fakes.of("member-focal-points") == []
    assert record.state is PeriodState.ENGAGED
    assert record.done == frozenset({"deadline-2030-12-31", "overdue-2030-12-31-1"})
