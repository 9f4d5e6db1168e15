"""A registry-change workflow changed without `workflow.patched`: it no longer announces.

Replaying a committed history against it must fail; that proves the replay tests would catch
such a change to the real workflow.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.registry import RegistryActivities
    from governance.registry.contracts import CommandOutcome, RegistryChangeInput
    from workflows.base.policies import PATIENT_RETRY, STORE_TIMEOUT


@workflow.defn(name="registry-change")
class UnannouncedRegistryChange:
    def __init__(self) -> None:
        self._outcome: CommandOutcome | None = None

    @workflow.run
    async def run(self, inp: RegistryChangeInput) -> CommandOutcome:
        outcome = await workflow.execute_activity_method(
            RegistryActivities.apply,
            inp.change,
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )
        self._outcome = outcome
        await workflow.wait_condition(workflow.all_handlers_finished)
        return outcome

    @workflow.update(name="outcome")
    async def outcome(self) -> CommandOutcome:
        await workflow.wait_condition(lambda: self._outcome is not None)
        assert self._outcome is not None
        return self._outcome
