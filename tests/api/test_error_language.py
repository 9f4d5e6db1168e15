"""The `message` of an API error follows Accept-Language; the field names and the error code do
not change (issue 20). The handlers are the API's own (govsched.http.errors.install), on a small
app: what is under test is the answer's language, not any route."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from governance.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from governance.kernel.messages import say
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
        # refusals worded as the rules word them (governance's messages)
        if which == "conflict":
            raise Conflict(say("the item is already complete"), [Problem("key", say("empty"))])
        if which == "forbidden":
            raise Forbidden(
                "secretariat", say("editing the plenary agenda"), [Problem("by", say("empty"))]
            )
        if which == "invalid":
            raise InvalidInput(
                say("the person cannot be added"),
                [Problem("member", say("no member %(member)r", member="x"))],
            )
        if which == "missing":
            raise NotFound("person", "ana")
        # a refusal written outside governance, in English only
        raise Conflict("the outbox is busy", [Problem("key", "busy")])

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
    ("which", "status", "language", "words"),
    [
        ("conflict", 409, "fr", "l'élément est déjà achevé"),
        (
            "forbidden",
            403,
            "fr",
            "modifier l'ordre du jour de la plénière : le rôle 'Secrétariat' est nécessaire",
        ),
        ("invalid", 422, "fr", "la personne ne peut pas être ajoutée"),
        ("missing", 404, "fr", "personne 'ana' : introuvable"),
        ("conflict", 409, "es", "el elemento ya está completo"),
        ("missing", 404, "zh-Hans", "人员 'ana' 不存在"),
    ],
)
def test_each_refusal_of_the_rules_reads_in_the_reader_language(
    client: TestClient, which: str, status: int, language: str, words: str
) -> None:
    """The rules' own sentence, translated, not only what the error code means."""
    answer = _post(client, f"/refused/{which}", language)
    english = _post(client, f"/refused/{which}", None)
    assert answer.status_code == status
    assert answer.headers["Content-Language"] == language
    assert answer.json()["message"] == words
    # the problems name the same fields with the same reasons as written, for clients
    assert answer.json()["problems"] == english.json()["problems"]


def test_a_refusal_written_only_in_english_reads_as_what_its_code_means(
    client: TestClient,
) -> None:
    answer = _post(client, "/refused/unworded", "fr")
    assert answer.status_code == 409
    assert answer.json()["message"].startswith("La demande est en conflit")


def test_a_language_we_do_not_write_falls_back_to_english(client: TestClient) -> None:
    answer = _post(client, "/refused/conflict", "de-DE, zh-TW;q=0.8")
    assert answer.headers["Content-Language"] == "en"
    assert answer.json()["message"] == "the item is already complete"
