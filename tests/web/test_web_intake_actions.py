"""Intake and the directory through the real worker: an organisation applies on the public
form and follows its status link, the Secretariat records an application and asks a question
that the applicant answers on its link, and directory changes go through the registry."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest_asyncio

from governance.kernel.languages import Language
from govsched.http.web.routes.public_application import ANSWERED_BEFORE
from govsched.i18n.current import gettext as _
from govsched.i18n.current import use_language
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import registry as registry_repo
from tests.api.app_helpers import PEOPLE, SECRETARIAT, People, issue_tokens
from tests.api.conftest import Api
from tests.web.html_checks import error_for, text
from tests.web.test_web_actions import _form_data, post_form, web

ORGANISATION = {
    "organisation": "Harbour Light Advocates",
    "pillar": "ngo",
    "country": "Pelagonia",
    "contact_email": "intake@harbour-light.example.org",
    "statement": "We document security incidents around ports and report them publicly.",
    "documents": "https://harbour-light.example.org/charter.pdf\n"
    "https://harbour-light.example.org/report-2026.pdf",
}


@pytest_asyncio.fixture(scope="module")
async def people(api: Api) -> People:
    return People(api, issue_tokens(api, PEOPLE), task_queue="")


async def _apply(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    page = await client.get("/apply")
    data = _form_data(page.text, "apply", **fields)
    return await client.post(data.pop("_action"), data=data, follow_redirects=False)


def _id_of(link: str) -> str:
    match = re.fullmatch(r"/apply/status/([\w-]+)/[0-9a-f]{32}(\?.*)?", link)
    assert match, link
    return match.group(1)


async def test_an_organisation_applies_itself_and_follows_its_status_link(people: People) -> None:
    async with httpx.AsyncClient(base_url=people.api.base_url, timeout=60) as applicant:
        sent = await _apply(applicant, **ORGANISATION)
        assert sent.status_code == 303, text(sent.text)
        link = sent.headers["location"]
        application_id = _id_of(link)
        status = await applicant.get(link)
        assert status.status_code == 200
        words = text(status.text)
        assert "Harbour Light Advocates" in words
        assert "awaiting completeness check" in words
        assert "The Secretariat checks that the application is complete." in words

    with people.api.db.reading() as session:
        record = application_repo.get(session, application_id)
    assert record is not None
    assert record.submitted_by == "applicant"
    assert record.applicant.documents == ORGANISATION["documents"].split("\n")

    # it landed with the Secretariat, for the completeness check
    secretariat = await web(people, SECRETARIAT)
    try:
        work = (await secretariat.get("/web/my-work")).text
        assert f'id="mark-complete-{application_id}"' in work
        page = (await secretariat.get(f"/web/applications/{application_id}")).text
        assert link.split("?")[0] in page
    finally:
        await secretariat.aclose()


async def test_sending_the_same_form_twice_records_one_application(people: People) -> None:
    async with httpx.AsyncClient(base_url=people.api.base_url, timeout=60) as applicant:
        page = await applicant.get("/apply")
        data = _form_data(page.text, "apply", **{**ORGANISATION, "organisation": "Twice Sent"})
        action = data.pop("_action")
        first = await applicant.post(action, data=data, follow_redirects=False)
        again = await applicant.post(action, data=data, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    with people.api.db.reading() as session:
        named = [
            r
            for r in application_repo.records(session, None, None, None)
            if r.applicant.organisation == "Twice Sent"
        ]
    assert len(named) == 1


async def test_the_applicant_answers_the_secretariats_question_on_its_link(
    people: People,
) -> None:
    secretariat = await web(people, SECRETARIAT)
    try:
        form = (await secretariat.get("/web/applications/new")).text
        data = _form_data(
            form, "record-application", **{**ORGANISATION, "organisation": "Emailed In"}
        )
        recorded = await secretariat.post(data.pop("_action"), data=data, follow_redirects=False)
        assert recorded.status_code == 303, text(recorded.text)
        page_path = recorded.headers["location"].split("?")[0]
        application_id = page_path.rsplit("/", 1)[1]
        page = (await secretariat.get(page_path)).text
        link = re.search(r'class="status-link" href="https?://[^/]+(/apply/status/[^"]+)"', page)
        assert link, text(page)
        asked = await post_form(
            secretariat,
            page_path,
            f"request-information-{application_id}",
            question="Please send the board's resolution to apply.",
        )
        assert asked.status_code == 303, text(asked.text)
    finally:
        await secretariat.aclose()

    async with httpx.AsyncClient(base_url=people.api.base_url, timeout=60) as applicant:
        status = await applicant.get(link.group(1))
        assert "Please send the board's resolution to apply." in text(status.text)
        data = _form_data(
            status.text, "answer", answer="Attached: https://example.org/resolution.pdf"
        )
        answered = await applicant.post(data.pop("_action"), data=data, follow_redirects=False)
        assert answered.status_code == 303, text(answered.text)
        after = text((await applicant.get(link.group(1))).text)
        assert "awaiting completeness check" in after
        assert "The Secretariat asks" not in after

    with people.api.db.reading() as session:
        record = application_repo.get(session, application_id)
    assert record is not None
    assert record.information_requests[-1].answer == "Attached: https://example.org/resolution.pdf"
    assert record.history[-1].by == "applicant"


async def _asked(people: People, organisation: str, question: str) -> tuple[str, str]:
    """An application the Secretariat recorded and asked `question` of: its id and the path
    of its status link."""
    secretariat = await web(people, SECRETARIAT)
    try:
        form = (await secretariat.get("/web/applications/new")).text
        fields = {**ORGANISATION, "organisation": organisation}
        data = _form_data(form, "record-application", **fields)
        recorded = await secretariat.post(data.pop("_action"), data=data, follow_redirects=False)
        assert recorded.status_code == 303, text(recorded.text)
        page_path = recorded.headers["location"].split("?")[0]
        application_id = page_path.rsplit("/", 1)[1]
        page = (await secretariat.get(page_path)).text
        link = re.search(r'class="status-link" href="https?://[^/]+(/apply/status/[^"]+)"', page)
        assert link, text(page)
        form_id = f"request-information-{application_id}"
        asked = await post_form(secretariat, page_path, form_id, question=question)
        assert asked.status_code == 303, text(asked.text)
    finally:
        await secretariat.aclose()
    return application_id, link.group(1)


def _answers(people: People, application_id: str) -> list[str]:
    with people.api.db.reading() as session:
        record = application_repo.get(session, application_id)
    assert record is not None
    return [step.state.value for step in record.history if step.by == "applicant"]


async def test_an_answer_sent_twice_is_recorded_once_and_the_second_says_it_was_received(
    people: People,
) -> None:
    """Found by review: the second post of a double-clicked answer showed a page with no word
    of what happened (its refusal belonged to a form no longer on the page)."""
    application_id, link = await _asked(people, "Twice Answered", "Please send your statutes.")
    async with httpx.AsyncClient(base_url=people.api.base_url, timeout=60) as applicant:
        status = await applicant.get(link)
        data = _form_data(status.text, "answer", answer="Statutes: https://example.org/s.pdf")
        action = data.pop("_action")
        # a double click: both posts leave before either is answered
        first, second = await asyncio.gather(
            applicant.post(action, data=data, follow_redirects=True),
            applicant.post(action, data=data, follow_redirects=True),
        )
        # the same form sent again later (the browser's back button, then Send)
        third = await applicant.post(action, data=data, follow_redirects=True)
        pages = [first, second, third]
        assert [page.status_code for page in pages] == [200, 200, 200]
        for page in pages:
            words = text(page.text)
            assert "Done: answer sent." in words or "already received" in words, words
        assert "already received" in text(third.text)
        # the page says which it was, in the reader's language
        french = await applicant.post(
            action, data=data, headers={"Accept-Language": "fr"}, follow_redirects=True
        )
        assert french.status_code == 200
        with use_language(Language.FR):
            said = _("Done: %(what)s.") % {"what": _("answer already received")}
        assert said in text(french.text)
    assert _answers(people, application_id) == ["awaiting_completeness_check"]


async def test_an_other_answer_after_the_first_is_not_recorded_and_says_so(
    people: People,
) -> None:
    application_id, link = await _asked(people, "Answered Apart", "Please send your statutes.")
    async with httpx.AsyncClient(base_url=people.api.base_url, timeout=60) as applicant:
        # the link opened in two tabs: each page has its own form
        tab_one = _form_data((await applicant.get(link)).text, "answer", answer="First answer.")
        tab_two = _form_data((await applicant.get(link)).text, "answer", answer="Second answer.")
        sent = await applicant.post(tab_one.pop("_action"), data=tab_one, follow_redirects=True)
        assert "Done: answer sent." in text(sent.text)
        action = tab_two.pop("_action")
        late = await applicant.post(action, data=tab_two, follow_redirects=True)
        assert late.status_code == 409
        words = text(late.text)
        assert "already answered" in words, words
        assert "this answer was not recorded" in words, words
        # in the reader's language, with the form's answer left unrecorded
        french = await applicant.post(action, data=tab_two, headers={"Accept-Language": "fr"})
        assert french.status_code == 409
        with use_language(Language.FR):
            start = _(ANSWERED_BEFORE).split("%(day)s")[0]
        assert start in text(french.text)
    with people.api.db.reading() as session:
        record = application_repo.get(session, application_id)
    assert record is not None
    assert [r.answer for r in record.information_requests] == ["First answer."]


async def test_the_applicant_is_written_to_in_the_language_it_applied_in(
    people: People,
) -> None:
    async with httpx.AsyncClient(base_url=people.api.base_url, timeout=60) as applicant:
        page = await applicant.get("/apply", headers={"Accept-Language": "fr"})
        fields = {**ORGANISATION, "organisation": "Applied In French"}
        data = _form_data(page.text, "apply", **fields)
        sent = await applicant.post(
            data.pop("_action"), data=data, headers={"Accept-Language": "fr"}
        )
        assert sent.status_code == 303, text(sent.text)
        public = _id_of(sent.headers["location"])
    secretariat = await web(people, SECRETARIAT)
    try:
        form = (await secretariat.get("/web/applications/new")).text
        assert 'id="record-application-language"' in form
        recorded: dict[str, str] = {}
        for organisation, language in (("Recorded In Spanish", "es"), ("Recorded Plainly", "")):
            fields = {**ORGANISATION, "organisation": organisation, "language": language}
            form = (await secretariat.get("/web/applications/new")).text
            data = _form_data(form, "record-application", **fields)
            sent = await secretariat.post(data.pop("_action"), data=data)
            assert sent.status_code == 303, text(sent.text)
            recorded[organisation] = sent.headers["location"].split("?")[0].rsplit("/", 1)[1]
        form = (await secretariat.get("/web/applications/new")).text
        data = _form_data(form, "record-application", **{**ORGANISATION, "language": "xx"})
        refused = await secretariat.post(data.pop("_action"), data=data)
        assert refused.status_code == 422
        assert error_for(refused.text, "record-application-language") != ""
    finally:
        await secretariat.aclose()

    def reads(application_id: str) -> Language | None:
        with people.api.db.reading() as session:
            record = application_repo.get(session, application_id)
        assert record is not None
        return record.applicant.language

    assert reads(public) is Language.FR
    assert reads(recorded["Recorded In Spanish"]) is Language.ES
    assert reads(recorded["Recorded Plainly"]) is None


async def test_the_secretariat_adds_a_person_with_roles_through_the_directory(
    people: People,
) -> None:
    secretariat = await web(people, SECRETARIAT)
    try:
        added = await post_form(
            secretariat,
            "/web/directory/people",
            "add-person",
            id="fp-gov-norland-deputy",
            name="Ines Deputy",
            email="ines.deputy@norland.example.gov",
            member="gov-norland",
            role_focal_point="on",
            reason="second focal point",
        )
        assert added.status_code == 303, text(added.text)
        assert "/web/directory/people?done=" in added.headers["location"]
        listed = text((await secretariat.get("/web/directory/people")).text)
        assert "Ines Deputy" in listed
    finally:
        await secretariat.aclose()
    with people.api.db.reading() as session:
        person = registry_repo.get_person(session, "fp-gov-norland-deputy")
    assert person is not None
    assert person.member == "gov-norland"
    assert {r.value for r in person.roles} == {"focal_point"}


async def test_a_seat_the_registry_refuses_is_shown_beside_the_form_and_not_recorded(
    people: People,
) -> None:
    with people.api.db.reading() as session:
        seats_before = registry_repo.list_seats(session)
    secretariat = await web(people, SECRETARIAT)
    try:
        refused = await post_form(
            secretariat,
            "/web/directory/committee",
            "record-seat",
            member="gov-norland",
            starts="2027-01-01",
            ends="2026-01-01",
        )
        assert refused.status_code in {409, 422}, text(refused.text)
        assert 'class="error"' in refused.text
        assert "Not recorded" in text(refused.text)
        assert error_for(refused.text, "record-seat-ends") == "the term ends before it starts"
    finally:
        await secretariat.aclose()
    with people.api.db.reading() as session:
        assert registry_repo.list_seats(session) == seats_before


async def test_the_secretariat_records_a_chair_term_through_the_directory(people: People) -> None:
    secretariat = await web(people, SECRETARIAT)
    try:
        recorded = await post_form(
            secretariat,
            "/web/directory/committee",
            "record-chair-term",
            member="gov-estavia",
            starts="2031-03-21",
            ends="2032-03-21",
            reason="agreed at the plenary",
        )
        assert recorded.status_code == 303, text(recorded.text)
        page = (await secretariat.get("/web/directory/committee")).text
        # the day as the reader's language writes it, and as machines read it (issue 20)
        assert "21 March 2031" in text(page)
        assert '<time datetime="2031-03-21">' in page
    finally:
        await secretariat.aclose()
    with people.api.db.reading() as session:
        terms = registry_repo.list_chair_terms(session, "gov-estavia")
    assert any(t.starts.year == 2031 for t in terms)
