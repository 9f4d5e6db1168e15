"""An application's summary as a page shows it: the next step, governance's own sentence, in
the page's language (issue 20); everything the applicant wrote stays as written."""

from __future__ import annotations

from governance.applications.access import ApplicationSummary, next_step_message, summary
from governance.applications.model import ApplicationRecord
from governance.kernel.languages import Language
from governance.rulebook.model import Rulebook
from govsched.i18n.current import current_language
from govsched.i18n.messages import render


def summary_for_reader(record: ApplicationRecord, rulebook: Rulebook) -> ApplicationSummary:
    labels = rulebook.initiative.labels
    shown = summary(record, labels)
    step = next_step_message(record, labels)
    reader = current_language()
    if step is None or reader is Language.EN:
        return shown
    return shown.model_copy(update={"next_step": render(step, reader, rulebook.label_text)})
