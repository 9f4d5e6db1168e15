"""An application's summary as a page shows it: the next step, governance's own sentence, in
the page's language (issue 20); everything the applicant wrote stays as written."""

from __future__ import annotations

from governance.applications.access import ApplicationSummary, next_step_message, summary
from governance.applications.model import ApplicationRecord
from governance.kernel.languages import Language
from governance.kernel.messages import Message
from governance.kernel.model import PlenaryKind
from governance.rulebook.model import Rulebook
from governance.year.milestones import plenary_message
from govsched.i18n.current import current_language
from govsched.i18n.messages import render
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo


def ratifying_plenary(
    db: Database, record: ApplicationRecord, rulebook: Rulebook
) -> Message | None:
    """The plenary asked to ratify a provisional admission, by its name (`VPI 2027 Annual
    Plenary`), or None when none was scheduled or it is gone."""
    if record.ratification_plenary is None:
        return None
    with db.reading() as session:
        plenary = registry_repo.get_plenary(session, record.ratification_plenary)
    if plenary is None:
        return None
    return plenary_message(plenary.kind is not PlenaryKind.ANNUAL, plenary.year, rulebook)


def summary_for_reader(
    record: ApplicationRecord, rulebook: Rulebook, ratifying: Message | None = None
) -> ApplicationSummary:
    labels = rulebook.initiative.labels
    shown = summary(record, labels, ratifying)
    step = next_step_message(record, labels, ratifying)
    reader = current_language()
    if step is None or reader is Language.EN:
        return shown
    return shown.model_copy(update={"next_step": render(step, reader, rulebook.label_text)})
