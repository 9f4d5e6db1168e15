"""The forms of the plenary page: keeping the agenda and recording the plenary's decisions."""

from __future__ import annotations

from govsched.http.web.forms import Field, Form


def _base(plenary_id: str) -> str:
    return f"/web/plenaries/{plenary_id}/agenda"


def add_item(plenary_id: str, back: str) -> Form:
    return Form(
        f"agenda-add-{plenary_id}",
        f"{_base(plenary_id)}/items",
        "Add to the agenda",
        (Field("title", "Title of the new item", required=True),),
        back,
    )


def attach_document(plenary_id: str, item: int, back: str) -> Form:
    return Form(
        f"agenda-document-{item}",
        f"{_base(plenary_id)}/items/{item}/documents",
        "Attach the document",
        (
            Field("title", "Document title", required=True),
            Field("url", "Link to the document", "url", required=True, hint="https://..."),
        ),
        back,
    )


def publish(plenary_id: str, number: int, back: str) -> Form:
    return Form(
        f"agenda-publish-{plenary_id}",
        f"{_base(plenary_id)}/publish",
        f"Publish version {number} to all members",
        back=back,
    )


def record_decision(plenary_id: str, item: int, back: str) -> Form:
    return Form(
        f"agenda-decision-{item}",
        f"{_base(plenary_id)}/items/{item}/decision",
        "Record the decision",
        (Field("text", "The plenary's decision", "textarea", required=True),),
        back,
    )
