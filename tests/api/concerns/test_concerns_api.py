"""Participant concerns over HTTP: the path, refusals (403, 404, 409, 422) and role-filtered
reads with an anonymous filer (issue 9). Timed steps are in tests/workflows."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from tests.api.app_helpers import issue_tokens
from tests.api.conftest import CHAIR, SECRETARIAT, Api
from tests.today import today

FILER = "fp-ngo-centre-for-security-and-rights"
ABOUT = "fp-co-basalt-mining"
OUTSIDER = "fp-co-delta-bay-mining"
COMMITTEE = "fp-gov-estavia"


def _fields(body: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in body["problems"]]


async def test_a_case_over_http_with_refusals_and_an_anonymous_filer(api: Api) -> None:
    api.tokens.update(issue_tokens(api, [FILER, ABOUT, OUTSIDER, COMMITTEE]))
    reference = f"c-{uuid.uuid4().hex[:8]}"
    filing = {
        "id": reference,
        "about": "co-basalt-mining",
        "summary": "Private guards at the Basalt site threatened villagers.",
        "evidence": ["https://example.org/village-statement.pdf"],
        "anonymous": True,
    }
    async with (
        api.client(SECRETARIAT) as sec,
        api.client(FILER) as filer,
        api.client(ABOUT) as about,
        api.client(OUTSIDER) as outsider,
        api.client(COMMITTEE) as committee,
        api.client(CHAIR) as chair,
    ):
        # a plenary ahead whatever today is, so the case has one to be decided at
        year = today().year + 6
        scheduled = await sec.post(
            "/plenaries",
            json={
                "year": year,
                "starts": date(year, 5, 11).isoformat(),
                "ends": date(year, 5, 14).isoformat(),
                "location": "Estavia City",
            },
        )
        assert scheduled.status_code == 201, scheduled.text
        no_summary = await filer.post("/concerns", json=filing | {"summary": ""})
        bad_link = await filer.post("/concerns", json=filing | {"evidence": ["ftp://x"]})
        unknown = await filer.post("/concerns", json=filing | {"about": "co-nowhere"})
        by_sec = await sec.post("/concerns", json=filing)
        filed = await filer.post("/concerns", json=filing)
        # the server names the case; the filer's own id is kept as its reference
        case = filed.json()["id"]
        again = await filer.post("/concerns", json=filing)
        not_secretariat = await filer.post(f"/concerns/{case}/acknowledgement")
        hidden = await outsider.post(f"/concerns/{case}/acknowledgement")
        acked = await sec.post(f"/concerns/{case}/acknowledgement")
        twice = await sec.post(f"/concerns/{case}/acknowledgement")
        met = await sec.post(f"/concerns/{case}/meetings", json={"note": "Both sides met."})
        extended = await chair.post(f"/concerns/{case}/extension", json={"reason": "Site visit."})
        again_extended = await chair.post(f"/concerns/{case}/extension", json={"reason": "More."})
        committee_early = await committee.get(f"/concerns/{case}")
        referred = await sec.post(f"/concerns/{case}/referral")
        too_early = await sec.post(
            f"/concerns/{case}/decision", json={"outcome": "propose_expulsion"}
        )
        recommended = await committee.post(
            f"/concerns/{case}/recommendation", json={"recommendation": "A remedial plan."}
        )
        no_dates = await sec.post(f"/concerns/{case}/decision", json={"outcome": "remedial_plan"})
        bad_outcome = await sec.post(f"/concerns/{case}/decision", json={"outcome": "expel"})
        plenary = recommended.json()["decision_plenary"]
        agenda = (await about.get(f"/plenaries/{plenary}/agenda")).json()
        agenda_md = (await about.get(f"/plenaries/{plenary}/agenda", params={"format": "md"})).text
        as_about = (await about.get(f"/concerns/{case}")).json()
        as_committee = (await committee.get(f"/concerns/{case}")).json()
        as_filer = (await filer.get(f"/concerns/{case}")).json()
        as_sec = (await sec.get(f"/concerns/{case}")).json()
        outsider_reads = await outsider.get(f"/concerns/{case}")
        outsider_list = (await outsider.get("/concerns")).json()
        about_list = (await about.get("/concerns")).json()
        withdrawn = await filer.post(f"/concerns/{case}/withdrawal", json={})
        after = await sec.post(f"/concerns/{case}/withdrawal", json={})

    assert (no_summary.status_code, _fields(no_summary.json())) == (422, ["body.summary"])
    assert (bad_link.status_code, _fields(bad_link.json())) == (422, ["body.evidence.0"])
    assert (unknown.status_code, _fields(unknown.json())) == (422, ["about"])
    assert (by_sec.status_code, _fields(by_sec.json())) == (422, ["on_behalf_of"])
    assert filed.status_code == 201
    assert filed.json()["filed_by"] == FILER
    assert case != reference
    assert filed.json()["reference"] == reference
    assert again.status_code == 409  # the same filer's same reference names its own case
    assert again.json()["message"] == f"concern {case!r} already exists"
    assert not_secretariat.status_code == 403
    assert hidden.status_code == 404
    assert acked.status_code == 200
    assert acked.json()["state"] == "dialogue"
    assert twice.status_code == 409
    assert met.status_code == 200
    assert extended.json()["extensions"] == 1
    assert again_extended.status_code == 409
    assert committee_early.status_code == 404  # the committee joins at the review step
    assert referred.json()["state"] == "review"
    assert too_early.status_code == 409
    assert recommended.json()["state"] == "awaiting_decision"
    assert (no_dates.status_code, _fields(no_dates.json())) == (422, ["follow_ups"])
    assert (bad_outcome.status_code, _fields(bad_outcome.json())) == (422, ["body.outcome"])
    (section,) = [s for s in agenda["sections"] if s["key"] == "participant_concerns"]
    assert [line for line in section["items"] if case in line] == [
        f"Participant concern {case} about Basalt Mining: decision on the Steering Committee's "
        "recommendation (confidential papers)"
    ]
    assert "centre-for-security" not in str(agenda)
    assert "Centre for Security" not in agenda_md
    for seen in (as_about, as_committee):
        assert seen["filed_by"] == "anonymous"
        assert seen["filer_member"] is None
        assert FILER not in str(seen)
        assert {h["by"] for h in seen["history"]} >= {"anonymous"}
    assert as_filer["filed_by"] == FILER
    assert as_sec["filed_by"] == FILER
    assert as_filer["reference"] == as_sec["reference"] == reference
    assert as_about["reference"] is None  # the filer's own words could name them
    assert as_sec["summary"] == filing["summary"]
    assert outsider_reads.status_code == 404
    assert case not in {c["id"] for c in outsider_list}
    assert case in {c["id"] for c in about_list}
    assert withdrawn.json()["state"] == "withdrawn"
    assert after.status_code == 409
