"""Membership applications and Engaged periods.

Every action is a Temporal update on the application's (or member's) workflow; the update's
validator refuses the wrong role (403), the wrong state (409, naming the current state) and a
second recommendation (409) before anything is recorded.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from governance.applications import requests as req
from governance.applications.access import ApplicationSummary, entitled, may_see, summary, visible
from governance.applications.engaged_period import EngagedRecord
from governance.applications.model import (
    ApplicationKind,
    ApplicationRecord,
    ApplicationState,
    Note,
    Reason,
)
from governance.kernel.errors import NotFound
from governance.kernel.model import Frozen, Incoming, Person, Role
from governance.rulebook.model import EvidenceKind
from govsched.http.api.reading import request_language, summary_in
from govsched.http.api.routes.registry import ERRORS
from govsched.http.bodies import (
    ObjectBody,
    PlenaryDecisionBody,
    ProvideInformationBody,
    RecommendBody,
    RequestInformationBody,
)
from govsched.http.deps import CurrentPerson, RequestKey, State
from govsched.persistence.repos import applications as application_repo
from govsched.services.applications import ApplicationService, actor_for, read_engaged

router = APIRouter(tags=["applications"])
HIDDEN = {"done"}
# What an application reads as: the whole record, or the summary (`application_access`).
SEEN = ApplicationRecord | ApplicationSummary


class SubmitApplicationIn(req.SubmitApplication, Incoming):
    """An application as a request: a blank organisation, country or statement is refused."""


class WithdrawBody(Incoming):
    note: Note = ""


class EvidenceBody(Incoming):
    kind: EvidenceKind
    note: Note = ""


class ExtensionBody(Incoming):
    until: date
    reason: Reason


class FullMembershipRequested(Frozen):
    application: str


async def _service(state: State) -> ApplicationService:
    client = await state.temporal.client()
    return state.applications(client)


def _now(state: State) -> datetime:
    return state.settings.now()


def _visible(state: State, viewer: Person, application_id: str) -> ApplicationRecord:
    with state.db.reading() as session:
        record = application_repo.get(session, application_id)
    return visible(record, actor_for(state.db, viewer.id), application_id)


@router.get("/applications", responses=ERRORS)
def list_applications(
    request: Request,
    state: State,
    viewer: CurrentPerson,
    status: ApplicationState | None = None,
    window: date | None = None,
    kind: ApplicationKind | None = None,
) -> list[ApplicationSummary]:
    """The pipeline the viewer may see, by state and window."""
    actor = actor_for(state.db, viewer.id)
    with state.db.reading() as session:
        records = application_repo.records(session, status, window, kind)
    labels = state.rulebook.initiative.labels
    language = request_language(request)
    return [
        summary_in(summary(r, labels), r, state.rulebook, language)
        for r in records
        if may_see(r, actor)
    ]


@router.get(
    "/applications/{application_id}",
    responses=ERRORS,
    response_model=ApplicationRecord | ApplicationSummary,
    response_model_exclude=HIDDEN,
)
def get_application(
    request: Request, state: State, viewer: CurrentPerson, application_id: str
) -> Any:
    """The whole record for the Secretariat and the Steering Committee; for anyone else who may
    know of it (the member asking for Full membership included), the state, the next step (in
    the reader's language: Accept-Language) and the outcome, never who recommended what."""
    record = _visible(state, viewer, application_id)
    seen = _as_seen(state, viewer, record)
    if isinstance(seen, ApplicationSummary):
        return summary_in(seen, record, state.rulebook, request_language(request))
    return seen


def _as_seen(state: State, viewer: Person, record: ApplicationRecord) -> Any:
    if entitled(record, actor_for(state.db, viewer.id)):
        return record
    return summary(record, state.rulebook.initiative.labels)


@router.post("/applications", status_code=201, responses=ERRORS, response_model_exclude=HIDDEN)
async def submit_application(
    state: State,
    body: SubmitApplicationIn,
    person: CurrentPerson,
    key: RequestKey,
) -> ApplicationRecord:
    """Record an application received by the Secretariat (intake is by the Secretariat). The
    same Idempotency-Key always names the same application."""
    service = await _service(state)
    application = req.SubmitApplication.model_validate(body.model_dump())
    return await service.submit(application, person.id, _now(state), key=key)


async def _act(state: State, person: Person, request: req.ApplicationRequest, key: str) -> Any:
    """Apply the request; answer with the application as the person may read it (a Chair who
    records a plenary decision, or a member withdrawing its own request, reads its summary)."""
    service = await _service(state)
    return _as_seen(state, person, await service.perform(request, _now(state), key))


@router.post(
    "/applications/{application_id}/mark-complete",
    responses=ERRORS,
    response_model=SEEN,
    response_model_exclude=HIDDEN,
)
async def mark_complete(
    state: State, person: CurrentPerson, application_id: str, key: RequestKey
) -> Any:
    return await _act(
        state, person, req.MarkComplete(application=application_id, by=person.id), key
    )


@router.post(
    "/applications/{application_id}/request-information",
    responses=ERRORS,
    response_model=SEEN,
    response_model_exclude=HIDDEN,
)
async def request_information(
    state: State,
    person: CurrentPerson,
    application_id: str,
    body: RequestInformationBody,
    key: RequestKey,
) -> Any:
    request = req.RequestInformation(application=application_id, by=person.id, **body.model_dump())
    return await _act(state, person, request, key)


@router.post(
    "/applications/{application_id}/provide-information",
    responses=ERRORS,
    response_model=SEEN,
    response_model_exclude=HIDDEN,
)
async def provide_information(
    state: State,
    person: CurrentPerson,
    application_id: str,
    body: ProvideInformationBody,
    key: RequestKey,
) -> Any:
    """Record the applicant's answer (received by the Secretariat)."""
    request = req.ProvideInformation(application=application_id, by=person.id, answer=body.answer)
    return await _act(state, person, request, key)


@router.post(
    "/applications/{application_id}/start-review",
    responses=ERRORS,
    response_model=SEEN,
    response_model_exclude=HIDDEN,
)
async def start_review(
    state: State, person: CurrentPerson, application_id: str, key: RequestKey
) -> Any:
    return await _act(state, person, req.StartReview(application=application_id, by=person.id), key)


@router.post(
    "/applications/{application_id}/recommend",
    responses=ERRORS,
    response_model=SEEN,
    response_model_exclude=HIDDEN,
)
async def recommend(
    state: State,
    person: CurrentPerson,
    application_id: str,
    body: RecommendBody,
    key: RequestKey,
) -> Any:
    request = req.Recommend(application=application_id, by=person.id, **body.model_dump())
    return await _act(state, person, request, key)


@router.post(
    "/applications/{application_id}/object",
    responses=ERRORS,
    response_model=SEEN,
    response_model_exclude=HIDDEN,
)
async def object_to(
    state: State,
    person: CurrentPerson,
    application_id: str,
    body: ObjectBody,
    key: RequestKey,
) -> Any:
    """A voting member objects during the no-objection period: the application goes to
    plenary. Observers and Engaged members do not vote: to them it does not exist."""
    request = req.Object(application=application_id, by=person.id, reason=body.reason)
    return await _act(state, person, request, key)


@router.post(
    "/applications/{application_id}/plenary-decision",
    responses=ERRORS,
    response_model=SEEN,
    response_model_exclude=HIDDEN,
)
async def record_plenary_decision(
    state: State,
    person: CurrentPerson,
    application_id: str,
    body: PlenaryDecisionBody,
    key: RequestKey,
) -> Any:
    request = req.RecordPlenaryDecision(
        application=application_id, by=person.id, **body.model_dump()
    )
    return await _act(state, person, request, key)


@router.post(
    "/applications/{application_id}/withdraw",
    responses=ERRORS,
    response_model=SEEN,
    response_model_exclude=HIDDEN,
)
async def withdraw(
    state: State,
    person: CurrentPerson,
    application_id: str,
    body: WithdrawBody,
    key: RequestKey,
) -> Any:
    request = req.WithdrawApplication(application=application_id, by=person.id, note=body.note)
    return await _act(state, person, request, key)


def _may_know(viewer: Person, member_id: str) -> None:
    """An Engaged period is confidential: whoever may not read it gets, on every verb, the
    answer an unknown member gives (README), before any role is checked (found by a review:
    recording evidence for another member answered 403 naming the role)."""
    overseers = {Role.SECRETARIAT, Role.STEERING_COMMITTEE}
    if not (viewer.roles & overseers or viewer.member == member_id):
        raise NotFound("engaged period", member_id)


@router.get("/members/{member_id}/engaged-period", responses=ERRORS)
async def engaged_period(state: State, viewer: CurrentPerson, member_id: str) -> EngagedRecord:
    """The member's way to Full: its deadline, evidence and requests."""
    _may_know(viewer, member_id)
    return read_engaged(state.db, member_id)


@router.post("/members/{member_id}/evidence", responses=ERRORS)
async def record_milestone(
    state: State, person: CurrentPerson, member_id: str, body: EvidenceBody, key: RequestKey
) -> EngagedRecord:
    _may_know(person, member_id)
    request = req.RecordMilestone(member=member_id, by=person.id, **body.model_dump())
    return await (await _service(state)).record_milestone(request, _now(state), key)


@router.post("/members/{member_id}/full-membership", status_code=201, responses=ERRORS)
async def request_full_membership(
    state: State, person: CurrentPerson, member_id: str, response: Response, key: RequestKey
) -> FullMembershipRequested:
    _may_know(person, member_id)
    request = req.RequestFullMembership(member=member_id, by=person.id)
    application = await (await _service(state)).request_full_membership(request, _now(state), key)
    response.headers["Location"] = f"/applications/{application}"
    return FullMembershipRequested(application=application)


@router.post("/members/{member_id}/engaged-period/extension", responses=ERRORS)
async def extend_engaged_period(
    state: State, person: CurrentPerson, member_id: str, body: ExtensionBody, key: RequestKey
) -> EngagedRecord:
    _may_know(person, member_id)
    request = req.ExtendEngagedPeriod(member=member_id, by=person.id, **body.model_dump())
    return await (await _service(state)).extend_engaged_period(request, _now(state), key)
