"""`govsched rehearse`: a year on the time-skipping clock through the real workflows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from icalendar import Calendar

from governance.kernel.errors import ScenarioInvalid
from govsched.config import Settings
from govsched.rehearsal.action_schemas import ACTIONS
from govsched.rehearsal.actions import HANDLERS
from govsched.rehearsal.driver import RehearsalSummary, load_scenario, rehearse_file

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_YEAR = ROOT / "scenarios" / "platform-year.yaml"

SMALL_REGISTRY = """
members:
  - {id: gov-norland, name: Government of Norland, pillar: government, country: Norland}
  - {id: co-aurum, name: Aurum Mining, pillar: company, country: Norland}
people:
  - {id: sec-amina, name: Amina Okafor, email: amina@secretariat.example, roles: [secretariat]}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _state(out: Path) -> dict[str, Any]:
    state: dict[str, Any] = json.loads((out / "state.json").read_text(encoding="utf-8"))
    return state


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@dataclass
class Rehearsed:
    """A scenario rehearsed once: its outputs are read by one test and compared with a second
    run by another. The PostgreSQL lane (Makefile) leaves the second run out: that the outputs
    repeat is a property of the driver, proved on SQLite."""

    summary: RehearsalSummary
    out: Path


@pytest_asyncio.fixture(scope="module")
async def platform_year(tmp_path_factory: pytest.TempPathFactory) -> Rehearsed:
    out = tmp_path_factory.mktemp("platform-year") / "first"
    return Rehearsed(await rehearse_file(PLATFORM_YEAR, out, Settings()), out)


async def test_a_rehearsal_writes_state_notifications_calendars_and_audit(
    platform_year: Rehearsed,
) -> None:
    out, summary = platform_year.out, platform_year.summary
    state = _state(out)

    assert summary.ok
    assert summary.events == 5
    assert list(state) == [
        "now",
        "members",
        "people",
        "plenaries",
        "chair_terms",
        "applications",
        "rosters",
        "presentation_ledger",
        "milestones",
        "handovers",
        "steering_committee_seats",
        "report_cycles",
        "indicators",
        "indicator_versions",
        "groups",
        "concerns",
        "refusals",
    ]
    assert state["applications"] == []
    assert state["presentation_ledger"] == []
    assert [s["member"] for s in state["rosters"]["2027"]] == ["gov-norland", "co-aurum-mining"]
    assert state["now"] == "2027-06-30T04:00:00Z"
    civic = next(m for m in state["members"] if m["id"] == "ngo-civic-space")
    assert civic == {
        "id": "ngo-civic-space",
        "name": "Civic Space Trust",
        "pillar": "ngo",
        "status": "engaged",
        "joined": "2027-02-01",
        "status_history": [
            {
                "status": "engaged",
                "since": "2027-02-01T05:00:00Z",
                "decision": "recorded by the Secretariat",
            }
        ],
    }
    assert state["plenaries"] == [
        {
            "year": 2027,
            "starts": "2027-05-18",
            "ends": "2027-05-21",
            "location": "Norland Harbour",
            "host": "gov-norland",
        }
    ]
    assert [t["member"] for t in state["chair_terms"]] == ["gov-norland", "gov-estavia"]
    # Norland stays Chair to the handover at the plenary's end, where Estavia takes over
    assert state["chair_terms"][0]["ends"] == "2027-05-22T04:00:00Z"
    assert state["chair_terms"][1]["starts"] == "2027-05-22T04:00:00Z"
    [handover] = state["handovers"]
    assert (handover["outgoing"], handover["incoming"]) == ("gov-norland", "gov-estavia")
    assert handover["completed_at"] == "2027-05-22T04:00:00Z"

    notifications = _lines(out / "notifications.jsonl")
    # The plenary's milestone reminders are the governance year's (tests/rehearsal/test_year_*).
    milestone_notes = [n for n in notifications if ":milestone-" in n["key"]]
    assert {n["kind"] for n in milestone_notes} == {"deadline_reminder", "overdue"}
    notifications = [n for n in notifications if n not in milestone_notes]
    # So are the reporting cycle's and the Chair handover's (test_reports_*, test_handover_*).
    processes = ("report-", "reports-", "reviews-", "handover-")
    notifications = [n for n in notifications if not n["key"].split(":")[1].startswith(processes)]
    assert [(n["sent_at"], n["kind"]) for n in notifications] == [
        ("2027-01-06T14:30:00Z", "announcement"),  # the plenary
        ("2027-01-06T14:30:00Z", "announcement"),  # its roster's seed
        ("2027-02-17T05:00:00Z", "roster"),  # the roster, to all members
        ("2027-02-17T05:00:00Z", "roster"),  # to the one presenter with a focal point
        ("2027-05-22T04:00:00Z", "deadline_reminder"),  # outcomes not recorded
    ]
    assert set(notifications[0]) == {
        "sent_at",
        "kind",
        "channel",
        "recipients",
        "text",
        "key",
        # issue 20: the notice as each recipient (or the channel) read it, in their language
        "read",
    }
    assert notifications[0]["read"] == [
        {"to": notifications[0]["channel"], "language": "en", "text": notifications[0]["text"]}
    ]

    audit = _lines(out / "audit.jsonl")
    assert [a["at"] for a in audit] == sorted(a["at"] for a in audit)
    assert audit[-1]["action"] == "chair.handed_over"

    calendars = out / "calendars"
    public = Calendar.from_ical((calendars / "public.ics").read_bytes())
    assert [str(e["UID"]) for e in public.walk("VEVENT")] == [
        "milestone-plenary-2027-call-for-agenda-and-presenters@vpi.govsched",
        "milestone-plenary-2027-save-the-date@vpi.govsched",
        "plenary-2027-day-1@vpi.govsched",
        "plenary-2027-day-2@vpi.govsched",
        "plenary-2027-day-3@vpi.govsched",
        "plenary-2027-day-4@vpi.govsched",
        "plenary-2027@vpi.govsched",
    ]
    people = {p["id"] for p in state["people"]}
    assert {f"person-{p}.ics" for p in people} <= {f.name for f in calendars.iterdir()}
    assert (calendars / "role-steering_committee.ics").exists()


async def test_the_same_scenario_gives_byte_identical_outputs(
    platform_year: Rehearsed, tmp_path: Path
) -> None:
    first, second = platform_year.out, tmp_path / "second"
    await rehearse_file(PLATFORM_YEAR, second, Settings())
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    # state, notifications, audit; the public feed; four people; four roles; four pillars
    assert len(files) == 3 + 1 + 4 + 4 + 4
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


async def test_a_scenario_in_the_past_runs_on_its_own_dates(tmp_path: Path) -> None:
    scenario = _write(
        tmp_path,
        f"""
start: 2019-01-07
until: 2019-12-31
{SMALL_REGISTRY}
events:
  - at: 2019-02-01T12:00:00Z
    do: set_chair
    with: {{member: gov-norland, starts: 2019-03-22, ends: 2020-03-20}}
""",
    )
    await rehearse_file(scenario, tmp_path / "out", Settings())
    [began] = _lines(tmp_path / "out" / "notifications.jsonl")
    assert began["sent_at"] == "2019-03-22T04:00:00Z"
    assert (
        began["text"] == "Government of Norland is now the Government Chair, until 20 March 2020."
    )


async def test_rulebook_overrides_in_the_scenario_apply(tmp_path: Path) -> None:
    scenario = _write(
        tmp_path,
        f"""
rulebook: {{name: vpi, overrides: {{initiative: {{short_name: TVP}}}}}}
start: 2027-01-04
until: 2027-02-01
{SMALL_REGISTRY}
events:
  - at: 2027-01-05
    do: schedule_plenary
    with: {{year: 2027, starts: 2027-05-18, ends: 2027-05-21, location: Norland Harbour}}
""",
    )
    await rehearse_file(scenario, tmp_path / "out", Settings())
    assert (
        b"SUMMARY:TVP 2027 Annual Plenary" in (tmp_path / "out/calendars/public.ics").read_bytes()
    )


async def test_refused_events_are_reported_and_change_nothing(tmp_path: Path) -> None:
    scenario = _write(
        tmp_path,
        f"""
start: 2027-01-04
until: 2027-02-01
{SMALL_REGISTRY}
events:
  - at: 2027-01-05
    do: set_chair
    with: {{member: co-aurum, starts: 2027-05-21, ends: 2028-05-19}}
  - at: 2027-01-06
    do: add_member
    with: {{id: gov-norland, name: Norland again, pillar: government, country: Norland}}
""",
    )
    summary = await rehearse_file(scenario, tmp_path / "out", Settings())
    state = _state(tmp_path / "out")
    assert not summary.ok
    assert [(r["index"], r["do"]) for r in state["refusals"]] == [
        (0, "set_chair"),
        (1, "add_member"),
    ]
    assert state["refusals"][0]["problems"] == [
        {"field": "member", "reason": "the Chair is a government"}
    ]
    assert state["chair_terms"] == []
    assert [m["name"] for m in state["members"] if m["id"] == "gov-norland"] == [
        "Government of Norland"
    ]


def test_an_invalid_scenario_is_refused_before_anything_runs(tmp_path: Path) -> None:
    scenario = _write(
        tmp_path,
        f"""
start: 2027-01-04
until: 2027-03-01
{SMALL_REGISTRY}
events:
  - at: 2027-01-05
    do: schedule_plenary
    with: {{starts: 2027-05-18, ends: 2027-05-21, location: Norland Harbour}}
  - at: 2027-01-06
    do: add_member
    with: {{id: gov-estavia, name: Estavia, pillar: government, country: Estavia}}
  - at: 2027-01-07
    do: crown_the_chair
    with: {{member: gov-norland}}
  - at: 2027-04-01
    do: add_person
    with: {{id: p1, name: P, email: p@example.org}}
""",
    )
    with pytest.raises(ScenarioInvalid) as refused:
        load_scenario(scenario)
    paths = {problem.path for problem in refused.value.problems}
    assert paths == {"events.0.with.year", "events.2.do", "events.3.at"}
    assert "crown_the_chair" in refused.value.describe()


def test_a_scenario_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioInvalid, match="not valid YAML"):
        load_scenario(_write(tmp_path, "start: [unclosed"))


def test_every_scenario_action_has_a_handler() -> None:
    assert set(HANDLERS) == set(ACTIONS)


APPLICATIONS_YEAR = ROOT / "scenarios" / "applications-year.yaml"


@pytest_asyncio.fixture(scope="module")
async def applications_year(tmp_path_factory: pytest.TempPathFactory) -> Rehearsed:
    out = tmp_path_factory.mktemp("applications-year") / "first"
    return Rehearsed(await rehearse_file(APPLICATIONS_YEAR, out, Settings()), out)


async def test_the_applications_scenario_ends_as_documented(
    applications_year: Rehearsed,
) -> None:
    summary, state = applications_year.summary, _state(applications_year.out)

    outcomes = {a["id"]: a["outcome"] for a in state["applications"]}
    assert outcomes == {
        "app-drc": "admitted",
        "app-basalt": "rejected",
        "app-quiet": "lapsed",
        "app-helios": "withdrawn",
        "app-moz": "admitted",
        "full-co-lumen": "admitted",
    }
    statuses = {m["id"]: m["status"] for m in state["members"]}
    assert statuses["co-lumen"] == "full"
    assert statuses["gov-democratic-republic-of-the-congo"] == "engaged"
    assert statuses["gov-mozambique"] == "engaged"
    assert statuses["ngo-civic"] == "engaged"  # its period ran out twice: never demoted
    # the one documented refusal: a second recommendation by the same person
    assert [(r["do"], r["reason"]) for r in state["refusals"]] == [
        ("recommend", "a recommendation is already recorded")
    ]
    assert [r.index for r in summary.refusals] == [state["refusals"][0]["index"]]


async def test_the_applications_scenario_reruns_identically(
    applications_year: Rehearsed, tmp_path: Path
) -> None:
    first, second = applications_year.out, tmp_path / "second"
    await rehearse_file(APPLICATIONS_YEAR, second, Settings())
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
