"""Years in workspace addresses are bounded as the API bounds them: a year past the bound, or no
number at all, is the workspace's page refusing the address by its part (422, as any malformed
path parameter), never a 500 from a database that cannot hold the number."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from tests.web.conftest import SECRETARIAT, Site
from tests.web.html_checks import text

OUT_OF_BOUNDS = ("99999999999999999999999", "-99999999999999999999999", "-1", "0")


def _routes(app: FastAPI) -> Iterator[APIRoute]:
    pending = list(app.router.routes)
    while pending:
        route = pending.pop()
        # routers included into the app wrap the router they include
        inner = getattr(route, "original_router", None)
        if inner is not None:
            pending += inner.routes
        elif isinstance(route, APIRoute):
            yield route


def _int_path_routes(app: FastAPI, workspace: bool = True) -> list[tuple[str, str, str]]:
    """(method, path, parameter) of every workspace route (or, not `workspace`, every API
    route) with a whole number in its path."""
    found = []
    for route in _routes(app):
        if route.path.startswith(("/web", "/apply")) is not workspace:
            continue
        methods = sorted(route.methods or ())
        for param in route.dependant.path_params:
            if param.field_info.annotation is int:
                found += [(method, route.path, param.name) for method in methods]
    return found


def test_the_workspace_has_routes_with_years_in_their_paths(site: Site) -> None:
    """The walk below finds what it should (a route added later is walked too)."""
    paths = {path for _method, path, _param in _int_path_routes(site.app)}
    assert "/web/handovers/{year}/incoming-chair" in paths
    assert "/web/indicators/{year}/export.csv" in paths
    assert "/web/groups/{group_id}/plans/{plan_year}" in paths


@pytest.mark.parametrize("value", OUT_OF_BOUNDS)
def test_every_whole_number_in_a_workspace_path_is_bounded(site: Site, value: str) -> None:
    client = site.client(SECRETARIAT)
    client.follow_redirects = False
    wrong = []
    for method, path, param in _int_path_routes(site.app):
        # the other parts name things that may not exist: the number is refused before any lookup
        address = re.sub(r"\{\w+\}", "grp-co", path.replace(f"{{{param}}}", value))
        answer = client.request(method, address, data={"csrf_token": "any"})
        words = text(answer.text)
        if answer.status_code != 422 or f"{param}: " not in words:
            wrong.append(f"{method} {address}: {answer.status_code} {words[:200]}")
    assert wrong == []


@pytest.mark.parametrize("value", OUT_OF_BOUNDS[:2])
def test_every_whole_number_in_an_api_path_is_bounded(site: Site, value: str) -> None:
    """The same walk over the JSON API: two routes (a group's plenary nominee confirmed, the
    plenary's nominees) took any year and answered 500 for one SQLite cannot hold."""
    client = site.client()
    client.headers["Authorization"] = f"Bearer {site.tokens[SECRETARIAT]}"
    client.follow_redirects = False
    routes = _int_path_routes(site.app, workspace=False)
    assert ("GET", "/plenary-nominations/{year}", "year") in routes
    wrong = []
    for method, path, param in routes:
        address = re.sub(r"\{\w+\}", "grp-co", path.replace(f"{{{param}}}", value))
        answer = client.request(method, address, json={})
        fields = [p.get("field") for p in answer.json().get("problems", [])]
        if answer.status_code != 422 or f"path.{param}" not in fields:
            wrong.append(f"{method} {address}: {answer.status_code} {answer.text[:200]}")
    assert wrong == []


def test_a_year_past_the_bound_is_refused_saying_why(site: Site) -> None:
    client = site.client(SECRETARIAT)
    answer = client.get("/web/indicators/99999999999999999999999/export.csv")
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "Check the address (year: give 2200 or less)" in text(answer.text)
    assert "give 1990 or more" in text(client.get("/web/indicators/0/export.xlsx").text)
    # a group's plan: the bound of the API's plans
    plan = client.get("/web/groups/grp-co/plans/99999999999999999999999")
    assert "Check the address (plan_year: give 2100 or less)" in text(plan.text)


@pytest.mark.parametrize(
    "address",
    [
        "/web/reports?year={}",
        "/web/roster?year={}",
        "/web/indicators?year={}",
        "/web/indicators?earlier={}",
        "/public/indicators?year={}&earlier={}",
    ],
)
@pytest.mark.parametrize("value", [*OUT_OF_BOUNDS, "²"])
def test_a_page_asked_for_a_year_out_of_bounds_answers_without_failing(
    site: Site, address: str, value: str
) -> None:
    """A page that reads its year from the query shows its usual year, or refuses: never a 500."""
    client = site.client(SECRETARIAT)
    answer = client.get(address.format(value, value))
    assert answer.status_code < 500, text(answer.text)[:300]
