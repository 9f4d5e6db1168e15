"""The workspace on a registry past the VPI's size (the product is for initiatives of thousands of
members: docs/benchmarks.md): the reports page is paged, its pictures are told in words once one
row per member is too tall to draw, and a focal point's reports page and everyone's register read
what they show, not the whole registry. Counted (rows loaded, chunks, bytes), never timed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from governance.kernel.model import Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SchedulePlenary
from governance.reports.cycle import Report, ReportKind, Review
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.http.web import reporting_grid
from govsched.http.web.charts import reporting
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import reports as report_repo
from govsched.services import register
from tests.conftest import lane_database, migrated
from tests.services.test_report_submission_cost import counted
from tests.web.html_checks import sign_in

YEAR = 2027
# more members than a picture draws rows, and than one page of the grid
SIZE = reporting.DRAWN_ROWS + 2 * reporting_grid.PAGE_ROWS - 60
SECRETARIAT = "sec-large"
FOCAL_POINT = "fp-gov-0007"
SUBMITTED = datetime(2027, 2, 1, tzinfo=UTC)


def _member(k: int) -> str:
    return f"gov-{k:04d}"


def _registry() -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(
            year=YEAR, starts=date(2027, 3, 16), ends=date(2027, 3, 19), location="Oslo"
        )
    ]
    commands += [
        AddMember(
            id=_member(k),
            name=f"Government {k:04d}",
            pillar=Pillar.GOVERNMENT,
            country=f"C{k % 7}",
            joined=date(2010, 1, 1),
        )
        for k in range(SIZE)
    ]
    commands.append(
        AddPerson(
            id=SECRETARIAT,
            name="Large Secretariat",
            email="sec@large.example",
            roles=[Role.SECRETARIAT],
        )
    )
    commands += [
        AddPerson(
            id=f"fp-{_member(k)}",
            name=f"Focal {k:04d}",
            email=f"fp{k}@large.example",
            member=_member(k),
            roles=[Role.FOCAL_POINT],
        )
        for k in range(SIZE)
    ]
    return commands


@dataclass
class Large:
    db: Database
    client: dict[str, TestClient]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Large]:
    url = lane_database(tmp_path_factory.mktemp("large"))
    migrated(url)
    db = Database.from_url(url)
    reported = [_member(k) for k in range(SIZE) if k % 10]  # one in ten has not reported
    with db.writing() as session:
        seed(session, _registry(), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
        for member in reported:
            report_repo.save_report(
                session,
                Report(
                    year=YEAR,
                    member=member,
                    kind=ReportKind.UPDATE,
                    url=f"https://reports.example/{member}.pdf",
                    submitted_at=SUBMITTED,
                    submitted_by=f"fp-{member}",
                ),
            )
        reviews = [
            Review(
                year=YEAR,
                report_of=member,
                reviewer=reported[(i + 3) % len(reported)],
                reason="generated",
                assigned_at=SUBMITTED,
            )
            for i, member in enumerate(reported)
        ]
        report_repo.add_reviews(session, reviews)
        for i, review in enumerate(reviews):
            if i % 3:  # every third review still open past its due day: overdue
                done = {"submitted_at": SUBMITTED, "submitted_by": f"fp-{review.reviewer}"}
                report_repo.record_review(session, review.model_copy(update=done))
        tokens = {
            p: token_repo.issue(session, p, datetime.now(UTC), "large")
            for p in (SECRETARIAT, FOCAL_POINT)
        }
    # after the cycle's review due day: the 2027 reports and reviews are all late or in
    settings = Settings(database_url=url, id_secret="large", today=date(2027, 6, 1))
    app = create_app(settings, db=db, run_scheduler=False)
    clients = {}
    for person, token in tokens.items():
        client = TestClient(app)
        assert sign_in(client, token).status_code == 303
        clients[person] = client
    yield Large(db, clients)
    db.dispose()


def _grid_members(html: str) -> list[str]:
    return re.findall(r'href="/web/reports\?year=2027&amp;member=(gov-\d{4})"', html)


def test_the_reports_grid_is_paged_and_every_member_is_on_one_page(large: Large) -> None:
    client = large.client[SECRETARIAT]
    first = client.get("/web/reports", params={"year": YEAR})
    assert first.status_code == 200
    assert len(_grid_members(first.text)) == reporting_grid.PAGE_ROWS
    assert f"{SIZE} members. Reviews count" in first.text  # the caption counts them all
    assert "/web/reports?year=2027&amp;page=2" in first.text
    seen = []
    page = 1
    while True:
        answer = client.get("/web/reports", params={"year": YEAR, "page": page})
        seen += _grid_members(answer.text)
        if f"page={page + 1}" not in answer.text:
            break
        page += 1
    assert page == -(-SIZE // reporting_grid.PAGE_ROWS)
    assert sorted(seen) == [_member(k) for k in range(SIZE)]
    # a page past the last shows the last; a state keeps its filter in the links
    assert _grid_members(client.get("/web/reports?year=2027&page=99").text) == seen[-(SIZE % 100) :]
    overdue = client.get("/web/reports", params={"year": YEAR, "state": "overdue"}).text
    assert len(_grid_members(overdue)) == len(range(0, SIZE, 10))


def test_a_large_cycle_is_told_in_words_not_drawn(large: Large) -> None:
    answer = large.client[SECRETARIAT].get("/web/reports", params={"year": YEAR})
    assert answer.status_code == 200
    assert "<svg" not in answer.text
    assert f"one row for each of {SIZE} members would be too tall to read" in answer.text
    assert "reviewing members would be too tall to read" in answer.text
    # the overdue reviews: a few named, the rest counted
    assert answer.text.count("Review of Government") == reporting_grid.OVERDUE_LISTED
    overdue_reviews = len(range(0, SIZE - len(range(0, SIZE, 10)), 3))
    assert "reviews for 2027 across" in answer.text  # the summary stays
    assert f"{overdue_reviews - reporting_grid.OVERDUE_LISTED} more reviews overdue" in answer.text
    assert len(answer.content) < 150_000


def test_a_focal_points_reports_page_reads_its_own_lines_only(large: Large) -> None:
    client = large.client[FOCAL_POINT]
    with counted(large.db) as cost:
        answer = client.get("/web/reports", params={"year": YEAR})
    assert answer.status_code == 200
    assert "Government 0007" in answer.text
    # its member, the one it reviews, their reports and the reviews between them; it read the
    # whole registry twice, every report and every review of the year
    assert cost.rows_loaded < 40, cost.rows_loaded


def test_the_register_names_only_the_people_on_its_page(large: Large) -> None:
    with counted(large.db) as cost:
        answer = large.client[SECRETARIAT].get("/web/register")
    assert answer.status_code == 200
    # the page's 100 entries and the viewer, not every person and their roles
    assert cost.rows_loaded < register.LIMIT + 20, cost.rows_loaded


def test_the_register_export_is_sent_in_chunks_of_many_lines(large: Large) -> None:
    search = register.RegisterSearch()
    chunks = list(register.csv_lines(large.db, {Role.SECRETARIAT}, search, "UTC"))
    rows = list(csv.reader(io.StringIO("".join(chunks))))
    entries = len(rows) - 1
    assert entries > register.CSV_LINES  # every command seeded was audited
    assert len(chunks) == entries // register.CSV_LINES + 1
    exported = large.client[SECRETARIAT].get("/web/register.csv").text
    assert len(list(csv.reader(io.StringIO(exported)))) == len(rows)
