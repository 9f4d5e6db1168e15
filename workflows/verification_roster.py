"""A plenary's verification roster: seed, draw, publication, deferrals."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.keepalive import KEEPALIVE_TIMEOUT
    from activities.registry import RegistryActivities
    from activities.roster import RosterActivities
    from governance.kernel.errors import Conflict, Forbidden, GovernanceError, Problem
    from governance.kernel.messages import say
    from governance.kernel.model import Role
    from governance.kernel.wording import day_text
    from governance.roster.contracts import (
        DECIDE_DEFERRAL,
        DOCUMENT_QUERY,
        PLENARY_MOVED,
        REQUEST_DEFERRAL,
        ROSTER_WORKFLOW,
        ApplyDeferral,
        DeferralDecisionCommand,
        DeferralRequest,
        DeferralRequestCommand,
        MoveAnnouncement,
        MoveSlots,
        PlanRoster,
        PlenaryMoved,
        Presenter,
        PresenterLookup,
        PublishedRoster,
        RosterInput,
        RosterPlan,
        RosterReference,
    )
    from governance.roster.document import RosterDocument
    from governance.roster.effects import (
        audit,
        deferral_notices,
        moved_notices,
        outcomes_reminder,
        publication_notices,
        refusal_notice,
        request_notice,
        seed_notice,
    )
    from governance.roster.requests import require_deferral_decider
    from workflows.base.clock import sleep_until, wait_until_or
    from workflows.base.common import deliver, refuse
    from workflows.base.patches import (
        DRAW_AS_LONG_AS_IT_TAKES,
        FOLLOWS_PLENARY_MOVES,
        REPLAN_AT_THE_MOVE,
        ROSTER_IN_STORE,
    )
    from workflows.base.policies import BATCH_HEARTBEAT, BATCH_TIMEOUT, PATIENT_RETRY, STORE_TIMEOUT
    from workflows.base.search import YEAR, show


@workflow.defn(name=ROSTER_WORKFLOW)
class VerificationRosterWorkflow:
    """From the moment a plenary is scheduled until the day after it ends.

    The seed is published at once. At the call for presenters the roster is drawn and
    published. Until the deferral window closes, a presenter may ask to defer; until the plenary
    begins, the Chair or the Secretariat decides, and a replacement is drawn by the same rule.
    When the plenary has ended, the Secretariat is reminded of outcomes not yet recorded.
    """

    def __init__(self) -> None:
        self._plan: RosterPlan | None = None
        self._published: PublishedRoster | None = None  # before ROSTER_IN_STORE
        self._presenting: set[str] | None = None  # since ROSTER_IN_STORE
        self._requests: dict[str, DeferralRequest] = {}
        self._lock = asyncio.Lock()
        self._moves: list[PlenaryMoved] = []

    @workflow.run
    async def run(self, inp: RosterInput) -> RosterDocument | None:
        """Publish the seed, draw and publish the roster at the call for presenters (following a
        moved plenary), lapse the deferral requests undecided when the plenary begins, and remind
        the Secretariat of outcomes not recorded the day after it."""
        plan = await workflow.execute_activity_method(
            RosterActivities.plan,
            PlanRoster(plenary_id=inp.plenary_id, scheduled_at=inp.scheduled_at),
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )
        self._plan = plan
        show(YEAR.value_set(plan.year))
        await deliver([seed_notice(plan, inp.scheduled_at)])
        # added with plenary moves: the draw and the plenary's dates follow a moved plenary
        follows_moves = workflow.patched(FOLLOWS_PLENARY_MOVES)
        if follows_moves:
            plan = await self._follow_moves_until(lambda p: p.call_at, inp)
        else:
            await sleep_until(plan.call_at, inp.clock_offset)
        if workflow.patched(ROSTER_IN_STORE):
            await self._draw_in_store(plan)
        else:
            published = await workflow.execute_activity_method(
                RosterActivities.draw,
                plan,
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
            self._published = published
            await deliver(publication_notices(plan, published))
        if follows_moves:
            plan = await self._follow_moves_until(lambda p: p.plenary_begins_at, inp)
        else:
            await sleep_until(plan.plenary_begins_at, inp.clock_offset)
        async with self._lock:
            await self._expire_pending(plan)
        if plan.outcomes_due_at is not None:
            await sleep_until(plan.outcomes_due_at, inp.clock_offset)
            missing = await workflow.execute_activity_method(
                RosterActivities.unrecorded,
                plan,
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
            if missing:
                await deliver([outcomes_reminder(plan, missing, plan.outcomes_due_at)])
        await workflow.wait_condition(workflow.all_handlers_finished)
        # since ROSTER_IN_STORE the document is read from the store (`govsched roster show`)
        return self._published.document if self._published else None

    async def _draw_in_store(self, plan: RosterPlan) -> None:
        # The draw grows with the membership (30 s at 20,000 members on a loaded machine, minutes
        # at 200,000): a store activity's minute would cancel it and retry it for ever. Its
        # worker keeps it alive while it runs (the store keepalive), so a dead worker's draw is
        # still retried within seconds.
        long = workflow.patched(DRAW_AS_LONG_AS_IT_TAKES)
        drawn = await workflow.execute_activity_method(
            RosterActivities.draw_stored,
            plan,
            start_to_close_timeout=BATCH_TIMEOUT if long else STORE_TIMEOUT,
            heartbeat_timeout=KEEPALIVE_TIMEOUT if long else None,
            retry_policy=PATIENT_RETRY,
        )
        self._presenting = set(drawn.slots)
        await workflow.execute_activity_method(
            RosterActivities.announce,
            plan,
            start_to_close_timeout=BATCH_TIMEOUT,
            heartbeat_timeout=BATCH_HEARTBEAT,
            retry_policy=PATIENT_RETRY,
        )

    def _drawn(self) -> bool:
        return self._published is not None or self._presenting is not None

    def _presents(self, member: str) -> bool:
        if self._presenting is not None:
            return member in self._presenting
        return self._published is not None and any(
            s.member == member for s in self._published.document.slots
        )

    async def _presenter(self, member: str) -> Presenter:
        if self._published is not None:
            return self._published.presenters[member]
        return await workflow.execute_activity_method(
            RosterActivities.presenter,
            PresenterLookup(member=member),
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )

    async def _follow_moves_until(
        self, instant_of: Callable[[RosterPlan], datetime], inp: RosterInput
    ) -> RosterPlan:
        """Wait for the plan's instant, re-planning each time the plenary moves meanwhile."""
        while True:
            assert self._plan is not None
            if not await wait_until_or(
                instant_of(self._plan), inp.clock_offset, lambda: bool(self._moves)
            ):
                return self._plan
            move = self._moves.pop(0)
            async with self._lock:
                await self._replan(inp, move)

    async def _replan(self, inp: RosterInput, move: PlenaryMoved) -> None:
        before, published = self._plan, self._published
        assert before is not None
        if workflow.patched(REPLAN_AT_THE_MOVE):
            drawn = self._drawn()
            request = PlanRoster(
                plenary_id=inp.plenary_id,
                scheduled_at=inp.scheduled_at,
                drawn_on=before.draw_on if drawn else None,
                moved_at=None if drawn else move.at,
            )
        else:
            request = PlanRoster(
                plenary_id=inp.plenary_id,
                scheduled_at=inp.scheduled_at,
                drawn_on=before.draw_on if published is not None else None,
            )
        after = await workflow.execute_activity_method(
            RosterActivities.plan,
            request,
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )
        self._plan = after
        moved = (after.plenary_starts, after.plenary_ends) != (
            before.plenary_starts,
            before.plenary_ends,
        )
        if published is not None and moved:
            await workflow.execute_activity_method(
                RosterActivities.move_slots,
                MoveSlots(plan=after, published=published, at=move.at),
                start_to_close_timeout=STORE_TIMEOUT,
                retry_policy=PATIENT_RETRY,
            )
            await deliver(moved_notices(before, after, published, move.at))
        if self._presenting is not None and moved:
            announcement = MoveAnnouncement(before=before, after=after, at=move.at)
            await workflow.execute_activity_method(
                RosterActivities.move_stored,
                announcement,
                start_to_close_timeout=BATCH_TIMEOUT,
                heartbeat_timeout=BATCH_HEARTBEAT,
                retry_policy=PATIENT_RETRY,
            )
            await workflow.execute_activity_method(
                RosterActivities.announce_move,
                announcement,
                start_to_close_timeout=BATCH_TIMEOUT,
                heartbeat_timeout=BATCH_HEARTBEAT,
                retry_policy=PATIENT_RETRY,
            )

    @workflow.signal(name=PLENARY_MOVED)
    def plenary_moved(self, move: PlenaryMoved) -> None:
        """The plenary moved: re-plan the draw, or move the drawn slots with it."""
        self._moves.append(move)

    @workflow.query(name=DOCUMENT_QUERY)
    def document(self) -> RosterDocument | None:
        """The drawn document, for workflows from before ROSTER_IN_STORE (None since)."""
        return self._published.document if self._published else None

    # -- deferrals ----------------------------------------------------------------------------

    def _check_request(self, cmd: DeferralRequestCommand) -> RosterPlan:
        plan = self._plan
        if plan is None or not self._drawn():
            raise Conflict(
                say("the roster is not drawn yet"), [Problem("year", say("not drawn yet"))]
            )
        if cmd.at > plan.deferral_closes:
            last_day = day_text(plan.deferral_last_day)
            raise Conflict(
                say("the deferral window has closed"),
                [
                    Problem(
                        "at", say("deferrals could be asked until %(last_day)s", last_day=last_day)
                    )
                ],
            )
        if not self._presents(cmd.member):
            raise Conflict(
                say("%(member)s is not on the %(year)s roster", member=cmd.member, year=plan.year),
                [Problem("member", say("not a presenter"))],
            )
        own = Role.FOCAL_POINT in cmd.actor.roles and cmd.actor.member == cmd.member
        if not own and Role.SECRETARIAT not in cmd.actor.roles:
            raise Forbidden(
                f"{Role.FOCAL_POINT.value} for {cmd.member}",
                say("asking to defer %(member)s's presentation", member=cmd.member),
            )
        if cmd.member in self._requests:
            raise Conflict(
                say("a deferral was already asked for this member"),
                [Problem("member", say("already asked"))],
            )
        return plan

    @workflow.update(name=REQUEST_DEFERRAL)
    async def request_deferral(self, cmd: DeferralRequestCommand) -> DeferralRequest:
        """A presenter asks to defer its presentation. Refused: not the member's own focal point
        nor the Secretariat (403), a roster not drawn, a closed window, a member not presenting,
        or a request already made (409)."""
        async with self._lock:
            try:
                plan = self._check_request(cmd)
            except GovernanceError as refusal:
                refuse(refusal)
            request = DeferralRequest(
                member=cmd.member,
                reason=cmd.reason,
                requested_by=cmd.actor.person,
                requested_at=cmd.at,
            )
            self._requests[cmd.member] = request
            await self._audit(plan, "roster.deferral_requested", cmd.actor.person, cmd, cmd.reason)
            presenter = await self._presenter(cmd.member)
            await deliver([request_notice(plan, request, presenter.name)])
            return request

    @request_deferral.validator
    def _validate_request(self, cmd: DeferralRequestCommand) -> None:
        """Refuse before the history: see `request_deferral`."""
        try:
            self._check_request(cmd)
        except GovernanceError as refusal:
            refuse(refusal)

    def _check_decision(self, cmd: DeferralDecisionCommand) -> RosterPlan:
        require_deferral_decider(cmd.actor.roles)
        request = self._requests.get(cmd.member)
        if self._plan is None or request is None or request.decided:
            raise Conflict(
                say("no deferral request awaits a decision for this member"),
                [Problem("member", say("nothing to decide"))],
            )
        if cmd.at >= self._plan.plenary_begins_at:
            # even if the timer that lapses open requests has not fired yet
            raise Conflict(
                say("the plenary has begun: the member presents as drawn"),
                [
                    Problem(
                        "at",
                        say(
                            "decisions were due before %(plenary_starts)s",
                            plenary_starts=day_text(self._plan.plenary_starts),
                        ),
                    )
                ],
            )
        return self._plan

    @workflow.update(name=DECIDE_DEFERRAL)
    async def decide_deferral(
        self, cmd: DeferralDecisionCommand
    ) -> RosterDocument | RosterReference:
        """The Chair or the Secretariat approves (a replacement is drawn by the same rule) or
        declines a deferral. Refused: anyone else (403), no request awaiting a decision, or the
        plenary already begun (409)."""
        async with self._lock:
            try:
                plan = self._check_decision(cmd)
            except GovernanceError as refusal:
                refuse(refusal)
            request = self._requests[cmd.member]
            self._requests[cmd.member] = request.model_copy(
                update={"decided": True, "approved": cmd.approve}
            )
            if cmd.approve and self._presenting is not None:
                await self._defer_in_store(plan, request, cmd)
            elif cmd.approve:
                assert self._published is not None
                result = await workflow.execute_activity_method(
                    RosterActivities.apply_deferral,
                    ApplyDeferral(
                        plan=plan, request=request, decided_by=cmd.actor.person, at=cmd.at
                    ),
                    start_to_close_timeout=STORE_TIMEOUT,
                    retry_policy=PATIENT_RETRY,
                )
                self._published = result.published
                await deliver(
                    deferral_notices(
                        plan,
                        result.published.presenters,
                        result.vacated,
                        result.replacement,
                        cmd.at,
                    )
                )
            else:
                await self._audit(
                    plan, "roster.deferral_refused", cmd.actor.person, cmd, request.reason
                )
                presenter = await self._presenter(cmd.member)
                await deliver([refusal_notice(plan, request, presenter.name, cmd.at)])
            if self._published is not None:
                return self._published.document
            return RosterReference(plenary=plan.plenary_id)

    async def _defer_in_store(
        self, plan: RosterPlan, request: DeferralRequest, cmd: DeferralDecisionCommand
    ) -> None:
        applied = await workflow.execute_activity_method(
            RosterActivities.apply_stored_deferral,
            ApplyDeferral(plan=plan, request=request, decided_by=cmd.actor.person, at=cmd.at),
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )
        assert self._presenting is not None
        self._presenting.discard(applied.vacated.member)
        if applied.replacement is not None:
            self._presenting.add(applied.replacement.member)
        await deliver(
            deferral_notices(plan, applied.presenters, applied.vacated, applied.replacement, cmd.at)
        )

    @decide_deferral.validator
    def _validate_decision(self, cmd: DeferralDecisionCommand) -> None:
        """Refuse before the history: see `decide_deferral`."""
        try:
            self._check_decision(cmd)
        except GovernanceError as refusal:
            refuse(refusal)

    async def _audit(
        self,
        plan: RosterPlan,
        action: str,
        actor: str,
        cmd: DeferralRequestCommand | DeferralDecisionCommand,
        reason: str,
    ) -> None:
        entry = audit(plan, action, actor, cmd.at, reason, suffix=f":{cmd.member}")
        await workflow.execute_activity_method(
            RegistryActivities.record_audit,
            entry,
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=PATIENT_RETRY,
        )

    async def _expire_pending(self, plan: RosterPlan) -> None:
        """Requests nobody decided before the plenary lapse: the member presents as drawn."""
        for member, request in sorted(self._requests.items()):
            if not request.decided:
                self._requests[member] = request.model_copy(update={"decided": True})
                entry = audit(
                    plan,
                    "roster.deferral_lapsed",
                    "system",
                    plan.plenary_begins_at,
                    request.reason,
                    suffix=f":{member}",
                )
                await workflow.execute_activity_method(
                    RegistryActivities.record_audit,
                    entry,
                    start_to_close_timeout=STORE_TIMEOUT,
                    retry_policy=PATIENT_RETRY,
                )
