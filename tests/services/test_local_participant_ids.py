"""A local participant who coordinates a group gives no right to the person of the registry who
carries the same id.

Local participants have no sign-in; their ids and the registry's person ids are chosen by
different people at different times, so "ana-silva" the group's trainer and "ana-silva" a
company's focal point can both exist. The rules asked only "is this id among the
coordinators?", so the focal point ran the group's meetings, asked for its funds, read its
confidential funding requests and received their notices, as a coordinator of a group she has
nothing to do with (and a member that left could be given a coordinator this way, past the
check on who may coordinate).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.groups.model import (
    GroupRole,
    LocalParticipant,
)
from governance.groups.plan_requests import RequestGroupFunding, StartGroupPlan
from governance.kernel.errors import Forbidden, NotFound
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.group_nominations import due_notices
from govsched.persistence.commands.group_plans import parties
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services import group_plans as plans
from govsched.services import groups
from tests.api.conftest import seeded_database
from tests.group_builders import ghana_group

COORDINATOR = "fp-co-aurum-mining"
# a government's focal point, and (by the same id) the Ghana group's local trainer
NAMESAKE = "fp-gov-lusmark"
AT = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)


def test_a_coordinating_participant_gives_the_registry_namesake_no_right(tmp_path: Path) -> None:
    _, db = seeded_database(tmp_path)
    trainer = LocalParticipant(id=NAMESAKE, name="Lucía Mensah", role=GroupRole.COORDINATOR)
    with db.writing() as session:
        group_repo.save_group(
            session,
            ghana_group(
                participants=(trainer,),
                coordinators=frozenset({COORDINATOR, NAMESAKE}),
            ),
        )
    rulebook = Rulebook()
    plans.record(db, StartGroupPlan(by=COORDINATOR, group="ghana", year=2027), AT, rulebook)
    ask = RequestGroupFunding(
        by=COORDINATOR,
        group="ghana",
        id="fr-ghana",
        year=2027,
        amount="5200.75",
        currency="USD",
        purpose="Two trainings.",
    )
    plans.record(db, ask, AT, rulebook)
    with db.reading() as session:
        namesake = registry_repo.get_person(session, NAMESAKE)
        group = groups.existing_group(session, "ghana")
        told = parties(session, group).coordinators
    assert namesake is not None

    with pytest.raises(NotFound):
        plans.get_request(db, "fr-ghana", namesake)
    assert plans.list_requests(db, "ghana", namesake) == []
    with pytest.raises(Forbidden):
        plans.record(db, ask.model_copy(update={"by": NAMESAKE, "id": "fr-2"}), AT, rulebook)
    meeting = {
        "id": "ghana-m1",
        "title": "Meeting",
        "starts": "2027-02-01T10:00:00",
        "ends": "2027-02-01T12:00:00",
    }
    with pytest.raises(Forbidden):
        groups.plan_meeting(db, "ghana", meeting, namesake, AT)
    # the request's notices go to the coordinator with a sign-in, never to the namesake
    assert told == (COORDINATOR,)
    # and so does the plenary's call for nominations
    with db.reading() as session:
        plenary = registry_repo.get_plenary(session, "plenary-2027")
        calls = due_notices(session, plenary, datetime(2026, 11, 20, tzinfo=UTC), rulebook)
    assert [n.recipients for n in calls if "ghana" in n.key] == [(COORDINATOR,)]
