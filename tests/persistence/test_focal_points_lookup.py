"""Finding some members' focal points costs SQLite the same work whatever the registry's size.

Bulk senders (reminders, review feedback, overdue notices) look up the focal points of each page
of members they notify. As a join on the focal-point role, SQLite walked every focal point of the
registry for each page: each notice's share grew with the registry, and a year's notices with
its square (issue 21). Counted in SQLite's own steps, never timed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from governance.kernel.model import Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from tests.conftest import migrated
from tests.helpers import focal_point_of


def _registry(size: int) -> list[RegistryCommand]:
    commands: list[RegistryCommand] = []
    for k in range(size):
        member = f"co-{k:03d}"
        commands.append(
            AddMember(
                id=member,
                name=f"Company {k}",
                pillar=Pillar.COMPANY,
                country="Norland",
                joined=date(2020, 1, 1),
            )
        )
        commands.append(focal_point_of(member))
    # a member's other person, who is no focal point, is never one of its focal points
    commands.append(
        AddPerson(
            id="obs-co-001",
            name="Observer at Company 1",
            email="observer@co-001.example",
            member="co-001",
            roles=[Role.SECRETARIAT],
        )
    )
    return commands


def _lookup(directory: Path, size: int) -> tuple[dict[str, list[str]], int]:
    """The focal points of three members (one unknown), and the steps SQLite took for them."""
    url = f"sqlite:///{directory / f'registry-{size}.db'}"
    migrated(url)
    db = Database.from_url(url)
    try:
        with db.writing() as session:
            seed(session, _registry(size), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
        steps = 0

        def step() -> int:
            nonlocal steps
            steps += 1
            return 0

        with db.reading() as session:
            raw = session.connection().connection.dbapi_connection
            assert raw is not None
            raw.set_progress_handler(step, 1)
            try:
                found = registry_repo.focal_points_by_member(
                    session, ["co-001", "co-003", "co-999"]
                )
            finally:
                raw.set_progress_handler(None, 1)
        return found, steps
    finally:
        db.dispose()


def test_some_members_focal_points_cost_the_same_for_10_and_for_200_members(
    tmp_path: Path,
) -> None:
    small, small_steps = _lookup(tmp_path, 10)
    large, large_steps = _lookup(tmp_path, 200)

    expected = {"co-001": ["fp-co-001"], "co-003": ["fp-co-003"], "co-999": []}
    assert small == large == expected
    # before the fix: 10 times the steps for 20 times the focal points
    assert small_steps == large_steps
