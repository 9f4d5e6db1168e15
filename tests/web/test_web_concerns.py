"""Participant concerns in the web workspace against the real worker: one case filed
anonymously and carried to its decision through the pages, what each person's pages show of the
filer, the private link, and refused forms that record nothing."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import httpx
import pytest
import pytest_asyncio

from governance.kernel.timekeeping import day_ending_at
from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.i18n import formatting
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import concerns as concern_repo
from govsched.persistence.repos import registry as registry_repo
from tests.api.app_helpers import GUEST, add_guest, issue_tokens
from tests.api.conftest import Api, free_port, seeded_database, serving
from tests.web.html_checks import csrf, error_for, field_value, sign_in_async, text, unlabelled

SECRETARIAT = "sec-amina-okafor"
CHAIR = "fp-gov-norland"
FILER = "fp-ngo-centre-for-security-and-rights"
FILER_MEMBER = "ngo-centre-for-security-and-rights"
ABOUT = "fp-co-basalt-mining"
COMMITTEE = "fp-gov-estavia"
OUTSIDER = "fp-co-delta-bay-mining"
EVERYONE = (SECRETARIAT, CHAIR, FILER, ABOUT, COMMITTEE, OUTSIDER)
SUMMARY = "Private guards at the Basalt site threatened villagers on 3 March."


@pytest_asyncio.fixture(scope="module")
async def tokens(api: Api) -> dict[str, str]:
    return issue_tokens(api, EVERYONE)


class Browser:
    """One signed-in person, sending forms as a browser would: the form's hidden fields (the
    CSRF token, the form's key) and what was typed."""

    def __init__(self, api: Api, tokens: dict[str, str], person: str) -> None:
        self.client = httpx.AsyncClient(base_url=api.base_url, timeout=60)
        self.token = tokens[person]

    async def __aenter__(self) -> Browser:
        await sign_in_async(self.client, self.token)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.client.aclose()

    async def get(self, path: str) -> httpx.Response:
        return await self.client.get(path)

    async def send(self, page: str, form_id: str, **typed: str) -> httpx.Response:
        html = (await self.client.get(page)).text
        match = re.search(
            rf'<form method="post" action="([^"]+)"[^>]*id="{form_id}"[\s\S]*?</form>', html
        )
        assert match, f"no form {form_id} on {page}:\n{text(html)[:1500]}"
        hidden = dict(
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', match.group(0))
        )
        return await self.client.post(
            match.group(1), data={**hidden, **typed}, follow_redirects=False
        )


def _identities(api: Api) -> list[str]:
    """Everything that would tell who filed: the person, their name, their member and its name."""
    with api.db.reading() as session:
        person = registry_repo.get_person(session, FILER)
        member = registry_repo.get_member(session, FILER_MEMBER)
    assert person is not None
    assert member is not None
    return [FILER, person.name, FILER_MEMBER, member.name]


def _without_filing_form(html: str) -> str:
    """The page less the filing form, whose list of members names every member."""
    return re.sub(r'<form[^>]*id="file-concern"[\s\S]*?</form>', "", html)


def _row(html: str, case: str) -> str:
    """The case's row in the list of cases ("" when it is not listed)."""
    found = re.search(rf"<tr><td><a href=\"/web/concerns/{case}\">.*?</tr>", html, re.S)
    return found.group(0) if found else ""


def _cases(api: Api) -> int:
    with api.db.reading() as session:
        return len(concern_repo.records(session))


def _state(api: Api, case: str) -> str:
    with api.db.reading() as session:
        record = concern_repo.get(session, case)
    assert record is not None
    return record.state.value


async def test_an_anonymous_concern_from_filing_to_decision_through_the_pages(
    api: Api, tokens: dict[str, str]
) -> None:
    identities = _identities(api)
    async with (
        Browser(api, tokens, FILER) as filer,
        Browser(api, tokens, SECRETARIAT) as sec,
        Browser(api, tokens, CHAIR) as chair,
        Browser(api, tokens, COMMITTEE) as committee,
        Browser(api, tokens, ABOUT) as about,
        Browser(api, tokens, OUTSIDER) as outsider,
    ):
        filed = await filer.send(
            "/web/concerns",
            "file-concern",
            about="co-basalt-mining",
            summary=SUMMARY,
            evidence="https://example.org/village-statement.pdf",
            anonymous="on",
        )
        assert filed.status_code == 303, text(filed.text)
        location = filed.headers["location"]
        found = re.fullmatch(r"/web/concerns/(c-[0-9a-f]+)\?done=concern%20filed", location)
        assert found, location
        case = found.group(1)
        page = f"/web/concerns/{case}"

        own = (await filer.get(page)).text
        assert unlabelled(own) == []
        assert "filed anonymously" in text(own)
        # the last day to acknowledge, as the notices and the calendars name it: the deadline
        # is the instant that day ends, which falls on the next day (found shown a day late)
        with api.db.reading() as session:
            filed_record = concern_repo.get(session, case)
        assert filed_record is not None
        last_day = day_ending_at(filed_record.acknowledge_due, Rulebook().initiative.timezone)
        assert f"Acknowledgement due: {formatting.day(last_day)}" in text(own)
        link = unescape(re.search(r'id="follow-link" readonly value="([^"]+)"', own).group(1))  # type: ignore[union-attr]
        follow = "/web/follow/" + link.split("/web/follow/", 1)[1]

        async with httpx.AsyncClient(base_url=api.base_url, timeout=60) as nobody:
            first = await nobody.get(follow)
            assert first.status_code == 200
            assert first.headers["referrer-policy"] == "no-referrer"
            assert first.headers["cache-control"] == "no-store"
            next_step = "Next step: The Secretariat acknowledges the concern, by"
            assert f"{next_step} {formatting.day(last_day)}" in text(first.text)
            # a forwarded link names no one and carries nothing anyone wrote
            for secret in [*identities, SUMMARY, "co-basalt-mining", ABOUT]:
                assert secret not in first.text, secret
            wrong = await nobody.get(follow[:-4] + "0000")
            assert wrong.status_code == 404
            # a link cut short reads as one, not as a case that no longer exists
            assert "Link not valid" in text(wrong.text)
            assert "does not exist" not in text(wrong.text)

        # the Chair knows of the case (stage and deadlines) but sees no step to take yet
        assert (await committee.get(page)).status_code == 404  # not before review
        assert (await outsider.get(page)).status_code == 404

        steps = [
            (sec, "acknowledge", {}, "dialogue"),
            (sec, "meeting", {"note": "Both sides met at the site."}, "dialogue"),
            (chair, "extension", {"reason": "A site visit is planned."}, "dialogue"),
            (sec, "referral", {}, "review"),
            (
                committee,
                "recommendation",
                {"recommendation": "A remedial plan."},
                "awaiting_decision",
            ),
        ]
        for who, name, typed, state in steps:
            done = await who.send(page, f"{name}-{case}", **typed)
            assert done.status_code == 303, (name, text(done.text)[:800])
            assert done.headers["location"].startswith(page + "?done=")
            assert _state(api, case) == state, name

        # who sees the filer: the Secretariat and the filer's side; no one else, on any page
        for person, browser in ((SECRETARIAT, sec), (FILER, filer)):
            html = (await browser.get(page)).text
            assert identities[1] in html, person
        for person, browser in ((CHAIR, chair), (COMMITTEE, committee), (ABOUT, about)):
            html = _without_filing_form((await browser.get(page)).text)
            listed = _row((await browser.get("/web/concerns")).text, case)
            assert listed, person
            for identity in identities:
                assert identity not in html, (person, identity)
                assert identity not in listed, (person, identity)
            assert "anonymous" in text((await browser.get(page)).text)
        # the party concerned reads the contents, with the filer masked
        assert SUMMARY in (await about.get(page)).text
        # only the filer holds the private link
        for browser in (sec, chair, committee, about):
            assert 'id="follow-link"' not in (await browser.get(page)).text

        follow_up = (datetime.now(UTC) + timedelta(days=90)).date().isoformat()
        decided = await sec.send(
            page,
            f"decision-{case}",
            outcome="remedial_plan",
            note="Plan agreed.",
            follow_ups=follow_up,
        )
        assert decided.status_code == 303, text(decided.text)[:800]
        assert _state(api, case) == "decided"
        assert f'id="decision-{case}"' not in (await sec.get(page)).text

        async with httpx.AsyncClient(base_url=api.base_url, timeout=60) as nobody:
            last = text((await nobody.get(follow)).text)
        assert "Stage: decided · outcome: remedial plan" in last
        # the date as the reader's language writes it (issue 20)
        assert f"Follow-up dates: {formatting.day(date.fromisoformat(follow_up))}" in last
        for words in (
            "filed",
            "acknowledged",
            "dialogue recorded",
            "dialogue extended",
            "referred",
            "recommended",
            "decided",
        ):
            assert words in last


async def test_refused_forms_show_the_refusal_beside_the_field_and_record_nothing(
    api: Api, tokens: dict[str, str]
) -> None:
    async with Browser(api, tokens, FILER) as filer, Browser(api, tokens, SECRETARIAT) as sec:
        before = _cases(api)
        refused = await filer.send(
            "/web/concerns",
            "file-concern",
            about="co-basalt-mining",
            summary=SUMMARY,
            evidence="ftp://example.org/x",
        )
        assert refused.status_code == 422
        html = refused.text
        assert error_for(html, "file-concern-evidence") == (
            "line 1: give a link starting with http:// or https://, without spaces"
        )
        assert field_value(html, "file-concern-evidence") == "ftp://example.org/x"
        assert field_value(html, "file-concern-summary") == SUMMARY
        assert 'aria-invalid="true"' in html
        assert unlabelled(html) == []
        # a member cannot file about itself: the rule's refusal, beside `about`
        own = await filer.send("/web/concerns", "file-concern", about=FILER_MEMBER, summary=SUMMARY)
        assert own.status_code == 409
        assert error_for(own.text, "file-concern-about") == "is the filer's own member"
        assert _cases(api) == before

        filed = await filer.send(
            "/web/concerns", "file-concern", about="co-basalt-mining", summary=SUMMARY
        )
        case = filed.headers["location"].split("?")[0].rsplit("/", 1)[1]
        page = f"/web/concerns/{case}"
        # only an early resolution before the committee's recommendation: 409, nothing recorded
        early = await sec.send(page, f"decision-{case}", outcome="propose_expulsion")
        assert early.status_code == 409
        assert "only resolved" in error_for(early.text, f"decision-{case}-outcome")
        assert _state(api, case) == "filed"
        # a meeting cannot be recorded before the dialogue begins; its form is not offered
        assert f'id="meeting-{case}"' not in (await sec.get(page)).text


async def test_a_form_sent_twice_files_one_case(api: Api, tokens: dict[str, str]) -> None:
    async with Browser(api, tokens, FILER) as filer:
        html = (await filer.get("/web/concerns")).text
        form = re.search(r'<form[^>]*id="file-concern"[\s\S]*?</form>', html)
        assert form
        hidden = dict(
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0))
        )
        data = {**hidden, "about": "co-basalt-mining", "summary": "Sent twice by a double click."}
        before = _cases(api)
        first = await filer.client.post("/web/concerns", data=data, follow_redirects=False)
        second = await filer.client.post("/web/concerns", data=data, follow_redirects=False)
        assert first.status_code == second.status_code == 303
        assert first.headers["location"] == second.headers["location"]
        assert _cases(api) == before + 1


async def _shown_as_the_api_shows(
    api: Api, tokens: dict[str, str], case: str, name: str, identities: list[str]
) -> dict[str, str]:
    """For each person: what the API answers of the filer, and that their pages show the same:
    the case hidden (404) on both, or the filer masked on both, or named on both."""
    api.tokens.update(tokens)
    seen: dict[str, str] = {}
    for person in EVERYONE:
        async with api.client(person) as client:
            answer = await client.get(f"/concerns/{case}")
        async with Browser(api, tokens, person) as browser:
            page = await browser.get(f"/web/concerns/{case}")
            listed = _row(_without_filing_form((await browser.get("/web/concerns")).text), case)
        assert page.status_code == answer.status_code, person
        if answer.status_code == 404:
            seen[person] = "hidden"
            assert listed == "", person
            continue
        html = _without_filing_form(page.text)
        assert listed, person
        if answer.json()["filed_by"] == "anonymous":
            seen[person] = "anonymous"
            assert "anonymous" in text(html), person
            for identity in identities:
                assert identity not in html, (person, identity)
                assert identity not in listed, (person, identity)
        else:
            seen[person] = "named"
            assert name in text(html), person
    return seen


async def test_each_page_shows_the_filer_exactly_to_whom_the_api_does(
    api: Api, tokens: dict[str, str]
) -> None:
    identities = _identities(api)
    async with Browser(api, tokens, FILER) as filer, Browser(api, tokens, SECRETARIAT) as sec:
        filed = await filer.send(
            "/web/concerns",
            "file-concern",
            about="co-basalt-mining",
            summary="Guards blocked the road to the river.",
            anonymous="on",
        )
        case = filed.headers["location"].split("?")[0].rsplit("/", 1)[1]
        page = f"/web/concerns/{case}"
        assert (await sec.send(page, f"acknowledge-{case}")).status_code == 303
        filed_stage = await _shown_as_the_api_shows(api, tokens, case, identities[1], identities)
        assert (await sec.send(page, f"referral-{case}")).status_code == 303
        in_review = await _shown_as_the_api_shows(api, tokens, case, identities[1], identities)
        # the filer's own withdrawal is a step of the filer's side: masked with the filer
        withdrawn = await filer.send(page, f"withdrawal-{case}", note="Settled locally.")
        assert withdrawn.status_code == 303
        assert _state(api, case) == "withdrawn"
        reviewed = await _shown_as_the_api_shows(api, tokens, case, identities[1], identities)
    assert filed_stage == {
        SECRETARIAT: "named",
        FILER: "named",
        CHAIR: "anonymous",
        ABOUT: "anonymous",
        COMMITTEE: "hidden",
        OUTSIDER: "hidden",
    }
    # withdrawn before the committee's recommendation, the case is no longer the committee's
    # to know of (access.entitled: in review, or decided after review); the API agrees
    assert reviewed == filed_stage
    assert in_review == filed_stage | {COMMITTEE: "anonymous"}


async def test_a_third_party_the_secretariat_files_for_stays_anonymous(
    api: Api, tokens: dict[str, str]
) -> None:
    community = "Friends of the Basalt Valley"
    async with Browser(api, tokens, SECRETARIAT) as sec:
        filed = await sec.send(
            "/web/concerns",
            "file-concern",
            about="co-basalt-mining",
            summary="Villagers were kept from the river by guards.",
            on_behalf_of=community,
            anonymous="on",
        )
        assert filed.status_code == 303, text(filed.text)[:800]
        case = filed.headers["location"].split("?")[0].rsplit("/", 1)[1]
        own = (await sec.get(f"/web/concerns/{case}")).text
        # the Secretariat passes the private link on to the community
        assert 'id="follow-link"' in own
        assert community in text(own)
    seen = await _shown_as_the_api_shows(api, tokens, case, community, [community])
    assert seen[CHAIR] == seen[ABOUT] == "anonymous"
    assert seen[SECRETARIAT] == "named"


async def test_my_work_holds_the_step_a_case_waits_on(api: Api, tokens: dict[str, str]) -> None:
    async with (
        Browser(api, tokens, FILER) as filer,
        Browser(api, tokens, SECRETARIAT) as sec,
        Browser(api, tokens, COMMITTEE) as committee,
    ):
        filed = await filer.send(
            "/web/concerns",
            "file-concern",
            about="co-basalt-mining",
            summary="The fence cuts the path to the well.",
            anonymous="on",
        )
        case = filed.headers["location"].split("?")[0].rsplit("/", 1)[1]
        title = "Acknowledge a concern about Basalt Mining"
        work = (await sec.get("/web/my-work")).text
        assert title in text(work)
        assert f'href="/web/concerns/{case}"' in work
        # acknowledged from My work, back to My work
        done = await sec.send("/web/my-work", f"acknowledge-{case}")
        assert done.status_code == 303
        assert done.headers["location"] == "/web/my-work?done=acknowledged"
        assert _state(api, case) == "dialogue"
        work = (await sec.get("/web/my-work")).text
        assert "Facilitate the dialogue on a concern about Basalt Mining" in text(work)
        assert f"case {case}, dialogue" in text(work)
        assert case not in (await committee.get("/web/my-work")).text
        assert (await sec.send(f"/web/concerns/{case}", f"referral-{case}")).status_code == 303
        committee_work = (await committee.get("/web/my-work")).text
        assert "Recommend on a concern about Basalt Mining" in text(committee_work)
        assert f"case {case}, review" in text(committee_work)
        # nothing in anyone's My work names the anonymous filer
        for identity in _identities(api):
            assert identity not in committee_work
        assert case not in (await filer.get("/web/my-work")).text


async def test_someone_who_may_not_file_gets_no_form_and_a_refusal(api: Api) -> None:
    api.tokens.update(issue_tokens(api, [SECRETARIAT]))
    await add_guest(api)
    guest_tokens = issue_tokens(api, [GUEST])
    async with Browser(api, guest_tokens, GUEST) as guest:
        html = (await guest.get("/web/concerns")).text
        assert 'id="file-concern"' not in html
        before = _cases(api)
        data = {
            "csrf_token": csrf(html),
            "back": "/web/concerns",
            "form_id": "file-concern",
            "about": "co-basalt-mining",
            "summary": "Sent without a form.",
        }
        refused = await guest.client.post("/web/concerns", data=data, follow_redirects=False)
    assert refused.status_code == 403
    # the role as the workspace names it, not its identifier
    assert "Not filed: filing a concern needs the role 'focal point'" in text(refused.text)
    assert _cases(api) == before


async def test_without_temporal_the_pages_read_and_a_filing_is_a_503_recording_nothing(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    url, db = seeded_database(tmp_path_factory.mktemp("concerns-unavailable"))
    with db.writing() as session:
        token = token_repo.issue(session, FILER, datetime.now(UTC), "web test")
    app = create_app(
        Settings(database_url=url, temporal_address=f"127.0.0.1:{free_port()}"),
        db=db,
        run_scheduler=False,
    )
    try:
        async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
            await sign_in_async(client, token)
            html = (await client.get("/web/concerns")).text
            form = re.search(r'<form[^>]*id="file-concern"[\s\S]*?</form>', html)
            assert form
            hidden = dict(
                re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0))
            )
            typed = {"about": "co-basalt-mining", "summary": "Guards at the gate."}
            refused = await client.post("/web/concerns", data=hidden | typed)
        assert refused.status_code == 503
        assert (
            "Not filed: the workflow service cannot be reached; nothing was changed; try again"
            in text(refused.text)
        )
        assert field_value(refused.text, "file-concern-summary") == "Guards at the gate."
        # the same key goes with the form again
        assert re.search(rf'name="key" value="{re.escape(hidden["key"])}"', refused.text)
        with db.reading() as session:
            assert concern_repo.records(session) == []
    finally:
        db.dispose()
