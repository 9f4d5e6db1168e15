"""The public application form, the status link and the directory, read and refused without
Temporal (tests/web/test_web_intake_actions.py carries the accepted forms through the worker)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from governance.applications.model import ApplicationState, InformationRequest
from govsched.persistence.repos import applications as application_repo
from govsched.services.status_links import status_path
from tests.governance.applications.application_cast import admission, under_review
from tests.web.conftest import FOCAL_POINT, SECRETARIAT, Site
from tests.web.html_checks import error_for, field_value, hidden, nav_links, text, unlabelled
from tests.web.test_web_actions import _form_data

GOOD = {
    "organisation": "Lantern Rights Watch",
    "pillar": "ngo",
    "country": "Estavia",
    "contact_email": "apply@lantern.example.org",
    "statement": "We monitor security and human rights in extractive regions.",
    "documents": "https://lantern.example.org/annual-report.pdf",
}


def _apply(client: TestClient, **fields: str) -> tuple[str, dict[str, str]]:
    page = client.get("/apply")
    assert page.status_code == 200
    data = _form_data(page.text, "apply", **fields)
    return data.pop("_action"), data


def _applications(site: Site) -> int:
    with site.db.reading() as session:
        return len(application_repo.records(session, None, None, None))


def test_the_public_form_is_signed_out_labelled_and_private(site: Site) -> None:
    client = site.client()
    page = client.get("/apply")
    assert page.status_code == 200
    assert "Apply to join" in text(page.text)
    # no workspace navigation for the public: only the language switch (issue 20)
    assert all("lang=" in link for link in nav_links(page.text))
    assert unlabelled(page.text) == []
    assert page.headers["Cache-Control"] == "no-store"
    assert "noindex" in page.headers["X-Robots-Tag"]
    # the bot trap is hidden from people and screen readers alike
    assert re.search(r'<div hidden>\s*<label for="website">', page.text)


def test_a_refused_public_form_shows_each_reason_beside_its_field_and_records_nothing(
    site: Site,
) -> None:
    client = site.client()
    before = _applications(site)
    documents = "https://ok.example.org/a.pdf\nftp://files.example.org/b.pdf"
    typed = {**GOOD, "organisation": "", "contact_email": "not an address", "documents": documents}
    action, data = _apply(client, **typed)
    response = client.post(action, data=data)
    assert response.status_code == 422
    html = response.text
    assert error_for(html, "apply-organisation") == "this is required"
    assert error_for(html, "apply-contact_email") != ""
    assert error_for(html, "apply-documents") == "line 2: a link starting with http:// or https://"
    assert "Nothing was recorded" in text(html)
    # what was typed is kept, and the same submission nonce: sending again cannot record twice
    assert field_value(html, "apply-country") == "Estavia"
    assert "ftp://files.example.org/b.pdf" in html
    assert hidden(html, "submission") == data["submission"]
    assert _applications(site) == before


def test_hostile_text_is_refused_naming_the_field(site: Site) -> None:
    client = site.client()
    action, data = _apply(client, **{**GOOD, "statement": "fine until here\x00then NUL"})
    response = client.post(action, data=data)
    assert response.status_code == 422
    reason = error_for(response.text, "apply-statement")
    assert reason == "must not contain control characters other than tabs and line breaks"


def test_a_form_without_its_cookie_or_with_the_trap_filled_records_nothing(site: Site) -> None:
    before = _applications(site)
    client = site.client()
    action, data = _apply(client, **GOOD)
    stranger = TestClient(site.app)  # another browser: the form's token is not its cookie's
    refused = stranger.post(action, data=data)
    assert refused.status_code == 403
    assert "expired" in text(refused.text)
    bot = client.post(action, data={**data, "website": "https://spam.example"})
    assert bot.status_code == 422
    assert "could not be accepted" in text(bot.text)
    assert _applications(site) == before


def test_one_address_is_held_back_after_too_many_attempts(site: Site) -> None:
    from govsched.http.web.public_rate import ATTEMPTS_PER_HOUR

    client = site.client()
    action, data = _apply(client, **{**GOOD, "organisation": ""})
    site.app.state.public_form_limiter = None  # a fresh count for this test
    statuses = [client.post(action, data=data).status_code for _ in range(ATTEMPTS_PER_HOUR)]
    assert set(statuses) == {422}
    held = client.post(action, data=data)
    assert held.status_code == 429
    assert "Too many attempts" in text(held.text)
    site.app.state.public_form_limiter = None


def _store(site: Site, record: object) -> None:
    with site.db.writing() as session:
        application_repo.save(session, record)  # type: ignore[arg-type]


def test_the_status_link_shows_state_next_step_and_date_never_the_review(site: Site) -> None:
    record = under_review()
    record = record.model_copy(update={"id": "app-status-review", "version": record.version + 1})
    _store(site, record)
    ids = site.app.state.govsched.ids
    client = site.client()
    page = client.get(status_path(ids, record.id))
    assert page.status_code == 200, page.text
    words = text(page.text)
    assert record.applicant.organisation in words
    assert "under review" in words
    assert record.deadline is not None
    assert f'datetime="{record.deadline.due_date}"' in page.text
    assert 'aria-current="step"' in page.text
    for reviewer in record.reviewers:
        assert reviewer not in page.text
    for rec in record.recommendations:
        assert not rec.comment or rec.comment not in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"


def test_a_wrong_token_reads_exactly_like_an_unknown_application(site: Site) -> None:
    record = admission().model_copy(update={"id": "app-status-token"})
    _store(site, record)
    client = site.client()
    wrong = client.get(f"/apply/status/{record.id}/{'0' * 32}")
    unknown = client.get(f"/apply/status/app-nobody/{'0' * 32}")
    assert wrong.status_code == unknown.status_code == 404
    assert text(wrong.text) == text(unknown.text)
    assert record.applicant.organisation not in wrong.text


def test_the_status_link_shows_the_secretariats_question_with_a_form_to_answer(
    site: Site,
) -> None:
    at = datetime(2027, 2, 3, 15, 0, tzinfo=UTC)
    asked = InformationRequest(
        question="Please send your latest annual report.",
        asked_at=at,
        asked_by=SECRETARIAT,
        due_date=at.date(),
    )
    record = admission().model_copy(
        update={
            "id": "app-status-question",
            "state": ApplicationState.INFORMATION_REQUESTED,
            "information_requests": (asked,),
        }
    )
    _store(site, record)
    client = site.client()
    page = client.get(status_path(site.app.state.govsched.ids, record.id))
    assert "Please send your latest annual report." in text(page.text)
    assert 'id="answer-answer"' in page.text
    assert unlabelled(page.text) == []
    # an empty answer is refused beside the field, without reaching the workflow
    data = _form_data(page.text, "answer", answer="")
    action = data.pop("_action")
    refused = client.post(action, data=data)
    assert refused.status_code == 422
    assert error_for(refused.text, "answer-answer") == "this is required"


def test_the_secretariat_finds_the_intake_form_and_the_status_link(site: Site) -> None:
    record = admission().model_copy(update={"id": "app-status-shown"})
    _store(site, record)
    client = site.client(SECRETARIAT)
    assert "/web/applications/new" in client.get("/web/applications").text
    form = client.get("/web/applications/new")
    assert form.status_code == 200
    assert unlabelled(form.text) == []
    link = status_path(site.app.state.govsched.ids, record.id)
    assert link in client.get(f"/web/applications/{record.id}").text
    # a refused intake records nothing and shows the reason beside the field
    before = _applications(site)
    data = _form_data(form.text, "record-application", **{**GOOD, "pillar": "banks"})
    refused = client.post(data.pop("_action"), data=data)
    assert refused.status_code == 422
    assert "government" in error_for(refused.text, "record-application-pillar")
    assert _applications(site) == before


def test_only_the_secretariat_records_applications_or_sees_status_links(site: Site) -> None:
    record = admission().model_copy(update={"id": "app-status-hidden"})
    _store(site, record)
    client = site.client(FOCAL_POINT)
    assert client.get("/web/applications/new").status_code == 403
    assert "/web/applications/new" not in client.get("/web/applications").text
    assert "/apply/status/" not in client.get("/web/applications").text


def test_the_status_link_shows_stored_text_without_bidi_controls(site: Site) -> None:
    record = admission()
    hostile = record.applicant.model_copy(update={"organisation": "Acme \u202egnissecorp"})
    record = record.model_copy(update={"id": "app-status-bidi", "applicant": hostile})
    _store(site, record)
    page = site.client().get(status_path(site.app.state.govsched.ids, record.id))
    assert page.status_code == 200
    assert "\u202e" not in page.text
    assert "Acme gnissecorp" in text(page.text)


def test_a_form_posted_with_no_submission_nonce_records_nothing(site: Site) -> None:
    before = _applications(site)
    client = site.client()
    action, data = _apply(client, **GOOD)
    response = client.post(action, data={**data, "submission": "x"})
    assert response.status_code == 422
    assert "expired" in text(response.text)
    assert _applications(site) == before


def test_the_status_link_gives_the_next_step_in_the_readers_language(site: Site) -> None:
    """The next step is governance's sentence, written in the page's language (issue 20)."""
    record = under_review()
    record = record.model_copy(update={"id": "app-status-lang", "version": record.version + 1})
    _store(site, record)
    address = status_path(site.app.state.govsched.ids, record.id)
    client = site.client()
    french = text(client.get(address, params={"lang": "fr"}).text)
    # a browser of its own: a language chosen with `lang` is kept by the one that chose it
    chinese_browser = site.client()
    chinese = text(chinese_browser.get(address, headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text)
    english = text(client.get(address, params={"lang": "en"}).text)
    assert "Le Comité directeur examine la candidature d'ici le" in french
    assert "指导委员会于" in chinese
    assert "审议申请" in chinese
    assert "The Steering Committee reviews the application by" in english


def test_a_language_chosen_on_the_form_stays_through_its_refusal(site: Site) -> None:
    """Found by a review: the switch's `?lang=fr` reached the form's page only; its refusal,
    the status page and the email that follow were in the browser's language."""
    client = site.client()
    page = client.get("/apply?lang=fr", headers={"Accept-Language": "en"})
    assert page.headers["content-language"] == "fr"
    data = _form_data(page.text, "apply", **{**GOOD, "organisation": ""})
    action = data.pop("_action")
    assert "lang=" not in action
    refused = client.post(action, data=data, headers={"Accept-Language": "en"})
    assert refused.status_code == 422
    assert refused.headers["content-language"] == "fr"
    assert error_for(refused.text, "apply-organisation") == "ce champ est obligatoire"
    # another choice on the switch replaces it
    assert client.get("/apply?lang=es").headers["content-language"] == "es"
    assert client.get("/apply").headers["content-language"] == "es"


def test_the_status_link_names_the_plenary_asked_to_ratify_never_its_id(site: Site) -> None:
    record = admission().model_copy(
        update={
            "id": "app-status-ratify",
            "state": ApplicationState.PROVISIONALLY_ADMITTED,
            "ratification_plenary": "plenary-2027",
            "outcome": ApplicationState.PROVISIONALLY_ADMITTED,
            "decided_at": datetime(2026, 12, 1, tzinfo=UTC),
        }
    )
    _store(site, record)
    page = site.client().get(status_path(site.app.state.govsched.ids, record.id))
    assert page.status_code == 200, page.text
    assert "plenary-2027" not in page.text
    assert "Next step: Ratification at VPI 2027 Annual Plenary." in text(page.text)


def test_an_expired_answer_form_says_so_once(site: Site) -> None:
    asked = InformationRequest(
        question="Please send your statutes.",
        asked_by=SECRETARIAT,
        asked_at=datetime(2026, 12, 1, tzinfo=UTC),
        due_date=datetime(2026, 12, 31, tzinfo=UTC).date(),
    )
    record = admission().model_copy(
        update={
            "id": "app-status-expired",
            "state": ApplicationState.INFORMATION_REQUESTED,
            "information_requests": (asked,),
        }
    )
    _store(site, record)
    client = site.client()
    page = client.get(status_path(site.app.state.govsched.ids, record.id))
    data = _form_data(page.text, "answer", answer="Here they are.")
    action = data.pop("_action")
    refused = client.post(action, data={**data, "csrf_token": "forged"})
    assert refused.status_code == 403
    words = text(refused.text)
    assert words.count("The form expired") == 1, words
    assert ".." not in words
