"""Every route x every identity: who is let through, who gets a 403, and a 401 for every request
without a valid token (none, unknown, revoked, malformed). The expected cells are in
`tests/api/authorization_table.py`; a route missing from it fails the test.

Then every route that carries the id of a confidential item, in the API and in the web
workspace (read from the app's own routes, so a new one fails until it is classified): for each
identity that may not see the item (as the item's own read says), every verb answers exactly as
it answers an id nobody used, apart from the id echoed; and a create never tells whether the id
it was given is taken."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select

from governance.applications.model import ApplicationState
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.tables import CalendarEventRow
from govsched.services.applications import ApplicationService
from tests.api.app_helpers import STEERING_COMMITTEE
from tests.api.authorization_table import (
    CALLS,
    CONFIDENTIAL_IDS,
    IDENTITIES,
    MATRIX_FUNDING,
    MATRIX_GROUP,
    MATRIX_PLAN_YEAR,
    MATRIX_SERIES,
    PUBLIC,
    PUBLIC_IDS,
    WEB_CALLS,
    Call,
    WebCall,
)
from tests.api.conftest import Api, serving_api
from tests.conftest import start_environment
from tests.web.html_checks import csrf, sign_in_async

KEYS = itertools.count()
PLACEHOLDER = re.compile(r"\{[^}]+\}")
ORDER = (
    "engaged_focal_point",
    "observer_focal_point",
    "focal_point",
    "steering_committee",
    "chair",
    "secretariat",
)
# Routes about one person: called with someone else's id, only the Secretariat gets through.
OWN_ONLY = {
    ("GET", "/people/{}/notification-preferences"),
    ("PUT", "/people/{}/notification-preferences"),
}


def _shape(method: str, path: str) -> tuple[str, str]:
    return method.upper(), PLACEHOLDER.sub("{}", path)


@dataclass
class Matrix:
    api: Api
    tokens: dict[str, str]
    revoked: str
    values: dict[str, str]

    def path(self, call: Call, person: str) -> str:
        values = {**self.values, "person_id": person}
        return PLACEHOLDER.sub(lambda m: values[m.group(0)[1:-1]], call.path)

    async def send(
        self, call: Call, headers: dict[str, str], person: str = "sec-amina-okafor"
    ) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.api.base_url, timeout=60) as client:
            return await client.request(
                call.method,
                self.path(call, person),
                json=call.body,
                params=call.params,
                headers={**headers, "Idempotency-Key": f"matrix-{next(KEYS)}"},
            )

    def bearer(self, identity: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[identity]}"}


@pytest_asyncio.fixture(scope="module")
async def api(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Api]:
    """The API with a dev server of its own. The matrix starts the demo's Engaged periods, which
    are workflows named by member: on the process's shared server a file that ran before it
    (and started them for its own database, its worker since stopped) left them there, and the
    requests that wait on them waited out the test's timeout (the PostgreSQL lane, 6 December)."""
    env = await start_environment("local")
    try:
        async with serving_api(env, tmp_path_factory.mktemp("matrix")) as served:
            yield served
    finally:
        await env.shutdown()


@pytest_asyncio.fixture(scope="module")
async def matrix(api: Api) -> AsyncIterator[Matrix]:
    now = datetime.now(UTC)
    with api.db.writing() as session:
        tokens = {k: token_repo.issue(session, p, now, "matrix") for k, p in IDENTITIES.items()}
        revoked = token_repo.issue(session, "fp-gov-estavia", now, "matrix")
        token_repo.revoke_all(session, "fp-gov-estavia", now)
    headers = {"Authorization": f"Bearer {tokens['secretariat']}"}
    async with httpx.AsyncClient(base_url=api.base_url, headers=headers, timeout=60) as client:
        applied = await client.post(
            "/applications",
            json={
                "organisation": "Quarry Partners",
                "pillar": "company",
                "country": "Norland",
                "contact_email": "apply@quarry.example",
                "statement": "We commit to implement the Voluntary Principles.",
            },
        )
    filer = {"Authorization": f"Bearer {tokens['focal_point']}"}
    async with httpx.AsyncClient(base_url=api.base_url, headers=filer, timeout=60) as client:
        filed = await client.post(
            "/concerns",
            json={"id": "c-setup", "about": "co-aurum-mining", "summary": "A concern."},
        )
    async with httpx.AsyncClient(base_url=api.base_url, headers=headers, timeout=60) as client:
        # a plenary no test will outlive: its roster is never drawn, its dates never pass
        scheduled = await client.post(
            "/plenaries",
            json={"year": 2101, "starts": "2101-05-17", "ends": "2101-05-20", "location": "Oslo"},
            headers={"Idempotency-Key": "matrix-plenary-2101"},
        )
        milestones = await client.get("/plenaries/plenary-2101/milestones")
        group = await client.post("/groups", json=MATRIX_GROUP)
        series = await client.post("/groups/matrix-group/meetings", json=MATRIX_SERIES)
        plan = await client.post("/groups/matrix-group/plans", json={"year": MATRIX_PLAN_YEAR})
        handover = await client.get("/handovers/2101")
    assert scheduled.status_code == 201, scheduled.text
    assert applied.status_code == 201, applied.text
    assert filed.status_code == 201, filed.text
    assert milestones.status_code == 200, milestones.text
    assert group.status_code == 201, group.text
    assert series.status_code == 201, series.text
    assert plan.status_code == 201, plan.text
    coordinator = {"Authorization": f"Bearer {tokens['focal_point']}"}
    async with httpx.AsyncClient(base_url=api.base_url, headers=coordinator, timeout=60) as client:
        funding = await client.post("/groups/matrix-group/funding-requests", json=MATRIX_FUNDING)
    assert funding.status_code == 201, funding.text
    assert handover.status_code == 200, handover.text
    described = await api.temporal.get_workflow_handle(
        "registry-change-matrix-plenary-2101"
    ).describe()
    service = ApplicationService(api.temporal, api.db, Rulebook(), described.task_queue)
    await service.ensure_engaged_periods(now)
    values = {
        "application_id": applied.json()["id"],
        "case": filed.json()["id"],  # named by the server; "c-setup" is the filer's reference
        "member_id": "gov-lusmark",
        "engaged_member": "co-kestrel-resources",
        "plenary_id": "plenary-2101",
        "year": "2101",
        "milestone": milestones.json()[0]["key"],
        "handover_item": handover.json()["items"][0]["key"],
        "report_of": "co-aurum-mining",
        "presenter": "co-basalt-energy",
        "item_id": "no-such-item",
        "agenda_item": "999999",
        "group_id": "matrix-group",
        "meeting_id": "matrix-series",  # no such item: editors get past authorization to a 404
        "participant_id": "matrix-local",  # no such participant: the Secretariat gets a 409
        "coordinator_id": "fp-gov-westmarch",
        "plan_year": str(MATRIX_PLAN_YEAR),
        "deliverable_id": "matrix-d",
        "request_id": MATRIX_FUNDING["id"],
    }
    yield Matrix(api, tokens, revoked, values)


async def test_every_route_has_a_row_in_the_table(api: Api) -> None:
    async with api.client() as client:
        schema = (await client.get("/openapi.json")).json()
    routes = {
        _shape(method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if not path.startswith("/calendars/{")  # the feed token is its own credential
    }
    table = {_shape(c.method, c.path) for c in CALLS}
    assert routes - table == set(), "routes without a row in authorization_table.py"
    assert table - routes == set(), "rows for routes that no longer exist"


async def test_without_a_valid_token_every_route_but_the_public_ones_is_a_401(
    matrix: Matrix,
) -> None:
    variants = {
        "no token": {},
        "unknown token": {"Authorization": "Bearer not-a-token"},
        "revoked token": {"Authorization": f"Bearer {matrix.revoked}"},
        "malformed header": {"Authorization": "Token abc"},
        "bearer without a token": {"Authorization": "Bearer"},
    }
    wrong = []
    for call in CALLS:
        for name, headers in variants.items():
            response = await matrix.send(call, headers)
            if call.refused == PUBLIC:
                ok = response.status_code < 400
            else:
                ok = response.status_code == 401 and response.json()["error"] == "unauthenticated"
            if not ok:
                wrong.append(f"{call.method} {call.path} with {name}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


async def test_each_identity_is_let_through_or_refused_as_the_table_says(
    matrix: Matrix,
) -> None:
    wrong = []
    cells = 0
    for call in CALLS:
        if call.refused == PUBLIC:
            continue
        for identity in ORDER:
            person = IDENTITIES[identity]
            response = await matrix.send(call, matrix.bearer(identity), person)
            cells += 1
            status = response.status_code
            if identity in call.refused:
                ok = status == 403 and bool(response.json().get("missing_role"))
            elif identity in call.hidden:
                ok = status == 404
            else:
                ok = status not in (401, 403) and status < 500
            if not ok:
                wrong.append(f"{call.method} {call.path} as {identity}: {status} {response.text}")
    assert wrong == [], f"{len(wrong)} of {cells} cells differ:\n" + "\n".join(wrong)


async def test_another_persons_id_is_refused_unless_the_secretariat_asks(matrix: Matrix) -> None:
    wrong = []
    for call in CALLS:
        if _shape(call.method, call.path) not in OWN_ONLY:
            continue
        for identity in ORDER:
            other = "fp-gov-estavia"  # someone none of the identities is
            response = await matrix.send(call, matrix.bearer(identity), other)
            expected_refusal = identity != "secretariat"
            status = response.status_code
            ok = status == 403 if expected_refusal else status not in (401, 403) and status < 500
            if not ok:
                wrong.append(f"{call.method} {call.path} as {identity} for {other}: {status}")
    assert wrong == [], "\n".join(wrong)


# -- confidential items: the unknown-id answer, whatever the verb ---------------------------------


def _app_routes(api: Api) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, API and web, with ids in their paths."""
    settings = Settings(database_url="sqlite://", id_secret="routes only")
    app = create_app(settings, db=api.db, run_scheduler=False)
    found: set[tuple[str, str]] = set()
    pending = list(app.router.routes)
    while pending:
        route = pending.pop()
        # routers included into the app wrap the router they include
        inner = getattr(route, "original_router", None)
        if inner is not None:
            pending += inner.routes
            continue
        path = getattr(route, "path", "")
        for method in getattr(route, "methods", None) or ():
            if "{" in path and method != "HEAD":
                found.add(_shape(method, path))
    return found


def _confidential(path: str) -> str | None:
    """The placeholder of a table path that names a confidential item, if any."""
    named = [p for p in CONFIDENTIAL_IDS if "{" + p + "}" in path]
    assert len(named) <= 1, path
    return named[0] if named else None


async def test_every_route_with_an_id_is_classified(api: Api) -> None:
    confidential = {_shape(c.method, c.path) for c in CALLS if _confidential(c.path)}
    confidential |= {_shape(c.method, c.path) for c in WEB_CALLS}
    assert all(_confidential(c.path) for c in WEB_CALLS)
    public = set(PUBLIC_IDS)
    assert confidential & public == set()
    routes = _app_routes(api)
    assert routes - confidential - public == set(), "classify these in authorization_table.py"
    assert (confidential | public) - routes == set(), "rows for routes that no longer exist"


@dataclass
class Secrets:
    """Real confidential items in several states, and signed-in web clients."""

    items: dict[str, list[str]]
    web: dict[str, httpx.AsyncClient]


@pytest_asyncio.fixture(scope="module")
async def secrets(matrix: Matrix) -> AsyncIterator[Secrets]:
    api = matrix.api
    now = datetime.now(UTC)
    with api.db.writing() as session:
        committee = {p: token_repo.issue(session, p, now, "matrix") for p in STEERING_COMMITTEE}
    # an application in its no-objection period: voting members know of it, others do not
    proposed = "app-matrix-proposed"
    async with httpx.AsyncClient(
        base_url=api.base_url, headers=matrix.bearer("secretariat"), timeout=60
    ) as sec:
        body = {
            "id": proposed,
            "organisation": "Proposed Mining",
            "pillar": "company",
            "country": "Norland",
            "contact_email": "apply@proposed.example",
            "statement": "We commit to implement the Voluntary Principles.",
        }
        assert (await sec.post("/applications", json=body)).status_code == 201
        for step in ("mark-complete", "start-review"):
            assert (await sec.post(f"/applications/{proposed}/{step}")).status_code == 200
    for token in committee.values():
        async with httpx.AsyncClient(
            base_url=api.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as reviewer:
            answered = await reviewer.post(
                f"/applications/{proposed}/recommend", json={"recommendation": "support"}
            )
            assert answered.status_code in (200, 409), answered.text  # 409: closed already
    # a concern filed by the observer's focal point: only its parties know of it
    async with httpx.AsyncClient(
        base_url=api.base_url, headers=matrix.bearer("observer_focal_point"), timeout=60
    ) as observer:
        filed = await observer.post(
            "/concerns",
            json={"id": "c-port", "about": "co-basalt-energy", "summary": "Guards at the port."},
        )
    assert filed.status_code == 201, filed.text
    case = filed.json()["id"]
    with api.db.reading() as session:
        record = application_repo.get(session, proposed)
        concern_items = session.scalars(
            select(CalendarEventRow.uid).where(CalendarEventRow.uid.like(f"concern-{case}-%"))
        ).all()
    assert record is not None
    assert record.state is ApplicationState.NO_OBJECTION_PERIOD
    assert concern_items
    web = {}
    for identity in ORDER:
        client = httpx.AsyncClient(base_url=api.base_url, timeout=60)
        await sign_in_async(client, matrix.tokens[identity])
        web[identity] = client
    try:
        yield Secrets(
            items={
                "application_id": [matrix.values["application_id"], proposed],
                "case": [matrix.values["case"], case],
                "item_id": [f"{proposed}-no-objection", concern_items[0].split("@")[0]],
                "engaged_member": [matrix.values["engaged_member"]],
                "request_id": [matrix.values["request_id"]],
            },
            web=web,
        )
    finally:
        for client in web.values():
            await client.aclose()


def _with(path: str, placeholder: str, value: str) -> str:
    return path.replace("{" + placeholder + "}", value)


def _masked(response: httpx.Response, item_id: str) -> tuple[int, str]:
    return response.status_code, response.text.replace(item_id, "<id>")


async def _sees(matrix: Matrix, identity: str, placeholder: str, item_id: str) -> bool:
    """Whether the item's own read admits the identity knows of it: anything but its 404 (an
    Engaged member's period may still be starting: a 409 to those who may read it)."""
    read = Call("GET", _with(CONFIDENTIAL_IDS[placeholder].read, placeholder, item_id))
    return (await matrix.send(read, matrix.bearer(identity))).status_code != 404


async def _web_send(
    client: httpx.AsyncClient, call: WebCall, path: str, back: str
) -> httpx.Response:
    if call.method == "GET":
        return await client.get(path)
    token = csrf((await client.get("/web/my-work")).text)
    form = {"csrf_token": token, "back": back, "form_id": "matrix", **call.form}
    return await client.post(path, data=form)


async def test_whoever_may_not_see_an_item_gets_the_unknown_id_answer_from_every_verb(
    matrix: Matrix, secrets: Secrets
) -> None:
    wrong: list[str] = []
    compared = 0
    for placeholder, real_ids in secrets.items.items():
        unknown = CONFIDENTIAL_IDS[placeholder].unknown
        for real in real_ids:
            for identity in ORDER:
                if await _sees(matrix, identity, placeholder, real):
                    continue
                person = IDENTITIES[identity]
                for call in CALLS:
                    if _confidential(call.path) != placeholder:
                        continue
                    answers = []
                    for item_id in (real, unknown):
                        bound = Call(
                            call.method, _with(call.path, placeholder, item_id), body=call.body
                        )
                        response = await matrix.send(bound, matrix.bearer(identity), person)
                        answers.append(_masked(response, item_id))
                    compared += 1
                    if answers[0] != answers[1]:
                        wrong.append(f"{call.method} {call.path} as {identity}: {answers}")
                for web_call in WEB_CALLS:
                    if _confidential(web_call.path) != placeholder:
                        continue
                    answers = []
                    for item_id in (real, unknown):
                        path = _with(web_call.path, placeholder, item_id)
                        back = f"/web/applications/{item_id}"
                        response = await _web_send(secrets.web[identity], web_call, path, back)
                        answers.append(_masked(response, item_id))
                    compared += 1
                    if answers[0] != answers[1]:
                        wrong.append(f"{web_call.method} {web_call.path} as {identity}: {answers}")
    # the test has teeth: every kind of item is hidden from someone, on every verb
    assert compared >= len(CONFIDENTIAL_IDS) * 2
    assert wrong == [], f"{len(wrong)} of {compared} answers tell an item exists:\n" + "\n".join(
        wrong
    )


async def test_a_create_never_tells_whether_the_id_it_was_given_is_taken(
    matrix: Matrix, secrets: Secrets
) -> None:
    """A filer names a concern, the Secretariat an application: given the id of an item the
    caller may not see, the answer is the one a fresh id gets (the server names the case)."""
    wrong: list[str] = []
    instants = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?")
    for identity in ORDER:
        person = IDENTITIES[identity]
        for case in secrets.items["case"]:
            if await _sees(matrix, identity, "case", case):
                continue
            answers = []
            for given in (case, f"c-fresh-{next(KEYS)}"):
                body = {"id": given, "about": "co-helios-resources", "summary": "A concern."}
                response = await matrix.send(
                    Call("POST", "/concerns", body=body), matrix.bearer(identity), person
                )
                text = response.text.replace(given, "<given>")
                if response.status_code == 201:
                    text = text.replace(response.json()["id"], "<new>")
                answers.append((response.status_code, instants.sub("<at>", text)))
            if answers[0] != answers[1]:
                wrong.append(f"POST /concerns as {identity} naming {case}: {answers}")
        for application in secrets.items["application_id"]:
            if await _sees(matrix, identity, "application_id", application):
                continue
            answers = []
            for given in (application, f"app-fresh-{next(KEYS)}"):
                body = {
                    "id": given,
                    "organisation": "Prober Ltd",
                    "pillar": "company",
                    "country": "Norland",
                    "contact_email": "probe@prober.example",
                    "statement": "We probe.",
                }
                response = await matrix.send(
                    Call("POST", "/applications", body=body), matrix.bearer(identity), person
                )
                answers.append((response.status_code, response.text.replace(given, "<given>")))
            if answers[0] != answers[1]:
                wrong.append(f"POST /applications as {identity} naming {application}: {answers}")
    assert wrong == [], "\n".join(wrong)
