"""Requests generated from the OpenAPI schema by Schemathesis, valid and invalid, signed in as the
Secretariat (who may call every route), as a member, or with whatever token the generator made
up: whatever they hold, the answer is never a 5xx.

The cases are drawn first, with a fixed seed, then sent to the served app over HTTP with the real
worker behind it, so a run sends the same requests every time.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core import NotSet
from schemathesis.core.result import Ok

from tests.api.conftest import FOCAL_POINT, SECRETARIAT, Api

# Of each mode, for each of the schema's 123 operations: about 1,200 requests drawn, at least
# 1,000 sent (a route with nothing to negate has no invalid request; the client refuses a few).
# Drawing is most of this test's cost, so no more than the minimum argues for.
PER_OPERATION = 5
MINIMUM = 1_000
IDENTITIES = ("secretariat", "member", "generated")
FIGURES = Path("test-artifacts") / "generated-requests.json"


def _cases(schema_document: dict[str, Any]) -> list[Any]:
    schema = schemathesis.openapi.from_dict(schema_document)
    cases: list[Any] = []
    for result in schema.get_all_operations():
        # an operation the schema does not describe well enough fails here, loudly
        assert isinstance(result, Ok), result.err()
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @settings(
                max_examples=PER_OPERATION,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy, who=st.sampled_from(IDENTITIES))
            def draw(case: Any, who: str) -> None:
                cases.append((case, who))

            try:
                draw()
            except Unsatisfiable:
                # a route with no parameter and no body has no invalid request to make
                assert mode is GenerationMode.NEGATIVE, operation.path
    return cases


def _request(case: Any, who: str, tokens: dict[str, str]) -> dict[str, Any]:
    headers = {k: str(v) for k, v in (case.headers or {}).items()}
    if who != "generated":
        headers["Authorization"] = (
            f"Bearer {tokens[SECRETARIAT if who == 'secretariat' else FOCAL_POINT]}"
        )
    request: dict[str, Any] = {
        "method": case.method,
        "url": case.formatted_path,
        "params": case.query or None,
        "headers": headers,
    }
    if isinstance(case.body, bytes):
        request["content"] = case.body
        headers["Content-Type"] = case.media_type or "application/json"
    elif not isinstance(case.body, NotSet):
        if case.media_type in (None, "application/json"):
            request["content"] = json.dumps(case.body)
            headers["Content-Type"] = "application/json"
        else:
            request["content"] = str(case.body)
            headers["Content-Type"] = case.media_type
    return request


async def test_a_thousand_generated_requests_get_no_server_error(api: Api) -> None:
    async with api.client() as client:
        document = (await client.get("/openapi.json")).json()
    cases = _cases(document)
    assert {who for _, who in cases} == set(IDENTITIES)
    statuses: Counter[int] = Counter()
    errors = []
    async with httpx.AsyncClient(base_url=api.base_url, timeout=60) as client:
        for case, who in cases:
            try:
                response = await client.request(**_request(case, who, api.tokens))
            except (httpx.InvalidURL, httpx.LocalProtocolError):
                statuses[0] += 1  # a path or header the HTTP client itself refuses to send
                continue
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                errors.append(f"{case.method} {case.formatted_path} -> {response.text[:300]}")
    sent = sum(n for status, n in statuses.items() if status)
    FIGURES.parent.mkdir(exist_ok=True)
    figures = {"sent": sent, "statuses": {str(k): v for k, v in sorted(statuses.items())}}
    FIGURES.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    assert sent >= MINIMUM
    assert errors == [], "\n".join(errors)


async def test_an_id_that_is_no_slug_in_the_path_is_a_422_naming_it(api: Api) -> None:
    # found by the generated requests: the command built from the path refused the id inside
    # the route, which answered 500
    async with api.client(SECRETARIAT) as client:
        response = await client.post("/applications/%C3%BDM/mark-complete")
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["application"]
