"""People opt out of kinds of direct message over HTTP and from the command line."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from governance.kernel.languages import Language
from govsched.cli.main import run as cli_run
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import notification_preferences as preference_repo
from govsched.persistence.repos import registry as registry_repo
from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api, seeded_database, serving


@pytest_asyncio.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    url, db = seeded_database(tmp_path)
    with db.writing() as session:
        people = (SECRETARIAT, FOCAL_POINT, CHAIR)
        tokens = {p: token_repo.issue(session, p, datetime.now(UTC), "test") for p in people}
    # Preferences never reach Temporal: no client is connected.
    app = create_app(Settings(database_url=url), db=db, run_scheduler=False)
    async with serving(app) as base_url:
        yield Api(base_url, db, tokens, None)  # type: ignore[arg-type]
    db.dispose()


def _path(person: str) -> str:
    return f"/people/{person}/notification-preferences"


async def test_a_person_opts_out_of_kinds_and_reads_them_back(api: Api) -> None:
    async with api.client(FOCAL_POINT) as http:
        empty = await http.get(_path(FOCAL_POINT))
        put = await http.put(_path(FOCAL_POINT), json={"opt_out": ["overdue", "digest"]})
        read = await http.get(_path(FOCAL_POINT))

    assert empty.json() == {
        "opt_out": [],
        "channels": "default",
        "email": "immediate",
        "language": "default",
    }
    assert put.status_code == 200
    assert read.json() == {
        "opt_out": ["digest", "overdue"],
        "channels": "default",
        "email": "immediate",
        "language": "default",
    }
    with api.db.reading() as session:
        assert {k.value for k in preference_repo.opted_out(session, FOCAL_POINT)} == {
            "digest",
            "overdue",
        }
        entries = audit_repo.entries(session, item_kind="person", item_id=FOCAL_POINT)
    [entry] = [e for e in entries if e.action == "notification.preferences_changed"]
    assert entry.actor == FOCAL_POINT
    assert entry.data == {"opt_out": ["digest", "overdue"]}


async def test_only_the_person_or_the_secretariat_may_change_them(api: Api) -> None:
    async with api.client(CHAIR) as chair, api.client(SECRETARIAT) as secretariat:
        refused = await chair.put(_path(FOCAL_POINT), json={"opt_out": ["overdue"]})
        allowed = await secretariat.put(_path(FOCAL_POINT), json={"opt_out": ["overdue"]})
    assert refused.status_code == 403
    assert refused.json()["missing_role"] == "secretariat"
    assert allowed.json()["opt_out"] == ["overdue"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"opt_out": ["gossip"]}, "body.opt_out.0"), ({}, "body.opt_out")],
)
async def test_unknown_kinds_are_refused_naming_the_field(
    api: Api, body: dict[str, object], field: str
) -> None:
    async with api.client(FOCAL_POINT) as http:
        response = await http.put(_path(FOCAL_POINT), json=body)
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == [field]


async def test_requests_to_act_cannot_be_stopped(api: Api) -> None:
    async with api.client(FOCAL_POINT) as http:
        response = await http.put(_path(FOCAL_POINT), json={"opt_out": ["overdue", "request"]})
        kept = await http.get(_path(FOCAL_POINT))
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["body.opt_out"]
    assert "request" not in kept.json()["opt_out"]


async def test_an_unknown_person_is_404_and_no_token_is_401(api: Api) -> None:
    async with api.client(SECRETARIAT) as http:
        missing = await http.get(_path("nobody"))
    async with api.client() as anonymous:
        unauthenticated = await anonymous.get(_path(FOCAL_POINT))
    assert missing.status_code == 404
    assert unauthenticated.status_code == 401


def test_the_cli_opts_out_and_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, db = seeded_database(tmp_path)
    db.dispose()
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", url)

    assert cli_run(["notifications", "opt-out", FOCAL_POINT, "overdue", "digest"]) == 0
    assert cli_run(["notifications", "opt-in", FOCAL_POINT, "digest"]) == 0
    assert cli_run(["notifications", "show", FOCAL_POINT]) == 0
    assert cli_run(["notifications", "show", "nobody"]) == 2

    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == f"{FOCAL_POINT} opts out of: overdue"
    assert "person 'nobody' does not exist" in err
    database = Database.from_url(url)
    with database.reading() as session:
        assert {k.value for k in preference_repo.opted_out(session, FOCAL_POINT)} == {"overdue"}
    database.dispose()


async def test_a_person_chooses_channels_and_cadence_and_absent_fields_stay(api: Api) -> None:
    async with api.client(FOCAL_POINT) as http:
        chosen = await http.put(
            _path(FOCAL_POINT), json={"opt_out": [], "channels": "email", "email": "daily"}
        )
        kept = await http.put(_path(FOCAL_POINT), json={"opt_out": ["roster"]})
        back = await http.put(_path(FOCAL_POINT), json={"opt_out": [], "channels": "default"})
        wrong = await http.put(_path(FOCAL_POINT), json={"opt_out": [], "channels": "pigeon"})
        after = await http.get(_path(FOCAL_POINT))

    assert chosen.json() == {
        "opt_out": [],
        "channels": "email",
        "email": "daily",
        "language": "default",
    }
    assert kept.json() == {
        "opt_out": ["roster"],
        "channels": "email",
        "email": "daily",
        "language": "default",
    }
    assert back.json() == {
        "opt_out": [],
        "channels": "default",
        "email": "daily",
        "language": "default",
    }
    assert wrong.status_code == 422
    assert [p["field"] for p in wrong.json()["problems"]] == ["body.channels"]
    assert after.json() == back.json()  # the refused request changed nothing
    with api.db.reading() as session:
        actions = [e.action for e in audit_repo.entries(session, "person", FOCAL_POINT)]
    assert actions.count("notification.channels_changed") == 2


def test_the_cli_sets_channels_and_shows_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, db = seeded_database(tmp_path)
    db.dispose()
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", url)

    assert cli_run(["notifications", "channels", FOCAL_POINT, "both", "--email", "daily"]) == 0
    assert cli_run(["notifications", "show", FOCAL_POINT]) == 0
    assert cli_run(["notifications", "channels", "nobody", "email"]) == 2

    out, err = capsys.readouterr()
    assert out.splitlines()[-2] == f"{FOCAL_POINT} is told on: both; emails: daily"
    assert "person 'nobody' does not exist" in err


async def test_a_person_chooses_their_language_and_the_secretariat_may_set_anyones(
    api: Api,
) -> None:
    """Issue 20: the language is one more preference; `default` is the initiative's."""
    async with api.client(FOCAL_POINT) as http:
        chosen = await http.put(_path(FOCAL_POINT), json={"opt_out": [], "language": "fr"})
        kept = await http.put(_path(FOCAL_POINT), json={"opt_out": ["roster"]})
        wrong = await http.put(_path(FOCAL_POINT), json={"opt_out": [], "language": "zh-Hant"})
        someone_else = await http.put(_path(CHAIR), json={"opt_out": [], "language": "es"})
    async with api.client(SECRETARIAT) as http:
        for_them = await http.put(_path(CHAIR), json={"opt_out": [], "language": "zh-Hans"})
        back = await http.put(_path(FOCAL_POINT), json={"opt_out": [], "language": "default"})

    assert chosen.json()["language"] == "fr"
    assert kept.json()["language"] == "fr"  # left out: left as it is
    assert wrong.status_code == 422
    assert "language" in str(wrong.json())
    assert someone_else.status_code == 403
    assert for_them.json()["language"] == "zh-Hans"
    assert back.json()["language"] == "default"
    with api.db.reading() as session:
        focal = registry_repo.get_person(session, FOCAL_POINT)
        chair = registry_repo.get_person(session, CHAIR)
        entries = audit_repo.entries(session, item_kind="person", item_id=CHAIR)
    assert focal is not None
    assert focal.language is None
    assert chair is not None
    assert chair.language is Language.ZH
    [entry] = [e for e in entries if e.action == "person.language_changed"]
    assert (entry.actor, entry.data) == (SECRETARIAT, {"language": "zh-Hans"})
