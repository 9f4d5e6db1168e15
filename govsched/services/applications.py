"""Applications and Engaged periods, as the API, the CLI and rehearsals drive them.

The service resolves who acts (their roles, member and its status) from the registry at the
moment of the request, computes the instants a workflow must not compute itself (windows,
decision marks, extension dates), sends the update, and turns a refused update back into the
GovernanceError that refused it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pydantic import BaseModel
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
)
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from governance.applications import engaged_period
from governance.applications import requests as req
from governance.applications.access import visible
from governance.applications.contracts import (
    ENGAGED_WORKFLOW,
    ActionCommand,
    ApplicationInput,
    EngagedInput,
    EvidenceCommand,
    ExtendCommand,
    ObjectCommand,
    PlenaryDecisionCommand,
    ProvideInformationCommand,
    RecommendCommand,
    RequestFullCommand,
    RequestInformationCommand,
    StartApplication,
    StartReviewCommand,
    WithdrawCommand,
    application_workflow_id,
    engaged_input,
    engaged_workflow_id,
)
from governance.applications.engaged_period import EngagedRecord
from governance.applications.model import (
    APPLICANT,
    Applicant,
    ApplicationKind,
    ApplicationRecord,
    ApplicationRules,
)
from governance.applications.rules import (
    can_submit,
    may_recommend,
    may_record_plenary_decision,
    submitted_state,
)
from governance.applications.timeline import decision_marks, window_for
from governance.kernel.actor import Actor
from governance.kernel.errors import Conflict, GovernanceError, NotFound, Problem
from governance.kernel.messages import say, word
from governance.kernel.model import MemberStatus, Role
from governance.kernel.timekeeping import end_of_day, local_date
from governance.rulebook.model import Rulebook
from governance.year.plenary_sessions import sitting_plenary
from govsched.persistence.commands import receipts
from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.ids import IdMaker, random_id
from govsched.temporal.starters import start_once
from govsched.temporal.updates import earlier_outcome, send_update

if TYPE_CHECKING:
    from workflows.application import ApplicationWorkflow
    from workflows.engaged_membership import EngagedMembershipWorkflow

    # An update of the application workflow, by its typed reference (ApplicationWorkflow.recommend).
    ApplicationUpdate = UpdateMethodMultiParam[
        [ApplicationWorkflow, Any], Awaitable[ApplicationRecord]
    ]

P = TypeVar("P")
R = TypeVar("R")


# The workflows are imported where an update is sent, not at the top: importing one loads every
# workflow and activity (and their libraries), which the web pages and CLI commands that only
# read need not pay for at start-up.
def _application_workflow() -> type[ApplicationWorkflow]:
    from workflows.application import ApplicationWorkflow

    return ApplicationWorkflow


def _engaged_workflow() -> type[EngagedMembershipWorkflow]:
    from workflows.engaged_membership import EngagedMembershipWorkflow

    return EngagedMembershipWorkflow


def actor_for(db: Database, person_id: str) -> Actor:
    """The person as the rules see them now: roles, member and the member's status."""
    with db.reading() as session:
        person = registry_repo.get_person(session, person_id)
        if person is None:
            raise NotFound("person", person_id)
        member = registry_repo.member_facts(session, person.member)
    return Actor(
        person=person.id,
        roles=person.roles,
        member=person.member,
        member_status=member.status if member else None,
        member_pillar=member.pillar if member else None,
    )


def read_engaged(db: Database, member: str) -> EngagedRecord:
    with db.reading() as session:
        if registry_repo.member_facts(session, member) is None:
            raise NotFound("member", member)
        record = application_repo.get_engaged(session, member)
    if record is None:
        raise Conflict(
            say("%(member)s has no Engaged period", member=member),
            [Problem("member", say("is not an Engaged member"))],
        )
    return record


@dataclass
class ApplicationService:
    client: Client
    db: Database
    rulebook: Rulebook
    task_queue: str
    clock_offset: timedelta = timedelta(0)
    # Keys the ids of applications submitted with an Idempotency-Key (govsched/services/ids.py).
    ids: IdMaker | None = None

    @property
    def _tz(self) -> str:
        return self.rulebook.initiative.timezone

    def new_application_id(self, key: str | None) -> str:
        """A random id, or, for a key, the same unguessable id every time that key is used."""
        if key is None:
            return random_id("app")
        if self.ids is None:
            raise RuntimeError("an application id from a key needs the server's id secret")
        return self.ids.keyed("app", "application", key)

    def actor(self, person_id: str) -> Actor:
        return actor_for(self.db, person_id)

    # -- applications ---------------------------------------------------------------------------

    async def submit(
        self, request: req.SubmitApplication, by: str | None, at: datetime, key: str | None = None
    ) -> ApplicationRecord:
        """Record a new application, or return the one this id (or key) already names."""
        application_id = request.id or self.new_application_id(key)
        actor = APPLICANT if by is None else self.actor(by)
        # Refused before anything starts: a workflow must never begin with a refusal.
        can_submit(ApplicationKind.ADMISSION, actor)
        apps = self.rulebook.applications
        window = window_for(local_date(at, self._tz), apps.windows)
        applicant = Applicant.model_validate(request.model_dump(exclude={"action", "id"}))
        start = StartApplication(
            id=application_id,
            kind=ApplicationKind.ADMISSION,
            applicant=applicant,
            actor=actor,
            at=at,
            marks=decision_marks(
                window, apps.decision_warning_months, apps.decision_target_months, self._tz
            ),
            window=window,
            window_due=end_of_day(window, self._tz),
            rules=ApplicationRules.of(self.rulebook),
        )
        workflow = _application_workflow()
        from workflows.base.search import APPLICATION_STATE

        operation = WithStartWorkflowOperation(
            workflow.run,
            ApplicationInput(start=start, clock_offset=self.clock_offset),
            id=application_workflow_id(application_id),
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            # the Temporal UI's state from the start: the workflow need not upsert it
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(
                        APPLICATION_STATE, submitted_state(ApplicationKind.ADMISSION).value
                    )
                ]
            ),
        )
        try:
            record = cast(
                ApplicationRecord,
                await self.client.execute_update_with_start_workflow(
                    workflow.submitted, start_workflow_operation=operation
                ),
            )
        except (WorkflowAlreadyStartedError, RPCError) as exc:
            # the start operation holds the same error: collected, so asyncio does not report it
            with contextlib.suppress(Exception):
                await operation.workflow_handle()
            if isinstance(exc, RPCError) and exc.status != RPCStatusCode.ALREADY_EXISTS:
                raise
            record = self.get(application_id)
        # the same application sent again in another language (the form's reader switched
        # after a lost answer) is still the same application: the first language stays
        if record.applicant.model_copy(update={"language": applicant.language}) != applicant:
            raise Conflict(
                say(
                    "application %(application)r already exists for another organisation",
                    application=application_id,
                ),
                [Problem("id", say("already taken"))],
            )
        return record

    def get(self, application_id: str) -> ApplicationRecord:
        record = self._find(application_id)
        if record is None:
            raise NotFound("application", application_id)
        return record

    async def _update(
        self, application_id: str, update: ApplicationUpdate, command: Any, key: str | None = None
    ) -> ApplicationRecord:
        self.get(application_id)  # 404 for an unknown application

        def decided() -> GovernanceError:
            state = word(self.get(application_id).state)
            return Conflict(
                say("the application is %(state)s", state=state),
                [Problem("state", say("is %(state)s; it is final", state=state))],
            )

        return await send_update(
            self.client, application_workflow_id(application_id), update, command, decided, key
        )

    def _sitting_plenary(self, application_id: str, actor: Actor, at: datetime) -> str:
        """The plenary in session at `at` that may decide the application; Conflict naming the
        next plenary otherwise. Role and state are asked first, as the workflow would."""
        record = self.get(application_id)
        may_record_plenary_decision(record, actor)
        with self.db.reading() as session:
            plenaries = registry_repo.list_plenaries(session)
        sitting = sitting_plenary(
            plenaries,
            local_date(at, self._tz),
            local_date(record.submitted_at, self._tz),
            self.rulebook.plenary.decision_grace_days,
        )
        return sitting.id

    def _steering_committee(self) -> tuple[str, ...]:
        with self.db.reading() as session:
            return tuple(registry_repo.voting_people_with_role(session, Role.STEERING_COMMITTEE))

    async def perform(
        self, request: req.ApplicationRequest, at: datetime, key: str | None = None
    ) -> ApplicationRecord:
        """Apply a request to an application, as its `by` person, at `at` (once per `key`)."""
        by = getattr(request, "by", None)
        if by is None:
            # the applicant itself, in-process (a rehearsal's answer): it names its own
            actor = APPLICANT
            self.get(request.application)
        else:
            actor = self.actor(by)
            # the unknown-id answer to anyone who may not know of the application, before any
            # role or state check, so no verb tells a real id from one never used
            try:
                visible(self._find(request.application), actor, request.application)
            except NotFound:
                repeated = await self._repeated(request, actor, at, self._own(actor, key))
                if repeated is None:
                    raise
                return repeated
        update, command = self._command(request, actor, at)
        own = self._own(actor, key)
        record = await self._update(request.application, update, command, own)
        self._claim(own, request, at)
        return record

    @staticmethod
    def _own(actor: Actor, key: str | None) -> str | None:
        """The key as the person's own: Temporal answers a repeated update id with the first
        outcome, so another person's request under the same key must not share its id (found
        by a review: a second reviewer's recommendation sent with a key already used was
        answered 200 and never recorded)."""
        return None if key is None else f"{actor.person}:{key}"

    def _claim(self, own: str | None, request: BaseModel, at: datetime) -> None:
        """Tie the person's key to this request once Temporal has answered it (nothing is
        written while Temporal is lost): the same request again passes; another request under
        the key was answered with the first one's outcome by Temporal, and is refused (422)."""
        if own is not None:
            receipts.claim_once(self.db, "application-update", own, request, at)

    async def _repeated(
        self, request: req.ApplicationRequest, actor: Actor, at: datetime, key: str | None
    ) -> ApplicationRecord | None:
        """The first outcome of a request repeated with its key, when that outcome took the
        application out of the person's sight (an objection sends it to the plenary, which
        its objector does not follow): the repeat answers as the first did. Only the person
        who acted gets it: the key alone is not enough."""
        if key is None:
            return None
        try:
            update, _ = self._command(request, actor, at)
        except GovernanceError:
            return None
        first = await earlier_outcome(
            self.client, application_workflow_id(request.application), update, key
        )
        if first is None or not any(step.by == actor.person for step in first.history):
            return None
        return first

    def _find(self, application_id: str) -> ApplicationRecord | None:
        with self.db.reading() as session:
            return application_repo.get(session, application_id)

    def _command(
        self, request: req.ApplicationRequest, actor: Actor, at: datetime
    ) -> tuple[ApplicationUpdate, ActionCommand]:
        """The workflow update a request becomes, and its payload."""
        workflow = _application_workflow()
        match request:
            case req.MarkComplete():
                return workflow.mark_complete, ActionCommand(actor=actor, at=at)
            case req.RequestInformation():
                return workflow.request_information, RequestInformationCommand(
                    actor=actor,
                    at=at,
                    question=request.question,
                    respond_within_days=request.respond_within_days,
                )
            case req.ProvideInformation():
                return workflow.provide_information, ProvideInformationCommand(
                    actor=actor, at=at, answer=request.answer
                )
            case req.StartReview():
                return workflow.start_review, StartReviewCommand(
                    actor=actor, at=at, reviewers=self._steering_committee()
                )
            case req.Recommend():
                may_recommend(actor)
                return workflow.recommend, RecommendCommand(
                    actor=actor,
                    at=at,
                    recommendation=request.recommendation,
                    comment=request.comment,
                )
            case req.Object():
                return workflow.object_to, ObjectCommand(actor=actor, at=at, reason=request.reason)
            case req.RecordPlenaryDecision():
                return workflow.record_plenary_decision, PlenaryDecisionCommand(
                    actor=actor,
                    at=at,
                    decision=request.decision,
                    note=request.note,
                    plenary=self._sitting_plenary(request.application, actor, at),
                )
            case req.WithdrawApplication():
                return workflow.withdraw, WithdrawCommand(actor=actor, at=at, note=request.note)

    # -- Engaged periods ------------------------------------------------------------------------

    def engaged_record(self, member: str) -> EngagedRecord:
        return read_engaged(self.db, member)

    async def _engaged_update(
        self,
        member: str,
        update: UpdateMethodMultiParam[[Any, P], Awaitable[R]],
        command: P,
        key: str | None,
    ) -> R:
        self.engaged_record(member)  # 404 or 409 before anything is sent

        def over() -> GovernanceError:
            state = word(self.engaged_record(member).state)
            return Conflict(
                say(
                    "the Engaged period of %(member)s is over (%(state)s)",
                    member=member,
                    state=state,
                ),
                [Problem("member", say("is %(state)s", state=state))],
            )

        return await send_update(
            self.client, engaged_workflow_id(member), update, command, over, key
        )

    async def record_milestone(
        self, request: req.RecordMilestone, at: datetime, key: str | None = None
    ) -> EngagedRecord:
        actor = self.actor(request.by)
        engaged_period.may_record_evidence(request.member, actor.roles, actor.member)
        command = EvidenceCommand(actor=actor, at=at, kind=request.kind, note=request.note)
        own = self._own(actor, key)
        record = await self._engaged_update(
            request.member, _engaged_workflow().record_milestone, command, own
        )
        self._claim(own, request, at)
        return record

    async def request_full_membership(
        self, request: req.RequestFullMembership, at: datetime, key: str | None = None
    ) -> str:
        """Open the member's request for Full membership; returns the application's id."""
        actor = self.actor(request.by)
        engaged_period.may_request_full(request.member, actor.roles, actor.member)
        with self.db.reading() as session:
            person = registry_repo.get_person(session, request.by)
            country = registry_repo.member_country(session, request.member) or ""
        apps = self.rulebook.applications
        marks = decision_marks(
            local_date(at, self._tz),
            apps.decision_warning_months,
            apps.decision_target_months,
            self._tz,
        )
        command = RequestFullCommand(
            actor=actor,
            at=at,
            contact_email=person.email if person else "",
            country=country,
            statement=f"Request for Full membership of {request.member}.",
            marks=marks,
        )
        own = self._own(actor, key)
        application = await self._engaged_update(
            request.member, _engaged_workflow().request_full_membership, command, own
        )
        self._claim(own, request, at)
        return application

    async def extend_engaged_period(
        self, request: req.ExtendEngagedPeriod, at: datetime, key: str | None = None
    ) -> EngagedRecord:
        actor = self.actor(request.by)
        engaged_period.may_extend(actor.roles)
        admitted_on = self.engaged_record(request.member).admitted_on
        command = ExtendCommand(
            actor=actor,
            at=at,
            until=request.until,
            until_due=end_of_day(request.until, self._tz),
            reason=request.reason,
            checkpoints=engaged_period.checkpoints(
                admitted_on, request.until, self.rulebook.engaged_period, self._tz
            ),
        )
        own = self._own(actor, key)
        record = await self._engaged_update(
            request.member, _engaged_workflow().extend, command, own
        )
        self._claim(own, request, at)
        return record

    async def ensure_engaged_periods(self, at: datetime) -> list[str]:
        """Track the Engaged period of every Engaged member that has none (seeded members).

        Returns the workflow ids started; a member already tracked is left alone.
        """
        with self.db.reading() as session:
            engaged = registry_repo.members_with_status(session, MemberStatus.ENGAGED)
            tracked = application_repo.engaged_members_tracked(session)
            joined = {
                m.id: m.joined
                for m in registry_repo.list_members(session, status=MemberStatus.ENGAGED)
            }
            untracked = [m.id for m in engaged if m.id not in tracked]
            recorded = audit_repo.recorded_at(session, "member.added", "member", untracked)
        started = []
        for member in engaged:
            if member.id in tracked:
                continue
            # tracked from when the member was recorded, not from when a worker happened to
            # start: a worker restarted after the registry change would otherwise plan another
            # period than an undisturbed run
            plan: EngagedInput = engaged_input(
                member.id,
                member.name,
                member.pillar,
                joined[member.id],
                recorded.get(member.id, at),
                self.rulebook,
            )
            workflow = engaged_workflow_id(member.id)
            period = plan.model_copy(update={"clock_offset": self.clock_offset})
            if await start_once(self.client, ENGAGED_WORKFLOW, period, workflow, self.task_queue):
                started.append(workflow)
        return started
