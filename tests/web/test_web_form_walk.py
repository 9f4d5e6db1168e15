"""Every form the workspace takes, sent hostile fields, answers a page a person can read.

A walk over every POST route under /web/ and /apply (so a form added later is walked too):
fields whose bytes are not UTF-8, NUL, an unpaired surrogate's bytes, and the same in a
multipart body, from a signed-in Secretariat with a valid form token. Whatever the route makes
of them (the field refused, an unknown id, the workflow service out of reach here), the answer
is never a 500 and never a traceback. Last session's "noticed, not fixed": a form route that
skipped the UTF-8 check would have stored U+FFFD without a word; one that raised would show here.
"""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import SECRETARIAT, Site
from tests.web.html_checks import csrf
from tests.web.test_web_year_bounds import _routes

HOSTILE = "note=%ff%fe&reason=a%00b&name=%ed%a0%80&answer=%c3&summary=%ff"
BOUNDARY = "XXwalk"


def _post_routes(site: Site) -> list[str]:
    found = []
    for route in _routes(site.app):
        if "POST" not in (route.methods or ()) or "{_address" in route.path:
            continue
        if not route.path.startswith(("/web/", "/apply")):
            continue
        ints = {p.name for p in route.dependant.path_params if p.field_info.annotation is int}
        found.append(_filled(route.path, ints))
    return sorted(found)


def _filled(path: str, ints: set[str]) -> str:
    """The path with a year for each whole number and an id for anything else."""
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: "2027" if m.group(1) in ints else "walk-1", path)


def _multipart(token: str) -> bytes:
    parts = [(b"csrf_token", token.encode()), (b"note", b"\xff\xfe"), (b"name", b"a\x00b")]
    body = b"".join(
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (BOUNDARY.encode(), key, value)
        for key, value in parts
    )
    return body + b"--%s--\r\n" % BOUNDARY.encode()


def test_the_walk_finds_the_workspaces_forms(site: Site) -> None:
    addresses = _post_routes(site)
    assert "/apply" in addresses
    assert "/web/concerns" in addresses
    assert len(addresses) > 40


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_no_form_answers_hostile_fields_with_a_500(site: Site, kind: str) -> None:
    client = site.client(SECRETARIAT)
    client.follow_redirects = False
    token = csrf(client.get("/web/my-work").text)
    wrong = []
    for address in _post_routes(site):
        if kind == "urlencoded":
            answer = client.post(
                address,
                content=f"csrf_token={token}&{HOSTILE}",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        else:
            answer = client.post(
                address,
                content=_multipart(token),
                headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            )
        failed = answer.status_code >= 500 and answer.status_code != 503
        if failed or "Traceback" in answer.text:
            wrong.append(f"{address}: {answer.status_code} {answer.text[:160]}")
    assert wrong == []
