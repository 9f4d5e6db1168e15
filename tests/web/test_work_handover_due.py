"""My work dates naming the incoming Chair by the day the calendar asks it by (the rulebook's
T-N before the plenary), not by the handover.

Found by a review: "Name the incoming Chair for the 2028 handover — Due 4 March 2028", the UTC
day of the handover instant, while the calendar's designation event said 31 December 2027.
"""

from __future__ import annotations

from datetime import date

from governance.rulebook.model import Rulebook
from governance.year.handover.rules import designation_day
from govsched.http.web.auth import Viewer
from govsched.http.web.work import _handover_items
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.applications import actor_for
from tests.web.conftest import CHAIR, Site


def test_naming_the_incoming_chair_is_due_when_the_calendar_says(site: Site) -> None:
    rulebook = Rulebook()
    with site.db.reading() as session:
        person = registry_repo.get_person(session, CHAIR)
        handovers = handover_repo.all_handovers(session)
        starts = {
            h.year: p.starts
            for h in handovers
            if (p := registry_repo.get_plenary(session, h.plenary_id)) is not None
        }
    assert person is not None
    viewer = Viewer(person=person, actor=actor_for(site.db, CHAIR), csrf="x")
    naming = {
        i.title: i.due
        for i in _handover_items(site.db, handovers, viewer, rulebook)
        if i.title.startswith("Name the incoming Chair")
    }
    expected = {
        f"Name the incoming Chair for the {h.year} handover": designation_day(
            starts[h.year], rulebook
        )
        for h in handovers
        if h.incoming is None and h.completed_at is None
    }
    assert naming == expected
    assert naming  # the demo has a handover whose incoming Chair is still to be named
    # 60 days before the plenary, here 15 January for the demo's 16 March 2027
    assert naming["Name the incoming Chair for the 2027 handover"] == date(2027, 1, 15)
