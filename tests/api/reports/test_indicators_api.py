"""Impact indicators over HTTP (issue 22): drafts, submission refused with every problem named,
amendments audited and told to the reviewers, who may read, the reviewers' comments, the
aggregates as each reader may see them, and the Secretariat's exports read back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import openpyxl

from governance.reports.cycle import Review
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import reports as report_repo
from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api
from tests.today import today

# Not the year the reports test schedules: the module's API is shared.
YEAR = today().year + 6
MEMBER = "co-aurum-mining"
OUTSIDER = "fp-gov-lusmark"  # a focal point of a member that does not review Aurum
VALUES = {
    "risk_assessments": 4,
    "sites_arrangements_reviewed": "62.5",
    "security_grievances_received": 3,
    "implementation_spend": {"amount": "1200.50", "currency": "USD"},
    "community_dialogue_on_security": True,
}


def _fields(body: dict[str, Any]) -> list[str]:
    return sorted(problem["field"] for problem in body["problems"])


async def test_values_drafted_refused_submitted_amended_and_read(api: Api) -> None:
    plenary = {
        "year": YEAR,
        "starts": date(YEAR, 5, 11).isoformat(),
        "ends": date(YEAR, 5, 14).isoformat(),
        "location": "Estavia City",
    }
    base = f"/reports/{YEAR}/{MEMBER}/indicators"
    with api.db.writing() as session:
        api.tokens[OUTSIDER] = token_repo.issue(session, OUTSIDER, datetime.now(UTC), "test")
    async with (
        api.client(SECRETARIAT) as secretariat,
        api.client(FOCAL_POINT) as member,
        api.client(CHAIR) as chair,
        api.client(OUTSIDER) as outsider,
    ):
        no_cycle = await member.put(f"/reports/2001/{MEMBER}/indicators/draft", json={})
        assert (await secretariat.post("/plenaries", json=plenary)).status_code == 201
        draft = await member.put(f"{base}/draft", json={"risk_assessments": 2})
        bad_draft = await member.put(f"{base}/draft", json={"risk_assessments": -1, "nonsense": 1})
        missing = await member.post(base, json={"risk_assessments": "two"})
        for_another = await outsider.post(base, json=VALUES)
        submitted = await member.post(base, json=VALUES)
        with api.db.writing() as session:
            at = datetime.now(UTC)
            report_repo.add_reviews(
                session,
                [
                    Review(
                        year=YEAR,
                        report_of=MEMBER,
                        reviewer="gov-norland",
                        reason="test",
                        assigned_at=at,
                    )
                ],
            )
        amended = await member.post(base, json=VALUES | {"security_grievances_received": 5})
        own = (await member.get(base)).json()
        as_reviewer = (await chair.get(base)).json()
        refused_read = await outsider.get(base)
        comment = await chair.post(
            f"{base}/comments",
            json={"reviewer": "gov-norland", "key": "risk_assessments", "text": "Which sites?"},
        )
        bad_comment = await chair.post(
            f"{base}/comments", json={"reviewer": "gov-norland", "key": "nope", "text": "?"}
        )
        outsider_comment = await outsider.post(
            f"{base}/comments",
            json={
                "reviewer": "gov-lusmark",
                "key": "risk_assessments",
                "text": "I do not review Aurum",
            },
        )
        commented = (await member.get(base)).json()
        shown = (await outsider.get(f"/indicators/{YEAR}")).json()
        whole = (await secretariat.get(f"/indicators/{YEAR}")).json()
        csv_text = (await secretariat.get(f"/indicators/{YEAR}/export.csv")).text
        xlsx = await secretariat.get(f"/indicators/{YEAR}/export.xlsx")
        export_refused = await member.get(f"/indicators/{YEAR}/export.csv")
    assert (no_cycle.status_code, _fields(no_cycle.json())) == (422, ["year"])
    assert draft.status_code == 200
    assert draft.json()["draft"] == {"risk_assessments": 2}
    assert draft.json()["submitted"] is None
    assert (bad_draft.status_code, _fields(bad_draft.json())) == (
        422,
        ["indicators.nonsense", "indicators.risk_assessments"],
    )
    # every problem at once: the wrong type and each required value missing
    assert (missing.status_code, _fields(missing.json())) == (
        422,
        [
            "indicators.risk_assessments",
            "indicators.security_grievances_received",
            "indicators.sites_arrangements_reviewed",
        ],
    )
    assert for_another.status_code == 403
    assert submitted.status_code == 201
    assert submitted.json()["amendments"] == 0
    assert amended.json()["amendments"] == 1
    assert own["submitted"]["security_grievances_received"] == 5
    assert own["submitted"]["implementation_spend"] == {"amount": "1200.50", "currency": "USD"}
    assert own["draft"] is None  # the submission replaced the draft
    assert as_reviewer["submitted"] == own["submitted"]
    assert refused_read.status_code == 403
    assert comment.status_code == 201
    assert (bad_comment.status_code, _fields(bad_comment.json())) == (422, ["key"])
    assert outsider_comment.status_code == 404  # no such assignment: who reviews whom is kept
    assert [(c["key"], c["text"]) for c in commented["comments"]] == [
        ("risk_assessments", "Which sites?")
    ]
    with api.db.reading() as session:
        actions = [
            e.action for e in audit_repo.entries(session) if e.item_id.endswith(f"{YEAR}-{MEMBER}")
        ]
        told = [n for n in notification_repo.delivered(session) if "amended its" in n.text]
    assert actions == [
        "indicators.draft_saved",
        "indicators.submitted",
        "indicators.amended",
        "indicators.commented",
    ]
    assert [n.recipients for n in told] == [("fp-gov-norland",)]
    assert "Security-related grievances received" in told[0].text
    # one member: every cell of the aggregates is kept from the outsider, not from the Secretariat
    risk = next(t for t in shown if t["indicator"] == "risk_assessments")
    assert risk["total"]["suppressed"] is True
    assert all(p["suppressed"] for p in risk["parts"])
    whole_risk = next(t for t in whole if t["indicator"] == "risk_assessments")
    assert whole_risk["total"]["figures"] == {"members": "1", "sum": "4"}
    assert export_refused.status_code == 403
    # the CSV and the spreadsheet, each read back by its own reader, hold the same rows
    from_csv = list(csv.reader(io.StringIO(csv_text)))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    from_xlsx = [[c or "" for c in row] for row in book["values"].iter_rows(values_only=True)]
    assert from_csv == from_xlsx
    spend = next(row for row in from_csv if row[6] == "implementation_spend")
    assert (spend[8], spend[9]) == ("1200.50", "USD")
