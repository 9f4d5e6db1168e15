"""Actions in the web workspace against the real worker: each goes through the API's service
call and rules, and a refused form comes back with what was typed and the error beside it.

The demo is placed around today (the injected one): the next plenary, its agenda and its
milestones are always still to come, and the last plenary's reports are always owed, whatever
day the suite runs."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from governance.applications import rules
from governance.rulebook.model import Recommendation
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.rehearsal.demo_registry import demo_registry
from tests.api.app_helpers import (
    KESTREL,
    OBSERVER,
    OUTSIDER,
    PEOPLE,
    SECRETARIAT,
    People,
    issue_tokens,
    recommend_all,
    submit,
    under_review,
)
from tests.api.conftest import Api, serving_api
from tests.governance.applications.application_cast import (
    RECOMMENDED,
    REVIEWERS,
    STEERING,
    full_request,
)
from tests.governance.applications.application_cast import under_review as under_review_record
from tests.today import today
from tests.web.html_checks import (
    csrf,
    error_for,
    field_value,
    sign_in_async,
    text,
    unlabelled,
)

REVIEWER = "fp-gov-estavia"
CHAIR = "fp-gov-norland"
LINK_REFUSED = "give a link starting with http:// or https://, without spaces"
# the plenary held about forty weeks ago, whose reports are owed, and the one about eleven
# weeks ahead, whose agenda and milestones are being prepared
LAST, NEXT = (p.year for p in demo_registry(today()).plenaries)


@pytest_asyncio.fixture(scope="module")
async def api(
    local_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Api]:
    async with serving_api(local_env, tmp_path_factory.mktemp("api"), today()) as served:
        yield served


@pytest_asyncio.fixture(scope="module")
async def people(api: Api) -> People:
    tokens = issue_tokens(api, PEOPLE)
    return People(api, tokens, task_queue="")


async def web(people: People, person: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=people.api.base_url, timeout=60)
    await sign_in_async(client, people.tokens[person])
    return client


def _form_data(html: str, form_id: str, **fields: str) -> dict[str, str]:
    """What a browser would send: the form's hidden fields, then what the user typed."""
    match = re.search(
        rf'<form method="post" action="([^"]+)"[^>]*id="{form_id}"[\s\S]*?</form>', html
    )
    assert match, f"no form {form_id} on the page:\n{text(html)[:2000]}"
    hidden = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', match.group(0))
    )
    return {"_action": match.group(1), **hidden, **fields}


async def post_form(
    client: httpx.AsyncClient, page: str, form_id: str, **fields: str
) -> httpx.Response:
    html = (await client.get(page)).text
    data = _form_data(html, form_id, **fields)
    action = data.pop("_action")
    return await client.post(action, data=data, follow_redirects=False)


async def test_the_secretariat_marks_an_application_complete_from_my_work(people: People) -> None:
    app = "app-web-complete"
    await submit(people, app)
    client = await web(people, SECRETARIAT)
    try:
        response = await post_form(client, "/web/my-work", f"mark-complete-{app}")
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/web/my-work?done=marked%20complete"
        assert (await people.record(app))["state"] == "complete"
        # Its next step now waits in My work: starting the review.
        assert f'id="start-review-{app}"' in (await client.get("/web/my-work")).text
    finally:
        await client.aclose()


async def test_a_form_refused_by_validation_keeps_what_was_typed(people: People) -> None:
    app = "app-web-typed"
    await submit(people, app)
    client = await web(people, SECRETARIAT)
    try:
        response = await post_form(
            client,
            f"/web/applications/{app}",
            f"request-information-{app}",
            question="",
            respond_within_days="soon",
        )
        assert response.status_code == 422
        html = response.text
        form = f"request-information-{app}"
        assert error_for(html, f"{form}-question") == "this is required"
        assert error_for(html, f"{form}-respond_within_days") == "give a whole number"
        assert field_value(html, f"{form}-respond_within_days") == "soon"
        assert unlabelled(html) == []
        assert 'aria-invalid="true"' in html
        assert (await people.record(app))["state"] == "awaiting_completeness_check"
    finally:
        await client.aclose()


async def test_a_refusal_by_the_rules_is_shown_with_the_apis_status(people: People) -> None:
    app = "app-web-refused"
    await under_review(people, app)
    reviewer = await web(people, REVIEWER)
    outsider = await web(people, OUTSIDER)
    try:
        first = await post_form(
            reviewer,
            f"/web/applications/{app}",
            f"recommend-{app}",
            recommendation="support",
            comment="Strong commitments.",
        )
        assert first.status_code == 303
        record = await people.record(app)
        assert [(r["person"], r["recommendation"]) for r in record["recommendations"]] == [
            (REVIEWER, "support")
        ]
        # A second recommendation is a 409, with the typed comment kept.
        html = (await reviewer.get(f"/web/applications/{app}")).text
        assert f'id="recommend-{app}"' not in html  # done: the form is gone
        # ... but a second tab still holds it: the second post is refused, as typed.
        again = await reviewer.post(
            f"/web/applications/{app}/recommend",
            data={
                "csrf_token": csrf(html),
                "back": f"/web/applications/{app}",
                "form_id": f"recommend-{app}",
                "recommendation": "object",
                "comment": "Changed my mind.",
            },
        )
        assert again.status_code == 409
        assert "already recorded" in text(again.text)
        assert field_value(again.text, f"recommend-{app}-comment") == "Changed my mind."
        # Someone who may not know of it: told it does not exist, as the API answers (before
        # any role is asked for), and nothing recorded.
        page = (await outsider.get("/web/my-work")).text
        refused = await outsider.post(
            f"/web/applications/{app}/recommend",
            data={
                "csrf_token": csrf(page),
                "back": "/web/my-work",
                "form_id": f"recommend-{app}",
                "recommendation": "object",
            },
        )
        assert refused.status_code == 404
        assert f"application {app!r} does not exist" in text(refused.text)
        assert len((await people.record(app))["recommendations"]) == 1
    finally:
        await reviewer.aclose()
        await outsider.aclose()


@pytest.mark.dates
async def test_applications_are_confidential_to_those_entitled(people: People) -> None:
    app = "app-web-confidential"
    body = await under_review(people, app)
    statement = body["applicant"]["statement"]
    secretariat = await web(people, SECRETARIAT)
    outsider = await web(people, OUTSIDER)
    try:
        page = await secretariat.get(f"/web/applications/{app}")
        assert unlabelled(page.text) == []
        full = text(page.text)
        assert statement in full
        assert "Recommendations" in full
        hidden = await outsider.get(f"/web/applications/{app}")
        assert hidden.status_code == 404
        assert f"/web/applications/{app}" not in (await outsider.get("/web/applications")).text

        await recommend_all(people, app)
        # An observer's focal point does not vote: no page, no form, and posting the action
        # anyway is answered exactly as for an id nobody used.
        observer = await web(people, OBSERVER)
        try:
            assert (await observer.get(f"/web/applications/{app}")).status_code == 404
            assert f"object-{app}" not in (await observer.get("/web/my-work")).text
            token = csrf((await observer.get("/web/my-work")).text)
            answers = [
                await observer.post(
                    f"/web/applications/{target}/object",
                    data={"csrf_token": token, "back": "/web/my-work", "reason": "No."},
                )
                for target in (app, "app-web-nobody")
            ]
            assert [a.status_code for a in answers] == [404, 404]
            assert text(answers[0].text).replace(app, "<id>") == text(answers[1].text).replace(
                "app-web-nobody", "<id>"
            )
            assert (await people.record(app))["state"] == "no_objection_period"
        finally:
            await observer.aclose()
        # In the no-objection period a voting member's focal point sees the summary and may
        # object.
        seen = await outsider.get(f"/web/applications/{app}")
        assert seen.status_code == 200
        assert statement not in text(seen.text)
        assert "confidential" in text(seen.text)
        objected = await post_form(
            outsider, "/web/my-work", f"object-{app}", reason="Unresolved grievances."
        )
        assert objected.status_code == 303, objected.text
        assert (await people.record(app))["state"] == "awaiting_plenary"
        # The draft agenda on the year page holds it for the Secretariat, not for a member
        # that is told it does not exist.
        organisation = body["applicant"]["organisation"]
        year = f"/web/year?plenary=plenary-{NEXT}"
        assert organisation in text((await secretariat.get(year)).text)
        assert (await outsider.get(f"/web/applications/{app}")).status_code == 404
        assert organisation not in text((await outsider.get(year)).text)
    finally:
        await secretariat.aclose()
        await outsider.aclose()


async def test_the_member_asking_to_be_full_sees_its_request_without_the_votes(
    people: People,
) -> None:
    """During the review, the applicant member's page shows the state, the next step and the
    outcome, never who recommended what or why. The page reads the database: the record is
    written there as the workflow writes it (Engaged periods' processes are named by member,
    and the API tests' own request holds Kestrel's on the shared dev server)."""
    member = "co-kestrel-resources"
    app = "full-web-co-kestrel-resources"
    comments = ["Evidence is thin on grievance handling.", "Well documented."]
    record = under_review_record(full_request().model_copy(update={"id": app, "member": member}))
    for reviewer, said, comment in zip(
        STEERING, (Recommendation.OBJECT, Recommendation.SUPPORT), comments, strict=False
    ):
        record = rules.recommend(record, reviewer, RECOMMENDED, said, comment).record
    with people.api.db.writing() as session:
        application_repo.save(session, record)
    applicant = await web(people, KESTREL)
    outsider = await web(people, OUTSIDER)
    try:
        page = await applicant.get(f"/web/applications/{app}")
        assert page.status_code == 200, page.text
        seen = text(page.text)
        assert "Next step: The Steering Committee reviews the application by" in seen
        assert "Recommendations" not in seen
        for secret in (*comments, *REVIEWERS):
            assert secret not in seen
        assert app in (await applicant.get("/web/applications")).text
        assert (await outsider.get(f"/web/applications/{app}")).status_code == 404
    finally:
        await applicant.aclose()
        await outsider.aclose()


@pytest.mark.dates
async def test_a_focal_point_submits_its_report_after_a_refused_first_try(people: People) -> None:
    client = await web(people, OUTSIDER)
    page = f"/web/reports/{LAST}/report?member=gov-lusmark"
    form = f"report-{LAST}-gov-lusmark"
    try:
        refused = await post_form(
            client, page, form, kind="full", url="not a link", public_on="2026-13-40"
        )
        assert refused.status_code == 422
        assert error_for(refused.text, f"{form}-url") == LINK_REFUSED
        assert error_for(refused.text, f"{form}-public_on").startswith("give a date as")
        assert error_for(refused.text, f"{form}-public_on")
        assert field_value(refused.text, f"{form}-url") == "not a link"
        assert field_value(refused.text, f"{form}-public_on") == "2026-13-40"
        async with people.client(OUTSIDER) as api:
            untouched = (await api.get(f"/reports/{LAST}")).json()
        assert next(r for r in untouched["reports"] if r["member"] == "gov-lusmark")["url"] is None

        done = await post_form(
            client, page, form, kind="full", url=f"https://example.org/lusmark-{LAST}.pdf"
        )
        assert done.status_code == 303, done.text
        async with people.client(OUTSIDER) as api:
            cycle = (await api.get(f"/reports/{LAST}")).json()
        line = next(r for r in cycle["reports"] if r["member"] == "gov-lusmark")
        assert line["url"] == f"https://example.org/lusmark-{LAST}.pdf"
        assert f'id="{form}"' not in (await client.get(page)).text
    finally:
        await client.aclose()


@pytest.mark.dates
async def test_a_committee_member_completes_a_milestone_from_my_work(people: People) -> None:
    client = await web(people, REVIEWER)
    try:
        html = (await client.get("/web/my-work")).text
        found = re.search(rf'id="(milestone-plenary-{NEXT}-[a-z0-9_]+)"', html)
        assert found, text(html)
        response = await post_form(client, "/web/my-work", found.group(1))
        assert response.status_code == 303, response.text
        key = found.group(1).removeprefix(f"milestone-plenary-{NEXT}-")
        async with people.client(SECRETARIAT) as api:
            milestones = (await api.get(f"/plenaries/plenary-{NEXT}/milestones")).json()
        done = next(m for m in milestones if m["key"] == key)
        assert done["status"] == "completed"
        assert done["completed_by"] == REVIEWER
        assert f'id="{found.group(1)}"' not in (await client.get("/web/my-work")).text
    finally:
        await client.aclose()


async def test_typed_text_is_shown_without_line_separators_or_bidirectional_controls(
    people: People,
) -> None:
    # a right-to-left override makes "evil.exe" read as "exe.live"; U+2028 breaks a line
    app = "app-web-bidi"
    await submit(people, app)
    client = await web(people, SECRETARIAT)
    typed = "Send the audit\u2028report to \u202eexe.live\u202c and \u2066the note\u2069\u0085now."
    try:
        response = await post_form(
            client, f"/web/applications/{app}", f"request-information-{app}", question=typed
        )
        assert response.status_code == 303, response.text
        html = (await client.get(f"/web/applications/{app}")).text
    finally:
        await client.aclose()
    # kept as typed, shown without the controls
    assert [r["question"] for r in (await people.record(app))["information_requests"]] == [typed]
    assert "Send the audit report to exe.live and the note now." in html
    assert not set(html) & set(
        "\u2028\u2029\u0085\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )


async def test_the_secretariat_changes_a_members_status_through_its_page(people: People) -> None:
    member = "co-helios-energy"
    page = f"/web/directory/members/{member}"
    form = f"member-status-{member}"
    client = await web(people, SECRETARIAT)
    outsider = await web(people, OUTSIDER)
    try:
        assert f'id="{form}"' not in (await outsider.get(page)).text  # the Secretariat's
        assert unlabelled((await client.get(page)).text) == []
        tomorrow = (today() + timedelta(days=1)).isoformat()
        decision = "Plenary decision: inactive after two cycles without a report"
        refused = await post_form(
            client, page, form, status="inactive", decision=decision, since=tomorrow
        )
        assert refused.status_code == 422
        assert error_for(refused.text, f"{form}-since") == "a day in the future"
        assert field_value(refused.text, f"{form}-decision") == decision
        async with people.client(SECRETARIAT) as api:
            assert (await api.get(f"/members/{member}")).json()["status"] == "full"

        done = await post_form(client, page, form, status="inactive", decision=decision)
        assert done.status_code == 303, text(done.text)
        shown = text((await client.get(page)).text)
        assert decision in shown.split("Status history", 1)[1]
        assert "· inactive ·" in shown
        back = await post_form(
            client, page, form, status="full", decision="Reporting resumed: back to Full"
        )
        assert back.status_code == 303, text(back.text)
        async with people.client(SECRETARIAT) as api:
            recorded = (await api.get(f"/members/{member}")).json()
        assert recorded["status"] == "full"
        assert [c["status"] for c in recorded["status_history"]][-2:] == ["inactive", "full"]
        assert recorded["status_history"][-2]["decision"] == decision
        # each change told to the member's focal point and the Secretariat's channel (issue 19)
        day = today().strftime("%-d %B %Y")
        told = {
            f"decision:member-status-{member}:v2:fp-{member}": (
                f"Helios Energy is now an inactive member from {day} (decision: {decision})."
            ),
            f"decision:member-status-{member}:v2:secretariat": (
                f"Helios Energy is now an inactive member from {day} (decision: {decision})."
            ),
            f"decision:member-status-{member}:v3:fp-{member}": (
                f"Helios Energy is a Full member again from {day} "
                "(decision: Reporting resumed: back to Full)."
            ),
        }
        assert await _sent(people, list(told)) == told
    finally:
        await client.aclose()
        await outsider.aclose()


async def _sent(people: People, keys: list[str], within: float = 30.0) -> dict[str, str]:
    """The texts of the notices under `keys` once all are sent (the change's workflow
    delivers them after the form is answered), or those sent by the deadline."""
    deadline = time.monotonic() + within
    while True:
        with people.api.db.reading() as session:
            sent = {
                key: notification_repo.text_of(session, key) or ""
                for key in keys
                if notification_repo.status_of(session, key) == "sent"
            }
        if len(sent) == len(keys) or time.monotonic() > deadline:
            return sent
        await asyncio.sleep(0.2)


async def test_the_secretariat_adds_and_takes_away_a_persons_roles(people: People) -> None:
    person = "fp-co-helios-energy"
    client = await web(people, SECRETARIAT)
    page = "/web/directory/people"

    async def roles() -> list[str]:
        async with people.client(SECRETARIAT) as api:
            found: list[str] = (await api.get(f"/people/{person}")).json()["roles"]
        return sorted(found)

    try:
        assert unlabelled((await client.get(page)).text) == []
        before = await roles()
        refused = await post_form(
            client, page, "change-roles", person=person, role_focal_point="on", role_chair="on"
        )
        assert refused.status_code == 422
        assert "only people of a government can act as Chair" in text(refused.text)
        assert await roles() == before

        given = await post_form(
            client,
            page,
            "change-roles",
            person=person,
            role_focal_point="on",
            role_steering_committee="on",
        )
        assert given.status_code == 303, text(given.text)
        assert await roles() == ["focal_point", "steering_committee"]
        taken = await post_form(client, page, "change-roles", person=person, role_focal_point="on")
        assert taken.status_code == 303, text(taken.text)
        assert await roles() == ["focal_point"]
    finally:
        await client.aclose()
