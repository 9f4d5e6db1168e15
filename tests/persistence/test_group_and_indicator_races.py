"""Two steps on one group, or on one member's indicator values, at the same moment on
PostgreSQL: the second reads what the first wrote, so nothing is lost and nothing fails.

Each of these steps reads a document, lets the rules change it and writes it whole. On
PostgreSQL (READ COMMITTED) two could read the same document, and the later write silently
replaced the earlier: a reviewer's objection vanished and the request was approved, a
coordinator added at the same time as another was gone, and two first submissions of
indicators both inserted (the second a 500). SQLite's write transactions take the database's
lock as they begin, so the race is PostgreSQL's alone, and these tests run there.

The interleaving is forced, not hoped for: the first step, once it has read the document,
starts the second and waits until the second has either finished (the race happened) or is
waiting for a lock the first holds (it cannot happen), then commits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from governance.groups.plan_requests import (
    CheckGroupFunding,
    RecommendGroupFunding,
    RequestGroupFunding,
    StartGroupPlan,
)
from governance.groups.plans import Plan
from governance.kernel.errors import Conflict
from governance.kernel.model import Person, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, SchedulePlenary, audit_entry
from governance.reports.indicators.submission import SubmitIndicators
from governance.rulebook.model import Recommendation, Rulebook
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.registry import decide
from govsched.persistence.db import Database
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import indicators as indicator_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import group_plans as plan_service
from govsched.services import groups as group_service
from govsched.services.indicators import IndicatorService
from tests.conftest import migrated
from tests.group_builders import ghana_group

RULEBOOK = Rulebook()
T0 = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
SECRETARIAT = "sec"
COORDINATOR = "ama"


@pytest.fixture
def db(postgres_url: str) -> Iterator[Database]:
    migrated(postgres_url)
    database = Database.from_url(postgres_url)
    _registry(database)
    yield database
    database.dispose()


def _registry(db: Database) -> None:
    commands: list[Any] = [
        SchedulePlenary(year=2027, starts=date(2027, 3, 16), ends=date(2027, 3, 19), location="X"),
        AddPerson(id=SECRETARIAT, name="Sec", email="sec@example.org", roles=[Role.SECRETARIAT]),
    ]
    for member, person in (("co-a", "sc-a"), ("co-b", "sc-b"), ("co-c", "sc-c")):
        commands += [
            AddMember(id=member, name=member, pillar=Pillar.COMPANY, country="Norland"),
            AddPerson(
                id=person,
                name=person,
                email=f"{person}@example.org",
                member=member,
                roles=[Role.FOCAL_POINT, Role.STEERING_COMMITTEE],
            ),
        ]
    commands.append(AddPerson(id=COORDINATOR, name="Ama", email="ama@example.org", member="co-a"))
    for n, command in enumerate(commands):
        with db.writing() as session:
            effects = decide(session, command, T0, RULEBOOK)
            store_effects(session, effects, audit_entry(effects, f"seed-{n}", T0, "sec", ""), T0)
    with db.writing() as session:
        group_repo.save_group(
            session,
            ghana_group(
                coordinators=frozenset({COORDINATOR}),
            ),
        )


def _person(db: Database, person_id: str) -> Person:
    with db.reading() as session:
        person = registry_repo.get_person(session, person_id)
    assert person is not None
    return person


def _backend(session: Session) -> int:
    pid: int = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    return pid


def _blocked_by(db: Database, pid: int) -> bool:
    query = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
    with db.engine.connect() as connection:
        return bool(connection.execute(query, {"pid": pid}).scalar_one())


def _at_once(
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    reader: str,
    first: Callable[[], object],
    second: Callable[[], object],
) -> list[object]:
    """Run `first`; when it has read through `module.reader` (inside its transaction), run
    `second` in another thread and let `first` go on only once `second` finished or waits for
    `first`. Each one's outcome (or the exception it raised), first's first."""
    read = getattr(module, reader)
    outcomes: dict[str, object] = {}
    second_done = threading.Event()
    started: list[threading.Thread] = []

    def run_second() -> None:
        try:
            outcomes["second"] = second()
        except Exception as exc:  # the outcome to compare, whatever it is
            outcomes["second"] = exc
        finally:
            second_done.set()

    def reading(session: Session, *args: Any) -> Any:
        found = read(session, *args)
        if not started:
            pid = _backend(session)
            thread = threading.Thread(target=run_second)
            started.append(thread)
            thread.start()
            while not second_done.wait(0.01) and not _blocked_by(db, pid):
                pass
        return found

    monkeypatch.setattr(module, reader, reading)
    try:
        outcomes["first"] = first()
    except Exception as exc:
        outcomes["first"] = exc
    assert started, f"the first step never read through {reader}"
    started[0].join()
    return [outcomes["first"], outcomes["second"]]


@pytest.mark.postgres
def test_two_recommendations_at_once_are_both_kept(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_service.record(db, StartGroupPlan(by=COORDINATOR, group="ghana", year=2027), T0, RULEBOOK)
    ask = RequestGroupFunding(
        by=COORDINATOR,
        group="ghana",
        id="fr-1",
        year=2027,
        amount="100.00",
        currency="USD",
        purpose="Two trainings.",
    )
    plan_service.record(db, ask, T0, RULEBOOK)
    check = CheckGroupFunding(by=SECRETARIAT, request="fr-1", complete=True)
    plan_service.record(db, check, T0, RULEBOOK)

    def recommend(person: str, said: Recommendation) -> Callable[[], object]:
        step = RecommendGroupFunding(by=person, request="fr-1", recommendation=said)
        return lambda: plan_service.record(db, step, T0, RULEBOOK)

    outcomes = _at_once(
        db,
        monkeypatch,
        plan_repo,
        "get_request",
        recommend("sc-a", Recommendation.SUPPORT),
        recommend("sc-b", Recommendation.OBJECT),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)]
    with db.reading() as session:
        kept = plan_repo.get_request(session, "fr-1")
    assert kept is not None
    assert sorted((r.person, r.recommendation) for r in kept.recommendations) == [
        ("sc-a", Recommendation.SUPPORT),
        ("sc-b", Recommendation.OBJECT),
    ]


@pytest.mark.postgres
def test_two_coordinators_added_at_once_both_coordinate(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    secretariat = _person(db, SECRETARIAT)

    def add(person: str) -> Callable[[], object]:
        return lambda: group_service.add_coordinator(db, "ghana", person, secretariat, T0)

    outcomes = _at_once(db, monkeypatch, group_repo, "get_group", add("sc-b"), add("sc-c"))
    assert not [o for o in outcomes if isinstance(o, Exception)]
    with db.reading() as session:
        group = group_repo.get_group(session, "ghana")
    assert group is not None
    assert sorted(group.coordinators) == [COORDINATOR, "sc-b", "sc-c"]


@pytest.mark.postgres
def test_two_first_submissions_at_once_are_a_submission_and_an_amendment(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = IndicatorService(db, RULEBOOK)

    def submit(risk_assessments: int) -> Callable[[], object]:
        values = {
            "risk_assessments": risk_assessments,
            "sites_arrangements_reviewed": 50,
            "security_grievances_received": 2,
        }
        command = SubmitIndicators(year=2027, member="co-b", by="sc-b", indicators=values)
        return lambda: service.submit(command, T0)

    outcomes = _at_once(db, monkeypatch, indicator_repo, "get", submit(4), submit(5))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    with db.reading() as session:
        kept = indicator_repo.get(session, 2027, "co-b")
    assert kept is not None
    assert kept.submitted is not None
    assert (kept.submitted["risk_assessments"], kept.amendments) == (5, 1)


@pytest.mark.postgres
def test_a_plan_started_twice_at_once_is_started_once_and_refused_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = StartGroupPlan(by=COORDINATOR, group="ghana", year=2027)
    outcomes = _at_once(
        db,
        monkeypatch,
        plan_repo,
        "get_plan",
        lambda: plan_service.record(db, start, T0, RULEBOOK),
        lambda: plan_service.record(db, start, T0, RULEBOOK),
    )
    assert isinstance(outcomes[0], Plan)
    # the second finds the first's plan: a 409 naming the year, not a broken primary key
    assert isinstance(outcomes[1], Conflict), outcomes[1]
    assert [p.path for p in outcomes[1].problems] == ["year"]
