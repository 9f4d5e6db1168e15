"""A demo registry with calendar items of every kind, for the feed tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from governance.kernel.calendar import (
    PUBLIC,
    VOTING_MEMBERS,
    CalendarItem,
    EventStatus,
    member_audience,
    person_audience,
    pillar_audience,
    role_audience,
)
from governance.kernel.model import Pillar, Role
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.migrate import upgrade
from govsched.persistence.repos import calendar as calendar_repo
from govsched.rehearsal.demo_registry import demo_registry
from tests.conftest import copy_of_sqlite_template

SEEDED = datetime(2026, 11, 1, tzinfo=UTC)
SECRETARIAT = "sec-amina-okafor"
FOCAL_POINT = "fp-co-aurum-mining"  # a company's focal point on the Steering Committee
OUTSIDER = "fp-gov-lusmark"  # a Full government's focal point, not on the Steering Committee
DOMAIN = "vpi.govsched"


def item(uid: str, **fields: object) -> CalendarItem:
    values: dict[str, object] = {
        "uid": f"{uid}@{DOMAIN}",
        "kind": "deadline",
        "title": uid.replace("-", " "),
        "start_date": date(2027, 3, 1),
        "audiences": frozenset({PUBLIC}),
    }
    values.update(fields)
    return CalendarItem.model_validate(values)


# Confidential items (applications under review), each with who may see it.
CONFIDENTIAL = (
    item(
        "application-ngo-x-review",
        kind="application_deadline",
        title="Recommendations due on NGO X",
        audiences=frozenset(
            {role_audience(Role.SECRETARIAT), role_audience(Role.STEERING_COMMITTEE)}
        ),
        confidential=True,
    ),
    item(
        "application-ngo-x-no-objection",
        kind="application_deadline",
        title="No-objection period on NGO X ends",
        audiences=frozenset({role_audience(Role.SECRETARIAT), VOTING_MEMBERS}),
        confidential=True,
    ),
    item(
        "application-co-y-information-1",
        kind="application_deadline",
        title="Information due from Company Y",
        audiences=frozenset({role_audience(Role.SECRETARIAT)}),
        confidential=True,
    ),
)

OPEN_ITEMS = (
    item("plenary-2027", kind="plenary", start_date=date(2027, 5, 18), end_date=date(2027, 5, 21)),
    item(
        "sc-call-2027-03",
        kind="meeting",
        start_date=None,
        starts=datetime(2027, 3, 1, 15, tzinfo=UTC),
        ends=datetime(2027, 3, 1, 16, tzinfo=UTC),
        audiences=frozenset({role_audience(Role.STEERING_COMMITTEE)}),
    ),
    item(
        "report-co-aurum-mining-2027",
        kind="report_deadline",
        audiences=frozenset({member_audience("co-aurum-mining")}),
    ),
    item("chair-task-2027", kind="chair_task", audiences=frozenset({role_audience(Role.CHAIR)})),
    item(
        "presentation-slot-gov-lusmark",
        kind="presentation",
        audiences=frozenset({person_audience(OUTSIDER)}),
    ),
    item(
        "government-briefing",
        kind="meeting",
        audiences=frozenset({pillar_audience(Pillar.GOVERNMENT)}),
    ),
    item("cancelled-webinar", kind="meeting", status=EventStatus.CANCELLED),
)


def seeded(db: Database) -> None:
    """The demo registry and the items above in `db`, migrated and empty. Seeding costs about a
    second of CPU and some 40 tests want it: a SQLite database gets a copy of a file seeded once
    per test process (the same rows: every instant is fixed)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        db.engine.dispose()  # no pooled connection holds the file the copy replaces
        copy_of_sqlite_template(f"sqlite:///{url.database}", "feed-data", _seeded_from_nothing)
    else:
        _seed(db)


def _seeded_from_nothing(url: str) -> None:
    upgrade(url)
    db = Database.from_url(url)
    try:
        _seed(db)
    finally:
        db.dispose()


def _seed(db: Database) -> None:
    demo = demo_registry()
    with db.writing() as session:
        seed(session, demo.commands(), SEEDED, Rulebook(), demo.seats)
        for index, calendar_item in enumerate((*CONFIDENTIAL, *OPEN_ITEMS)):
            calendar_repo.upsert(session, calendar_item, SEEDED + timedelta(minutes=index))
