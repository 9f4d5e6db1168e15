"""The `message` of an API error follows Accept-Language; the field names and the error code do
not change (issue 20). The handlers are the API's own (govsched.http.errors.install), on a small
app: what is under test is the answer's language, not any route."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from governance.kernel.errors import Conflict, Forbidden, InvalidInput, Problem
from govsched.http.errors import install


class Body(BaseModel):
    count: int


def _app() -> FastAPI:
    app = FastAPI()
    install(app)

    @app.post("/things")
    def things(body: Body) -> dict[str, int]:
        return {"count": body.count}

    @app.post("/refused/{which}")
    def refused(which: str) -> dict[str, str]:
        if which == "conflict":
            raise Conflict("the item is already complete", [Problem("key", "completed")])
        if which == "forbidden":
            raise Forbidden("secretariat", "closing the cycle", [Problem("by", "only them")])
        raise InvalidInput("the person cannot be added", [Problem("member", "no member 'x'")])

    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(_app(), raise_server_exceptions=False)


def _post(client: TestClient, path: str, language: str | None, body: Any = None) -> Any:
    headers = {"Accept-Language": language} if language else {}
    return client.post(path, json=body if body is not None else {}, headers=headers)


@pytest.mark.parametrize(
    ("language", "served", "words"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.5", "fr", "La demande n'est pas valide"),
        ("es-419", "es", "La solicitud no es válida"),
        ("zh-CN,zh;q=0.9", "zh-Hans", "请求无效"),
    ],
)
def test_a_validation_error_speaks_the_reader_language_and_keeps_its_fields(
    client: TestClient, language: str, served: str, words: str
) -> None:
    answer = _post(client, "/things", language, {"count": "many"})
    english = _post(client, "/things", None, {"count": "many"})

    assert answer.status_code == english.status_code == 422
    assert answer.headers["Content-Language"] == served
    body, plain = answer.json(), english.json()
    assert body["message"].startswith(words)
    assert body["error"] == plain["error"] == "invalid"
    assert [p["field"] for p in body["problems"]] == [p["field"] for p in plain["problems"]]


def test_without_accept_language_the_message_is_the_rules_own_english(
    client: TestClient,
) -> None:
    answer = _post(client, "/refused/conflict", None)
    assert answer.status_code == 409
    assert answer.headers["Content-Language"] == "en"
    assert answer.json()["message"] == "the item is already complete"


@pytest.mark.parametrize(
    ("which", "status", "words"),
    [
        ("conflict", 409, "La demande est en conflit"),
        ("forbidden", 403, "Votre rôle ne le permet pas"),
        ("invalid", 422, "La demande n'est pas valide"),
    ],
)
def test_each_refusal_of_the_rules_reads_in_french(
    client: TestClient, which: str, status: int, words: str
) -> None:
    answer = _post(client, f"/refused/{which}", "fr")
    assert answer.status_code == status
    assert answer.json()["message"].startswith(words)
    assert answer.json()["problems"]


def test_a_language_we_do_not_write_falls_back_to_english(client: TestClient) -> None:
    answer = _post(client, "/refused/conflict", "de-DE, zh-TW;q=0.8")
    assert answer.headers["Content-Language"] == "en"
    assert answer.json()["message"] == "the item is already complete"
