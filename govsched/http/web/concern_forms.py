"""The forms of a participant concern, one per API route (`/concerns/...`), and how their
values become the commands the API sends.

Each form carries a key made when it is drawn (`key`, hidden): the service applies a key once,
so a double click or a form sent again after its answer was lost files one case, not two.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from governance.concerns.model import Outcome
from governance.kernel.model import incoming
from govsched.http.deps import checked_key
from govsched.http.web.forms import Field, Form
from govsched.http.web.labels import words
from govsched.i18n.marking import N_

M = TypeVar("M", bound=BaseModel)
# Fields that take several values, and what separates them: links one per line (a link may
# hold a comma), dates by commas or spaces.
LISTS = {"evidence": r"\s*\n\s*", "follow_ups": r"[\s,]+"}


def _key() -> Field:
    return Field("key", N_("Form key"), "hidden", value=f"web-{secrets.token_urlsafe(18)}")


def key_of(values: Mapping[str, str]) -> str:
    """The form's key, checked as the API checks an Idempotency-Key."""
    return checked_key(values.get("key") or None)


def fields_of(form: Form) -> list[str]:
    return [f.name for f in form.fields]


def command(model: type[M], values: Mapping[str, str], **given: Any) -> M:
    """Validate the typed values as the API validates its body: an empty field is not given,
    a list field is split, the checkbox `anonymous` is on when sent."""
    data: dict[str, Any] = {
        k: v for k, v in values.items() if k not in ("key", "anonymous") and v.strip() != ""
    }
    for name, separator in LISTS.items():
        if name in data:
            data[name] = [part for part in re.split(separator, data[name].strip()) if part]
    if "anonymous" in values:
        data["anonymous"] = True
    return incoming(model, {**data, **given})


def file_concern(members: Sequence[tuple[str, str]], secretariat: bool, focal_point: bool) -> Form:
    """`members`: (id, name) of those a concern may be about."""
    fields = [
        _key(),
        Field("about", N_("The member the concern is about"), "select", members, required=True),
        Field(
            "summary",
            N_("What happened"),
            "textarea",
            required=True,
            hint=N_("where, when, who was affected; the parties and the Secretariat read it"),
        ),
        Field(
            "evidence",
            N_("Links to evidence (optional)"),
            "textarea",
            hint=N_("one link per line, each starting with https://"),
        ),
    ]
    if secretariat:
        fields.append(
            Field(
                "on_behalf_of",
                N_("Filed on behalf of (a third party without access)"),
                hint=N_("the Secretariat files only for someone else"),
                required=not focal_point,
            )
        )
    # anyone filing may ask for anonymity: a community the Secretariat files for fears
    # reprisals as much as a member does
    label = (
        N_("File anonymously: only the Secretariat and your own member know who filed")
        if focal_point
        else N_("File anonymously: only the Secretariat knows whom it filed for")
    )
    fields.append(Field("anonymous", label, "checkbox"))
    return Form("file-concern", "/web/concerns", N_("File the concern"), fields, "/web/concerns")


def _step(case: str, name: str, button: str, fields: Sequence[Field] = (), back: str = "") -> Form:
    return Form(
        f"{name}-{case}",
        f"/web/concerns/{case}/{name}",
        button,
        (_key(), *fields),
        back or f"/web/concerns/{case}",
    )


def acknowledge(case: str, back: str = "") -> Form:
    return _step(case, "acknowledge", N_("Acknowledge: begin the dialogue"), back=back)


def record_meeting(case: str) -> Form:
    return _step(
        case,
        "meeting",
        N_("Record the meeting"),
        (
            Field("note", N_("What was discussed and agreed"), "textarea", required=True),
            Field("held_on", N_("Held on"), "date", hint=N_("leave empty if it was held today")),
        ),
    )


def extend(case: str) -> Form:
    return _step(
        case,
        "extension",
        N_("Extend the dialogue"),
        (Field("reason", N_("Why the dialogue needs more time"), "textarea", required=True),),
    )


def refer(case: str) -> Form:
    return _step(case, "referral", N_("End the dialogue: refer to the Steering Committee"))


def recommend(case: str) -> Form:
    return _step(
        case,
        "recommendation",
        N_("Record the recommendation"),
        (Field("recommendation", N_("The committee's recommendation"), "textarea", required=True),),
    )


def decide(case: str, early: bool) -> Form:
    hint = (
        N_("before the Steering Committee's recommendation only an early resolution (resolved)")
        if early
        else N_("inactive and expulsion are proposals: no member's status changes here")
    )
    return _step(
        case,
        "decision",
        N_("Record an early resolution") if early else N_("Record the decision"),
        (
            Field(
                "outcome",
                N_("Outcome"),
                "select",
                [(o.value, words(o)) for o in Outcome],
                required=True,
                hint=hint,
            ),
            Field("note", N_("Note (optional)"), "textarea"),
            Field(
                "follow_ups",
                N_("Follow-up dates (remedial plan only)"),
                hint=N_("YYYY-MM-DD, separated by commas"),
            ),
        ),
    )


def withdraw(case: str) -> Form:
    return _step(
        case,
        "withdrawal",
        N_("Withdraw the concern"),
        (Field("note", N_("Why it is withdrawn (optional)"), "textarea"),),
    )
