"""A member's Engaged period: evidence, checkpoints, the deadline, and the way to Full."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.applications import ApplicationActivities
    from governance.applications import engaged_period as period
    from governance.applications.contracts import (
        APPLICATION_DECIDED,
        APPLICATION_WORKFLOW,
        ENGAGED_WORKFLOW,
        EXTEND,
        RECORD_MILESTONE,
        RECORD_QUERY,
        REQUEST_FULL_MEMBERSHIP,
        ApplicationDecided,
        ApplicationInput,
        EngagedInput,
        EngagedStep,
        EvidenceCommand,
        ExtendCommand,
        RequestFullCommand,
        StartApplication,
        application_workflow_id,
    )
    from governance.applications.engaged_effects import audit_entry, deadline_item, event_notices
    from governance.applications.engaged_period import EngagedRecord, PeriodEvent, PeriodState
    from governance.applications.model import Applicant, ApplicationKind, ApplicationState
    from governance.kernel.actor import Actor
    from governance.kernel.errors import GovernanceError
    from workflows.base.clock import governance_now
    from workflows.base.common import deliver, refuse, start_outliving
    from workflows.base.policies import PATIENT_RETRY, STORE_TIMEOUT


@workflow.defn(name=ENGAGED_WORKFLOW)
class EngagedMembershipWorkflow:
    """From admission as Engaged until the member is Full.

    Reminds the member yearly and before the deadline; when the deadline passes, asks the Steering
    Committee every month to extend it or decide. Evidence and the request for Full membership
    arrive as updates; the request runs as its own application, which reports back when decided.
    """

    @workflow.init
    def __init__(self, inp: EngagedInput) -> None:
        self._inp = inp
        self._record: EngagedRecord = inp.record
        self._lock = asyncio.Lock()
        self._changes = 0

    @workflow.run
    async def run(self, inp: EngagedInput) -> EngagedRecord:
        """Record the period's start, then remind yearly and before the deadline and escalate
        monthly after it, until the member is Full or its period ends."""
        if not inp.resumed:
            async with self._lock:
                await self._save("engaged_period.started", "system", inp.started_at)
        while self._record.state is PeriodState.ENGAGED:
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(
                    inp.model_copy(update={"record": self._record, "resumed": True})
                )
            await self._wait_for_next_event()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._record

    @workflow.query(name=RECORD_QUERY)
    def record(self) -> EngagedRecord:
        """The Engaged period as the workflow holds it now."""
        return self._record

    async def _save(self, action: str, actor: str, at: datetime, reason: str = "") -> None:
        step = EngagedStep(
            record=self._record,
            audit=audit_entry(self._record, action, actor, at, reason),
            calendar=[deadline_item(self._record, self._inp.application_rules.uid_domain)],
        )
        await workflow.execute_activity_method(
            ApplicationActivities.record_engaged_step,
            step,
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )

    def _changed(self, record: EngagedRecord) -> None:
        self._record = record
        self._changes += 1

    async def _wait_for_next_event(self) -> None:
        events = period.pending_events(self._record)
        seen = self._changes
        event = events[0]
        remaining = event.at - governance_now(self._inp.clock_offset)
        if remaining > timedelta(0):
            try:
                await workflow.wait_condition(lambda: self._changes != seen, timeout=remaining)
                return
            except TimeoutError:
                pass
        async with self._lock:
            if self._changes == seen:
                await self._on_event(event)

    async def _on_event(self, event: PeriodEvent) -> None:
        record = self._record
        focal_points: list[str] = []
        if not event.overdue:
            focal_points = await workflow.execute_activity_method(
                ApplicationActivities.member_focal_points,
                record.member,
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
        self._changed(record.model_copy(update={"done": record.done | {event.key}}))
        await deliver(
            event_notices(
                record, event, focal_points, self._inp.application_rules.steering_committee
            )
        )

    # -- updates and the signal from the Full-membership application ----------------------------

    @workflow.update(name=RECORD_MILESTONE)
    async def record_milestone(self, cmd: EvidenceCommand) -> EngagedRecord:
        """Evidence towards Full membership. Refused: not the member's own focal point nor the
        Secretariat (403), a period that has ended (409), evidence of another kind than the
        rulebook asks of the member's pillar (422)."""
        async with self._lock:
            record = self._evidence(cmd)
            self._changed(record)
            await self._save("member.evidence_recorded", cmd.actor.person, cmd.at, cmd.kind.value)
            return self._record

    @record_milestone.validator
    def _check_milestone(self, cmd: EvidenceCommand) -> None:
        """Refuse before the history: see `record_milestone`."""
        self._evidence(cmd)

    def _evidence(self, cmd: EvidenceCommand) -> EngagedRecord:
        try:
            return period.record_evidence(
                self._record,
                cmd.kind,
                cmd.at,
                cmd.actor.person,
                cmd.actor.roles,
                cmd.actor.member,
                cmd.note,
            )
        except GovernanceError as refusal:
            refuse(refusal)

    @workflow.update(name=REQUEST_FULL_MEMBERSHIP)
    async def request_full_membership(self, cmd: RequestFullCommand) -> str:
        """Open the member's application for Full membership (a process of its own, which
        reports back); returns its id. Refused: not the member's own focal point nor the
        Secretariat (403), a period that has ended, a request already open, or the evidence the
        rulebook asks not recorded yet (409)."""
        async with self._lock:
            application_id = self._request_id(cmd.actor)
            record = self._record
            start = StartApplication(
                id=application_id,
                kind=ApplicationKind.FULL_MEMBERSHIP,
                applicant=Applicant(
                    organisation=record.name,
                    pillar=record.pillar,
                    country=cmd.country,
                    contact_email=cmd.contact_email,
                    statement=cmd.statement,
                ),
                actor=cmd.actor,
                at=cmd.at,
                marks=cmd.marks,
                member=record.member,
                rules=self._inp.application_rules,
            )
            await start_outliving(
                APPLICATION_WORKFLOW,
                application_workflow_id(application_id),
                ApplicationInput(start=start, clock_offset=self._inp.clock_offset),
            )
            self._changed(
                record.model_copy(
                    update={
                        "requests": (*record.requests, application_id),
                        "open_request": application_id,
                        "version": record.version + 1,
                    }
                )
            )
            await self._save(
                "member.full_membership_requested", cmd.actor.person, cmd.at, application_id
            )
            return application_id

    @request_full_membership.validator
    def _check_request(self, cmd: RequestFullCommand) -> None:
        """Refuse before the history: see `request_full_membership`."""
        self._request_id(cmd.actor)

    def _request_id(self, actor: Actor) -> str:
        try:
            return period.request_full(self._record, actor.roles, actor.member)
        except GovernanceError as refusal:
            refuse(refusal)

    @workflow.update(name=EXTEND)
    async def extend(self, cmd: ExtendCommand) -> EngagedRecord:
        """Move the deadline later; reminders become those of the new deadline. Refused: not the
        Steering Committee nor the Secretariat (403), a period that has ended (409), a deadline
        not later than the present one (422)."""
        async with self._lock:
            self._changed(self._extended(cmd))
            await self._save("engaged_period.extended", cmd.actor.person, cmd.at, cmd.reason)
            return self._record

    @extend.validator
    def _check_extend(self, cmd: ExtendCommand) -> None:
        """Refuse before the history: see `extend`."""
        self._extended(cmd)

    def _extended(self, cmd: ExtendCommand) -> EngagedRecord:
        try:
            return period.extend(
                self._record,
                cmd.until,
                cmd.until_due,
                cmd.at,
                cmd.actor.person,
                cmd.actor.roles,
                cmd.reason,
                cmd.checkpoints,
            )
        except GovernanceError as refusal:
            refuse(refusal)

    @workflow.signal(name=APPLICATION_DECIDED)
    async def application_decided(self, decided: ApplicationDecided) -> None:
        """The Full-membership application's outcome: Full membership ends the period, anything
        else leaves it open for another request. An outcome of an application other than the
        open request is ignored."""
        async with self._lock:
            record = self._record
            if decided.application != record.open_request:
                return
            admitted = decided.state is ApplicationState.ADMITTED
            self._changed(
                record.model_copy(
                    update={
                        "open_request": None,
                        "state": PeriodState.FULL if admitted else record.state,
                        "version": record.version + 1,
                    }
                )
            )
            action = "engaged_period.completed" if admitted else "member.full_membership_refused"
            await self._save(action, "system", decided.at, decided.application)
