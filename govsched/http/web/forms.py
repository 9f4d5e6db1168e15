"""Forms: what each one asks for, and how a refusal maps back onto its fields.

A form is described once (fields, labels, choices) and rendered by one template macro, so every
input has its label and its error beside it. Values come back as typed; the same pydantic model
the API route uses validates them, so a form accepts exactly what the API accepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from governance.kernel.errors import Conflict, Forbidden, GovernanceError, InvalidInput, NotFound
from governance.kernel.messages import say
from governance.kernel.model import incoming
from govsched.http.parameters import form_problems
from govsched.http.web.refusal_wording import line_of, plain
from govsched.i18n.current import gettext as _
from govsched.i18n.refusals import reason_text, summary_text

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, textarea, select, date, number, url, checkbox
    choices: Sequence[tuple[str, str]] = ()
    required: bool = False
    hint: str = ""
    value: str = ""


# A choice among more options than this is typed, not picked from a list (`_forms.html`): the
# VPI's 80 members stay a list, an initiative of 20,000 made every page offering them megabytes.
MANY_CHOICES = 200


@dataclass(frozen=True)
class Form:
    """One form on a page: `id` is unique on the page and names the form after a refusal."""

    id: str
    action: str
    button: str
    fields: Sequence[Field] = ()
    back: str = ""


@dataclass
class FormState:
    """What a refused form held: the typed values and an error per field ("" for the form)."""

    form: str
    values: Mapping[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def typed_values(form: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    return {n: str(form[n]) for n in names if n in form and isinstance(form[n], str)}


async def require_text_fields(request: Request) -> None:
    """Refuses a posted form any of whose fields' bytes are not UTF-8, naming each (README, HTTP
    API): the form parser has already read them as U+FFFD, which a model would take and store,
    so the raw body (which `WebRoute` keeps) is read again."""
    problems = form_problems(request.headers.get("content-type", ""), await request.body())
    if problems:
        raise InvalidInput(say("the form is refused"), problems)


def parse(model: type[M], values: Mapping[str, str], checkboxes: Iterable[str] = ()) -> M:
    """Validate the form like the API body: an empty field counts as not given, and a text the
    model requires is refused blank (zero-width characters alone, say) beside its field."""
    data: dict[str, Any] = {k: v for k, v in values.items() if v.strip() != ""}
    for box in checkboxes:
        data[box] = box in values
    return incoming(model, data)


def validation_errors(exc: ValidationError, fields: Iterable[str]) -> dict[str, str]:
    known = set(fields)
    errors: dict[str, str] = {}
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else ""
        key = name if name in known else ""
        reason = line_of(err) + plain(err)
        message = reason if key or not name else f"{name.replace('_', ' ')}: {reason}"
        errors.setdefault(key, message)
    return errors


def refusal_errors(exc: GovernanceError, fields: Iterable[str]) -> dict[str, str]:
    """A refusal's problems beside the fields they name; the rest at the top of the form."""
    known = set(fields)
    said = summary_text(exc)
    errors: dict[str, str] = {"": said}
    for problem in exc.problems:
        # a field may be named by the whole path (a form's `indicators.<key>`, issue 22)
        name = problem.path if problem.path in known else problem.path.split(".")[0]
        if name in known:
            errors.setdefault(name, reason_text(problem))
        else:
            errors[""] = _("%(refusal)s: %(reason)s") % {
                "refusal": said,
                "reason": reason_text(problem),
            }
    return errors


def status_for(exc: GovernanceError) -> int:
    """The status the API answers for the same refusal."""
    for cls, status in ((InvalidInput, 422), (NotFound, 404), (Conflict, 409), (Forbidden, 403)):
        if isinstance(exc, cls):
            return status
    return 400
