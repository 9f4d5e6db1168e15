"""The API's words for people in the reader's language (issue 20): an application's `next_step`
and an indicator's label, as the `message` of an error is (Accept-Language, else the
initiative's). Field names, states and keys stay as they are: clients read those."""

from __future__ import annotations

from fastapi import Request

from governance.applications.access import ApplicationSummary, next_step_message
from governance.applications.model import ApplicationRecord
from governance.kernel.languages import Language
from governance.reports.indicators.model import IndicatorSet
from governance.rulebook.model import Rulebook
from govsched.http.error_language import reader_language
from govsched.i18n.messages import render
from govsched.services.indicators import IndicatorsView


def request_language(request: Request) -> Language:
    return reader_language(request)


def summary_in(
    found: ApplicationSummary, record: ApplicationRecord, rulebook: Rulebook, language: Language
) -> ApplicationSummary:
    """`next_step` in `language`; English readers get the rules' own sentence."""
    if language is Language.EN:
        return found
    message = next_step_message(record, rulebook.initiative.labels)
    if message is None:
        return found
    said = render(message, language, rulebook.label_text)
    return found.model_copy(update={"next_step": said})


def indicators_in(
    view: IndicatorsView, indicators: IndicatorSet, language: Language
) -> IndicatorsView:
    """Each question's label and guidance in `language` where the rulebook words it (else
    English)."""
    if language is Language.EN:
        return view  # the service words its questions in English already
    # the rulebook keys an indicator's wording by the bare language code ("zh", not "zh-Hans")
    code = language.value.split("-")[0]
    by_key = {i.key: i for inds in indicators.pillars.values() for i in inds}
    questions = []
    for question in view.questions:
        wording = by_key[question.key].texts.get(code) if question.key in by_key else None
        if wording is not None:
            question = question.model_copy(
                update={"label": wording.label, "guidance": wording.guidance}
            )
        questions.append(question)
    return view.model_copy(update={"questions": questions})
