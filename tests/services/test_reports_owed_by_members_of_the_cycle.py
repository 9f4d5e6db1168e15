"""The reporting grid's cycle view lists a member's report only for cycles it was a member for:
an Engaged member admitted after a cycle's due day (here after its plenary) is not missing it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.model import MemberStatus, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SchedulePlenary
from governance.rulebook.model import Rulebook
from govsched.http.web.charts.reporting import MISSED, cells
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.services.reports import cycle_view


def _registry() -> list[RegistryCommand]:
    return [
        SchedulePlenary(year=2027, starts=date(2027, 6, 8), ends=date(2027, 6, 9), location="Oslo"),
        AddMember(
            id="gov-old", name="Old", pillar=Pillar.GOVERNMENT, country="A", joined=date(2010, 1, 1)
        ),
        AddMember(
            id="co-new",
            name="New",
            pillar=Pillar.COMPANY,
            country="B",
            status=MemberStatus.ENGAGED,
            joined=date(2027, 9, 1),  # after the 2027 plenary
            decision="admitted as engaged",
        ),
        AddPerson(id="sec", name="Sec", email="sec@example.org", roles=[Role.SECRETARIAT]),
    ]


def test_a_member_admitted_after_the_plenary_is_not_marked_missed_for_that_cycle(
    sqlite_db: Database,
) -> None:
    with sqlite_db.writing() as session:
        seed(session, _registry(), datetime(2026, 12, 1, tzinfo=UTC), Rulebook())
        secretariat = registry_repo.get_person(session, "sec")
    assert secretariat is not None
    view = cycle_view(sqlite_db, 2027, secretariat, datetime(2027, 10, 1, tzinfo=UTC), Rulebook())
    assert [(line.member, line.status) for line in view.reports] == [("gov-old", "overdue")]
    assert [(c.member, c.year, c.status) for c in cells([view])] == [("gov-old", 2027, MISSED)]
