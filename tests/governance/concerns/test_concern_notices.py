"""What a concern's steps tell people: who is asked to act, and how they name the plenary."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from governance.concerns import rules
from governance.concerns.effects import timed_notices, transition_notices
from governance.concerns.model import ConcernRecord
from governance.concerns.timeline import pending_events
from governance.kernel.languages import Language
from governance.rulebook.model import NotificationKind, stoppable
from govsched.i18n.messages import render
from tests.governance.concerns.concern_cast import AT, FILER, PARTIES, RULES, SC, SECRETARIAT
from tests.governance.concerns.concern_cast import filing as a_filing
from tests.governance.plenaries import annual

K = NotificationKind
DAY = timedelta(days=1)
PLENARY = annual(date(2027, 5, 18))


def _in_dialogue() -> ConcernRecord:
    filed = rules.file_concern(a_filing(), FILER, AT, RULES).record
    return rules.acknowledge(filed, SECRETARIAT, AT + DAY, RULES).record


def test_the_referral_asks_the_committee_with_a_request_no_opt_out_stops() -> None:
    referral = rules.refer_to_review(_in_dialogue(), None, AT + 91 * DAY, RULES)

    sent = transition_notices(referral, AT + 91 * DAY, RULES, PARTIES)

    [committee] = [n for n in sent if n.channel == "steering_committee"]
    assert committee.kind is K.REQUEST
    assert not stoppable(committee.kind)
    # the parties and the Secretariat are only told, as before
    assert {n.kind for n in sent if n.channel != "steering_committee"} == {K.CHANGE_NOTICE}


def _recommended() -> rules.Transition:
    review = rules.refer_to_review(_in_dialogue(), None, AT + 91 * DAY, RULES).record
    target = AT + 150 * DAY
    return rules.recommend(review, SC, AT + 100 * DAY, "Remedial plan.", target, PLENARY.id)


def test_the_recommendation_names_the_deciding_plenary_by_place_and_days_not_its_id() -> None:
    step = _recommended()
    parties = replace(PARTIES, plenary=PLENARY)

    [first, *_] = transition_notices(step, AT + 100 * DAY, RULES, parties)

    assert "plenary-2027" not in first.text
    assert first.text.endswith(
        "the decision is for the Annual Plenary (Norland Harbour, from 18 to 21 May 2027)."
    )
    assert first.message is not None
    assert "Norland Harbour" in render(first.message, Language.FR)


def test_the_plenarys_opening_reminder_names_it_by_place_and_days_too() -> None:
    record = _recommended().record
    parties = replace(PARTIES, plenary=PLENARY)
    [due] = [e for e in pending_events(record, RULES) if e.kind.value == "decision_due"]

    [notice] = timed_notices(record, due, RULES, parties)

    assert "(Norland Harbour, from 18 to 21 May 2027) begins" in notice.text
