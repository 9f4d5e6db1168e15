"""Plenary nominations stored and stepped by the governance year (issue 23, 3c): the year's look
finds the call and the one reminder, each once however often it looks; a refused nomination
records nothing; a replacement is audited; confirmed nominees are on the agenda.

The plenary starts on 17 May 2027 (Toronto): the DEFAULT call is on 17 January and the deadline
18 March."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.groups.model import Exploration, Group, GroupStatus, LocalParticipant
from governance.kernel.errors import Conflict, Forbidden, InvalidInput
from governance.kernel.model import Person, Plenary, Role
from governance.rulebook.model import Rulebook
from governance.year.contracts import YearDueRequest
from govsched.persistence.commands.year import due_now
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import groups as service
from govsched.services.plenary_agenda import agenda_for

RULEBOOK = Rulebook()
SECRETARIAT = Person(
    id="sec", name="Amina", email="sec@example.org", roles=frozenset({Role.SECRETARIAT})
)
COORDINATOR = Person(id="fp-ghana", name="Efua", email="efua@example.org")
FOUND = Exploration(demand="Asked for.", support="Backed.", recorded_on=date(2026, 1, 5))
SETUP = datetime(2026, 12, 1, tzinfo=UTC)
CALLED = datetime(2027, 2, 1, 14, 0, tzinfo=UTC)
REMINDED = datetime(2027, 3, 19, 4, 0, tzinfo=UTC)


def _seed(db: Database) -> None:
    with db.writing() as session:
        registry_repo.save_person(session, SECRETARIAT)
        registry_repo.save_person(session, COORDINATOR)
        registry_repo.save_plenary(
            session,
            Plenary(
                id="plenary-2027",
                year=2027,
                starts=date(2027, 5, 17),
                ends=date(2027, 5, 20),
                location="Norland Harbour",
            ),
        )
    ghana = Group(
        id="ghana",
        name="Ghana group",
        country="GH",
        timezone="Africa/Accra",
        participants=(
            LocalParticipant(id="kofi", name="Kofi Mensah"),
            LocalParticipant(id="ama", name="Ama Owusu"),
        ),
        coordinators=frozenset({"fp-ghana"}),
    )
    # coordinated by a local participant only, who has no sign-in: the Secretariat relays
    peru = Group(
        id="peru",
        name="Cusco group",
        country="PE",
        timezone="America/Lima",
        participants=(LocalParticipant(id="rosa", name="Rosa Quispe", role="coordinator"),),
        coordinators=frozenset({"rosa"}),
    )
    for group in (ghana, peru):
        service.create_group(db, group, SECRETARIAT, SETUP)
        service.record_exploration(db, group.id, FOUND, SECRETARIAT, SETUP)
        service.change_status(db, group.id, GroupStatus.ACTIVE, SECRETARIAT, SETUP)


def _look(db: Database, now: datetime) -> list[str]:
    """The year's look at `now`, its group notices delivered (recorded as sent) as the
    workflow's delivery would; the keys of those it found."""
    with db.reading() as session:
        due = due_now(session, YearDueRequest(year=2027, now=now), RULEBOOK)
    found = [n for n in due.notices if n.item.startswith("nominations-")]
    with db.writing() as session:
        for notice in found:
            notification_repo.record_intent(session, notice)
            notification_repo.mark_sent(session, notice.key, now, None)
    return [n.key for n in found]


def test_the_call_and_the_reminder_are_each_sent_once(db: Database) -> None:
    _seed(db)
    assert _look(db, datetime(2027, 1, 10, tzinfo=UTC)) == []
    with db.reading() as session:
        due = due_now(
            session, YearDueRequest(year=2027, now=datetime(2027, 1, 10, tzinfo=UTC)), RULEBOOK
        )
    # nothing else is planned here: the year wakes next for the call
    assert due.next_at == datetime(2027, 1, 17, 5, 0, tzinfo=UTC)
    assert _look(db, CALLED) == [
        "deadline_reminder:nominations-2027-ghana:vcall:fp-ghana",
        "deadline_reminder:nominations-2027-peru:vcall:secretariat",
    ]
    # the year looks again (a signal, a replayed round, a restarted worker): nothing new
    assert _look(db, CALLED) == []
    assert _look(db, CALLED + timedelta(days=3)) == []

    service.nominate(db, "ghana", 2027, "kofi", None, COORDINATOR, CALLED, RULEBOOK)
    assert _look(db, REMINDED) == ["deadline_reminder:nominations-2027-peru:vreminder:secretariat"]
    for later in (REMINDED, REMINDED + timedelta(hours=1), REMINDED + timedelta(days=7)):
        assert _look(db, later) == []
    with db.reading() as session:
        keys = [n.key for n in notification_repo.delivered(session) if "nominations" in n.item]
    assert sorted(keys) == [
        "deadline_reminder:nominations-2027-ghana:vcall:fp-ghana",
        "deadline_reminder:nominations-2027-peru:vcall:secretariat",
        "deadline_reminder:nominations-2027-peru:vreminder:secretariat",
    ]


def test_one_nominee_per_group_a_replacement_audited_and_the_confirmed_on_the_agenda(
    db: Database,
) -> None:
    _seed(db)
    service.nominate(db, "ghana", 2027, "kofi", None, COORDINATOR, CALLED, RULEBOOK)
    with pytest.raises(Conflict) as second:
        service.nominate(db, "ghana", 2027, "ama", None, COORDINATOR, CALLED, RULEBOOK)
    assert [p.path for p in second.value.problems] == ["person"]
    with db.reading() as session:
        kept = group_repo.get_nomination(session, "ghana", 2027)
    assert kept is not None
    assert kept.person == "kofi"

    later = CALLED + timedelta(days=1)
    replaced = service.nominate(db, "ghana", 2027, "ama", "kofi", COORDINATOR, later, RULEBOOK)
    assert (replaced.person, replaced.replaced) == ("ama", ("kofi",))
    with db.reading() as session:
        actions = [
            (e.action, e.data.get("person"), e.data.get("replaced"))
            for e in audit_repo.entries(session, "icig", "ghana")
            if "nomin" in e.action
        ]
    assert actions == [
        ("icig.nominated", "kofi", None),
        ("icig.nominee_replaced", "ama", "kofi"),
    ]

    with pytest.raises(Forbidden):
        service.confirm_nomination(db, "ghana", 2027, True, COORDINATOR, later)
    confirmed = service.confirm_nomination(db, "ghana", 2027, True, SECRETARIAT, later)
    assert (confirmed.status.value, confirmed.travel_supported) == ("confirmed", True)
    with pytest.raises(InvalidInput) as stranger:
        service.nominate(db, "peru", 2027, "nobody-here", None, SECRETARIAT, later, RULEBOOK)
    assert [p.path for p in stranger.value.problems] == ["person"]

    agenda = agenda_for(db, "plenary-2027", date(2027, 4, 1), RULEBOOK, None)
    (section,) = [s for s in agenda.sections if s.key == "in_country_groups"]
    assert section.items == ("Ama Owusu (Ghana group), travel supported",)
    assert [n.person for n in service.plenary_nominations(db, 2027)] == ["ama"]
