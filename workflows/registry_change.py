"""One registry change: apply it, announce it, and announce later what falls due later."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.notifications import NotificationActivities
    from activities.processes import ProcessActivities
    from activities.registry import RegistryActivities
    from activities.year import YearWaker
    from governance.kernel.contracts import SignalProcess
    from governance.kernel.model import MemberStatus, PlenaryKind
    from governance.kernel.notices import Notification
    from governance.registry.changes import (
        AddMember,
        CompleteMilestone,
        MovePlenary,
        SchedulePlenary,
    )
    from governance.registry.contracts import (
        OUTCOME,
        REGISTRY_CHANGE_WORKFLOW,
        CommandOutcome,
        RegistryChangeInput,
    )
    from governance.registry.member_status import ChangeMemberStatus
    from governance.roster.contracts import PLENARY_MOVED, PlenaryMoved, roster_workflow_id
    from governance.year.contracts import WakeYear
    from governance.year.handover.rules import CompleteHandoverItem, DesignateIncomingChair
    from governance.year.seats import RecordSeat
    from workflows.base.clock import sleep_until
    from workflows.base.common import start_engaged_period, start_roster
    from workflows.base.patches import (
        START_VERIFICATION_ROSTER,
        TRACK_ENGAGED_PERIOD,
        WAKE_GOVERNANCE_YEAR,
        WAKE_ON_MEMBER_STATUS,
    )
    from workflows.base.policies import NOTIFY_TIMEOUT, PATIENT_RETRY, STORE_TIMEOUT


@workflow.defn(name=REGISTRY_CHANGE_WORKFLOW)
class RegistryChangeWorkflow:
    """Applies one command to the registry.

    The caller starts the workflow and waits on the `outcome` update, which answers as soon as
    the change is applied or refused; announcements then go out without keeping the caller
    waiting, and a Chair term that begins later is announced on the day it begins.
    """

    def __init__(self) -> None:
        self._outcome: CommandOutcome | None = None

    @workflow.run
    async def run(self, inp: RegistryChangeInput) -> CommandOutcome:
        """Apply the command once (the activity decides it with the pure rules: a refusal is an
        outcome, nothing is written), answer the `outcome` update, start or wake what the change
        concerns, announce it, and announce later what falls due later."""
        outcome = await workflow.execute_activity_method(
            RegistryActivities.apply,
            inp.change,
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )
        self._outcome = outcome
        command = inp.change.command
        if (
            outcome.applied is not None
            and isinstance(command, AddMember)
            and command.status is MemberStatus.ENGAGED
            # added after the first registry-change histories: an Engaged member recorded in the
            # registry gets its Engaged period tracked like one admitted through an application
            and workflow.patched(TRACK_ENGAGED_PERIOD)
        ):
            await start_engaged_period(
                command.id, inp.change.at, inp.clock_offset, admitted_on=command.joined
            )
        if (
            outcome.applied is not None
            and isinstance(command, SchedulePlenary)
            and command.kind is PlenaryKind.ANNUAL
            # added with the verification roster: an annual plenary starts its roster process
            and workflow.patched(START_VERIFICATION_ROSTER)
        ):
            await start_roster(outcome.applied.item_id, inp.change.at, inp.clock_offset)
        if (
            outcome.applied is not None
            and isinstance(
                command,
                SchedulePlenary
                | MovePlenary
                | CompleteMilestone
                | DesignateIncomingChair
                | CompleteHandoverItem
                | RecordSeat,
            )
            # added with plenary milestones: the governance year (and, since the handover, each
            # Chair handover still to come) re-reads its plans, seat expiries included
            and workflow.patched(WAKE_GOVERNANCE_YEAR)
        ):
            await workflow.execute_activity_method(
                YearWaker.wake,
                WakeYear(at=inp.change.at, clock_offset=inp.clock_offset),
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
            if isinstance(command, MovePlenary):
                # the roster (an annual plenary's) re-plans its draw or moves its slots
                moved = PlenaryMoved(at=inp.change.at).model_dump(mode="json")
                await workflow.execute_activity_method(
                    ProcessActivities.signal,
                    SignalProcess(
                        workflow_id=roster_workflow_id(outcome.applied.item_id),
                        signal=PLENARY_MOVED,
                        arg=moved,
                    ),
                    start_to_close_timeout=STORE_TIMEOUT,
                    retry_policy=PATIENT_RETRY,
                )
        if (
            outcome.applied is not None
            and isinstance(command, ChangeMemberStatus)
            # added when a member that leaves gave up its peer reviews: the open reporting
            # cycles give those reports other reviewers at once, not at their next step, and a
            # handover whose designated Chair stopped being Full looks again
            and workflow.patched(WAKE_ON_MEMBER_STATUS)
        ):
            await workflow.execute_activity_method(
                YearWaker.wake,
                WakeYear(at=inp.change.at, clock_offset=inp.clock_offset),
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
        if outcome.applied is not None:
            for notice in outcome.applied.notices:
                await self._deliver(notice)
            for later in sorted(outcome.applied.scheduled, key=lambda s: (s.due, s.audit.key)):
                await sleep_until(later.due, inp.clock_offset)
                await workflow.execute_activity_method(
                    RegistryActivities.record_audit,
                    later.audit,
                    start_to_close_timeout=STORE_TIMEOUT,
                    retry_policy=PATIENT_RETRY,
                )
                await self._deliver(later.notification)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return outcome

    async def _deliver(self, notice: Notification) -> None:
        await workflow.execute_activity_method(
            NotificationActivities.deliver,
            notice,
            start_to_close_timeout=NOTIFY_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )

    @workflow.update(name=OUTCOME)
    async def outcome(self) -> CommandOutcome:
        """The change's outcome, once it is applied or refused."""
        await workflow.wait_condition(lambda: self._outcome is not None)
        assert self._outcome is not None
        return self._outcome
