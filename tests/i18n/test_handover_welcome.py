"""The new Chair's welcome note lists what it inherits in the reader's language: each task by
its rulebook label and its due day written as the language writes days, no ids, no ISO dates.

Found by a review: "Handover items still open: Briefing pack for the incoming Chair (due
2027-01-24); ..." came in English with ISO dates in every language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from governance.kernel.languages import Language
from governance.kernel.model import Role
from governance.kernel.notices import Notification
from governance.rulebook.model import Rulebook
from governance.year.handover.rules import ChairTasks, WaitingApplication, hand_over, plan_handover
from governance.year.milestones import plan
from govsched.i18n.messages import render
from tests.governance.plenaries import annual

RULEBOOK = Rulebook()
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _welcome() -> Notification:
    plenary = annual(date(2027, 2, 23))
    handover = plan_handover(plenary, "gov-norland", RULEBOOK)
    assert handover is not None
    named = handover.model_copy(
        update={"incoming": "gov-estavia", "designated_at": datetime(2027, 1, 5, tzinfo=UTC)}
    )
    tasks = ChairTasks(
        milestones=tuple(m for m in plan(plenary, RULEBOOK) if m.owner_role is Role.CHAIR),
        applications=(WaitingApplication("Kestrel Minerals", provisional=True),),
        items=named.items,
    )
    done = hand_over(named, None, None, ["fp-estavia"], tasks, {}, RULEBOOK)
    (welcome,) = (n for n in done.notices if n.channel == "direct")
    return welcome


def test_the_welcome_note_names_tasks_and_days_in_the_readers_language() -> None:
    welcome = _welcome()
    english, message = welcome.text, welcome.message
    assert message is not None
    assert not ISO_DAY.search(english), english
    assert "Kestrel Minerals (provisionally admitted)" in english
    assert "(due 16 February 2027)" in english  # a handover item, as the checklist dates it
    for language, month in ((Language.FR, "février"), (Language.ES, "febrero")):
        text = render(message, language, RULEBOOK.label_text)
        assert not ISO_DAY.search(text), text
        assert month in text, text
        assert "Kestrel Minerals" in text
