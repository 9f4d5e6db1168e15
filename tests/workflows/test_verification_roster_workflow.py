"""The verification-roster workflow on its own, its activities faked under their real names:
the seed is announced and the roster drawn at the call, a deferral asked by someone else is
refused before anything is recorded, one asked by the presenter and approved draws a
replacement, and after the plenary the outcomes not recorded are asked for (issue 18)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from temporalio import activity
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from governance.kernel.actor import Actor
from governance.kernel.model import Pillar, Role
from governance.roster.contracts import (
    ApplyDeferral,
    DeferralApplied,
    DeferralDecisionCommand,
    DeferralRequest,
    DeferralRequestCommand,
    DrawnRoster,
    PlanRoster,
    Presenter,
    PresenterLookup,
    RosterInput,
    RosterPlan,
    RosterReference,
)
from governance.roster.rule import Slot
from tests.workflows.fakes import Calls, eventually, faked, workflow_id
from workflows.verification_roster import VerificationRosterWorkflow

PRESENTING = ("gov-a", "co-b")
OWN = Actor(person="fp-a", roles=frozenset({Role.FOCAL_POINT}), member="gov-a")
OTHER = Actor(person="fp-c", roles=frozenset({Role.FOCAL_POINT}), member="ngo-c")
CHAIR = Actor(person="chair", roles=frozenset({Role.CHAIR}))
SLOTS = {
    "gov-a": Slot(member="gov-a", pillar=Pillar.GOVERNMENT, reason="longest since", rank=1),
    "co-b": Slot(member="co-b", pillar=Pillar.COMPANY, reason="longest since", rank=1),
    "gov-d": Slot(member="gov-d", pillar=Pillar.GOVERNMENT, reason="next in line", rank=2),
}


def _presenter(member: str) -> Presenter:
    return Presenter(member=member, name=f"Member {member}", focal_points=(f"fp-{member}",))


class RosterFakes(Calls):
    """A plan made at the activity's scheduled time (the server's clock): the call for
    presenters has come, deferrals are open for 30 days, the plenary begins in 60."""

    def __init__(self) -> None:
        super().__init__()
        self.plans: list[RosterPlan] = []

    @activity.defn(name="plan-roster")
    async def plan(self, request: PlanRoster) -> RosterPlan:
        self.record("plan-roster", request)
        now = activity.info().scheduled_time
        begins = now + timedelta(days=60)
        plan = RosterPlan(
            plenary_id=request.plenary_id,
            year=2031,
            seed="0123456789abcdef",
            draw_on=now.date(),
            call_at=now - timedelta(hours=1),
            deferral_closes=now + timedelta(days=30),
            deferral_last_day=(now + timedelta(days=30)).date(),
            plenary_starts=begins.date(),
            plenary_ends=(begins + timedelta(days=3)).date(),
            plenary_begins_at=begins,
            outcomes_due_at=begins + timedelta(days=4),
        )
        self.plans.append(plan)
        return plan

    @activity.defn(name="draw-stored-roster")
    async def draw_stored(self, plan: RosterPlan) -> DrawnRoster:
        self.record("draw-stored-roster", plan)
        return DrawnRoster(slots=PRESENTING)

    @activity.defn(name="announce-roster")
    async def announce(self, plan: RosterPlan) -> int:
        self.record("announce-roster", plan)
        return len(PRESENTING)

    @activity.defn(name="roster-presenter")
    async def presenter(self, lookup: PresenterLookup) -> Presenter:
        self.record("roster-presenter", lookup)
        return _presenter(lookup.member)

    @activity.defn(name="apply-stored-deferral")
    async def apply_stored_deferral(self, request: ApplyDeferral) -> DeferralApplied:
        self.record("apply-stored-deferral", request)
        vacated, replacement = SLOTS[request.request.member], SLOTS["gov-d"]
        return DeferralApplied(
            vacated=vacated,
            replacement=replacement,
            presenters={m: _presenter(m) for m in (vacated.member, replacement.member)},
        )

    @activity.defn(name="unrecorded-presenters")
    async def unrecorded(self, plan: RosterPlan) -> list[str]:
        self.record("unrecorded-presenters", plan)
        return ["Member co-b"]

    def activities(self) -> list[Callable[..., object]]:
        return [
            self.plan,
            self.draw_stored,
            self.announce,
            self.presenter,
            self.apply_stored_deferral,
            self.unrecorded,
            self.deliver,
            self.record_audit,
        ]


async def _ask(handle: WorkflowHandle[Any, Any], ask: DeferralRequestCommand) -> DeferralRequest:
    # (the SDK types an async handler's result as its coroutine)
    result = await handle.execute_update(VerificationRosterWorkflow.request_deferral, ask)
    return cast(DeferralRequest, result)


async def _started(env: WorkflowEnvironment, fakes: RosterFakes, queue: str) -> str:
    wid = workflow_id("roster-plenary-2031")
    await env.client.start_workflow(
        VerificationRosterWorkflow.run,
        RosterInput(plenary_id="plenary-2031", scheduled_at=datetime.now(UTC) - timedelta(1)),
        id=wid,
        task_queue=queue,
    )
    await eventually(lambda: bool(fakes.of("announce-roster")), "the roster drawn and announced")
    return wid


async def test_a_deferral_asked_by_another_is_refused_and_one_approved_draws_a_replacement(
    workflow_env: WorkflowEnvironment,
) -> None:
    client, fakes = workflow_env.client, RosterFakes()
    async with faked(client, VerificationRosterWorkflow, fakes.activities()) as queue:
        wid = await _started(workflow_env, fakes, queue)
        handle = client.get_workflow_handle(wid)
        at = fakes.plans[0].call_at + timedelta(days=1)
        ask = DeferralRequestCommand(actor=OWN, at=at, member="gov-a", reason="Elections.")
        with pytest.raises(WorkflowUpdateFailedError):
            await _ask(handle, ask.model_copy(update={"actor": OTHER}))
        refused_calls = list(fakes.names())
        asked = await _ask(handle, ask)
        decided = cast(
            RosterReference,
            await handle.execute_update(
                VerificationRosterWorkflow.decide_deferral,
                DeferralDecisionCommand(actor=CHAIR, at=at, member="gov-a", approve=True),
            ),
        )
        await handle.terminate("test over")

    assert refused_calls == [
        "plan-roster",
        "deliver-notification",  # the seed
        "draw-stored-roster",
        "announce-roster",
    ]  # the refused request reached no activity
    assert asked.member == "gov-a"
    assert asked.requested_by == "fp-a"
    assert not asked.decided
    assert decided == RosterReference(plenary="plenary-2031")
    [applied] = fakes.of("apply-stored-deferral")
    assert (applied.request.member, applied.decided_by) == ("gov-a", "chair")
    audits = [e.action for e in fakes.of("record-audit-entry")]
    assert audits == ["roster.deferral_requested"]
    assert any("deferred" in n.text for n in fakes.delivered)


async def test_after_the_plenary_the_outcomes_not_recorded_are_asked_for(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client, fakes = time_skipping_env.client, RosterFakes()
    async with faked(client, VerificationRosterWorkflow, fakes.activities()) as queue:
        wid = await _started(time_skipping_env, fakes, queue)
        await time_skipping_env.sleep(timedelta(days=70))
        result = await client.get_workflow_handle(wid).result()

    assert result is None  # the document is in the store, not in the workflow
    assert len(fakes.of("unrecorded-presenters")) == 1
    assert "Member co-b" in fakes.delivered[-1].text
