"""A group's plan followed by its workflow (issue 23): the owner of a deliverable is reminded and
told it is late, the Secretariat gets the overdue summary, a funding request's Steering Committee
review closes by itself at its deadline (silence counted as the rulebook says) and the finished
run replays. The wake at the activity's instant is checked on both servers with fakes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from temporalio import activity
from temporalio.client import WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from governance.groups.contracts import (
    GroupPlanInput,
    GroupPlanStatus,
    GroupPlanStatusRequest,
    group_plan_workflow_id,
)
from governance.groups.funding import FundingState
from governance.groups.model import Exploration, Group, GroupStatus
from governance.groups.plan_requests import (
    AddPlanDeliverable,
    CheckGroupFunding,
    PlanRequest,
    RecommendGroupFunding,
    ReportGroupFundingUse,
    RequestGroupFunding,
    StartGroupPlan,
)
from governance.kernel.model import Person
from governance.rulebook.model import Recommendation, Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.services import group_plans as plans
from govsched.services import groups as groups
from govsched.services.group_plans import GroupPlanService
from tests.concern_registry import SEEDED_AT, concern_registry
from tests.helpers import running_worker
from tests.workflows.fakes import Calls, eventually, faked, notice, workflow_id
from workflows import WORKFLOWS
from workflows.group_plan import GroupPlanWorkflow

DAY = timedelta(days=1)
START = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
FOUND = Exploration(demand="Asked for.", support="Backed.", recorded_on=date(2026, 10, 1))
GHANA = Group(
    id="wf-ghana",
    name="Ghana group",
    country="GH",
    timezone="Africa/Accra",
    status=GroupStatus.ACTIVE,
    exploration=FOUND,
    member_ids=frozenset({"co-aurum"}),
    coordinators=frozenset({"carl-co"}),
)


def person(db: Database, person_id: str) -> Person:
    with db.reading() as session:
        found = registry_repo.get_person(session, person_id)
    assert found is not None
    return found


async def test_a_plan_reminds_summarises_closes_its_review_and_ends(
    time_skipping_env: WorkflowEnvironment, lane_db: Database
) -> None:
    env, notifier = time_skipping_env, RecordingNotifier()
    with lane_db.writing() as session:
        seed(session, concern_registry(), SEEDED_AT, Rulebook())
    offset = START - await env.get_current_time()

    async def at() -> datetime:
        return await env.get_current_time() + offset

    def texts(recipient: str) -> list[str]:
        return [n.text for n in notifier.sent if recipient in (n.channel, *n.recipients)]

    async def until(check: Callable[[], bool], what: str) -> None:
        await eventually(check, what)

    sam, carl = person(lane_db, "sam-sec"), person(lane_db, "carl-co")
    groups.create_group(lane_db, GHANA, sam, START)
    async with running_worker(env.client, lane_db, notifier=notifier) as queue:
        service = GroupPlanService(env.client, lane_db, Rulebook(), queue, offset)

        async def step(request: PlanRequest) -> None:
            await service.perform(request, await at())

        group = {"group": "wf-ghana", "year": 2027}
        await step(StartGroupPlan(by="carl-co", **group))
        await step(
            AddPlanDeliverable(
                by="carl-co",
                **group,
                id="survey",
                title="Baseline survey",
                owner="olga-gov",
                due=date(2027, 3, 20),
            )
        )
        await step(
            RequestGroupFunding(
                by="carl-co",
                group="wf-ghana",
                id="wf-fr-1",
                year=2027,
                amount="12000.00",
                currency="USD",
                purpose="Two trainings in Tarkwa.",
            )
        )
        await until(lambda: bool(texts("secretariat")), "the Secretariat is asked to check")
        await step(CheckGroupFunding(by="sam-sec", request="wf-fr-1", complete=True))
        await until(lambda: bool(texts("sally-sc")), "the reviewers are asked")
        await step(
            RecommendGroupFunding(
                by="sally-sc", request="wf-fr-1", recommendation=Recommendation.SUPPORT
            )
        )

        await env.sleep(25 * DAY)
        await until(lambda: len(texts("olga-gov")) == 3, "two reminders and the late note")
        assert texts("olga-gov")[0] == (
            "Reminder: the deliverable Baseline survey of the Ghana group 2027 plan is due on "
            "20 March 2027."
        )
        assert texts("olga-gov")[2] == (
            "The deliverable Baseline survey of the Ghana group 2027 plan was due on "
            "20 March 2027 and is not done."
        )
        assert any("1 overdue deliverable: Baseline survey" in t for t in texts("secretariat"))

        await env.sleep(50 * DAY)
        await until(
            lambda: plans.get_request(lane_db, "wf-fr-1", carl).state is FundingState.APPROVED,
            "the review closes at its deadline",
        )
        # the whole record is the Secretariat's; the group reads the decision without it
        approved = plans.get_request(lane_db, "wf-fr-1", sam)
        assert [(r.person, r.silent) for r in approved.recommendations] == [
            ("sally-sc", False),
            ("chris-chair", True),
        ]
        assert plans.get_request(lane_db, "wf-fr-1", carl).recommendations == ()
        assert approved.report_due == date(2027, 7, 12)
        await until(lambda: any("approved" in t for t in texts("carl-co")), "carl hears")
        await step(
            ReportGroupFundingUse(
                by="carl-co", request="wf-fr-1", spent="11800.50", currency="USD", report="Held."
            )
        )

        handle = env.client.get_workflow_handle(group_plan_workflow_id("wf-ghana", 2027))
        await handle.result()
        assert (await handle.describe()).status is WorkflowExecutionStatus.COMPLETED
        history = await handle.fetch_history()

    keys = [n.key for n in notifier.sent]
    assert len(keys) == len(set(keys))
    assert texts("chris-chair")[-1].startswith("Reminder: your recommendation")
    replayer = Replayer(workflows=WORKFLOWS, data_converter=pydantic_data_converter)
    await replayer.replay_workflow(history)


SOON = timedelta(seconds=3)
AT_LEAST = SOON - timedelta(milliseconds=100)


class SoonPlanFakes(Calls):
    """The first look names an instant SOON ahead; the second finds nothing left."""

    @activity.defn(name="group-plan-status")
    async def status(self, request: GroupPlanStatusRequest) -> GroupPlanStatus:
        self.record("group-plan-status", request)
        if len(self.of("group-plan-status")) == 1:
            return GroupPlanStatus(
                notices=[notice("icig-plan:g-2044", request.now)],
                delivered=1,
                next_at=request.now + SOON,
            )
        return GroupPlanStatus(delivered=request.delivered, finished=True)


async def test_the_group_plan_wakes_at_its_next_step(workflow_env: WorkflowEnvironment) -> None:
    client, fakes = workflow_env.client, SoonPlanFakes()
    async with faked(client, GroupPlanWorkflow, [fakes.status, fakes.deliver]) as queue:
        handle = await client.start_workflow(
            GroupPlanWorkflow.run,
            GroupPlanInput(group_id="g", year=2044),
            id=workflow_id("group-plan"),
            task_queue=queue,
        )
        await handle.result()

    assert fakes.names() == ["group-plan-status", "deliver-notification", "group-plan-status"]
    assert [r.delivered for r in fakes.of("group-plan-status")] == [0, 1]
    looks = [r.now for r in fakes.of("group-plan-status")]
    assert all(later - earlier >= AT_LEAST for earlier, later in pairwise(looks))
