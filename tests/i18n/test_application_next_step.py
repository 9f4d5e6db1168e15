"""The applicant's next step, governance's own sentence, in every language (issue 20)."""

from __future__ import annotations

from datetime import date

from governance.applications.access import next_step, next_step_message
from governance.applications.model import ApplicationRecord, ApplicationState
from governance.kernel.languages import Language
from governance.rulebook.model import Rulebook
from govsched.i18n.catalogs import PSEUDO_OPEN
from govsched.i18n.messages import render
from tests.governance.applications.application_cast import admission, under_review
from tests.i18n.test_notice_messages import LETTER, outside_brackets

RULEBOOK = Rulebook()
LABELS = RULEBOOK.initiative.labels


def _every_state() -> list[ApplicationRecord]:
    reviewing = under_review()
    records = [
        record.model_copy(update={"state": state})
        for state in ApplicationState
        for record in (admission(), reviewing)
    ]
    ratified_at = reviewing.model_copy(
        update={
            "state": ApplicationState.PROVISIONALLY_ADMITTED,
            "ratification_plenary": "plenary-2027",
        }
    )
    return [*records, ratified_at]


def test_each_next_step_reads_as_before_in_english_and_through_the_catalog_elsewhere() -> None:
    said = 0
    for record in _every_state():
        message = next_step_message(record, LABELS)
        assert (message.english() if message else None) == next_step(record, LABELS)
        if message is None:
            continue
        said += 1
        pseudo = render(message, Language.EN, RULEBOOK.label_text, pseudo=True)
        assert pseudo.startswith(PSEUDO_OPEN), pseudo
        assert not LETTER.search(outside_brackets(pseudo)), pseudo
        for language in (Language.FR, Language.ES, Language.ZH):
            assert render(message, language, RULEBOOK.label_text) != message.english()
    assert said >= 8


def test_the_review_step_names_its_day_in_each_language() -> None:
    record = under_review()
    assert record.deadline is not None
    message = next_step_message(record, LABELS)
    assert message is not None
    day = record.deadline.due_date
    assert isinstance(day, date)
    assert str(day.year) in render(message, Language.ZH, RULEBOOK.label_text)
    assert "Comité directeur" in render(message, Language.FR, RULEBOOK.label_text)
    assert "Comité Directivo" in render(message, Language.ES, RULEBOOK.label_text)
