"""My work offers a review's recommendation only to a reviewer who still sits on the Committee.

Found by a review: a member of the Steering Committee taken off it during a review still found
"Recommend on ...'s application" with its form on My work (the API refused the page with 404).
"""

from __future__ import annotations

from governance.kernel.model import Person, Role
from govsched.http.web.auth import Viewer
from govsched.http.web.work import _application_items
from tests.governance.applications.application_cast import SC_ANA, under_review


def _titles(roles: frozenset[Role]) -> list[str]:
    actor = SC_ANA.model_copy(update={"roles": roles})
    person = Person(
        id=actor.person, name="Ana", email="ana@norland.example", member=actor.member, roles=roles
    )
    viewer = Viewer(person=person, actor=actor, csrf="x")
    return [item.title for item in _application_items([under_review()], viewer)]


def test_a_reviewer_on_the_committee_is_asked_to_recommend() -> None:
    assert _titles(frozenset({Role.STEERING_COMMITTEE})) == [
        "Recommend on Ember Energy's application"
    ]


def test_a_reviewer_taken_off_the_committee_is_asked_nothing() -> None:
    assert _titles(frozenset({Role.FOCAL_POINT})) == []
