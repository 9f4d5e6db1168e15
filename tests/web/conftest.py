"""The web workspace on a seeded demo registry, read without Temporal (pages only read)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo

# `api`: the API served over HTTP with the real worker (tests/api); web actions run against it.
from tests.api.conftest import api, seeded_database  # noqa: F401

# `roster`: a roster drawn today by the real worker on a dev server of its own (tests/api).
from tests.api.roster_fixture import roster  # noqa: F401
from tests.web.browser_stack import Stack as BrowserStack
from tests.web.browser_stack import running_stack
from tests.web.html_checks import sign_in

SECRETARIAT = "sec-amina-okafor"
CHAIR = "fp-gov-norland"  # also a focal point and on the Steering Committee, as in the demo
STEERING_COMMITTEE = "fp-gov-estavia"
FOCAL_POINT = "fp-gov-lusmark"  # a Full member's focal point, on no committee
ROLES = {
    "secretariat": SECRETARIAT,
    "chair": CHAIR,
    "steering_committee": STEERING_COMMITTEE,
    "focal_point": FOCAL_POINT,
}


@dataclass
class Site:
    app: FastAPI
    db: Database
    tokens: dict[str, str]

    def client(self, person: str | None = None) -> TestClient:
        client = TestClient(self.app)
        if person is not None:
            response = sign_in(client, self.tokens[person])
            assert response.status_code == 303, response.text
        return client


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url, db = seeded_database(tmp_path_factory.mktemp("web"))
    with db.writing() as session:
        now = datetime.now(UTC)
        tokens = {p: token_repo.issue(session, p, now, "web test") for p in ROLES.values()}
    app = create_app(Settings(database_url=url, id_secret="web tests"), db=db, run_scheduler=False)
    yield Site(app, db, tokens)
    db.dispose()


@pytest.fixture(scope="session")
def browser_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserStack]:
    """The embedded stack as `make run` starts it, one per test process: the browser test files
    share it (through `stack` in test_browser.py) instead of starting one each."""
    with running_stack(tmp_path_factory.mktemp("browser") / "var") as stack:
        yield stack
