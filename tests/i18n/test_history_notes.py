"""The notes the rules write in an application's history read in the reader's language (issue
20); a note a person wrote is shown as written."""

from __future__ import annotations

from governance.applications.model import Step
from governance.applications.rules import close_review, step_note_words
from governance.kernel.languages import Language
from governance.rulebook.model import Recommendation
from govsched.i18n.messages import render
from tests.governance.applications.application_cast import under_review
from tests.today import now


def test_the_submission_and_the_tally_read_in_french_and_their_english_is_the_stored_note() -> None:
    closed = close_review(under_review(), now(), None, Recommendation.SUPPORT).record
    submitted, tallied = closed.history[0], closed.history[-1]
    first = step_note_words(closed, submitted)
    tally = step_note_words(closed, tallied)
    assert first is not None
    assert tally is not None
    assert tally.english() == tallied.note == "3 support; no answer from sc-ana, sc-ben, sc-cleo"
    assert render(first, Language.FR) == "déposée"
    assert render(tally, Language.FR).startswith("3 ")
    assert "no answer" not in render(tally, Language.FR)
    assert "support" not in render(tally, Language.ZH)


def test_a_note_a_person_wrote_is_theirs() -> None:
    record = under_review()
    written = Step(state=record.state, at=now(), by="sec-amina", note="3 support")
    assert step_note_words(record.model_copy(update={"history": (written,)}), written) is None
