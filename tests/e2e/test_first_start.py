"""The first `make run` on an empty database: a demo year placed around today, and nothing
already past announced as news (issue 19).

The stack runs with the tests' today (GOVSCHED_TODAY when `make test` runs the date-sensitive
tests at other dates). Once every workflow has nothing in hand (each waits on a timer for a day
still ahead), what was announced is all that the first start announces.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.rehearsal.demo_seed import INCOMING_CHAIR
from tests.chaos.settle import settle
from tests.e2e.demo_promises import assert_roster_published_with_a_deferral_pending
from tests.e2e.stack_process import RunningStack, StackEnv

pytestmark = [pytest.mark.e2e, pytest.mark.dates]

SECRETARIAT = "sec-amina-okafor"
# the closed cycle's members without a report (govsched/rehearsal/demo_seed.py)
WITHOUT_REPORT = {"gov-norland", "gov-lusmark", "gov-westmarch", "ngo-rule-of-law-partners"}
# a day as the notices write it: "6 December 2026"
DAY = re.compile(
    r"\b(\d{1,2} (?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{4})\b"
)


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _day(written: str) -> date:
    day, month, year = written.split()
    return date(int(year), MONTHS.index(month) + 1, int(day))


def today() -> date:
    return local_date(Settings().now(), Rulebook().initiative.timezone)


class FirstStart:
    def __init__(self, env: StackEnv, stack: RunningStack, token: str) -> None:
        self.env = env
        self.stack = stack
        self.token = token

    def get(self, path: str) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        response = httpx.get(f"{self.env.base_url}{path}", headers=headers, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    def notices(self) -> list[str]:
        return [line for line in list(self.stack.lines) if line.startswith("[notify] ")]


@pytest.fixture(scope="module")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirstStart]:
    env = StackEnv(var_dir=tmp_path_factory.mktemp("first-start") / "var")
    stack = RunningStack(env)
    try:
        stack.wait_ready()

        async def settled() -> None:
            client = await Client.connect(f"127.0.0.1:{env.temporal_port}")
            await settle(client, limit=180, quiet=3.0)

        asyncio.run(settled())
        yield FirstStart(env, stack, env.token(SECRETARIAT))
    finally:
        code = stack.interrupt()
    assert code == 0, "\n".join(stack.lines)


def test_the_demo_is_loaded_around_today(first_start: FirstStart) -> None:
    assert any(
        line.startswith("database ready (demo registry loaded") for line in first_start.stack.lines
    )
    day = today()
    plenaries = sorted(first_start.get("/plenaries"), key=lambda p: p["starts"])
    last, upcoming = (date.fromisoformat(p["starts"]) for p in plenaries[-2:])
    # about nine months ago: a year of 52 (or 53) weeks before the next one
    assert timedelta(days=281) <= day - last <= timedelta(days=294)
    # inside the roster's deferral window (drawn 90 days ahead, deferrals for 21 more)
    assert timedelta(days=77) <= upcoming - day <= timedelta(days=83)
    terms = first_start.get("/chair-terms")
    now = Settings().now()
    serving = [
        t
        for t in terms
        if datetime.fromisoformat(t["starts"]) <= now < datetime.fromisoformat(t["ends"])
    ]
    assert [t["member"] for t in serving] == ["gov-norland"]


def test_milestones_before_today_were_completed_on_time(first_start: FirstStart) -> None:
    day = today()
    for plenary in first_start.get("/plenaries"):
        for milestone in first_start.get(f"/plenaries/{plenary['id']}/milestones"):
            due = date.fromisoformat(milestone["due"])
            assert (milestone["status"] == "completed") == (due < day), milestone


def _about(notice: str) -> str:
    for what in (
        "reports for",
        "roster will be drawn",
        "roster is published",
        "New admission application",
        "A new concern",
        "asks to defer",
        "report",
    ):
        if what in notice:
            return what
    return notice


def test_nothing_already_past_is_announced_at_first_start(first_start: FirstStart) -> None:
    notices = first_start.notices()
    day = today()
    upcoming = max(date.fromisoformat(p["starts"]) for p in first_start.get("/plenaries"))
    # what is news today: the next plenary's roster, drawn 90 days before it (DEFAULT), hence at
    # once; its reporting cycle, if it has opened (DEFAULT: on 2 January of its year); the
    # demo's four applications and its concern, arriving now
    expected = [
        "roster is published",
        "roster will be drawn",
        *["New admission application"] * 4,
        "A new concern",
        "asks to defer",
    ]
    if day >= date(upcoming.year, 1, 2):
        expected.append("reports for")
    # whatever a report received announces is today's too: only its day is checked below
    notices = [n for n in notices if _about(n) != "report"]
    assert sorted(_about(n) for n in notices) == sorted(expected), notices
    for notice in notices:
        for written in DAY.findall(notice):
            assert _day(written) >= day, notice


def test_the_demo_has_work_in_hand(first_start: FirstStart) -> None:
    states = {a["id"]: a["state"] for a in first_start.get("/applications")}
    assert states == {
        "app-demo-harbour": "awaiting_completeness_check",
        "app-demo-tinmoor": "information_requested",
        "app-demo-watch": "complete",
        "app-demo-ubrecht": "under_review",
    }
    cases = first_start.get("/concerns")
    assert [(c["id"], c["state"]) for c in cases] == [("demo-guards", "dialogue")]
    year = max(p["year"] for p in first_start.get("/plenaries"))
    cycle = first_start.get(f"/reports/{year}")
    sent = {r["member"] for r in cycle["reports"] if r["submitted_at"] is not None}
    opened = today() >= date.fromisoformat(cycle["opens"])
    # three reports in while the cycle is open (from 2 January of the plenary's year, DEFAULT)
    expected = {"gov-estavia", "co-aurum-mining", "ngo-rights-watch-collective"}
    assert sent == (expected if opened else set())
    # the Chair's handover at the next plenary is being prepared, its incoming Chair named
    assert first_start.get(f"/handovers/{year}")["incoming"] == INCOMING_CHAIR
    # its roster is published, and the last member drawn asks to defer, not yet decided
    assert_roster_published_with_a_deferral_pending(first_start.env.database_url, year)
    # the open cycle has reports in and no reviewers yet: they are assigned once reports are due
    assert cycle["reviews"] == []


def test_the_cycle_shown_first_has_reports_in(first_start: FirstStart) -> None:
    """The Reports page shows the open cycle, else the one most recently opened: before the
    next cycle opens, that is the closed cycle of the last plenary, as the demo lived it."""
    last, upcoming = sorted(p["year"] for p in first_start.get("/plenaries"))
    opened = today() >= date.fromisoformat(first_start.get(f"/reports/{upcoming}")["opens"])
    shown = first_start.get(f"/reports/{upcoming if opened else last}")
    sent = {r["member"] for r in shown["reports"] if r["submitted_at"] is not None}
    if opened:
        assert sent == {"gov-estavia", "co-aurum-mining", "ngo-rights-watch-collective"}
    else:
        owing = {
            m["id"]
            for m in first_start.get("/members")
            if m["pillar"] != "observer" and date.fromisoformat(m["joined"]) < date(last, 1, 2)
        }
        assert sent == owing - WITHOUT_REPORT
        # on 6 December 2026: 64 members owe a report, three were admitted after 2 January
        assert len(sent) >= 50
    # the closed cycle's peer reviews as lived: two reviewers for each report, all back but two
    closed = first_start.get(f"/reports/{last}")
    reported = [r["member"] for r in closed["reports"] if r["submitted_at"] is not None]
    reviews = closed["reviews"]
    assert sorted(r["report_of"] for r in reviews) == sorted(reported * 2)
    assert len([r for r in reviews if r["submitted_at"] is None]) == 2
