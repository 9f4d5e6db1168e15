"""A rulebook label named inside a refusal reads as the initiative names it in the reader's
language (issue 20): the web and the API render refusals with the request's rulebook labels."""

from __future__ import annotations

from datetime import date

import pytest

from governance.kernel.errors import Conflict
from governance.kernel.languages import Language
from governance.kernel.model import MemberStatus, Pillar, SteeringCommitteeSeat
from governance.year.seats import RecordSeat, SeatFacts, record_seat
from govsched.i18n.current import use_language
from govsched.i18n.messages import in_current_language, use_label_texts
from govsched.services.rulebooks import load_rulebook_spec

RULEBOOK = load_rulebook_spec("vpi")


def full_pillar() -> Conflict:
    held = tuple(
        SteeringCommitteeSeat(
            member=f"co-{i}",
            pillar=Pillar.COMPANY,
            starts=date(2026, 5, 22),
            ends=date(2028, 5, 22),
        )
        for i in range(3)  # the VPI rulebook gives the company pillar three seats
    )
    facts = SeatFacts(member_pillar=Pillar.COMPANY, member_status=MemberStatus.FULL, seats=held)
    cmd = RecordSeat(member="co-new", starts=date(2027, 5, 22), ends=date(2029, 5, 22))
    with pytest.raises(Conflict) as refused:
        record_seat(cmd, facts, RULEBOOK)
    return refused.value


def test_the_committees_label_in_a_seat_refusal_is_the_rulebooks_in_french() -> None:
    [problem] = full_pillar().problems
    assert problem.reason == "the Steering Committee has 3 company seats"  # the API's reason
    assert problem.words is not None
    french = RULEBOOK.label_text(RULEBOOK.initiative.labels.steering_committee, Language.FR)
    assert french == "Comité directeur"
    with use_language(Language.FR), use_label_texts(RULEBOOK.label_text):
        said = in_current_language(problem.words)
    assert french in said
    assert "Steering Committee" not in said
