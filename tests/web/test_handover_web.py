"""The Chair handover in the web, against the real worker: naming the incoming Chair (issue
17.10), where the list offers only governments the designation accepts and nothing is announced
until the choice is confirmed; the Chair ticking off a checklist item.

The demo is placed around today (the injected one), so the handover named is always the next
plenary's, still to come, whatever day the suite runs."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy import update
from temporalio.testing import WorkflowEnvironment

from governance.kernel.notices import notification_key
from governance.rulebook.model import NotificationKind
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.tables import MemberRow
from govsched.rehearsal.demo_registry import demo_registry
from tests.api.app_helpers import CHAIR, SECRETARIAT, People, issue_tokens
from tests.api.conftest import Api, serving_api
from tests.today import today
from tests.web.html_checks import text
from tests.web.test_web_actions import _form_data, post_form, web

# the next plenary, about eleven weeks ahead, where the demo Chair hands over
YEAR = demo_registry(today()).plenaries[-1].year
PAGE = f"/web/year?plenary=plenary-{YEAR}"
FORM = f"incoming-chair-{YEAR}"
# Set inactive before the page is read: neither an Engaged nor an inactive government may chair.
INACTIVE = "gov-lusmark"

pytestmark = pytest.mark.dates


@pytest_asyncio.fixture(scope="module")
async def api(
    local_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Api]:
    async with serving_api(local_env, tmp_path_factory.mktemp("api"), today()) as served:
        yield served


@pytest_asyncio.fixture(scope="module")
async def people(api: Api) -> People:
    with api.db.writing() as session:
        session.execute(update(MemberRow).where(MemberRow.id == INACTIVE).values(status="inactive"))
    return People(api, issue_tokens(api, [SECRETARIAT, CHAIR]), task_queue="")


def _offered(html: str) -> set[str]:
    form = re.search(rf'<form[^>]*id="{FORM}"[\s\S]*?</form>', html)
    assert form, text(html)[:2000]
    return set(re.findall(r'<option value="([a-z0-9-]+)"', form.group(0)))


async def _governments(people: People) -> dict[str, str]:
    response = await people.get(SECRETARIAT, "/members", pillar="government")
    assert response.status_code == 200, response.text
    return {m["id"]: m["status"] for m in response.json()}


def _announced(people: People, member: str) -> str | None:
    key = notification_key(
        NotificationKind.HANDOVER, f"handover-{YEAR}", f"designated-{member}", "all_members"
    )
    with people.api.db.reading() as session:
        return notification_repo.status_of(session, key)


async def test_a_designation_is_announced_only_once_confirmed(people: People) -> None:
    client = await web(people, SECRETARIAT)
    try:
        choice = await post_form(client, PAGE, FORM, member="gov-estavia")
        assert choice.status_code == 200, text(choice.text)[:2000]
        page = text(choice.text)
        assert "Please confirm" in page
        assert "Government of Estavia will take over as Government Chair" in page
        # Not applied, not announced: a slip of the mouse ends here.
        handover = (await people.get(SECRETARIAT, f"/handovers/{YEAR}")).json()
        assert handover["incoming"] is None
        assert _announced(people, "gov-estavia") is None

        data = _form_data(choice.text, f"confirm-incoming-chair-{YEAR}")
        action = data.pop("_action")
        assert data["confirmed"] == "yes"
        confirmed = await client.post(action, data=data, follow_redirects=False)
        assert confirmed.status_code == 303, text(confirmed.text)[:2000]
        handover = (await people.get(SECRETARIAT, f"/handovers/{YEAR}")).json()
        assert handover["incoming"] == "gov-estavia"
    finally:
        await client.aclose()


async def test_a_refused_choice_is_refused_before_any_confirmation(people: People) -> None:
    client = await web(people, SECRETARIAT)
    try:
        html = (await client.get(PAGE)).text
        data = _form_data(html, FORM, member="gov-yssel")  # Engaged: crafted, not offered
        action = data.pop("_action")
        refused = await client.post(action, data=data, follow_redirects=False)
        assert refused.status_code == 422, text(refused.text)[:2000]
        assert "the Chair must be a full member (engaged)" in text(refused.text)
        assert "Please confirm" not in text(refused.text)
        assert _announced(people, "gov-yssel") is None
    finally:
        await client.aclose()


async def test_the_list_offers_exactly_the_governments_the_designation_accepts(
    people: People,
) -> None:
    client = await web(people, SECRETARIAT)
    try:
        offered = _offered((await client.get(PAGE)).text)
    finally:
        await client.aclose()
    governments = await _governments(people)
    current = (await people.get(SECRETARIAT, f"/handovers/{YEAR}")).json()["incoming"]
    assert governments[INACTIVE] == "inactive"
    assert {"gov-yssel", "gov-calderra", INACTIVE, current}.isdisjoint(offered)
    # Every government is tried through the API: accepted exactly when it was offered.
    disagree = []
    for member in sorted(governments):
        response = await people.post(
            SECRETARIAT, f"/handovers/{YEAR}/incoming-chair", {"member": member}
        )
        if member == current:
            continue  # already the incoming Chair: naming it again changes nothing (409)
        if (response.status_code == 201) is not (member in offered):
            disagree.append(f"{member} ({governments[member]}): {response.status_code}")
    assert disagree == []


async def test_the_chair_completes_a_handover_item_on_the_year_page(people: People) -> None:
    chair = await web(people, CHAIR)
    try:
        html = (await chair.get(PAGE)).text
        form_id = re.search(rf'id="(handover-{YEAR}-[a-z0-9_]+)"', html)
        assert form_id, text(html)
        response = await post_form(chair, PAGE, form_id.group(1))
        assert response.status_code == 303, response.text
        # Back to the page the form was on (POST-redirect-GET), with what was done.
        assert response.headers["location"] == f"{PAGE}&done=handover%20item%20completed"
        async with people.api.client(SECRETARIAT) as api:
            handover = (await api.get(f"/handovers/{YEAR}")).json()
        key = form_id.group(1).removeprefix(f"handover-{YEAR}-")
        item = next(i for i in handover["items"] if i["key"] == key)
        assert item["completed_by"] == CHAIR
        again = await chair.get(PAGE)
        assert f'id="{form_id.group(1)}"' not in again.text
    finally:
        await chair.aclose()
