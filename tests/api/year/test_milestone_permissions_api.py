"""Roles x milestones over HTTP and in the web (issues 17.9 and 17.13).

A milestone is completed by holders of its owner role or the Secretariat; "Annual reports due"
is every member's own obligation, which no member's focal point closes for all. The year page
offers the button exactly to those the API lets through, and the API, the CLI's source and the
web name one status for each milestone.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest_asyncio

from tests.api.app_helpers import People, issue_tokens
from tests.api.conftest import Api
from tests.today import today
from tests.web.html_checks import text
from tests.web.test_web_actions import web

PLENARY = "plenary-2027"
PEOPLE = {
    "secretariat": "sec-amina-okafor",
    "chair": "fp-gov-norland",  # Chair, focal point and on the Steering Committee
    "committee member": "fp-gov-estavia",  # focal point and on the Steering Committee
    "member focal point": "fp-gov-lusmark",  # a Full member's focal point, on no committee
}
# Who may complete each of the VPI rulebook's milestones, written out.
OWNERS_AND_SECRETARIAT = {"secretariat"}
COMMITTEE = {"secretariat", "chair", "committee member"}
MAY = {
    "save_the_date": OWNERS_AND_SECRETARIAT,
    "call_for_agenda_and_presenters": OWNERS_AND_SECRETARIAT,
    "strategy_review": COMMITTEE,
    "annual_reports_due": {"secretariat"},  # every member's own: nobody completes it for all
    "draft_agenda": OWNERS_AND_SECRETARIAT,
    "final_papers": OWNERS_AND_SECRETARIAT,
    "outcome_note": OWNERS_AND_SECRETARIAT,
    "communications_plan_update": OWNERS_AND_SECRETARIAT,
    "steering_committee_retreat": COMMITTEE,
}


@pytest_asyncio.fixture(scope="module")
async def people(api: Api) -> People:
    return People(api, issue_tokens(api, PEOPLE.values()), task_queue="")


async def _milestones(people: People) -> dict[str, dict[str, Any]]:
    response = await people.get(PEOPLE["member focal point"], f"/plenaries/{PLENARY}/milestones")
    assert response.status_code == 200, response.text
    return {m["key"]: m for m in response.json()}


async def test_the_year_page_offers_completion_only_to_who_may(people: People) -> None:
    offered: dict[str, set[str]] = {}
    for name, person in PEOPLE.items():
        client = await web(people, person)
        try:
            html = (await client.get(f"/web/year?plenary={PLENARY}")).text
        finally:
            await client.aclose()
        forms = re.findall(rf'id="milestone-{PLENARY}-([a-z0-9_]+)"', html)
        offered[name] = set(forms)
    for key, allowed in MAY.items():
        shown = {name for name, keys in offered.items() if key in keys}
        assert shown == allowed, key


async def test_the_api_completes_only_for_owners_and_the_secretariat(people: People) -> None:
    before = await _milestones(people)
    assert set(before) == set(MAY)
    wrong = []
    for key, allowed in MAY.items():
        path = f"/plenaries/{PLENARY}/milestones/{key}/complete"
        for name in [n for n in PEOPLE if n not in allowed]:
            refused = await people.post(PEOPLE[name], path)
            body = refused.json()
            if refused.status_code != 403 or [p["field"] for p in body["problems"]] != ["by"]:
                wrong.append(f"{key} by {name}: {refused.status_code} {refused.text}")
        if (await _milestones(people))[key]["status"] == "completed":
            wrong.append(f"{key} completed by someone refused")
        first = sorted(allowed)[-1]
        done = await people.post(PEOPLE[first], path, {"reason": "done"})
        if done.status_code != 201:
            wrong.append(f"{key} by {first}: {done.status_code} {done.text}")
    assert wrong == [], "\n".join(wrong)
    after = await _milestones(people)
    assert {key: m["status"] for key, m in after.items()} == dict.fromkeys(MAY, "completed")


async def test_api_and_web_show_one_status_for_each_milestone(people: People) -> None:
    """The demo's 2026 plenary (March 2026) has milestones open past their due day."""
    response = await people.get(PEOPLE["secretariat"], "/plenaries/plenary-2026/milestones")
    assert response.status_code == 200, response.text
    day = today()
    api_status = {m["key"]: m["status"] for m in response.json()}
    for m in response.json():
        due = datetime.fromisoformat(m["due"]).date()
        expected = "overdue" if due < day else "open"
        assert m["status"] == expected, m
    client = await web(people, PEOPLE["secretariat"])
    try:
        html = (await client.get("/web/year?plenary=plenary-2026")).text
    finally:
        await client.aclose()
    timeline = re.search(r'<ol class="timeline milestones">[\s\S]*?</ol>', html)
    assert timeline, text(html)[:2000]
    web_status = re.findall(r'data-status="([a-z]+)"', timeline.group(0))
    labels = {"open": "Open", "overdue": "Overdue", "completed": "Completed"}
    assert sorted(web_status) == sorted(api_status.values())
    for status in set(web_status):
        assert labels[status] in text(html)
