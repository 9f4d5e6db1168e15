"""The Chair handover over HTTP: its state, naming the incoming Chair, the checklist (issue 6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api
from tests.today import today

# Far enough ahead that the dates stay in the future whenever the suite runs.
YEAR = today().year + 4


def _fields(body: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in body["problems"]]


async def test_designating_and_ticking_off_the_checklist(api: Api) -> None:
    plenary = {
        "year": YEAR,
        "starts": date(YEAR, 5, 11).isoformat(),
        "ends": date(YEAR, 5, 14).isoformat(),
        "location": "Estavia City",
    }
    base = f"/handovers/{YEAR}"
    async with (
        api.client(SECRETARIAT) as secretariat,
        api.client(FOCAL_POINT) as member,
        api.client(CHAIR) as chair,
    ):
        assert (await secretariat.post("/plenaries", json=plenary)).status_code == 201
        planned = (await member.get(base)).json()
        by_member = await member.post(f"{base}/incoming-chair", json={"member": "gov-estavia"})
        company = await secretariat.post(
            f"{base}/incoming-chair", json={"member": "co-aurum-mining"}
        )
        unknown = await secretariat.post(f"{base}/incoming-chair", json={"member": "gov-nowhere"})
        malformed = await secretariat.post(f"{base}/incoming-chair", json={"member": "Not A Slug"})
        named = await chair.post(
            f"{base}/incoming-chair", json={"member": "gov-estavia", "reason": "agreed"}
        )
        again = await chair.post(f"{base}/incoming-chair", json={"member": "gov-estavia"})
        not_owner = await member.post(f"{base}/items/open_applications/complete")
        ticked = await secretariat.post(f"{base}/items/open_applications/complete")
        twice = await secretariat.post(f"{base}/items/open_applications/complete")
        no_item = await secretariat.post(f"{base}/items/nope/complete")
        bad_key = await secretariat.post(f"{base}/items/Bad-Key/complete")
        missing = await member.get("/handovers/2001")
        after = (await member.get(base)).json()
        listed = (await member.get("/handovers")).json()
    assert planned["incoming"] is None
    assert len(planned["items"]) == 6
    # who may is a role: a 403 naming it, still pointing at the field
    assert (by_member.status_code, _fields(by_member.json())) == (403, ["by"])
    assert (company.status_code, _fields(company.json())) == (422, ["member"])
    assert (unknown.status_code, _fields(unknown.json())) == (422, ["member"])
    assert malformed.status_code == 422
    assert named.status_code == 201
    assert named.json()["item_id"] == f"handover-{YEAR}"
    assert again.status_code == 409
    assert (not_owner.status_code, _fields(not_owner.json())) == (403, ["by"])
    assert ticked.status_code == 201
    assert ticked.json()["item_id"] == f"handover-{YEAR}-open-applications"
    assert twice.status_code == 409
    assert (no_item.status_code, _fields(no_item.json())) == (422, ["key"])
    assert bad_key.status_code == 422
    assert missing.status_code == 404
    assert (after["incoming"], after["designated_by"]) == ("gov-estavia", CHAIR)
    done = {i["key"]: i["completed_by"] for i in after["items"]}
    assert done["open_applications"] == SECRETARIAT
    assert YEAR in [h["year"] for h in listed]


async def test_the_draft_agenda_in_three_formats(api: Api) -> None:
    pid = f"plenary-{YEAR}"
    async with api.client(FOCAL_POINT) as member:
        as_json = await member.get(f"/plenaries/{pid}/agenda")
        as_md = await member.get(f"/plenaries/{pid}/agenda", params={"format": "md"})
        as_html = await member.get(f"/plenaries/{pid}/agenda", params={"format": "html"})
        unknown_format = await member.get(f"/plenaries/{pid}/agenda", params={"format": "pdf"})
        missing = await member.get("/plenaries/plenary-1999/agenda")
    assert as_json.status_code == 200
    body = as_json.json()
    assert body["title"] == f"VPI {YEAR} Annual Plenary: draft agenda"
    handover = next(s for s in body["sections"] if s["key"] == "chair_handover")
    # the test above named Estavia as the incoming Chair of this plenary's handover
    assert "to Government of Estavia" in handover["items"][0]
    assert as_md.headers["content-type"].startswith("text/markdown")
    assert as_md.text.startswith(f"# VPI {YEAR} Annual Plenary: draft agenda")
    assert as_html.headers["content-type"].startswith("text/html")
    assert '<li id="chair_handover">' in as_html.text
    assert (unknown_format.status_code, _fields(unknown_format.json())) == (422, ["query.format"])
    assert missing.status_code == 404


async def test_the_draft_agenda_in_the_readers_language(api: Api) -> None:
    """As error messages are: Accept-Language, else the initiative's (issue 20)."""
    pid = f"plenary-{YEAR}"
    french = {"Accept-Language": "fr-FR,fr;q=0.9"}
    async with api.client(FOCAL_POINT) as member:
        as_json = await member.get(f"/plenaries/{pid}/agenda", headers=french)
        as_md = await member.get(
            f"/plenaries/{pid}/agenda", params={"format": "md"}, headers=french
        )
        as_html = await member.get(
            f"/plenaries/{pid}/agenda", params={"format": "html"}, headers={"Accept-Language": "zh"}
        )
    assert as_json.headers["content-language"] == "fr"
    body = as_json.json()
    assert body["title"] == f"Séance plénière annuelle {YEAR} (VPI) : projet d'ordre du jour"
    titles = [s["title"] for s in body["sections"]]
    assert titles[0] == "Ouverture de la séance par la Présidence gouvernementale"
    assert titles[-1] == "Questions diverses et clôture"
    assert as_md.text.startswith(
        f"# Séance plénière annuelle {YEAR} (VPI) : projet d'ordre du jour"
    )
    assert "Projet établi le " in as_md.text
    assert as_html.headers["content-language"] == "zh-Hans"
    assert '<html lang="zh-Hans">' in as_html.text
    assert f"<h1>VPI {YEAR} 年年度全体会议：议程草案</h1>" in as_html.text  # noqa: RUF001
