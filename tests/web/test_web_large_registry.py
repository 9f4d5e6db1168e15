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
from govsched.http.web import paging, reporting_grid
from govsched.http.web.charts import reporting
from govsched.http.web.rendering import TEMPLATES
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


def _directory_members(html: str) -> list[str]:
    return re.findall(r'href="/web/directory/members/(gov-\d{4})"', html)


def test_the_directory_is_read_a_page_at_a_time_and_searched(large: Large) -> None:
    client = large.client[SECRETARIAT]
    with counted(large.db) as cost:
        first = client.get("/web/directory")
    assert first.status_code == 200
    assert _directory_members(first.text) == [_member(k) for k in range(paging.PAGE_ROWS)]
    assert f"{SIZE} members; each name leads" in first.text  # the caption counts them all
    assert f"1 to {paging.PAGE_ROWS} of {SIZE}." in first.text
    assert 'href="/web/directory?page=2" rel="next"' in first.text
    # the page's members with their histories, not the registry
    assert cost.rows_loaded < 2 * paging.PAGE_ROWS + 20, cost.rows_loaded
    last = client.get("/web/directory", params={"page": 99}).text  # past the last: the last
    assert _directory_members(last) == [_member(k) for k in range(2 * paging.PAGE_ROWS, SIZE)]
    assert 'rel="prev"' in last
    assert 'rel="next"' not in last
    # a part of a name, whatever its case; a search keeps itself in the pages' links
    found = client.get("/web/directory", params={"q": "  government 012 "}).text
    assert _directory_members(found) == [_member(k) for k in range(120, 130)]
    assert "10 members; each name leads" in found
    assert 'value="government 012"' in found
    wide = client.get("/web/directory", params={"q": "government"}).text
    assert 'href="/web/directory?q=government&amp;page=2"' in wide
    # LIKE's wildcards are taken as themselves; hostile text is shown, never run
    nothing = client.get("/web/directory", params={"q": "%_<script>"})
    assert nothing.status_code == 200
    assert "No member matches this search." in nothing.text
    assert "<script>" not in nothing.text.split("<main", 1)[1]
    assert client.get("/web/directory", params={"page": "x" * 50}).status_code == 200


def test_the_people_list_is_paged_and_names_only_its_members(large: Large) -> None:
    client = large.client[SECRETARIAT]
    with counted(large.db) as cost:
        answer = client.get("/web/directory/people", params={"q": "Focal 02"})
    assert answer.status_code == 200
    assert f"{SIZE - 200} people; email addresses" in answer.text
    assert answer.text.count('href="/web/directory/members/gov-02') == SIZE - 200
    # the people on the page and their members' names: every person was read, every member
    # with its history, and each form's choices
    assert cost.rows_loaded < 3 * paging.PAGE_ROWS, cost.rows_loaded
    assert len(answer.content) < 150_000


def test_a_choice_among_thousands_is_typed_not_listed(large: Large) -> None:
    answer = large.client[SECRETARIAT].get("/web/directory/committee")
    assert answer.status_code == 200
    seat = answer.text.split('id="record-seat"', 1)[1].split("</form>", 1)[0]
    assert "<select" not in seat.split('name="member"', 1)[0][-200:]
    assert re.search(r'<input type="text" id="record-seat-member" name="member"', seat)
    assert f"there are {SIZE} to choose from" in seat
    assert "<option" not in answer.text.split('id="record-chair-term"', 1)[1].split("</form>")[0]
    assert len(answer.content) < 50_000


def test_the_roster_shows_every_table_a_page_of_rows_at_a_time(
    large: Large, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the registry's 290 governments make forecasts of about a hundred presenters a year: pages
    # of ten rows show the paging without a registry of thousands
    monkeypatch.setattr(paging, "PAGE_ROWS", 10)
    monkeypatch.setitem(TEMPLATES.env.globals, "page_rows", 10)
    client = large.client[SECRETARIAT]
    first = client.get("/web/roster").text
    forecasts = re.findall(r"<tbody>(.*?)</tbody>", first.split(">Forecast</h2>", 1)[1], re.S)
    assert forecasts
    assert all(table.count("<tr>") == 10 for table in forecasts)
    sizes = [int(n) for n in re.findall(r"Rows 1 to 10 of (\d+)\.", first)]
    assert len(sizes) == len(forecasts)
    assert max(sizes) > 10
    pages = -(-max(sizes) // 10)
    assert 'href="/web/roster?page=2" rel="next"' in first
    last = client.get("/web/roster", params={"page": pages}).text
    assert 'rel="next"' not in last
    assert f'href="/web/roster?page={pages - 1}" rel="prev"' in last
    shown = re.findall(r"<tbody>(.*?)</tbody>", last.split(">Forecast</h2>", 1)[1], re.S)
    assert sum(table.count("<tr>") for table in shown) == sum(
        size - (pages - 1) * 10 for size in sizes if size > (pages - 1) * 10
    )
