"""Membership applications and Engaged periods over HTTP, on the real worker and dev server.

Deadlines run on the dev server's real clock, so only human steps (and the review closing once
every reviewer answered) are driven here; lapses and timed closes are covered elsewhere.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select
from temporalio.client import WorkflowHandle

from governance.kernel.model import MemberStatus, Pillar, Role
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.tables import NotificationRow
from tests.api.app_helpers import (
    CHAIR,
    CIVIC_SPACE,
    GUEST,
    KESTREL,
    OBSERVER,
    OUTSIDER,
    PEOPLE,
    SECRETARIAT,
    STEERING_COMMITTEE,
    People,
    add_guest,
    application_body,
    eventually,
    fields,
    issue_tokens,
    next_window,
    recommend_all,
    record_sitting_plenary,
    submit,
    track_engaged_periods,
    under_review,
)
from tests.api.conftest import Api, serving_api
from tests.conftest import start_environment
from tests.today import now, today

REVIEWER = "fp-gov-estavia"
SUMMARY_KEYS = {
    "id",
    "kind",
    "organisation",
    "pillar",
    "country",
    "state",
    "window",
    "decided_at",
    "next_deadline",
    "next_step",
    "outcome",
}


@pytest_asyncio.fixture(scope="module")
async def api(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Api]:
    """The API with a dev server of its own: the Engaged periods of the demo's members are
    workflows named by member, and the authorization matrix starts the same ones for its own
    database on the process's shared server (a file after it found them started, its own
    database without them)."""
    env = await start_environment("local")
    try:
        async with serving_api(env, tmp_path_factory.mktemp("api")) as served:
            yield served
    finally:
        await env.shutdown()


@pytest_asyncio.fixture(scope="module")
async def people(api: Api) -> People:
    task_queue = await add_guest(api)
    tokens = issue_tokens(api, (*PEOPLE, GUEST))
    await track_engaged_periods(api, task_queue)
    record_sitting_plenary(api)
    return People(api, tokens, task_queue)


def _today() -> date:
    return today()


def _shape(record: dict[str, Any]) -> tuple[str, int, int]:
    return record["state"], len(record["history"]), len(record["recommendations"])


def _states(record: dict[str, Any]) -> list[str]:
    return [step["state"] for step in record["history"]]


def _voting_focal_points(people: People) -> set[str]:
    """Written out from the domain rule, not from the code under test: focal points of Full
    members of the three voting pillars."""
    with people.api.db.reading() as session:
        members = {m.id: m for m in registry_repo.list_members(session)}
        persons = registry_repo.list_people(session)
    return {
        p.id
        for p in persons
        if Role.FOCAL_POINT in p.roles
        and p.member is not None
        and members[p.member].status is MemberStatus.FULL
        and members[p.member].pillar in (Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO)
    }


async def _proposal_recipients(people: People, app: str) -> set[str]:
    """Who was told of the proposed admission, read once the workflow's `announce-proposal`
    activity has completed (it runs after the review's last recommendation was answered)."""
    handle = people.api.temporal.get_workflow_handle(f"application-{app}")
    deadline = time.monotonic() + 60
    while not await _completed(handle, "announce-proposal"):
        assert time.monotonic() < deadline, "the proposal was never announced"
        await asyncio.sleep(0.2)
    with people.api.db.reading() as session:
        rows = session.scalars(
            select(NotificationRow).where(
                NotificationRow.item == app, NotificationRow.kind == "announcement"
            )
        ).all()
        return {person for row in rows for person in row.recipients}


async def _completed(handle: WorkflowHandle[Any, Any], activity_type: str) -> bool:
    events = (await handle.fetch_history()).events
    scheduled = {
        e.event_id
        for e in events
        if e.HasField("activity_task_scheduled_event_attributes")
        and e.activity_task_scheduled_event_attributes.activity_type.name == activity_type
    }
    return any(
        e.HasField("activity_task_completed_event_attributes")
        and e.activity_task_completed_event_attributes.scheduled_event_id in scheduled
        for e in events
    )


def _unknown(application_id: str) -> dict[str, Any]:
    return {
        "error": "not_found",
        "message": f"application {application_id!r} does not exist",
        "problems": [{"field": "application", "reason": "not found"}],
    }


def _forbidden(action: str, role: str) -> dict[str, Any]:
    return {
        "error": "forbidden",
        "message": f"{action} needs the role {role!r}",
        "problems": [],
        "missing_role": role,
    }


async def _ids(people: People, person: str, **params: str) -> list[str]:
    response = await people.get(person, "/applications", **params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()]


# -- submission ----------------------------------------------------------------------------------


@pytest.mark.dates
async def test_the_secretariat_records_an_application_for_the_next_window(people: People) -> None:
    before = now()
    response = await people.post(SECRETARIAT, "/applications", application_body("app-test-intake"))
    body = response.json()
    assert response.status_code == 201, response.text
    assert body["id"] == "app-test-intake"
    assert body["kind"] == "admission"
    assert body["state"] == "awaiting_completeness_check"
    assert body["window"] == next_window().isoformat()
    assert body["submitted_by"] == SECRETARIAT
    assert datetime.fromisoformat(body["submitted_at"]) >= before
    assert body["applicant"]["organisation"] == "Organisation app-test-intake"
    assert body["applicant"]["documents"] == ["https://example.org/commitment.pdf"]
    assert [(s["state"], s["by"], s["note"]) for s in body["history"]] == [
        ("awaiting_completeness_check", SECRETARIAT, "submitted")
    ]
    assert "done" not in body
    assert await people.record("app-test-intake") == body


async def test_the_same_idempotency_key_names_the_same_application(people: People) -> None:
    body = application_body("unused")
    del body["id"]
    body["organisation"] = "Keyed Applicant Ltd"
    headers = {"Idempotency-Key": "app-test-keyed-intake"}
    async with people.client(SECRETARIAT) as client:
        first = await client.post("/applications", json=body, headers=headers)
        second = await client.post("/applications", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["id"].startswith("app-")
    # keyed with the server's secret: nobody computes it from the key, as from a plain hash
    plain = hashlib.sha256(b"app-test-keyed-intake").hexdigest()[:12]
    assert first.json()["id"] != f"app-{plain}"
    assert second.json()["history"] == first.json()["history"]
    # The same key for another organisation is refused, not a second application.
    async with people.client(SECRETARIAT) as client:
        clash = await client.post(
            "/applications", json={**body, "organisation": "Someone Else"}, headers=headers
        )
    assert clash.status_code == 409
    assert clash.json()["problems"] == [{"field": "id", "reason": "already taken"}]
    listed = (await people.get(SECRETARIAT, "/applications")).json()
    assert [a["id"] for a in listed if a["organisation"] == "Keyed Applicant Ltd"] == [
        first.json()["id"]
    ]


async def test_a_submission_missing_fields_is_a_422_naming_each(people: People) -> None:
    response = await people.post(SECRETARIAT, "/applications", {"id": "app-test-empty"})
    body = response.json()
    assert response.status_code == 422
    assert body["error"] == "invalid"
    assert fields(body) == {
        "body.organisation",
        "body.pillar",
        "body.country",
        "body.contact_email",
        "body.statement",
    }
    assert (await people.get(SECRETARIAT, "/applications/app-test-empty")).status_code == 404


@pytest.mark.parametrize("person", [GUEST, OUTSIDER])
async def test_only_the_secretariat_records_an_application(people: People, person: str) -> None:
    # Applications reach the Secretariat by email; nobody else records them, and a refused
    # submission leaves nothing behind (no workflow, no record).
    app_id = f"app-test-by-{person}"
    response = await people.post(person, "/applications", application_body(app_id))
    assert response.status_code == 403, response.text
    assert response.json() == _forbidden("recording an application", "secretariat")
    assert (await people.get(SECRETARIAT, f"/applications/{app_id}")).status_code == 404


# -- the admission path ----------------------------------------------------------------------------


@pytest.mark.dates
async def test_an_application_goes_from_intake_to_admission_at_the_plenary(
    people: People,
) -> None:
    app = "app-test-admission"
    path = f"/applications/{app}"
    await submit(people, app, organisation="Quarry Light Mining")

    asked = await people.post(
        SECRETARIAT,
        f"{path}/request-information",
        {"question": "Please send your latest annual report.", "respond_within_days": 20},
    )
    assert asked.status_code == 200, asked.text
    assert asked.json()["state"] == "information_requested"
    assert asked.json()["deadline"]["kind"] == "information"
    assert date.fromisoformat(asked.json()["deadline"]["due_date"]) > _today()

    answered = await people.post(
        SECRETARIAT, f"{path}/provide-information", {"answer": "Attached, with our policy."}
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["state"] == "awaiting_completeness_check"
    assert answered.json()["deadline"] is None
    assert answered.json()["information_requests"][0]["answer"] == "Attached, with our policy."

    complete = await people.post(SECRETARIAT, f"{path}/mark-complete")
    assert complete.status_code == 200, complete.text
    assert complete.json()["state"] == "complete"

    review = await people.post(SECRETARIAT, f"{path}/start-review")
    assert review.status_code == 200, review.text
    assert review.json()["state"] == "under_review"
    assert review.json()["reviewers"] == sorted(STEERING_COMMITTEE)
    assert review.json()["deadline"]["kind"] == "review"

    closed = await recommend_all(people, app, objecting={"fp-co-aurum-mining"})
    assert closed["state"] == "awaiting_plenary"
    assert len(closed["recommendations"]) == 9
    assert not any(r["silent"] for r in closed["recommendations"])
    assert closed["history"][-1]["note"] == "8 support, 1 object"

    decided = await people.post(
        CHAIR, f"{path}/plenary-decision", {"decision": "admit", "note": "admitted by consensus"}
    )
    record = decided.json()
    assert decided.status_code == 200, decided.text
    assert record["state"] == "admitted"
    assert record["decided_at"] is not None
    assert record["history"][-1]["by"] == CHAIR
    assert _states(record) == [
        "awaiting_completeness_check",
        "information_requested",
        "awaiting_completeness_check",
        "complete",
        "under_review",
        "awaiting_plenary",
        "admitted",
    ]
    member_id = record["member"]
    assert member_id is not None
    assert await people.record(app) == record

    member = await people.get(OUTSIDER, f"/members/{member_id}")
    assert member.status_code == 200, member.text
    assert member.json()["name"] == "Quarry Light Mining"
    assert member.json()["pillar"] == "company"
    assert member.json()["status"] == "engaged"

    period = await eventually(
        lambda: people.get(SECRETARIAT, f"/members/{member_id}/engaged-period"),
        lambda r: r.status_code == 200,
    )
    assert period.status_code == 200, period.text
    assert period.json()["member"] == member_id
    assert period.json()["state"] == "engaged"
    assert period.json()["required_evidence"] == "implementation_evidence"
    assert period.json()["admitted_on"] == _today().isoformat()


async def test_with_no_objection_in_review_a_full_member_may_still_object(people: People) -> None:
    app = "app-test-no-objection"
    path = f"/applications/{app}"
    await under_review(people, app)
    closed = await recommend_all(people, app)
    assert closed["state"] == "no_objection_period"
    assert closed["deadline"]["kind"] == "no_objection"

    # A voting member's focal point sees the summary (it may object); an Engaged member's and
    # an observer's do not vote: to them the application does not exist, whatever the verb.
    seen = await people.get(OUTSIDER, path)
    assert seen.status_code == 200, seen.text
    assert set(seen.json()) == SUMMARY_KEYS
    assert seen.json()["state"] == "no_objection_period"
    for non_voter in (KESTREL, OBSERVER):
        assert (await people.get(non_voter, path)).status_code == 404
        refused = await people.post(non_voter, f"{path}/object", {"reason": "not yet"})
        assert refused.status_code == 404
        assert refused.json() == _unknown(app)
    assert (await people.record(app))["state"] == "no_objection_period"
    # Only voting members' focal points are told, and only they see the deadline in calendars.
    assert await _proposal_recipients(people, app) == _voting_focal_points(people)
    item = f"/calendar-items/{app}-no-objection"
    assert (await people.get(OUTSIDER, item)).status_code == 200
    assert (await people.get(OBSERVER, item)).status_code == 404
    assert (await people.get(KESTREL, item)).status_code == 404

    objected = await people.post(OUTSIDER, f"{path}/object", {"reason": "Unresolved grievances."})
    assert objected.status_code == 200, objected.text
    assert set(objected.json()) == SUMMARY_KEYS
    assert objected.json()["state"] == "awaiting_plenary"
    record = await people.record(app)
    assert [(o["person"], o["member"]) for o in record["objections"]] == [(OUTSIDER, "gov-lusmark")]

    rejected = await people.post(SECRETARIAT, f"{path}/plenary-decision", {"decision": "reject"})
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["state"] == "rejected"
    assert rejected.json()["member"] is None
    assert rejected.json()["history"][-1]["note"] == "reject"
    # A rejection is not announced: the outsider no longer sees it.
    assert (await people.get(OUTSIDER, path)).status_code == 404


async def test_only_voting_members_people_review_even_holding_the_role(people: People) -> None:
    """An observer's or an Engaged member's person is refused the Steering Committee role; one
    given it before those refusals existed (written here as the old code did) is no reviewer
    and may not recommend: observers and Engaged members do not vote. Found by reviews: the
    observer's "object" sent an admission its three voting reviewers supported to the plenary,
    and an Engaged member holding the role read the Committee's review of its own request."""
    roles = {"roles": ["focal_point", "steering_committee"]}
    with people.api.db.reading() as session:
        before = {p: registry_repo.get_person(session, p) for p in (OBSERVER, KESTREL)}
    async with people.client(SECRETARIAT) as client:
        refused = await client.put(f"/people/{OBSERVER}/roles", json=roles)
        assert refused.status_code == 422, refused.text
        assert "observers do not sit on the Steering Committee" in refused.text
        engaged = await client.put(f"/people/{KESTREL}/roles", json=roles)
        assert engaged.status_code == 422, engaged.text
        assert "only a Full member's people sit on the Steering Committee" in engaged.text
    with people.api.db.writing() as session:
        for non_voter in (OBSERVER, KESTREL):
            person = registry_repo.get_person(session, non_voter)
            assert person is not None
            registry_repo.set_roles(
                session,
                person.model_copy(update={"roles": person.roles | {Role.STEERING_COMMITTEE}}),
            )
    try:
        app = "app-test-voting-reviewers"
        await under_review(people, app)
        assert set((await people.record(app))["reviewers"]) == set(STEERING_COMMITTEE)
        for non_voter in (OBSERVER, KESTREL):
            recommended = await people.post(
                non_voter, f"/applications/{app}/recommend", {"recommendation": "object"}
            )
            assert recommended.status_code == 403, recommended.text
            assert "observers and Engaged members do not vote" in recommended.json()["message"]
        record = await people.record(app)
        assert (record["state"], record["recommendations"]) == ("under_review", [])
    finally:
        with people.api.db.writing() as session:
            for person in before.values():
                assert person is not None
                registry_repo.set_roles(session, person)


async def test_an_objection_repeated_with_its_key_answers_as_the_first_did(
    people: People,
) -> None:
    """README: repeating a request with the same key returns the first result. The objection
    takes the application out of its objector's sight (it goes to the plenary); found by a
    review: the repeat, as after a lost answer, said the application did not exist. Another
    person sending the same key is still told it does not exist."""
    app = "app-test-objection-repeated"
    path = f"/applications/{app}/object"
    await under_review(people, app)
    assert (await recommend_all(people, app))["state"] == "no_objection_period"
    headers = {"Idempotency-Key": "objection-repeated-1"}
    async with people.client(OUTSIDER) as client:
        first = await client.post(path, json={"reason": "Unresolved grievances."}, headers=headers)
        assert first.status_code == 200, first.text
        again = await client.post(path, json={"reason": "Unresolved grievances."}, headers=headers)
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert again.json()["state"] == "awaiting_plenary"
    async with people.client(CIVIC_SPACE) as client:
        other = await client.post(path, json={"reason": "Me too."}, headers=headers)
    assert (other.status_code, other.json()) == (404, _unknown(app))
    record = await people.record(app)
    assert [o["person"] for o in record["objections"]] == [OUTSIDER]


async def test_a_key_names_one_persons_request_and_no_other(people: People) -> None:
    """Found by a review: the Idempotency-Key alone named the update, so a second reviewer
    sending a key the first had used was answered 200 with the first's outcome and their
    recommendation was never recorded; the first reviewer resending the key with another body
    was answered 200 too. A key is now the person's own, and names one request."""
    app = "app-test-shared-key"
    path = f"/applications/{app}/recommend"
    await under_review(people, app)
    first_reviewer, second_reviewer = sorted(STEERING_COMMITTEE)[:2]
    headers = {"Idempotency-Key": "shared-key-1"}
    support = {"recommendation": "support", "comment": "k1"}
    async with people.client(first_reviewer) as client:
        first = await client.post(path, json=support, headers=headers)
        assert first.status_code == 200, first.text
        changed = await client.post(
            path, json={"recommendation": "object", "comment": "k2"}, headers=headers
        )
        again = await client.post(path, json=support, headers=headers)
    assert changed.status_code == 422, changed.text
    assert [p["field"] for p in changed.json()["problems"]] == ["header.Idempotency-Key"]
    assert (again.status_code, again.json()) == (200, first.json())
    async with people.client(second_reviewer) as client:
        other = await client.post(
            path, json={"recommendation": "object", "comment": "mine"}, headers=headers
        )
    assert other.status_code == 200, other.text
    record = await people.record(app)
    assert [(r["person"], r["recommendation"]) for r in record["recommendations"]][:2] == [
        (first_reviewer, "support"),
        (second_reviewer, "object"),
    ]


# -- refusals --------------------------------------------------------------------------------------


async def test_the_wrong_role_is_a_403_naming_the_missing_role(people: People) -> None:
    app = "app-test-wrong-role"
    path = f"/applications/{app}"
    before = _shape(await submit(people, app))

    marked = await people.post(REVIEWER, f"{path}/mark-complete")
    assert marked.status_code == 403
    assert marked.json() == _forbidden("marking an application complete", "secretariat")
    # who may not know of it is told it does not exist, before any role is asked for
    hidden = await people.post(OUTSIDER, f"{path}/mark-complete")
    assert (hidden.status_code, hidden.json()) == (404, _unknown(app))

    recommended = await people.post(SECRETARIAT, f"{path}/recommend", {"recommendation": "support"})
    assert recommended.status_code == 403
    assert recommended.json() == _forbidden("recommending on an application", "steering_committee")

    decided = await people.post(REVIEWER, f"{path}/plenary-decision", {"decision": "admit"})
    assert decided.status_code == 403
    assert decided.json() == _forbidden("recording a plenary decision", "chair")

    assert _shape(await people.record(app)) == before


async def test_the_wrong_state_is_a_409_naming_the_current_state(people: People) -> None:
    app = "app-test-wrong-state"
    path = f"/applications/{app}"
    before = _shape(await submit(people, app))
    refusals = {
        "start-review": (None, "start the review needs: complete"),
        "provide-information": (
            {"answer": "unasked"},
            "provide information needs: information_requested",
        ),
        "plenary-decision": (
            {"decision": "admit"},
            "record a plenary decision needs: awaiting_plenary, provisionally_admitted",
        ),
    }
    for action, (body, needs) in refusals.items():
        person = CHAIR if action == "plenary-decision" else SECRETARIAT
        response = await people.post(person, f"{path}/{action}", body)
        assert response.status_code == 409, (action, response.text)
        assert response.json()["error"] == "conflict"
        assert response.json()["problems"] == [
            {"field": "state", "reason": f"is awaiting_completeness_check; {needs}"}
        ]
        assert _shape(await people.record(app)) == before


async def test_a_second_recommendation_by_the_same_person_is_a_409(people: People) -> None:
    app = "app-test-second-recommendation"
    path = f"/applications/{app}"
    await under_review(people, app)
    first = await people.post(REVIEWER, f"{path}/recommend", {"recommendation": "support"})
    assert first.status_code == 200, first.text
    before = _shape(first.json())

    second = await people.post(REVIEWER, f"{path}/recommend", {"recommendation": "object"})
    assert second.status_code == 409
    assert second.json() == {
        "error": "conflict",
        "message": "a recommendation is already recorded",
        "problems": [{"field": "by", "reason": f"{REVIEWER} has already recommended"}],
    }
    record = await people.record(app)
    assert _shape(record) == before
    assert [(r["person"], r["recommendation"]) for r in record["recommendations"]] == [
        (REVIEWER, "support")
    ]


async def test_an_unknown_application_is_a_404(people: People) -> None:
    expected = {
        "error": "not_found",
        "message": "application 'app-test-nowhere' does not exist",
        "problems": [{"field": "application", "reason": "not found"}],
    }
    read = await people.get(SECRETARIAT, "/applications/app-test-nowhere")
    marked = await people.post(SECRETARIAT, "/applications/app-test-nowhere/mark-complete")
    recommended = await people.post(
        REVIEWER, "/applications/app-test-nowhere/recommend", {"recommendation": "support"}
    )
    for response in (read, marked, recommended):
        assert response.status_code == 404
        assert response.json() == expected
    assert "app-test-nowhere" not in await _ids(people, SECRETARIAT)


async def test_a_malformed_body_is_a_422_naming_the_field(people: People) -> None:
    app = "app-test-malformed"
    path = f"/applications/{app}"
    before = _shape(await under_review(people, app))
    refusals: list[tuple[str, str, dict[str, Any], str]] = [
        (REVIEWER, "recommend", {"recommendation": "maybe"}, "body.recommendation"),
        (CHAIR, "plenary-decision", {"decision": "postpone"}, "body.decision"),
        (SECRETARIAT, "withdraw", {"note": 42}, "body.note"),
        (OUTSIDER, "object", {}, "body.reason"),
    ]
    for person, action, body, field in refusals:
        response = await people.post(person, f"{path}/{action}", body)
        assert response.status_code == 422, (action, response.text)
        assert response.json()["error"] == "invalid"
        assert fields(response.json()) == {field}
        assert _shape(await people.record(app)) == before
    # a text's length in characters, not in pydantic's "items after validation" (found by a
    # review: "body.reason: Value should have at least 1 item after validation, not 0")
    empty = await people.post(OUTSIDER, f"{path}/object", {"reason": ""})
    assert empty.json()["problems"] == [{"field": "body.reason", "reason": "this is required"}]
    long = await people.post(
        SECRETARIAT, "/applications", application_body("app-test-long", statement="x" * 20001)
    )
    assert long.status_code == 422, long.text
    assert long.json()["problems"] == [
        {"field": "body.statement", "reason": "write at most 20000 characters (this has 20001)"}
    ]


async def test_days_to_answer_past_a_year_are_refused_and_the_application_still_moves(
    people: People,
) -> None:
    """`respond_within_days` of a trillion was taken: the deadline could not be planned (no
    date is that far ahead), its activity was retried for ever, and the application's workflow
    waited on it with its lock held, so nothing else could happen to the application."""
    app = "app-test-days-bound"
    path = f"/applications/{app}/request-information"
    await submit(people, app)
    for days in (10**12, 367, 0):
        refused = await people.post(
            SECRETARIAT, path, {"question": "Why?", "respond_within_days": days}
        )
        assert refused.status_code == 422, refused.text
        assert fields(refused.json()) == {"body.respond_within_days"}
    asked = await people.post(SECRETARIAT, path, {"question": "Why?", "respond_within_days": 366})
    assert asked.status_code == 200, asked.text
    assert asked.json()["state"] == "information_requested"


# -- withdrawal ------------------------------------------------------------------------------------


async def test_an_application_under_review_is_withdrawn_and_then_final(people: People) -> None:
    app = "app-test-withdrawn"
    path = f"/applications/{app}"
    await under_review(people, app)
    await people.post(REVIEWER, f"{path}/recommend", {"recommendation": "support"})

    refused = await people.post(REVIEWER, f"{path}/withdraw", {"note": "not mine to withdraw"})
    assert refused.status_code == 403
    assert refused.json() == _forbidden("withdrawing an application", "secretariat")
    hidden = await people.post(OUTSIDER, f"{path}/withdraw", {"note": "not mine to withdraw"})
    assert (hidden.status_code, hidden.json()) == (404, _unknown(app))

    withdrawn = await people.post(
        SECRETARIAT, f"{path}/withdraw", {"note": "the organisation withdrew by letter"}
    )
    record = withdrawn.json()
    assert withdrawn.status_code == 200, withdrawn.text
    assert record["state"] == "withdrawn"
    assert record["decided_at"] is not None
    assert record["deadline"] is None
    last = record["history"][-1]
    assert (last["state"], last["by"], last["note"]) == (
        "withdrawn",
        SECRETARIAT,
        "the organisation withdrew by letter",
    )
    before = _shape(record)

    late = await people.post("fp-gov-korvania", f"{path}/recommend", {"recommendation": "support"})
    again = await people.post(SECRETARIAT, f"{path}/withdraw", {})
    for response in (late, again):
        assert response.status_code == 409, response.text
        [problem] = response.json()["problems"]
        assert problem["field"] == "state"
        assert problem["reason"].startswith("is withdrawn;")
    assert _shape(await people.record(app)) == before


# -- visibility ------------------------------------------------------------------------------------


async def test_an_outsider_does_not_know_of_an_application_under_review(people: People) -> None:
    app = "app-test-hidden"
    path = f"/applications/{app}"
    await under_review(people, app)

    hidden = await people.get(OUTSIDER, path)
    assert hidden.status_code == 404
    assert hidden.json()["message"] == f"application {app!r} does not exist"
    assert app not in await _ids(people, OUTSIDER)
    assert app not in await _ids(people, KESTREL)

    assert app in await _ids(people, SECRETARIAT)
    assert app in await _ids(people, REVIEWER, status="under_review")
    full = await people.get(REVIEWER, path)
    assert full.status_code == 200
    assert full.json()["applicant"]["statement"].startswith("We commit")


async def test_everyone_sees_the_summary_of_an_admitted_application(people: People) -> None:
    app = "app-test-announced"
    path = f"/applications/{app}"
    await under_review(people, app, organisation="Announced Energy", pillar="company")
    await recommend_all(people, app, objecting={"fp-ngo-rights-watch-collective"})
    assert (await people.get(OUTSIDER, path)).status_code == 404  # awaiting the plenary

    decided = await people.post(SECRETARIAT, f"{path}/plenary-decision", {"decision": "admit"})
    assert decided.status_code == 200, decided.text

    for person in (OUTSIDER, KESTREL, GUEST):
        seen = await people.get(person, path)
        assert seen.status_code == 200, (person, seen.text)
        summary = seen.json()
        assert set(summary) == SUMMARY_KEYS
        assert summary["state"] == "admitted"
        assert summary["organisation"] == "Announced Energy"
        assert summary["next_deadline"] is None
        listed = (await people.get(person, "/applications", status="admitted")).json()
        [item] = [a for a in listed if a["id"] == app]
        assert item == summary
    full = (await people.get(SECRETARIAT, path)).json()
    assert {"applicant", "recommendations", "history"} <= set(full)


# -- Engaged members -------------------------------------------------------------------------------


async def _period(people: People, person: str, member: str) -> dict[str, Any]:
    response = await eventually(
        lambda: people.get(person, f"/members/{member}/engaged-period"),
        lambda r: r.status_code == 200,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_an_engaged_company_shows_its_evidence_then_asks_to_be_full(
    people: People,
) -> None:
    member = "co-kestrel-resources"
    period = await _period(people, KESTREL, member)
    assert period["required_evidence"] == "implementation_evidence"
    assert period["evidence"] == []
    hidden = await people.get(OUTSIDER, f"/members/{member}/engaged-period")
    assert hidden.status_code == 404

    too_soon = await people.post(KESTREL, f"/members/{member}/full-membership")
    assert too_soon.status_code == 409
    assert too_soon.json()["problems"] == [
        {"field": "member", "reason": "no implementation_evidence recorded yet"}
    ]

    wrong = await people.post(
        KESTREL, f"/members/{member}/evidence", {"kind": "national_action_plan"}
    )
    assert wrong.status_code == 422
    assert wrong.json()["problems"] == [
        {"field": "kind", "reason": "a company shows implementation_evidence"}
    ]
    assert (await _period(people, KESTREL, member))["evidence"] == []

    shown = await people.post(
        KESTREL,
        f"/members/{member}/evidence",
        {"kind": "implementation_evidence", "note": "2026 annual report"},
    )
    assert shown.status_code == 200, shown.text
    assert [(e["kind"], e["by"], e["note"]) for e in shown.json()["evidence"]] == [
        ("implementation_evidence", KESTREL, "2026 annual report")
    ]

    requested = await people.post(KESTREL, f"/members/{member}/full-membership")
    assert requested.status_code == 201, requested.text
    assert requested.json() == {"application": f"full-{member}"}
    assert requested.headers["Location"] == f"/applications/full-{member}"

    again = await people.post(KESTREL, f"/members/{member}/full-membership")
    assert again.status_code == 409
    assert again.json()["problems"] == [
        {"field": "member", "reason": f"full-{member} is still being decided"}
    ]

    own = await eventually(
        lambda: people.get(KESTREL, f"/applications/full-{member}"),
        lambda r: r.status_code == 200,
    )
    assert own.status_code == 200, own.text
    assert set(own.json()) == SUMMARY_KEYS
    assert own.json()["kind"] == "full_membership"
    assert own.json()["state"] == "complete"
    assert (await people.get(OUTSIDER, f"/applications/full-{member}")).status_code == 404
    period = await _period(people, KESTREL, member)
    assert period["open_request"] == f"full-{member}"
    assert period["requests"] == [f"full-{member}"]


async def test_the_member_asking_to_be_full_never_sees_who_recommended_what(
    people: People,
) -> None:
    """During the Steering Committee's review the applicant member reads the state, the next
    step and the outcome: never a reviewer, a recommendation or a comment (API; the web page
    is in tests/web/test_web_actions.py)."""
    member = "co-kestrel-resources"
    app = f"full-{member}"
    path = f"/applications/{app}"
    own = await eventually(lambda: people.get(KESTREL, path), lambda r: r.status_code == 200)
    assert own.status_code == 200, own.text  # requested in the test above
    started = await people.post(SECRETARIAT, f"{path}/start-review")
    assert started.status_code == 200, started.text
    comments = {}
    for reviewer, said in ((REVIEWER, "support"), ("fp-co-aurum-mining", "object")):
        comments[reviewer] = f"{reviewer} finds the evidence {said}able-{said}"
        answered = await people.post(
            reviewer, f"{path}/recommend", {"recommendation": said, "comment": comments[reviewer]}
        )
        assert answered.status_code == 200, answered.text
    assert len((await people.record(app))["recommendations"]) == 2

    seen = await people.get(KESTREL, path)
    listed = [a for a in (await people.get(KESTREL, "/applications")).json() if a["id"] == app]
    for body in (seen.json(), *listed):
        assert set(body) == SUMMARY_KEYS
        assert body["state"] == "under_review"
        assert body["next_step"].startswith("The Steering Committee reviews the application by")
        assert body["outcome"] is None
        text = str(body)
        assert not any(r in text or c in text for r, c in comments.items())
        assert "support" not in text
        assert "object" not in text
    # the next step in the reader's language, as an error's message is (issue 20)
    async with people.client(KESTREL) as client:
        french = await client.get(path, headers={"Accept-Language": "fr"})
        chinese = await client.get("/applications", headers={"Accept-Language": "zh-CN"})
    assert french.json()["next_step"].startswith(
        "Le Comité directeur examine la candidature d'ici le "
    )
    (listed_zh,) = [a for a in chinese.json() if a["id"] == app]
    assert listed_zh["next_step"].startswith("指导委员会")
    assert listed_zh["state"] == "under_review"

    # the member withdraws its own request: the answer is the summary too, with the outcome
    withdrawn = await people.post(KESTREL, f"{path}/withdraw", {"note": "Not ready yet."})
    assert withdrawn.status_code == 200, withdrawn.text
    assert set(withdrawn.json()) == SUMMARY_KEYS
    assert withdrawn.json()["outcome"] == "withdrawn"
    assert not any(r in withdrawn.text or c in withdrawn.text for r, c in comments.items())


async def test_an_engaged_period_is_extended_only_to_a_later_date(people: People) -> None:
    member = "ngo-civic-space-trust"
    path = f"/members/{member}/engaged-period/extension"
    due = date.fromisoformat((await _period(people, CIVIC_SPACE, member))["due_date"])
    later = due.replace(year=due.year + 1)

    extended = await people.post(
        REVIEWER, path, {"until": later.isoformat(), "reason": "elections delayed the plan"}
    )
    assert extended.status_code == 200, extended.text
    assert extended.json()["due_date"] == later.isoformat()
    assert [(x["due_date"], x["by"]) for x in extended.json()["extensions"]] == [
        (later.isoformat(), REVIEWER)
    ]

    earlier = await people.post(REVIEWER, path, {"until": due.isoformat(), "reason": "back"})
    assert earlier.status_code == 422
    assert earlier.json()["problems"] == [
        {"field": "until", "reason": f"must be after {later.day} {later:%B %Y}"}
    ]
    by_member = await people.post(
        CIVIC_SPACE, path, {"until": later.replace(year=later.year + 1).isoformat(), "reason": "x"}
    )
    assert by_member.status_code == 403
    assert by_member.json()["missing_role"] == "steering_committee"

    period = await _period(people, CIVIC_SPACE, member)
    assert period["due_date"] == later.isoformat()
    assert len(period["extensions"]) == 1


async def test_a_full_member_has_no_engaged_period(people: People) -> None:
    expected = {
        "error": "conflict",
        "message": "gov-norland has no Engaged period",
        "problems": [{"field": "member", "reason": "is not an Engaged member"}],
    }
    read = await people.get(SECRETARIAT, "/members/gov-norland/engaged-period")
    evidence = await people.post(
        CHAIR, "/members/gov-norland/evidence", {"kind": "national_action_plan"}
    )
    extension = await people.post(
        REVIEWER,
        "/members/gov-norland/engaged-period/extension",
        {"until": "2031-12-31", "reason": "none needed"},
    )
    for response in (read, evidence, extension):
        assert response.status_code == 409, response.text
        assert response.json() == expected


async def test_who_may_act_on_an_engaged_period_is_asked_before_whether_it_exists(
    people: People,
) -> None:
    # gov-norland has no Engaged period; someone else's focal point gets what every verb gives
    # for a period they may not read, the GET's 404, so the answer never depends on whether a
    # period's process has started yet (found by a review: 403 naming the role told a period
    # they may not see from one that does not exist)
    evidence = await people.post(
        CIVIC_SPACE, "/members/gov-norland/evidence", {"kind": "national_action_plan"}
    )
    full = await people.post(CIVIC_SPACE, "/members/gov-norland/full-membership", {})
    extension = await people.post(
        CIVIC_SPACE,
        "/members/gov-norland/engaged-period/extension",
        {"until": "2031-12-31", "reason": "none needed"},
    )
    async with people.client(CIVIC_SPACE) as client:
        read = await client.get("/members/gov-norland/engaged-period")
    assert [r.status_code for r in (read, evidence, full, extension)] == [404] * 4
    assert all(r.json() == read.json() for r in (evidence, full, extension))


# -- the draft agenda ------------------------------------------------------------------------------


async def test_the_draft_agenda_shows_each_reader_the_applications_they_may_see(
    people: People,
) -> None:
    """An application awaiting the plenary is on the Secretariat's and the Chair's agenda, in
    every rendering; a member that would be told it does not exist does not find it there."""
    app = "app-test-agenda"
    organisation = "Agenda Minerals"
    await under_review(people, app, organisation=organisation)
    closed = await recommend_all(people, app, objecting={"fp-ngo-rights-watch-collective"})
    assert closed["state"] == "awaiting_plenary"
    agenda = "/plenaries/plenary-2027/agenda"
    for person in (SECRETARIAT, CHAIR, OUTSIDER, KESTREL, OBSERVER):
        sees = (await people.get(person, f"/applications/{app}")).status_code == 200
        assert sees is (person in (SECRETARIAT, CHAIR)), person
        for rendering in ("json", "md", "html"):
            response = await people.get(person, agenda, format=rendering)
            assert response.status_code == 200, response.text
            assert (organisation in response.text) is sees, (person, rendering)
        sections = {s["key"]: s for s in (await people.get(person, agenda)).json()["sections"]}
        # a partial copy says so, in words that are the same whether or not anything is left out
        assert ("that you may see" in sections["membership_decisions"]["empty"]) is not sees
