"""One application, from intake to decision (or to the vote on Full membership)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError, CancelledError, FailureError

with workflow.unsafe.imports_passed_through():
    from activities.applications import ApplicationActivities
    from governance.applications import rules
    from governance.applications.applicant_notices import question_notices, question_reminders
    from governance.applications.contracts import (
        APPLICATION_DECIDED,
        APPLICATION_WORKFLOW,
        MARK_COMPLETE,
        OBJECT,
        PROVIDE_INFORMATION,
        RECOMMEND,
        RECORD_PLENARY_DECISION,
        RECORD_QUERY,
        REQUEST_INFORMATION,
        START_REVIEW,
        SUBMITTED,
        WITHDRAW,
        ActionCommand,
        ApplicationDecided,
        ApplicationInput,
        ApplicationStep,
        MemberChangeRequest,
        ObjectCommand,
        PlanDeadline,
        PlenaryDecisionCommand,
        ProposalAnnouncement,
        ProvideInformationCommand,
        RecommendCommand,
        RequestInformationCommand,
        StartReviewCommand,
        StepResult,
        WithdrawCommand,
        engaged_workflow_id,
    )
    from governance.applications.effects import (
        audit_entry,
        calendar_changes,
        timed_notices,
        transition_notices,
    )
    from governance.applications.model import (
        ApplicationKind,
        ApplicationRecord,
        ApplicationState,
        Deadline,
        DeadlineKind,
    )
    from governance.applications.timeline import TimedEvent, TimedEventKind, next_event
    from governance.kernel.errors import GovernanceError
    from governance.kernel.model import Pillar
    from workflows.base.clock import governance_now
    from workflows.base.common import deliver, refuse, start_engaged_period
    from workflows.base.patches import (
        ANNOUNCE_IN_PAGES,
        APPLICANT_TOLD_OF_QUESTION,
        LEANER_STEPS,
        OBSERVERS_ADMITTED_FULL,
        SILENCE_OF_SITTING_REVIEWERS,
        SUBMISSION_STEP_LOCAL,
    )
    from workflows.base.policies import (
        BATCH_HEARTBEAT,
        BATCH_TIMEOUT,
        LOCAL_STEP_ATTEMPT,
        LOCAL_STEP_RETRY,
        PATIENT_RETRY,
        STORE_TIMEOUT,
    )
    from workflows.base.search import APPLICATION_STATE, show

Check = Callable[[], object]


@workflow.defn(name=APPLICATION_WORKFLOW)
class ApplicationWorkflow:
    """Carries an application through its states, with deadlines that enforce themselves.

    Human steps arrive as updates. Each update's validator runs the same pure rule the handler
    applies, so a refused action (wrong role, wrong state, a second recommendation) is rejected
    before it reaches the history. Timed steps (reminders, lapse, the end of a review or of the
    no-objection period, escalations) come from the record itself: the workflow sleeps until the
    next one, or until an update changes the record.
    """

    @workflow.init
    def __init__(self, inp: ApplicationInput) -> None:
        start = inp.start
        self._start = start
        self._offset = inp.clock_offset
        self._rules = start.rules
        self._lock = asyncio.Lock()
        self._changes = 0
        self._first = rules.submit(
            start.id,
            start.kind,
            start.applicant,
            start.actor,
            start.at,
            start.marks,
            start.window,
            start.window_due,
            start.member,
        )
        self._record: ApplicationRecord = inp.resume or self._first.record
        self._recorded = inp.resume is not None
        self._shown: ApplicationState | None = None

    @workflow.run
    async def run(self, inp: ApplicationInput) -> ApplicationRecord:
        """Record the submission, then let deadlines enforce themselves (reminders, lapse, the
        end of a review or of the no-objection period, escalations) until the application is
        decided; tell the member's Engaged period of the decision on a Full-membership request."""
        # Since LEANER_STEPS a new run shows the first state its starter set (no upsert), and
        # the submitter has its answer once the step is written, while the notices go out.
        leaner = inp.resume is None and workflow.patched(LEANER_STEPS)
        # Since SUBMISSION_STEP_LOCAL an admission's submission, which a person waits for, is
        # written by a local activity in this first task (Full-membership runs are started by an
        # Engaged period, and nobody waits on them).
        locally = (
            leaner
            and inp.start.kind is ApplicationKind.ADMISSION
            and workflow.patched(SUBMISSION_STEP_LOCAL)
        )
        if leaner:
            self._shown = self._shown_at_start()
        self._show_state()
        if inp.resume is None:
            async with self._lock:
                await self._apply(
                    self._first,
                    inp.start.at,
                    before=self._first.record,
                    recorded=self._answer_submitter if leaner else None,
                    locally=locally,
                )
                self._recorded = True
        while not self._record.final:
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(inp.model_copy(update={"resume": self._record}))
            await self._wait_for_next_event()
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._tell_engaged_period()
        return self._record

    @workflow.query(name=RECORD_QUERY)
    def record(self) -> ApplicationRecord:
        """The application as the workflow holds it now."""
        return self._record

    @workflow.update(name=SUBMITTED)
    async def submitted(self) -> ApplicationRecord:
        """The record once the submission is recorded (what a submitter waits for)."""
        await workflow.wait_condition(lambda: self._recorded)
        return self._record

    # -- time ---------------------------------------------------------------------------------

    async def _wait_for_next_event(self) -> None:
        event = next_event(self._record, self._rules)
        assert event is not None, "an open application always has a next event"
        seen = self._changes
        remaining = event.at - governance_now(self._offset)
        if remaining > timedelta(0):
            try:
                await workflow.wait_condition(lambda: self._changes != seen, timeout=remaining)
                return  # the record changed: plan again
            except TimeoutError:
                pass
        async with self._lock:
            if self._changes == seen:
                await self._on_timed_event(event)

    async def _on_timed_event(self, event: TimedEvent) -> None:
        record, at = self._record, event.at
        match event.kind:
            case TimedEventKind.INFORMATION_LAPSE:
                await self._apply(rules.lapse(record, at), at, done=event.key)
            case TimedEventKind.REVIEW_CLOSE:
                await self._close_review(at, done=event.key)
            case TimedEventKind.NO_OBJECTION_CLOSE:
                plenary = await workflow.execute_activity_method(
                    ApplicationActivities.next_plenary,
                    at,
                    start_to_close_timeout=STORE_TIMEOUT,
                    retry_policy=PATIENT_RETRY,
                )
                await self._apply(
                    rules.close_no_objection(record, at, plenary, self._observers_full()),
                    at,
                    done=event.key,
                )
            case _:
                self._record = rules.mark_done(record, event.key)
                self._changes += 1
                await deliver(timed_notices(record, event, self._rules))
                # asked only at an information reminder, so no other history gains a marker
                if event.kind is TimedEventKind.INFORMATION_REMINDER and workflow.patched(
                    APPLICANT_TOLD_OF_QUESTION
                ):
                    await deliver(question_reminders(record, event))

    async def _plan(self, kind: DeadlineKind, at: datetime, days: int, number: int = 1) -> Deadline:
        plan = PlanDeadline(
            kind=kind, at=at, days=days, timezone=self._rules.timezone, number=number
        )
        return await workflow.execute_activity_method(
            ApplicationActivities.plan_deadline,
            plan,
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )

    async def _sitting(self, silent: tuple[str, ...]) -> frozenset[str]:
        """Those of the silent reviewers still on the Steering Committee."""
        return frozenset(
            await workflow.execute_activity_method(
                ApplicationActivities.sitting_reviewers,
                list(silent),
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
        )

    async def _close_review(
        self, at: datetime, done: str | None = None, sitting: frozenset[str] | None = None
    ) -> None:
        no_objection = None
        if self._record.kind is ApplicationKind.ADMISSION:
            no_objection = await self._plan(
                DeadlineKind.NO_OBJECTION, at, self._rules.no_objection_days
            )
        silent = self._record.silent_reviewers
        # asked only when somebody is silent, so a review everyone answered gains no marker
        if sitting is None and silent and workflow.patched(SILENCE_OF_SITTING_REVIEWERS):
            sitting = await self._sitting(silent)
        transition = rules.close_review(
            self._record, at, no_objection, self._rules.silence_counts_as, sitting
        )
        proposed = transition.record.state is ApplicationState.NO_OBJECTION_PERIOD
        in_pages = workflow.patched(ANNOUNCE_IN_PAGES)
        focal_points: tuple[str, ...] = ()
        if proposed and not in_pages:
            focal_points = tuple(
                await workflow.execute_activity_method(
                    ApplicationActivities.full_member_focal_points,
                    start_to_close_timeout=STORE_TIMEOUT,
                    retry_policy=PATIENT_RETRY,
                )
            )
        await self._apply(transition, at, focal_points, done=done)
        if proposed and in_pages:
            await workflow.execute_activity_method(
                ApplicationActivities.announce_proposal,
                ProposalAnnouncement(record=self._record, at=at),
                start_to_close_timeout=BATCH_TIMEOUT,
                heartbeat_timeout=BATCH_HEARTBEAT,
                retry_policy=PATIENT_RETRY,
            )

    # -- applying a step ------------------------------------------------------------------------

    def _member_change(self, transition: rules.Transition) -> MemberChangeRequest | None:
        change = transition.member_change
        if change is None:
            return None
        applicant = transition.record.applicant
        return MemberChangeRequest(
            kind=change.kind,
            decision=change.decision,
            organisation=applicant.organisation,
            pillar=applicant.pillar,
            country=applicant.country,
            member=transition.record.member,
        )

    async def _apply(
        self,
        transition: rules.Transition,
        at: datetime,
        focal_points: tuple[str, ...] = (),
        done: str | None = None,
        before: ApplicationRecord | None = None,
        recorded: Callable[[], None] | None = None,
        locally: bool = False,
    ) -> None:
        """Keep the new record, write the step (`locally`: first by a local activity), tell
        people, and start what follows; call `recorded` once the step is written, before anyone
        is told."""
        before = before or self._record
        after = transition.record if done is None else rules.mark_done(transition.record, done)
        self._record = after
        self._changes += 1
        self._show_state()
        step = ApplicationStep(
            record=after,
            audit=audit_entry(transition, at),
            calendar=calendar_changes(before, after, at, self._rules),
            member_change=self._member_change(transition),
            at=at,
        )
        result = await self._write(step, locally)
        if result.member is not None and self._record.member != result.member:
            self._record = self._record.model_copy(update={"member": result.member})
        if recorded is not None:
            recorded()
        await deliver(transition_notices(before, transition, at, self._rules, focal_points))
        change = transition.member_change
        if change is not None and change.kind is rules.MemberChangeKind.ADMIT_ENGAGED:
            assert result.member is not None
            await start_engaged_period(result.member, at, self._offset)

    async def _write(self, step: ApplicationStep, locally: bool) -> StepResult:
        """Write the step by the store activity; `locally`, first by the same activity run as a
        local activity in this workflow task, a few short attempts retried in the worker
        (workflows/base/policies.py), and by the store activity only if those all fail. A
        local activity runs again if its task fails or its worker dies before the task
        completes, possibly while the first run still writes: the step's audit key makes a
        second write change nothing (tests/persistence/test_application_steps.py)."""
        if locally:
            try:
                return await workflow.execute_local_activity_method(
                    ApplicationActivities.record_step,
                    step,
                    start_to_close_timeout=LOCAL_STEP_ATTEMPT,
                    retry_policy=LOCAL_STEP_RETRY,
                    local_retry_threshold=LOCAL_STEP_ATTEMPT,
                )
            except FailureError as failed:
                # a failed local activity raises its own error or a timeout, not an ActivityError
                if isinstance(failed, CancelledError):
                    raise
                workflow.logger.warning(
                    "the step of %s was not written locally (%s); by the store activity now",
                    step.record.id,
                    failed.cause or failed,
                )
        return await workflow.execute_activity_method(
            ApplicationActivities.record_step,
            step,
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )

    def _answer_submitter(self) -> None:
        self._recorded = True

    def _shown_at_start(self) -> ApplicationState | None:
        """The state the starter showed (ApplicationService sets it when it starts the run), so
        the first state costs no upsert; None when the starter set none."""
        shown = workflow.info().typed_search_attributes.get(APPLICATION_STATE)
        return None if shown is None else ApplicationState(shown)

    def _show_state(self) -> None:
        """The application's state, for the Temporal UI's list (when it changed)."""
        if self._shown is not self._record.state:
            self._shown = self._record.state
            show(APPLICATION_STATE.value_set(self._shown.value))

    async def _tell_engaged_period(self) -> None:
        record = self._record
        if record.kind is not ApplicationKind.FULL_MEMBERSHIP or record.member is None:
            return
        handle = workflow.get_external_workflow_handle(engaged_workflow_id(record.member))
        try:
            decided = ApplicationDecided(
                application=record.id,
                state=record.state,
                at=record.decided_at or record.submitted_at,
            )
            await handle.signal(APPLICATION_DECIDED, decided)
        except ApplicationError as exc:
            # The period already ended (the member was decided on some other way).
            workflow.logger.warning("could not tell engaged-%s: %s", record.member, exc)

    # -- human steps ----------------------------------------------------------------------------

    def _validate(self, check: Check) -> None:
        try:
            check()
        except GovernanceError as refusal:
            refuse(refusal)

    async def _act(self, step: Callable[[], rules.Transition], at: datetime) -> ApplicationRecord:
        async with self._lock:
            try:
                transition = step()
            except GovernanceError as refusal:
                refuse(refusal)
            await self._apply(transition, at)
            return self._record

    @workflow.update(name=MARK_COMPLETE)
    async def mark_complete(self, cmd: ActionCommand) -> ApplicationRecord:
        """The Secretariat finds the application complete. Refused: anyone else (403), or an
        application not awaiting its completeness check (409)."""
        return await self._act(lambda: rules.mark_complete(self._record, cmd.actor, cmd.at), cmd.at)

    @mark_complete.validator
    def _check_mark_complete(self, cmd: ActionCommand) -> None:
        """Refuse before the history: see `mark_complete`."""
        self._validate(lambda: rules.mark_complete(self._record, cmd.actor, cmd.at))

    @workflow.update(name=REQUEST_INFORMATION)
    async def request_information(self, cmd: RequestInformationCommand) -> ApplicationRecord:
        """The Secretariat asks the applicant a question, with a response deadline. Refused:
        anyone else (403), an application not awaiting its check (409), a deadline already past
        (422)."""
        async with self._lock:
            self._validate(lambda: rules.can_request_information(self._record, cmd.actor))
            days = cmd.respond_within_days or self._rules.information_response_days
            number = len(self._record.information_requests) + 1
            deadline = await self._plan(DeadlineKind.INFORMATION, cmd.at, days, number)
            try:
                transition = rules.request_information(
                    self._record, cmd.actor, cmd.at, cmd.question, deadline
                )
            except GovernanceError as refusal:
                refuse(refusal)
            await self._apply(transition, cmd.at)
            if workflow.patched(APPLICANT_TOLD_OF_QUESTION):
                # the applicant, who is nobody in the directory, learns of it by email
                await deliver(question_notices(self._record, cmd.at))
            return self._record

    @request_information.validator
    def _check_request_information(self, cmd: RequestInformationCommand) -> None:
        """Refuse before the history: see `request_information`."""
        self._validate(lambda: rules.can_request_information(self._record, cmd.actor))

    @workflow.update(name=PROVIDE_INFORMATION)
    async def provide_information(self, cmd: ProvideInformationCommand) -> ApplicationRecord:
        """The applicant's answer (recorded by the applicant or the Secretariat); back to the
        completeness check. Refused: anyone else (403), no question open (409)."""
        return await self._act(
            lambda: rules.provide_information(self._record, cmd.actor, cmd.at, cmd.answer), cmd.at
        )

    @provide_information.validator
    def _check_provide_information(self, cmd: ProvideInformationCommand) -> None:
        """Refuse before the history: see `provide_information`."""
        self._validate(
            lambda: rules.provide_information(self._record, cmd.actor, cmd.at, cmd.answer)
        )

    @workflow.update(name=START_REVIEW)
    async def start_review(self, cmd: StartReviewCommand) -> ApplicationRecord:
        """The Secretariat opens the Steering Committee's review, with its deadline. Refused:
        anyone else (403), an application not complete (409), nobody holding the
        steering_committee role (409)."""
        async with self._lock:
            self._validate(lambda: rules.can_start_review(self._record, cmd.actor, cmd.reviewers))
            deadline = await self._plan(DeadlineKind.REVIEW, cmd.at, self._rules.review_days)
            try:
                transition = rules.start_review(
                    self._record, cmd.actor, cmd.at, cmd.reviewers, deadline
                )
            except GovernanceError as refusal:
                refuse(refusal)
            await self._apply(transition, cmd.at)
            return self._record

    @start_review.validator
    def _check_start_review(self, cmd: StartReviewCommand) -> None:
        """Refuse before the history: see `start_review`."""
        self._validate(lambda: rules.can_start_review(self._record, cmd.actor, cmd.reviewers))

    @workflow.update(name=RECOMMEND)
    async def recommend(self, cmd: RecommendCommand) -> ApplicationRecord:
        """A reviewer's recommendation; the review closes when every reviewer has answered.
        Refused: not a Steering Committee member reviewing it (403), no review under way (409), a
        second recommendation by the same person (409)."""
        async with self._lock:
            try:
                transition = rules.recommend(
                    self._record, cmd.actor, cmd.at, cmd.recommendation, cmd.comment
                )
            except GovernanceError as refusal:
                refuse(refusal)
            await self._apply(transition, cmd.at)
            if rules.everyone_answered(self._record):
                await self._close_review(cmd.at)
            elif workflow.patched(SILENCE_OF_SITTING_REVIEWERS):
                # every reviewer still on the Committee has answered: the review closes now
                # rather than waiting on those who left it until the deadline
                sitting = await self._sitting(self._record.silent_reviewers)
                if not sitting:
                    await self._close_review(cmd.at, sitting=sitting)
            return self._record

    @recommend.validator
    def _check_recommend(self, cmd: RecommendCommand) -> None:
        """Refuse before the history: see `recommend`."""
        self._validate(
            lambda: rules.recommend(
                self._record, cmd.actor, cmd.at, cmd.recommendation, cmd.comment
            )
        )

    @workflow.update(name=OBJECT)
    async def object_to(self, cmd: ObjectCommand) -> ApplicationRecord:
        """A Full member's objection in the no-objection period; the application goes to the
        plenary. Refused: not a focal point of a Full member (403), outside that period (409)."""
        return await self._act(
            lambda: rules.object_to(self._record, cmd.actor, cmd.at, cmd.reason), cmd.at
        )

    @object_to.validator
    def _check_object(self, cmd: ObjectCommand) -> None:
        """Refuse before the history: see `object_to`."""
        self._validate(lambda: rules.object_to(self._record, cmd.actor, cmd.at, cmd.reason))

    @workflow.update(name=RECORD_PLENARY_DECISION)
    async def record_plenary_decision(self, cmd: PlenaryDecisionCommand) -> ApplicationRecord:
        """The plenary's decision: admitted (Engaged, or Full on a request for Full membership) or
        rejected; a provisional admission is ratified or not. Refused: not the Secretariat or the
        Chair (403), an application not awaiting the plenary or ratification, or no plenary in
        session named (409)."""
        return await self._act(self._decide(cmd, self._observers_full()), cmd.at)

    @record_plenary_decision.validator
    def _check_plenary_decision(self, cmd: PlenaryDecisionCommand) -> None:
        """Refuse before the history: see `record_plenary_decision`."""
        # Validators do not run on replay: older decisions recorded without a plenary replay.
        self._validate(self._decide(cmd))
        self._validate(lambda: rules.require_sitting_plenary(cmd.plenary))

    def _decide(
        self, cmd: PlenaryDecisionCommand, observers_full: bool = True
    ) -> Callable[[], rules.Transition]:
        return lambda: rules.record_plenary_decision(
            self._record, cmd.actor, cmd.at, cmd.decision, cmd.note, cmd.plenary, observers_full
        )

    def _observers_full(self) -> bool:
        """Whether an observer is admitted straight to Full (asked only for an observer, so no
        other application's history gains a marker)."""
        if self._record.applicant.pillar is not Pillar.OBSERVER:
            return True
        return workflow.patched(OBSERVERS_ADMITTED_FULL)

    @workflow.update(name=WITHDRAW)
    async def withdraw(self, cmd: WithdrawCommand) -> ApplicationRecord:
        """The application is withdrawn (a provisional admission is then not ratified). Refused:
        not the Secretariat, nor the member's own focal point on its request for Full membership
        (403); an application already decided (409)."""
        return await self._act(
            lambda: rules.withdraw(self._record, cmd.actor, cmd.at, cmd.note), cmd.at
        )

    @withdraw.validator
    def _check_withdraw(self, cmd: WithdrawCommand) -> None:
        """Refuse before the history: see `withdraw`."""
        self._validate(lambda: rules.withdraw(self._record, cmd.actor, cmd.at, cmd.note))
