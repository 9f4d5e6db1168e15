"""A text a request must hold (a reason, an objection, a decision, a name: any string the API's
schema gives a minimum length) is refused when nothing in it shows, naming the field, in every
body of every route: spaces, line breaks, ideographic spaces, zero-width and other format
characters. The bodies are read from the app's own routes and the fields from its OpenAPI
schema, so a route or a field added later is covered too; a body's parts (a group's
participants) are requests as well, so each is named whatever else the request got wrong.

Found by a review: an objection, a deferral's reason, a status change's decision made of spaces
(or of zero-width spaces, which `str.strip` keeps) were taken and recorded.
"""

from __future__ import annotations

import typing
from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from governance.kernel.model import MemberStatus
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.http.bodies import DeferralBody, ObjectBody
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from tests.api.conftest import SECRETARIAT, Api
from tests.api.test_invalid_text import _resolve, _with

# Blank in every way a person or a client sends it; each field gets each.
BLANKS = ("   ", "\n\t ", "\u3000\u00a0", "\u200b", "\ufeff\u2060\u200d", " \u200b\u3164 ")
# A one-line field refuses a line break as such, and a link's pattern refuses any blank: the
# field is named all the same. Every other field says why.
LINE_BREAKS = "\n\t "
BLANK_WORDS = "Value error, must not be blank"

Path = tuple[str | int, ...]


def _app() -> Any:
    return create_app(Settings(database_url="sqlite://", id_secret="bodies"), run_scheduler=False)


def _bodies(app: Any) -> dict[tuple[str, str], type[BaseModel]]:
    """(method, path) of each API route that takes a JSON body, with the body's model."""
    found: dict[tuple[str, str], type[BaseModel]] = {}
    pending = list(app.router.routes)
    while pending:
        route = pending.pop()
        inner = getattr(route, "original_router", None)
        if inner is not None:
            pending += inner.routes
            continue
        if not isinstance(route, APIRoute) or route.body_field is None:
            continue
        # a body the route may go without is `Model | None`
        annotation = route.body_field.field_info.annotation
        for body in typing.get_args(annotation) or (annotation,):
            if isinstance(body, type) and issubclass(body, BaseModel):
                for method in route.methods or ():
                    found[(method.lower(), route.path)] = body
    return found


def required_texts(schema: dict[str, Any], document: dict[str, Any], path: Path = ()) -> set[Path]:
    """The path of every string in a body schema that must hold at least one character."""
    if len(path) > 8:
        return set()
    schema = _resolve(schema, document)
    found: set[Path] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            found |= required_texts(branch, document, path)
    text = schema.get("type") == "string" and "enum" not in schema and "const" not in schema
    if text and schema.get("minLength", 0) >= 1:
        found.add(path)
    for name, sub in schema.get("properties", {}).items():
        found |= required_texts(sub, document, (*path, name))
    if schema.get("type") == "array":
        found |= required_texts(schema.get("items", {}), document, (*path, 0))
    return found


def _fields() -> list[tuple[str, type[BaseModel], Path, bool]]:
    """(operation, body model, path, whether a pattern constrains it) of each required text."""
    app = _app()
    document = app.openapi()
    bodies = _bodies(app)
    found = []
    for address, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not content:
                continue
            model = bodies.get((method, address))
            if model is None:
                # a mapping of indicator values by key, which the year's indicator set checks
                assert address.endswith(("/indicators", "/indicators/draft")), address
                continue
            for path in sorted(required_texts(content["schema"], document), key=str):
                patterned = "pattern" in _schema_at(content["schema"], document, path)
                found.append((f"{method.upper()} {address}", model, path, patterned))
    return found


def _schema_at(schema: dict[str, Any], document: dict[str, Any], path: Path) -> dict[str, Any]:
    """The string schema at `path` (through optional branches)."""
    schema = _resolve(schema, document)
    for branch in schema.get("anyOf", []):
        if _resolve(branch, document).get("type") != "null":
            return _schema_at(branch, document, path)
    if not path:
        return schema
    head, rest = path[0], path[1:]
    inner = schema["items"] if isinstance(head, int) else schema["properties"][head]
    return _schema_at(inner, document, rest)


def test_a_blank_required_text_is_refused_naming_its_field_in_every_body() -> None:
    fields = _fields()
    # reasons, objections, questions, answers, decisions, summaries, names, titles, links...
    assert len(fields) >= 40
    assert any(path == ("reason",) for _, _, path, _ in fields)
    wrong = []
    for name, model, path, patterned in fields:
        for blank in BLANKS:
            # the field alone: each field is checked whatever else the body lacks
            try:
                model.model_validate(_with({}, path, blank))
            except ValidationError as refused:
                named = [e for e in refused.errors() if e["loc"] == path]
                refused_here = bool(named) and all(e["type"] != "missing" for e in named)
                said = patterned or blank == LINE_BREAKS or BLANK_WORDS in [e["msg"] for e in named]
                if refused_here and said:
                    continue
                wrong.append(f"{name} {path} {blank!r}: {refused.errors()}")
            else:
                wrong.append(f"{name} {path} {blank!r}: taken")
    assert wrong == [], "\n".join(wrong)


def test_text_that_shows_is_taken_as_written() -> None:
    assert ObjectBody(reason=" \u200bno objection is blank\n").reason.startswith(" \u200b")
    assert DeferralBody(member="gov-norland", reason="\u3000理由").reason == "\u3000理由"


async def test_the_api_answers_a_blank_reason_with_a_422_naming_it_and_records_nothing(
    api: Api,
) -> None:
    conflict = {
        "reviewer_member": "co-aurum-mining",
        "reported_member": "gov-norland",
        "reason": "\u200b\u200b",
    }
    status = {"status": "inactive", "decision": " \u3000 ", "reason": "the plenary decided"}
    async with api.client(SECRETARIAT) as client:
        declared = await client.post("/review-conflicts", json=conflict)
        changed = await client.post("/members/gov-norland/status", json=status)
    for answer, field in ((declared, "body.reason"), (changed, "body.decision")):
        assert answer.status_code == 422, answer.text
        assert answer.json()["problems"] == [{"field": field, "reason": "must not be blank"}]
    with api.db.reading() as session:
        member = registry_repo.get_member(session, "gov-norland")
        assert ("co-aurum-mining", "gov-norland") not in report_repo.conflicts(session)
    assert member is not None
    assert member.status is not MemberStatus.INACTIVE
