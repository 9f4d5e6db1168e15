"""The plenary agenda over HTTP (issue 19): the Secretariat and the Chair keep it and publish
numbered versions; every signed-in person reads the versions with what each changed; a
decision is refused while the plenary does not sit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from governance.kernel.model import Plenary, PlenaryKind
from govsched.persistence.repos import plenary_agenda as agenda_repo
from govsched.persistence.repos import registry as registry_repo
from tests.api.conftest import CHAIR, FOCAL_POINT, SECRETARIAT, Api

PID = "plenary-agenda-api"


def _fields(body: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in body["problems"]]


def _plenary(api: Api) -> None:
    """A plenary years ahead, so it never sits while the suite runs."""
    starts = datetime.now(UTC).date() + timedelta(days=1200)
    with api.db.writing() as session:
        registry_repo.save_plenary(
            session,
            Plenary(
                id=PID,
                year=starts.year,
                kind=PlenaryKind.EXTRAORDINARY,
                starts=starts,
                ends=starts + timedelta(days=2),
                location="Accra",
            ),
        )


async def test_the_agenda_is_kept_published_and_read_with_its_changes(api: Api) -> None:
    _plenary(api)
    base = f"/plenaries/{PID}/agenda"
    async with (
        api.client(SECRETARIAT) as secretariat,
        api.client(CHAIR) as chair,
        api.client(FOCAL_POINT) as member,
    ):
        empty = await secretariat.post(f"{base}/items", json={"title": ""})
        assert empty.status_code == 422
        assert _fields(empty.json()) == ["body.title"]
        blank = await secretariat.post(f"{base}/items", json={"title": "   "})
        assert (blank.status_code, _fields(blank.json())) == (422, ["body.title"])
        assert (await secretariat.post(f"{base}/publish")).status_code == 409

        first = (await secretariat.post(f"{base}/items", json={"title": "Opening"})).json()
        second = (await secretariat.post(f"{base}/items", json={"title": "Budget"})).json()
        bad_link = await secretariat.post(
            f"{base}/items/{second['id']}/documents", json={"title": "Budget", "url": "budget"}
        )
        assert bad_link.status_code == 422
        assert _fields(bad_link.json()) == ["body.url"]
        link = {"title": "Budget 2028", "url": "https://example.org/budget.pdf"}
        attached = await secretariat.post(f"{base}/items/{second['id']}/documents", json=link)
        assert attached.json()["documents"] == [link]
        reordered = await chair.post(f"{base}/items/{second['id']}/move", json={"direction": "up"})
        assert [i["title"] for i in reordered.json()] == ["Budget", "Opening"]

        assert (await member.post(f"{base}/items", json={"title": "Mine"})).status_code == 403
        assert (await member.get(f"{base}/items")).status_code == 403
        assert (await member.delete(f"{base}/items/{first['id']}")).status_code == 403

        published = await secretariat.post(f"{base}/publish")
        assert published.status_code == 201, published.text
        assert published.json()["version"]["number"] == 1
        again = await secretariat.post(f"{base}/publish")
        assert again.status_code == 409
        assert "nothing changed since version 1" in again.json()["message"]

        assert (await chair.delete(f"{base}/items/{first['id']}")).status_code == 204
        await chair.post(f"{base}/items", json={"title": "Handover"})
        assert (await chair.post(f"{base}/publish")).status_code == 201

        versions = (await member.get(f"{base}/versions")).json()
        assert [v["version"]["number"] for v in versions] == [1, 2]
        assert [i["title"] for i in versions[0]["version"]["items"]] == ["Budget", "Opening"]
        assert [c["text"] for c in versions[1]["changes"]] == [
            "Added item 2: Handover",
            "Removed item 2: Opening",
        ]
        # each change in the reader's language (issue 20); the kinds stay as they are
        chinese = await member.get(f"{base}/versions", headers={"Accept-Language": "zh-CN"})
        assert [(c["kind"], c["text"]) for c in chinese.json()[1]["changes"]] == [
            ("added", "新增第 2 项：Handover"),  # noqa: RUF001
            ("removed", "移除第 2 项：Opening"),  # noqa: RUF001
        ]

        decision = await secretariat.post(
            f"{base}/items/{second['id']}/decision", json={"text": "Adopted."}
        )
        assert decision.status_code == 409
        assert "in session" in decision.json()["message"]
        huge = await secretariat.post(f"{base}/items/{'9' * 40}/move", json={"direction": "up"})
        assert huge.status_code == 404
    with api.db.reading() as session:
        kept = agenda_repo.items(session, PID)
    assert all(i.decision is None for i in kept)
