"""The demo's work in hand, made at its first start through the same services as the API, once
Temporal answers: applications at each step of intake and review, and a participant concern in
dialogue. What they announce is today's news (an application arrived, a question asked, a review
opened, a concern acknowledged), never a day already past.
"""

from __future__ import annotations

from temporalio.client import Client

from governance.applications import requests as req
from governance.concerns.contracts import AcknowledgeConcern, FileConcern
from governance.kernel.model import Pillar
from governance.rulebook.model import Recommendation, Rulebook
from govsched.config import Settings
from govsched.persistence.db import Database
from govsched.rehearsal.demo_registry import SC_MEMBER, SECRETARIAT
from govsched.services.applications import ApplicationService
from govsched.services.concerns import ConcernService
from govsched.services.ids import FILER_CASE_IDS

_STATEMENT = "We commit to the Voluntary Principles and will report on our implementation yearly."
# id, organisation, pillar, country, and how far through intake and review it has come
APPLICATIONS = [
    ("app-demo-harbour", "Harbour Light Energy", Pillar.COMPANY, "Pelagonia", "submitted"),
    ("app-demo-tinmoor", "Tinmoor Minerals", Pillar.COMPANY, "Sarnova", "information"),
    ("app-demo-watch", "Coastal Rights Watch", Pillar.NGO, "Tivaldi", "complete"),
    ("app-demo-ubrecht", "Government of Ubrecht-Marr", Pillar.GOVERNMENT, "Ubrecht", "review"),
]
CONCERN = "demo-guards"


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
