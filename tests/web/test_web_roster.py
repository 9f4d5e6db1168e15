"""Deferrals in the web workspace: a presenter's focal point asks from My work, the Chair
decides from My work, on a roster drawn today by the real worker (tests/api/roster_fixture)."""

from __future__ import annotations

import re

import httpx

from tests.api.roster_fixture import CHAIR, Roster
from tests.web.html_checks import error_for, sign_in_async, text


async def _web(roster: Roster, person: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=roster.base_url, timeout=60)
    await sign_in_async(client, roster.token_for(person))
    return client


async def _post(client: httpx.AsyncClient, form_id: str, **fields: str) -> httpx.Response:
    html = (await client.get("/web/my-work")).text
    form = re.search(
        rf'<form method="post" action="([^"]+)"[^>]*id="{form_id}"[\s\S]*?</form>', html
    )
    assert form, f"no form {form_id}:\n{text(html)[:1500]}"
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))
    return await client.post(form.group(1), data={**hidden, **fields}, follow_redirects=False)


async def test_a_presenter_asks_to_defer_and_the_chair_approves(roster: Roster) -> None:
    document = await roster.document()
    # Not the Chair's own government: the Chair decides on someone else's request.
    member = next(
        s["member"]
        for s in document["slots"]
        if s["pillar"] == "government" and f"fp-{s['member']}" != CHAIR
    )
    presenter = await _web(roster, f"fp-{member}")
    chair = await _web(roster, CHAIR)
    form = f"deferral-{roster.year}-{member}"
    try:
        words = text((await presenter.get("/web/my-work")).text)
        assert f"Present at the {roster.year} plenary, or ask to defer" in words

        empty = await _post(presenter, form, reason="   ")
        assert empty.status_code == 422
        assert error_for(empty.text, f"{form}-reason") == "this is required"

        asked = await _post(presenter, form, reason="Our audit is not finished.")
        assert asked.status_code == 303, asked.text
        assert f'id="{form}"' not in (await presenter.get("/web/my-work")).text

        decision = f"decide-deferral-{roster.year}-{member}"
        chair_work = (await chair.get("/web/my-work")).text
        assert "Our audit is not finished." in text(chair_work)
        refused = await _post(chair, decision, approve="perhaps")
        assert refused.status_code == 422
        assert error_for(refused.text, f"{decision}-approve")
        approved = await _post(chair, decision, approve="true")
        assert approved.status_code == 303, approved.text
        after = await roster.document()
        assert [d["member"] for d in after["deferrals"]] == [member]
        assert member not in [s["member"] for s in after["slots"]]
        assert f'id="{decision}"' not in (await chair.get("/web/my-work")).text
        roster_page = text((await chair.get(f"/web/roster?year={roster.year}")).text)
        assert f"replaces {member}" in roster_page
    finally:
        await presenter.aclose()
        await chair.aclose()
