"""Every page passes axe-core (WCAG 2.1 A and AA, and axe's best practices), for every role.

The pages are not listed here: the check crawls what each person can reach from My work and
the navigation (links to /web/ pages, one or two of each kind of address), so pages added
later are checked without touching this file. axe-core is the copy bundled in the PyPI package
axe-playwright-python: nothing is fetched when the tests run. Each page is photographed at
desktop width into test-artifacts/browser/a11y-*.png; the Secretariat, who reaches the most
pages, is crawled again on a 375 px phone (checked by axe, and for sideways scrolling). Each
role's crawl also starts at a group's page with its meeting forms, whose funding requests put
their steps in the focal point's and the Secretariat's My work.

Chromium is Debian's, driven by Playwright as in test_browser.py (whose fixtures these are).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import FloatRect, Page, Playwright, expect

from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import registry as registry_repo
from tests.today import now as today_now
from tests.web.test_browser import (  # noqa: F401 - fixtures
    ARTEFACTS,
    CHAIR,
    FOCAL_POINT,
    REVIEWER,
    SECRETARIAT,
    Stack,
    axe_violations,
    browser,
    playwright,
    sign_in,
    stack,
)

pytestmark = pytest.mark.e2e

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
# Enough to meet every kind of page a person reaches, few enough for a shared machine.
PER_KIND = 1
MOST_PAGES = 40
TALLEST = 5000
# Never followed: leaving the session, downloads, and links that act or are someone's secret.
SKIP = re.compile(r"^/web/(static/|sign-out|sign-in/link/|unsubscribe/)|\.(csv|xlsx|ics|svg|png)$")
# A page's shape for axe: every element with the attributes that bear on its rules (classes and
# styles for contrast, roles and ARIA states, form attributes; ids, links, labels and alternative
# texts only as present or empty), whether it holds text of its own, and its children, with a run
# of same-shaped siblings (a table's rows, a list's items) counted once. Pages of one shape differ
# only in their words and in how many rows they list, which no rule checked here depends on, so
# axe checks each shape once per width: the roles share most pages, and a crawl then costs a
# third of what it did.
SHAPE_FUNCTION = """
  const shape = (element) => {
    const attributes = [];
    for (const a of element.attributes) {
      if (present.includes(a.name)) attributes.push(a.name + (a.value.trim() ? "" : "=''"));
      else if (kept.includes(a.name) || a.name.startsWith("aria-"))
        attributes.push(a.name + "=" + a.value);
    }
    attributes.sort();
    const text = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const children = [];
    for (const child of element.children) {
      const s = shape(child);
      if (children[children.length - 1] !== s) children.push(s);
    }
    return element.tagName + "[" + attributes.join(",") + "]" + (text ? "T" : "") +
      "(" + children.join("") + ")";
  };"""
SHAPE = f"""([kept, present]) => {{{SHAPE_FUNCTION}
  return shape(document.documentElement);
}}"""
# Before axe runs, a run of same-shaped siblings is cut to its first KEPT_OF_A_RUN: a register
# of 300 entries is checked as a register of three, which gives axe the same elements to judge
# (rows that differ in classes, states or attributes are not of one shape and all stay) at a
# fraction of the work; three, not one, so that ids or names repeated from row to row still
# show as duplicates. The page is photographed, measured and its links read before the cut.
KEPT_OF_A_RUN = 3
TRIM = f"""([kept, present, most]) => {{{SHAPE_FUNCTION}
  const trim = (element) => {{
    let last = null, run = 0;
    for (const child of [...element.children]) {{
      const s = shape(child);
      run = s === last ? run + 1 : 1;
      last = s;
      if (run > most) child.remove();
      else trim(child);
    }}
  }};
  trim(document.documentElement);
}}"""
SHAPE_KEPT = [
    *("role", "type", "class", "style", "hidden", "disabled", "tabindex", "lang", "dir"),
    *("scope", "colspan", "rowspan", "open", "required", "readonly", "multiple", "checked"),
    *("selected", "autocomplete", "inputmode", "width", "height", "viewBox"),
]
SHAPE_PRESENT = [
    *("id", "for", "href", "alt", "title", "name", "value", "src", "headers", "aria-label"),
    *("aria-labelledby", "aria-describedby", "aria-controls", "aria-owns"),
]
# The shapes axe has passed in this test process, by width, with the address it checked.
CHECKED: dict[tuple[bool, str], str] = {}
# The workspace's addresses, and the public pages that need no link from a secret: the sign-in
# page, the public application form and the public indicators page (aggregates only, issue
# 22). Status and follow links carry a secret each: the browser tests of those processes open
# them.
WORKSPACE = ("/web/", "/apply", "/public/")
PUBLIC_STARTS = ("/web/sign-in", "/apply", "/public/indicators")


def _kind(path: str, query: str) -> str:
    """One address per kind: ids (anything with a digit or a hyphen after the first two
    segments) stand for any id, and the query for its names, not its values."""
    parts = path.strip("/").split("/")
    shape = parts[:2] + ["{}" if re.search(r"[\d-]", p) else p for p in parts[2:]]
    names = sorted({name for name, _ in parse_qsl(query) if name != "done"})
    return "/" + "/".join(shape) + ("?" + "&".join(names) if names else "")


def _links(page: Page, base: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    found = []
    for href in hrefs:
        url = urlsplit(href)
        if (url.scheme or url.netloc) and not href.startswith(base):
            continue
        if not url.path.startswith(WORKSPACE) or SKIP.search(url.path):
            continue
        query = urlencode([(k, v) for k, v in parse_qsl(url.query) if k != "done"])
        found.append(url.path + (f"?{query}" if query else ""))
    return found


def _problems(page: Page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in axe_violations(page, AXE_OPTIONS)
    ]


def _name(address: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", address.lower()).strip("-")[:90]


def crawl(
    page: Page,
    running: Stack,
    who: str,
    narrow: bool = False,
    starts: tuple[str, ...] = ("/web/my-work",),
) -> dict[str, list[str]]:
    """Every page reachable from `starts`, checked; the violations of each, by address."""
    queue, seen, kinds = list(starts), set(), Counter[str]()
    found: dict[str, list[str]] = {}
    while queue and len(found) < MOST_PAGES:
        address = queue.pop(0)
        kind = _kind(*address.partition("?")[::2])
        if address in seen or kinds[kind] >= PER_KIND:
            continue
        seen.add(address)
        kinds[kind] += 1
        response = page.goto(f"{running.base_url}{address}")
        assert response is not None
        if response.status >= 500:
            found[address] = [f"answered {response.status}"]
            continue
        drawn = page.evaluate(SHAPE, [SHAPE_KEPT, SHAPE_PRESENT])
        shape = (narrow, hashlib.sha256(drawn.encode()).hexdigest())
        found[address] = []
        if narrow:
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > 375:
                found[address].append(f"scrolls sideways on a phone ({wide} px wide)")
        queue.extend(link for link in _links(page, running.base_url) if link not in seen)
        if shape in CHECKED:
            continue
        _photograph(page, f"a11y-{who}-{'phone' if narrow else 'desktop'}-{_name(address)}")
        page.evaluate(TRIM, [SHAPE_KEPT, SHAPE_PRESENT, KEPT_OF_A_RUN])
        problems = _problems(page)
        if not problems:
            CHECKED[shape] = address
        found[address].extend(problems)
    return found


def _photograph(page: Page, name: str) -> None:
    """The page from its top, at most TALLEST pixels of it: a long page's first screens are
    what shows its layout, and a 20,000-pixel phone screenshot outlasts any timeout."""
    height = min(int(page.evaluate("document.documentElement.scrollHeight")), TALLEST)
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    clip = FloatRect(x=0, y=0, width=width, height=height)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True, clip=clip)


def _failures(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{address}: {p}" for address, problems in found.items() for p in problems)


def _observer(running: Stack) -> str:
    """An observer's focal point: issued a token here (the stack's fixture issues the rest)."""
    db = Database.from_url(running.database_url)
    try:
        with db.writing() as session:
            person = next(
                p for p in registry_repo.list_people(session) if (p.member or "").startswith("obs-")
            )
            running.tokens[person.id] = token_repo.issue(
                session, person.id, datetime.now(UTC), "accessibility test"
            )
    finally:
        db.dispose()
    return person.id


def test_the_pages_anyone_reaches_pass_axe(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        # what anyone reaches without signing in (public pages linked from the sign-in page)
        found = crawl(page, stack, "anyone", starts=PUBLIC_STARTS)
    assert "/web/sign-in" in found
    assert "/public/indicators" in found
    assert _failures(found) == ""


@pytest.fixture(scope="module")
def group_with_work(stack: Stack) -> str:  # noqa: F811
    """A group the focal point coordinates, with a weekly series to come (the page's plan,
    move and cancel forms), one funding request returned to it (its completion in the focal
    point's My work) and one waiting for the Secretariat's check (in the Secretariat's). The
    crawl starts at its page too, since which group /web/groups lists first depends on what
    the other browser tests made."""
    group = "a11y-tarkwa"
    day = today_now().date() + timedelta(days=7)
    stack.post(
        SECRETARIAT,
        "/groups",
        {
            "id": group,
            "name": "Accessibility group",
            "country": "GH",
            "timezone": "Africa/Accra",
            "status": "active",
            "exploration": {"demand": "Asked.", "support": "Backed.", "recorded_on": "2026-01-05"},
            "coordinators": [FOCAL_POINT],
        },
    )
    stack.post(
        FOCAL_POINT,
        f"/groups/{group}/meetings",
        {
            "id": "a11y-weekly",
            "title": "Weekly dialogue",
            "starts": f"{day}T10:00:00",
            "ends": f"{day}T12:00:00",
            "rule": "FREQ=WEEKLY;COUNT=6",
        },
    )
    stack.post(FOCAL_POINT, f"/groups/{group}/plans", {"year": day.year})
    for request in ("a11y-returned", "a11y-sent"):
        stack.post(
            FOCAL_POINT,
            f"/groups/{group}/funding-requests",
            {
                "id": request,
                "year": day.year,
                "amount": {"amount": "800.00", "currency": "USD"},
                "purpose": "A training.",
            },
        )
    stack.post(
        SECRETARIAT,
        "/funding-requests/a11y-returned/check",
        {"complete": False, "missing": "The costs."},
    )
    return group


@pytest.mark.parametrize(
    "role",
    ["secretariat", "chair", "steering-committee", "focal-point", "observer"],
)
def test_every_page_a_role_reaches_passes_axe(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
    group_with_work: str,
    role: str,
) -> None:
    people = {
        "secretariat": SECRETARIAT,
        "chair": CHAIR,
        "steering-committee": REVIEWER,
        "focal-point": FOCAL_POINT,
    }
    person = people[role] if role in people else _observer(stack)
    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, person)
        found = crawl(page, stack, role, starts=("/web/my-work", f"/web/groups/{group_with_work}"))
    assert len(found) >= 5, f"the crawl reached only {sorted(found)}"
    assert f"/web/groups/{group_with_work}" in found
    assert "/web/my-work" in found
    assert _failures(found) == ""


def test_every_page_the_secretariat_reaches_passes_axe_on_a_phone(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
    group_with_work: str,
) -> None:
    starts = ("/web/my-work", f"/web/groups/{group_with_work}")
    with browser(playwright, **PHONE) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        found = crawl(page, stack, "secretariat", narrow=True, starts=starts)
    assert "/web/register" in found
    assert "/web/outbox" in found
    assert _failures(found) == ""


def test_the_secretariat_searches_the_register_and_takes_it_as_csv(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    with browser(playwright, accept_downloads=True, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, SECRETARIAT)
        page.get_by_role("link", name="Register").click()
        page.get_by_label("Item", exact=True).fill("<plenary>")
        page.get_by_role("button", name="Search").click()
        # refused beside the field, with what was typed kept
        expect(page.locator("#register-item-error")).to_contain_text("letters, digits")
        expect(page.get_by_label("Item", exact=True)).to_have_value("<plenary>")
        expect(page.get_by_role("table")).to_have_count(0)
        _photograph(page, "register-refused")
        page.get_by_label("Item", exact=True).fill("plenary-2027")
        page.get_by_label("Kind of item").select_option("plenary")
        page.get_by_role("button", name="Search").click()
        rows = page.get_by_role("region", name="Register entries (table)").locator("tbody tr")
        expect(rows.first).to_contain_text("plenary scheduled")
        _photograph(page, "register-search")
        with page.expect_download() as download:
            page.get_by_role("link", name="as CSV").click()
        with download.value.path().open(newline="") as exported:
            entries = list(csv.DictReader(exported))
        assert len(entries) == rows.count()
        assert {(e["item_kind"], e["item"]) for e in entries} == {("plenary", "plenary-2027")}
        rows.first.get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"/web/year\?plenary=plenary-2027$"))


def test_the_chair_filters_my_work_by_kind_on_a_phone(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    with browser(playwright, **PHONE) as context:
        page = context.new_page()
        sign_in(page, stack, CHAIR)
        kinds = page.get_by_role("list", name="Kinds of work")
        expect(kinds).to_contain_text("All")
        for group in ("Overdue", "This week", "Later"):
            expect(page.get_by_role("heading", level=2, name=re.compile(group))).to_be_visible()
        kinds.get_by_role("link", name=re.compile("Chair handover")).click()
        expect(page).to_have_url(re.compile(r"kind=handover"))
        expect(page.get_by_text("Showing chair handover")).to_be_visible()
        _photograph(page, "my-work-handover-phone")


def test_the_pages_behind_private_links_pass_axe(
    stack: Stack,  # noqa: F811
    playwright: Playwright,  # noqa: F811
) -> None:
    """An anonymous filer's follow page and an applicant's status page: each opened through the
    link its person is given (the concern filed, the application sent, here in the browser)."""
    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        sign_in(page, stack, FOCAL_POINT)
        page.goto(f"{stack.base_url}/web/concerns")
        form = page.locator("#file-concern")
        form.get_by_label("The member the concern is about").select_option("co-basalt-mining")
        form.get_by_label("What happened").fill("Guards at the quarry gate turned a nurse away.")
        form.get_by_label("File anonymously", exact=False).check()
        form.get_by_role("button", name="File the concern").click()
        expect(page.get_by_role("status")).to_contain_text("concern filed")
        follow = urlsplit(page.locator("#follow-link").input_value()).path
    with browser(playwright, **DESKTOP) as context:
        page = context.new_page()
        page.goto(f"{stack.base_url}/apply")
        page.locator("#apply-organisation").fill("Quarry Watch Pelagonia")
        page.get_by_label("Pillar").select_option("ngo")
        page.get_by_label("Country").fill("Pelagonia")
        page.get_by_label("Contact email").fill("watch@quarry.example.org")
        page.get_by_label("Why your organisation applies").fill(
            "We document security incidents around quarries and support the people affected."
        )
        page.get_by_role("button", name="Send the application").click()
        expect(page.locator("main")).to_contain_text("awaiting completeness check")
        status = urlsplit(page.url).path
        assert status.startswith("/apply/status/")
        found = crawl(page, stack, "private-links", starts=(follow, status))
    assert follow in found
    assert status in found
    assert _failures(found) == ""
