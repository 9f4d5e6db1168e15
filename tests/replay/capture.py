"""Capture workflow histories for the replay tests: `.venv/bin/python -m tests.replay.capture`.

Committed histories are never edited or overwritten: when a workflow changes, old histories must
still replay (that is what `workflow.patched` is for), and a changed path gets a new file. This
script only writes files that do not exist yet.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from governance.kernel.model import MemberStatus
from governance.registry.changes import SchedulePlenary, SetChair
from governance.registry.contracts import registry_change_workflow_id
from governance.registry.member_status import ChangeMemberStatus
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.rehearsal.driver import load_scenario, rehearse
from govsched.services import registry as registry_service
from tests.helpers import NORLAND, change, running_worker
from worker import register_search_attributes

HISTORIES = Path(__file__).parent / "histories"
SERVER = str(Path(sys.executable).parent / "temporal-test-server")
START = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)

Case = Callable[[WorkflowEnvironment, str, timedelta], Awaitable[str]]


async def add_member(env: WorkflowEnvironment, queue: str, offset: timedelta) -> str:
    member = change(NORLAND, at=START, key="capture-add-member")
    await registry_service.submit(env.client, member, queue, offset)
    return member.key


async def schedule_plenary(env: WorkflowEnvironment, queue: str, offset: timedelta) -> str:
    await registry_service.submit(env.client, change(NORLAND, at=START), queue, offset)
    plenary = change(
        SchedulePlenary(
            year=2027,
            starts=date(2027, 5, 18),
            ends=date(2027, 5, 21),
            location="Norland Harbour",
            host="gov-norland",
        ),
        at=START,
        key="capture-schedule-plenary",
    )
    await registry_service.submit(env.client, plenary, queue, offset)
    return plenary.key


async def chair_term_begins_later(env: WorkflowEnvironment, queue: str, offset: timedelta) -> str:
    await registry_service.submit(env.client, change(NORLAND, at=START), queue, offset)
    term = change(
        SetChair(member="gov-norland", starts=date(2027, 5, 21), ends=date(2028, 5, 19)),
        at=START,
        key="capture-chair-term-begins-later",
    )
    await registry_service.submit(env.client, term, queue, offset)
    await env.sleep(timedelta(days=140))
    return term.key


async def engaged_member_recorded(env: WorkflowEnvironment, queue: str, offset: timedelta) -> str:
    """An Engaged member recorded in the registry: its period is tracked (patched path)."""
    member = change(
        NORLAND.model_copy(update={"status": MemberStatus.ENGAGED, "joined": date(2026, 5, 1)}),
        at=START,
        key="capture-engaged-member",
    )
    await registry_service.submit(env.client, member, queue, offset)
    return member.key


async def refused(env: WorkflowEnvironment, queue: str, offset: timedelta) -> str:
    term = change(
        SetChair(member="gov-nowhere", starts=date(2027, 5, 21), ends=date(2028, 5, 19)),
        at=START,
        key="capture-refused",
    )
    await registry_service.submit(env.client, term, queue, offset)
    return term.key


async def member_status_changed(env: WorkflowEnvironment, queue: str, offset: timedelta) -> str:
    """A member made Inactive by the Secretariat (since patch wake-on-member-status, the
    governance year, the handovers and the open reporting cycles are told to look again)."""
    await registry_service.submit(env.client, change(NORLAND, at=START), queue, offset)
    inactive = change(
        ChangeMemberStatus(
            member="gov-norland", status=MemberStatus.INACTIVE, decision="plenary decision"
        ),
        at=START,
        key="capture-member-status",
    )
    await registry_service.submit(env.client, inactive, queue, offset)
    return inactive.key


CASES: dict[str, Case] = {
    "registry-change-add-member": add_member,
    "registry-change-schedule-plenary": schedule_plenary,
    "registry-change-chair-term-begins-later": chair_term_begins_later,
    "registry-change-refused": refused,
    "registry-change-engaged-member": engaged_member_recorded,
    # the same, once processes that outlive their starter are started by an activity
    "registry-change-engaged-member-by-activity": engaged_member_recorded,
    # a status change before its patch (wake-on-member-status), then with it
    "registry-change-member-status": member_status_changed,
    "registry-change-member-status-wakes": member_status_changed,
}

# Histories taken from rehearsals of scenarios: scenario -> fixture name -> workflow id there.
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FROM_SCENARIOS = {
    "applications-year.yaml": {
        "application-provisional-then-ratified": "application-app-drc",
        "application-objection-then-rejected": "application-app-basalt",
        "application-lapsed": "application-app-quiet",
        "application-withdrawn": "application-app-helios",
        "application-objected-then-admitted": "application-app-moz",
        "application-full-membership": "application-full-co-lumen",
        "engaged-membership-to-full": "engaged-co-lumen",
        "engaged-membership-extended": "engaged-ngo-civic",
        # captured again once outliving processes were started by an activity
        "application-admitted-starts-engaged-by-activity": "application-app-drc",
        "engaged-membership-requests-full-by-activity": "engaged-co-lumen",
        # captured again once Full members were told of a proposal by one paged activity
        "application-proposal-announced-in-pages": "application-app-drc",
        # captured again once applications showed their state in search (issue 18)
        "application-shown-in-search": "application-app-drc",
        # captured again once a step's notices went in the step's own activity and the first
        # state was set when the service started the run (issue 21)
        "application-leaner-steps": "application-app-drc",
        "application-lapsed-leaner-steps": "application-app-quiet",
        # captured again once an admission's first step was written by a local activity in the
        # run's first task (issue 21)
        "application-submission-step-local": "application-app-drc",
        "application-lapsed-submission-step-local": "application-app-quiet",
        # captured again once silence counted only for reviewers still on the Committee at
        # the close (sc-aurum never answers on app-drc)
        "application-silence-of-sitting-reviewers": "application-app-drc",
        # captured again once the applicant was emailed the Secretariat's question (app-drc
        # answers it) and reminded of it before the application lapsed (app-quiet never does)
        "application-applicant-told-of-question": "application-app-drc",
        "application-lapsed-applicant-reminded": "application-app-quiet",
    },
    "roster-years.yaml": {
        "registry-change-schedule-plenary-starts-roster": "registry-change-rehearsal-e00018",
        "verification-roster-deferrals-and-outcomes": "roster-plenary-2027",
        "verification-roster-drawn": "roster-plenary-2028",
        # captured again once the drawn document stayed in the store
        "verification-roster-in-store-deferrals-and-outcomes": "roster-plenary-2027",
        # captured again once processes showed their year in search (issue 18)
        "verification-roster-shown-in-search": "roster-plenary-2027",
        # the draw as long as it takes (roster-draw-as-long-as-it-takes)
        "verification-roster-drawn-as-long-as-it-takes": "roster-plenary-2027",
    },
    "governance-year.yaml": {
        "governance-year-after-two-plenaries": "governance-year",
        "registry-change-complete-milestone": "registry-change-rehearsal-e00001",
        "registry-change-move-plenary": "registry-change-rehearsal-e00003",
        "verification-roster-replanned-before-draw": "roster-plenary-2027",
        "verification-roster-moved-after-draw": "roster-plenary-2028",
        "verification-roster-in-store-moved-after-draw": "roster-plenary-2028",
        # captured again once processes showed their year in search, on the one wake loop
        "governance-year-shown-in-search": "governance-year",
    },
    "chair-handover.yaml": {
        "chair-handover-at-the-plenary": "chair-handover-2027",
        "chair-handover-late-designation": "chair-handover-2028",
        "registry-change-designate-incoming-chair": "registry-change-rehearsal-e00013",
        "registry-change-complete-handover-item": "registry-change-rehearsal-e00011",
        # captured again once processes showed their year in search, on the one wake loop
        "chair-handover-shown-in-search": "chair-handover-2027",
        "chair-handover-late-designation-shown-in-search": "chair-handover-2028",
    },
    # captured once a roster was drawn at the instant its plenary was scheduled or moved
    "roster-drawn-when-known.yaml": {
        "verification-roster-drawn-when-scheduled-late": "roster-plenary-2027",
        "verification-roster-drawn-at-the-move-kept-after-it": "roster-plenary-2028",
    },
    "reporting-years.yaml": {
        "report-cycle-moved-late-reports-and-reviews": "report-cycle-2027",
        "report-cycle-second-miss-escalates": "report-cycle-2028",
        # captured again once runs were also cut while idle, and shorter
        "report-cycle-shorter-runs-moved-late-reports": "report-cycle-2027",
        # captured again once processes showed their year in search, on the one wake loop
        "report-cycle-shown-in-search": "report-cycle-2027",
    },
    # captured once observers were admitted straight to Full (patch observers-admitted-full)
    "observer-admission.yaml": {
        "application-observer-provisional-then-ratified": "application-app-harbour",
        "application-observer-admitted-by-the-plenary": "application-app-lantern",
    },
    "concerns.yaml": {
        "concern-late-ack-extended-remedial-plan": "concern-c-guards",
        "concern-resolved-early": "concern-c-forum",
        "concern-withdrawn": "concern-c-access",
    },
    "group-plans-and-funding.yaml": {
        "group-plan-approved-by-silence-reported": "group-plan-ghana-2027",
        "group-plan-returned-then-declined": "group-plan-peru-2027",
    },
}


async def capture(name: str, case: Case) -> None:
    path = HISTORIES / f"{name}.json"
    if path.exists():
        print(f"kept     {path.name}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/capture.db"
        upgrade(url)
        db = Database.from_url(url)
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=SERVER, data_converter=pydantic_data_converter
        )
        try:
            await register_search_attributes(env.client)
            offset = START - await env.get_current_time()
            async with running_worker(env.client, db) as queue:
                key = await case(env, queue, offset)
                handle = env.client.get_workflow_handle(registry_change_workflow_id(key))
                await env.sleep(timedelta(days=1))
                await handle.result()
                history = await handle.fetch_history()
        finally:
            await env.shutdown()
            db.dispose()
    path.write_text(history.to_json(), encoding="utf-8")
    print(f"captured {path.name}")


async def capture_scenario(scenario_name: str, wanted: dict[str, str]) -> None:
    missing = {n: w for n, w in wanted.items() if not (HISTORIES / f"{n}.json").exists()}
    if not missing:
        return
    with tempfile.TemporaryDirectory() as tmp:
        histories = Path(tmp) / "histories"
        scenario, rulebook = load_scenario(SCENARIOS / scenario_name)
        await rehearse(scenario, rulebook, Path(tmp) / "out", SERVER, histories)
        for name, workflow_id in missing.items():
            text = (histories / f"{workflow_id}.json").read_text(encoding="utf-8")
            (HISTORIES / f"{name}.json").write_text(text, encoding="utf-8")
            print(f"captured {name}.json (from {workflow_id} in {scenario_name})")


async def main() -> None:
    HISTORIES.mkdir(parents=True, exist_ok=True)
    for name, case in CASES.items():
        await capture(name, case)
    for scenario_name, wanted in FROM_SCENARIOS.items():
        await capture_scenario(scenario_name, wanted)


if __name__ == "__main__":
    asyncio.run(main())
    sys.stdout.flush()
    os._exit(0)
