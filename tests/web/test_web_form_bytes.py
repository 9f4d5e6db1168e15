"""A form field whose bytes are not UTF-8 is refused beside the field, and nothing is stored
(README, HTTP API), on every form: the server's form parser would otherwise read the bytes as
U+FFFD (URL-encoded) or Latin-1 (multipart) and the text would be stored as read."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest_asyncio

from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import concerns as concern_repo
from tests.api.app_helpers import issue_tokens
from tests.api.conftest import Api
from tests.web.conftest import FOCAL_POINT, Site
from tests.web.html_checks import error_for, field_value, sign_in_async, text
from tests.web.test_web_actions import _form_data
from tests.web.test_web_intake import GOOD

NOT_UTF8 = "is not valid UTF-8 text"
URLENCODED = {"Content-Type": "application/x-www-form-urlencoded"}
FILER = "fp-ngo-centre-for-security-and-rights"
CONCERN = {"about": "co-basalt-mining"}


def _body(data: dict[str, str], **raw: str) -> str:
    """The form URL-encoded as a browser sends it, with fields already percent-encoded as given."""
    return "&".join([urlencode(data), *(f"{name}={value}" for name, value in raw.items())])


def _multipart(data: dict[str, str], name: str, raw: bytes) -> tuple[bytes, str]:
    parts = [(key, value.encode()) for key, value in data.items()] + [(name, raw)]
    body = b"".join(
        b'--XX\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (key.encode(), value)
        for key, value in parts
    )
    return body + b"--XX--\r\n", "multipart/form-data; boundary=XX"


def _applications(site: Site) -> int:
    with site.db.reading() as session:
        return len(application_repo.records(session, None, None, None))


def _cases(db: Database) -> int:
    with db.reading() as session:
        return len(concern_repo.records(session))


def test_the_public_form_refuses_an_organisation_that_is_not_utf8(site: Site) -> None:
    client = site.client()
    data = _form_data(client.get("/apply").text, "apply", **GOOD)
    action = data.pop("_action")
    del data["organisation"]
    before = _applications(site)
    refused = client.post(
        action, content=_body(data, organisation="%ff%feAcme"), headers=URLENCODED
    )
    assert refused.status_code == 422, text(refused.text)[:500]
    assert error_for(refused.text, "apply-organisation") == NOT_UTF8
    # what was typed is kept, and nothing is recorded
    assert field_value(refused.text, "apply-country") == GOOD["country"]
    assert "Nothing was recorded" in text(refused.text)
    assert _applications(site) == before


def test_a_signed_in_form_refuses_a_summary_that_is_not_utf8(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    data = _form_data(client.get("/web/concerns").text, "file-concern", **CONCERN)
    action = data.pop("_action")
    before = _cases(site.db)
    refused = client.post(action, content=_body(data, summary="%ff%feBroken"), headers=URLENCODED)
    assert refused.status_code == 422, text(refused.text)[:500]
    assert error_for(refused.text, "file-concern-summary") == NOT_UTF8
    # the same bytes in a multipart form, which the parser would read as Latin-1
    body, kind = _multipart(data, "summary", b"\xff\xfeBroken")
    multipart = client.post(action, content=body, headers={"Content-Type": kind})
    assert multipart.status_code == 422, text(multipart.text)[:500]
    assert error_for(multipart.text, "file-concern-summary") == NOT_UTF8
    assert _cases(site.db) == before


def test_a_refusal_is_in_the_readers_language(site: Site) -> None:
    client = site.client()
    page = client.get("/apply", headers={"Accept-Language": "fr"})
    data = _form_data(page.text, "apply", **GOOD)
    action = data.pop("_action")
    del data["statement"]
    body = _body(data, statement="caf%E9")  # Latin-1, as an old browser might send it
    refused = client.post(action, content=body, headers={**URLENCODED, "Accept-Language": "fr"})
    assert refused.status_code == 422
    assert error_for(refused.text, "apply-statement") == "n'est pas un texte UTF-8 valide"


def test_a_stray_field_that_is_not_utf8_is_refused_at_the_top_of_the_form(site: Site) -> None:
    """A field the form does not show is refused too: nothing of the request is taken."""
    client = site.client(FOCAL_POINT)
    data = _form_data(client.get("/web/concerns").text, "file-concern", **CONCERN)
    action = data.pop("_action")
    data["summary"] = "Fine text."
    refused = client.post(action, content=_body(data, extra="%C0%AF"), headers=URLENCODED)
    assert refused.status_code == 422
    assert NOT_UTF8 in text(refused.text)


def test_a_security_token_beyond_ascii_is_a_stale_form_not_a_failure(site: Site) -> None:
    """The tokens are compared in constant time, which takes ASCII only."""
    signed_in = site.client(FOCAL_POINT)
    refused = signed_in.post("/web/sign-out", content="csrf_token=%C3%A9", headers=URLENCODED)
    assert refused.status_code == 403
    public = site.client()
    data = _form_data(public.get("/apply").text, "apply", **GOOD)
    data["csrf_token"] = "é"
    assert public.post(data.pop("_action"), data=data).status_code == 403


@pytest_asyncio.fixture(scope="module")
async def filer(api: Api) -> str:
    return issue_tokens(api, [FILER])[FILER]


async def test_through_the_worker_bytes_are_refused_and_text_beyond_ascii_is_kept(
    api: Api, filer: str
) -> None:
    """Where the worker would file the case, the bytes file nothing; text is kept as typed."""
    summary = "Café owners in 中文 villages were threatened 🚧 at the Basalt site."
    async with httpx.AsyncClient(base_url=api.base_url, timeout=60) as client:
        await sign_in_async(client, filer)
        data = _form_data((await client.get("/web/concerns")).text, "file-concern", **CONCERN)
        action = data.pop("_action")
        before = _cases(api.db)
        refused = await client.post(
            action, content=_body(data, summary="%ff%feBroken"), headers=URLENCODED
        )
        assert refused.status_code == 422, text(refused.text)[:500]
        assert _cases(api.db) == before
        # percent-encoded UTF-8, as every browser sends it
        sent = await client.post(
            action, content=urlencode({**data, "summary": summary}), headers=URLENCODED
        )
    assert sent.status_code == 303, text(sent.text)[:500]
    case = sent.headers["location"].split("?")[0].rsplit("/", 1)[1]
    with api.db.reading() as session:
        record = concern_repo.get(session, case)
    assert record is not None
    assert record.summary == summary
