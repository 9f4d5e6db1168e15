"""The demo's work in hand, made at its first start through the same services as the API, once
the worker runs: applications at each step of intake and review, a participant concern in
dialogue, a deferral asked on the next plenary's roster (drawn at the first start), and, while
the reporting cycle is open, three reports in. What they announce is today's news, never a day
already past.

`govsched seed demo` loads the registry without a worker to act through; the next `govsched run`
finds the demo without its work in hand (`awaits_staging`) and stages it then.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date

from temporalio.client import Client

from governance.applications import requests as req
from governance.concerns.contracts import AcknowledgeConcern, FileConcern
from governance.kernel.errors import GovernanceError
from governance.kernel.model import Pillar, Plenary, plenary_id
from governance.kernel.timekeeping import local_date
from governance.reports.cycle import SubmitReport, expected_kind
from governance.roster.requests import RequestDeferral
from governance.rulebook.model import Recommendation, Rulebook
from govsched.config import Settings
from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import roster as roster_repo
from govsched.rehearsal.demo_registry import CHAIR_MEMBER, SC_MEMBER, SECRETARIAT
from govsched.services.applications import ApplicationService
from govsched.services.concerns import ConcernService
from govsched.services.ids import FILER_CASE_IDS
from govsched.services.reports import ReportService
from govsched.services.roster import RosterService

_STATEMENT = "We commit to the Voluntary Principles and will report on our implementation yearly."
# id, organisation, pillar, country, and how far through intake and review it has come
APPLICATIONS = [
    ("app-demo-harbour", "Harbour Light Energy", Pillar.COMPANY, "Pelagonia", "submitted"),
    ("app-demo-tinmoor", "Tinmoor Minerals", Pillar.COMPANY, "Sarnova", "information"),
    ("app-demo-watch", "Coastal Rights Watch", Pillar.NGO, "Tivaldi", "complete"),
    ("app-demo-ubrecht", "Government of Ubrecht-Marr", Pillar.GOVERNMENT, "Ubrecht", "review"),
]
CONCERN = "demo-guards"
REPORTERS = ("gov-estavia", "co-aurum-mining", "ngo-rights-watch-collective")
# how long the first start waits for the roster the worker draws, before going on without it
ROSTER_WAIT_SECONDS = 60.0
# the roster process's refusal of a deferral before it knows its draw
# (workflows/verification_roster.py, not imported here: it would load every workflow)
NOT_DRAWN = "the roster is not drawn yet"


def awaits_staging(db: Database) -> bool:
    """Whether the database holds the demo registry but not yet its work in hand (the first
    application is the first thing staged)."""
    with db.reading() as session:
        return (
            registry_repo.person_exists(session, SECRETARIAT)
            and registry_repo.member_exists(session, CHAIR_MEMBER)
            and application_repo.get(session, APPLICATIONS[0][0]) is None
        )


async def stage(client: Client, db: Database, rulebook: Rulebook, settings: Settings) -> None:
    applications = ApplicationService(
        client, db, rulebook, settings.task_queue, settings.clock_offset
    )
    for app_id, organisation, pillar, country, reached in APPLICATIONS:
        await applications.submit(
            req.SubmitApplication(
                id=app_id,
                organisation=organisation,
                pillar=pillar,
                country=country,
                contact_email=f"contact@{app_id}.example",
                statement=_STATEMENT,
                documents=[f"https://example.org/{app_id}/commitment.pdf"],
            ),
            SECRETARIAT,
            settings.now(),
            key=f"demo-{app_id}",
        )
        steps: list[req.ApplicationRequest] = []
        if reached == "information":
            steps.append(
                req.RequestInformation(
                    application=app_id,
                    by=SECRETARIAT,
                    question="Please send your latest annual report.",
                )
            )
        if reached in ("complete", "review"):
            steps.append(req.MarkComplete(application=app_id, by=SECRETARIAT))
        if reached == "review":
            steps.append(req.StartReview(application=app_id, by=SECRETARIAT))
            steps.append(
                req.Recommend(
                    application=app_id, by=SC_MEMBER, recommendation=Recommendation.SUPPORT
                )
            )
        for number, step in enumerate(steps):
            await applications.perform(step, settings.now(), key=f"demo-{app_id}-{number}")
    concerns = ConcernService(
        client, db, rulebook, settings.task_queue, settings.clock_offset, case_ids=FILER_CASE_IDS
    )
    filed = FileConcern(
        id=CONCERN,
        about="co-basalt-energy",
        summary="Private guards at the Basalt site turned away community monitors.",
        evidence=["https://example.org/monitors-report"],
        by="fp-ngo-local-monitors-association",
    )
    await concerns.perform(filed, settings.now(), key=f"demo-{CONCERN}")
    acknowledged = AcknowledgeConcern(case=CONCERN, by=SECRETARIAT)
    await concerns.perform(acknowledged, settings.now(), key=f"demo-{CONCERN}-ack")

    today = local_date(settings.now(), rulebook.initiative.timezone)
    year = min(p.year for p in _plenaries(db) if p.starts > today)
    drawn = await _drawn_roster(db, plenary_id(year))
    if drawn:
        rosters = RosterService(client, db, rulebook, settings.task_queue, settings.clock_offset)
        deferring = drawn[-1]
        asked = RequestDeferral(
            year=year,
            member=deferring,
            by=f"fp-{deferring}",
            reason="Our national elections fall in the week of the plenary.",
        )
        await _ask_deferral(rosters, asked, settings, key=f"demo-deferral-{year}")
    opens = rulebook.reporting.opens
    if today >= date(year, opens.month, opens.day):
        reports = ReportService(client, db, rulebook, settings.task_queue, settings.clock_offset)
        for member in REPORTERS:
            joined = _joined(db, member)
            report = SubmitReport(
                year=year,
                member=member,
                by=f"fp-{member}",
                kind=expected_kind(year, joined, rulebook),
                url=f"https://example.org/{member}/report-{year - 1}.pdf",
            )
            await reports.submit_report(report, settings.now(), key=f"demo-report-{member}")


def _plenaries(db: Database) -> list[Plenary]:
    with db.reading() as session:
        return registry_repo.list_plenaries(session)


def _joined(db: Database, member: str) -> date:
    with db.reading() as session:
        found = registry_repo.get_member(session, member)
    assert found is not None, member
    return found.joined


async def _ask_deferral(
    rosters: RosterService, asked: RequestDeferral, settings: Settings, key: str
) -> None:
    """The deferral, asked once the roster's process knows its draw: it stores the slots before
    it hears that its draw is done, and on a loaded machine the first start asked in between
    and stopped on the refusal. That refusal is waited out like the draw; any other stands."""
    deadline = time.monotonic() + ROSTER_WAIT_SECONDS
    while True:
        try:
            await rosters.request_deferral(asked, settings.now(), key=key)
            return
        except GovernanceError as refused:
            if refused.message != NOT_DRAWN or time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.5)


async def _drawn_roster(db: Database, plenary: str) -> tuple[str, ...]:
    deadline = time.monotonic() + ROSTER_WAIT_SECONDS
    while time.monotonic() < deadline:
        with db.reading() as session:
            presenters = roster_repo.slot_members(session, plenary)
        if presenters:
            return presenters
        await asyncio.sleep(0.5)
    return ()
