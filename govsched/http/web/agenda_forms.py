"""The forms of the plenary page: keeping the agenda and recording the plenary's decisions."""

from __future__ import annotations

from govsched.http.web.forms import Field, Form
from govsched.i18n.current import gettext as _
from govsched.i18n.marking import N_


def _base(plenary_id: str) -> str:
    return f"/web/plenaries/{plenary_id}/agenda"


def add_item(plenary_id: str, back: str) -> Form:
    return Form(
        f"agenda-add-{plenary_id}",
        f"{_base(plenary_id)}/items",
        N_("Add to the agenda"),
        (Field("title", N_("Title of the new item"), required=True),),
        back,
    )


def attach_document(plenary_id: str, item: int, back: str) -> Form:
    return Form(
        f"agenda-document-{item}",
        f"{_base(plenary_id)}/items/{item}/documents",
        N_("Attach the document"),
        (
            Field("title", N_("Document title"), required=True),
            Field("url", N_("Link to the document"), "url", required=True, hint=N_("https://...")),
        ),
        back,
    )


def publish(plenary_id: str, number: int, back: str) -> Form:
    return Form(
        f"agenda-publish-{plenary_id}",
        f"{_base(plenary_id)}/publish",
        _("Publish version %(number)s to all members") % {"number": number},
        back=back,
    )


def record_decision(plenary_id: str, item: int, back: str) -> Form:
    return Form(
        f"agenda-decision-{item}",
        f"{_base(plenary_id)}/items/{item}/decision",
        N_("Record the decision"),
        (Field("text", N_("The plenary's decision"), "textarea", required=True),),
        back,
    )
