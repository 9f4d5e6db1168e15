"""Annual reports over HTTP: refusals naming the field, conflicts, the role-filtered view
(issue 5). The whole cycle, on a time-skipping clock, is in tests/rehearsal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from govsched.persistence.repos import registry as registry_repo
from govsched.services.reports import cycle_view
from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api
from tests.today import today

# A cycle that does not open before the suite runs again: submissions are refused as too early.
YEAR = today().year + 5


def _fields(body: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in body["problems"]]


async def test_reports_refusals_conflicts_and_the_view(api: Api) -> None:
    plenary = {
        "year": YEAR,
        "starts": date(YEAR, 5, 11).isoformat(),
        "ends": date(YEAR, 5, 14).isoformat(),
        "location": "Estavia City",
    }
    report = {"member": "co-aurum-mining", "kind": "full", "url": "https://aurum.example/r.pdf"}
    async with (
        api.client(SECRETARIAT) as secretariat,
        api.client(FOCAL_POINT) as member,
        api.client(CHAIR) as chair,
    ):
        no_cycle = await member.post("/reports/2001", json=report)
        assert (await secretariat.post("/plenaries", json=plenary)).status_code == 201
        too_early = await member.post(f"/reports/{YEAR}", json=report)
        other_member = await member.post(
            f"/reports/{YEAR}", json=report | {"member": "gov-estavia"}
        )
        bad_url = await member.post(f"/reports/{YEAR}", json=report | {"url": "ftp://x"})
        bad_kind = await member.post(f"/reports/{YEAR}", json=report | {"kind": "essay"})
        conflict = {
            "reviewer_member": "co-aurum-mining",
            "reported_member": "gov-norland",
            "reason": "joint venture",
        }
        declared = await member.post("/review-conflicts", json=conflict)
        again = await member.post("/review-conflicts", json=conflict)
        for_another = await member.post(
            "/review-conflicts", json=conflict | {"reviewer_member": "gov-estavia"}
        )
        itself = await secretariat.post(
            "/review-conflicts", json=conflict | {"reported_member": "co-aurum-mining"}
        )
        unassigned = await member.post(
            f"/reports/{YEAR}/gov-norland/reviews",
            json={"reviewer": "co-aurum-mining", "url": "https://aurum.example/review.pdf"},
        )
        own_view = (await member.get(f"/reports/{YEAR}")).json()
        whole = (await chair.get(f"/reports/{YEAR}")).json()
        missing = await member.get("/reports/2001")
    assert (no_cycle.status_code, _fields(no_cycle.json())) == (422, ["year"])
    assert (too_early.status_code, _fields(too_early.json())) == (422, ["year"])
    assert f"open on 2 January {YEAR}" in too_early.json()["problems"][0]["reason"]
    assert other_member.status_code == 403
    assert bad_url.status_code == 422
    assert bad_kind.status_code == 422
    assert declared.status_code == 201
    assert again.status_code == 409
    assert for_another.status_code == 403
    # a focal point of another member is told whose focal point may, not that it lacks the role
    assert for_another.json()["missing_role"] == "focal_point for gov-estavia"
    # and the refusal names the field, as every other refusal does
    assert _fields(for_another.json()) == ["reviewer_member"]
    assert (itself.status_code, _fields(itself.json())) == (422, ["reported_member"])
    assert (unassigned.status_code, _fields(unassigned.json())) == (422, ["reviewer"])
    # the focal point sits on the Steering Committee: it sees the whole cycle, like the Chair
    assert own_view["due"] == date(YEAR, 3, 27).isoformat()
    assert len(whole["reports"]) == len(own_view["reports"]) > 40
    assert {r["status"] for r in whole["reports"]} == {"open"}
    assert missing.status_code == 404


async def test_a_focal_point_sees_its_own_report_and_the_reviews_it_owes(api: Api) -> None:
    with api.db.reading() as session:
        member = registry_repo.get_person(session, "fp-gov-estavia")
    assert member is not None
    outsider = member.model_copy(update={"roles": frozenset({Role.FOCAL_POINT})})
    view = cycle_view(api.db, YEAR, outsider, datetime.now(UTC), Rulebook())
    assert [r.member for r in view.reports] == ["gov-estavia"]
    assert view.reviews == []
    assert view.escalations == []
