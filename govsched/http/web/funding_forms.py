"""The forms of a funding request's steps, drawn the same on the plan's page (a request chosen
from those waiting) and in My work (one form per request, the request fixed).

Field names are the plan requests' (`governance/groups/plan_requests.py`), so the rules'
refusals come back beside the field they are about."""

from __future__ import annotations

from collections.abc import Sequence

from governance.rulebook.model import Recommendation
from govsched.http.web.forms import Field, Form
from govsched.http.web.labels import words
from govsched.i18n.marking import N_


def chosen(requests: Sequence[tuple[str, str]]) -> Field:
    """The request as a choice among those waiting for the step."""
    return Field("request", N_("Request"), "select", requests, required=True)


def fixed(request_id: str) -> Field:
    """The request as a form for it alone carries it."""
    return Field("request", N_("Request"), "hidden", value=request_id)


def _action(group_id: str, year: int, step: str) -> str:
    return f"/web/groups/{group_id}/plans/{year}/funding/{step}"


def check(form_id: str, group_id: str, year: int, request: Field, back: str) -> Form:
    fields = (
        request,
        Field("complete", N_("Complete: send it to the Steering Committee"), "checkbox"),
        Field("missing", N_("Otherwise, what is missing"), "textarea"),
    )
    return Form(form_id, _action(group_id, year, "check"), N_("Record the check"), fields, back)


def complete(form_id: str, group_id: str, year: int, request: Field, back: str) -> Form:
    # what the API's completion takes: a new amount (with its currency), a new purpose, or
    # both; a field left empty keeps what the request says
    keep = N_("Leave empty to keep what the request says")
    fields = (
        request,
        Field("amount", N_("New amount"), hint=N_("like 1250.50; leave empty to keep it")),
        Field("currency", N_("Currency of the new amount"), hint=N_("like USD")),
        Field("purpose", N_("What the funds are for"), "textarea", hint=keep),
    )
    action = _action(group_id, year, "completion")
    return Form(form_id, action, N_("Send it again"), fields, back)


def recommend(form_id: str, group_id: str, year: int, request: Field, back: str) -> Form:
    said = [(r.value, words(r)) for r in Recommendation]
    fields = (
        request,
        Field("recommendation", N_("Recommendation"), "select", said, required=True),
        Field("comment", N_("Comment"), "textarea"),
    )
    action = _action(group_id, year, "recommendations")
    return Form(form_id, action, N_("Recommend"), fields, back)


def report_use(form_id: str, group_id: str, year: int, request: Field, back: str) -> Form:
    fields = (
        request,
        Field("spent", N_("Amount spent"), required=True, hint=N_("like 1250.50")),
        Field(
            "currency",
            N_("Currency"),
            required=True,
            hint=N_("The currency the request was approved in"),
        ),
        Field("report", N_("How the funds were used"), "textarea", required=True),
    )
    action = _action(group_id, year, "use-report")
    return Form(form_id, action, N_("Send the report"), fields, back)
