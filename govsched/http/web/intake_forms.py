"""The application form (public and the Secretariat's), and turning what was typed into the
API's own `SubmitApplication` body, with refusals a non-developer can act on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from governance.applications.requests import SubmitApplication
from governance.kernel.languages import AUTONYMS, Language
from governance.kernel.model import Pillar, incoming
from govsched.http.web.forms import Field, Form, validation_errors
from govsched.http.web.refusal_wording import line_of
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_

FIELDS = ("organisation", "pillar", "country", "contact_email", "statement", "documents")
# The Secretariat's form also asks which language the applicant reads (the public form knows:
# the one its reader read it in).
LANGUAGE = "language"
RECORDED_FIELDS = (*FIELDS, LANGUAGE)
# A field nobody sees (`hidden` for browsers and screen readers alike): what fills it is a bot.
TRAP = "website"
PILLAR_NAMES = {
    Pillar.GOVERNMENT: N_("Government"),
    Pillar.COMPANY: N_("Company"),
    Pillar.NGO: N_("Non-governmental organisation"),
    Pillar.OBSERVER: N_("Observer"),
}


def application_form(form_id: str, action: str, back: str, submission: str, public: bool) -> Form:
    who = N_("Your organisation") if public else N_("Organisation")
    return Form(
        form_id,
        action,
        N_("Send the application") if public else N_("Record the application"),
        (
            Field("submission", N_("Submission"), "hidden", value=submission),
            Field("organisation", who, required=True),
            Field("pillar", N_("Pillar"), "select", list(PILLAR_NAMES.items()), required=True),
            Field("country", N_("Country"), required=True),
            Field("contact_email", N_("Contact email"), "email", required=True),
            Field(
                "statement",
                N_("Statement") if not public else N_("Why your organisation applies"),
                "textarea",
                required=True,
                hint=N_("how the organisation meets the Principles and will report on them"),
            ),
            Field(
                "documents",
                N_("Links to documents (optional)"),
                "textarea",
                hint=N_("one link per line, each starting with https://"),
            ),
            *(() if public else (_language_field(),)),
        ),
        back,
    )


def _language_field() -> Field:
    return Field(
        LANGUAGE,
        N_("Language the applicant reads (optional)"),
        "select",
        [(language.value, AUTONYMS[language]) for language in Language],
        hint=N_(
            "the Secretariat's questions are emailed to the applicant in it; without a choice, "
            "in the initiative's language"
        ),
    )


def submit_body(values: Mapping[str, str], language: Language | None = None) -> SubmitApplication:
    """The API's body from the form (an empty field counts as not given, as in `forms.parse`);
    documents are one link a line; `language`, the one the applicant is written to in (else
    the form's own choice, if any)."""
    data: dict[str, Any] = {
        k: v for k, v in values.items() if k in FIELDS and k != "documents" and v.strip()
    }
    data[LANGUAGE] = language or values.get(LANGUAGE) or None
    data["documents"] = [
        line.strip() for line in values.get("documents", "").splitlines() if line.strip()
    ]
    try:
        return incoming(SubmitApplication, data)
    except ValidationError as exc:
        errors = validation_errors(exc, RECORDED_FIELDS)
        errors.update(_document_errors(exc))
        raise FormRefused(errors) from None


def _document_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = err["loc"]
        if loc and loc[0] == "documents":
            link = _("a link starting with http:// or https://")
            errors.setdefault("documents", line_of(err) + link)
    return errors


class FormRefused(Exception):
    """What was typed cannot be taken in: an error per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
