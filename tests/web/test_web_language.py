"""Choosing one's language in the workspace, and the signed-out pages' switch (issue 20)."""

from __future__ import annotations

import re
from html import unescape

from governance.kernel.languages import Language
from governance.rulebook.label_texts import VPI_LABEL_TEXTS
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.status_links import status_path
from tests.governance.applications.application_cast import under_review
from tests.web.conftest import CHAIR, FOCAL_POINT, Site
from tests.web.html_checks import csrf, error_for, nav_links, text


def _language(site: Site, person: str) -> Language | None:
    with site.db.reading() as session:
        found = registry_repo.get_person(session, person)
    assert found is not None
    return found.language


def test_a_focal_point_chooses_french_and_reads_the_workspace_in_it(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    page = client.get("/web/notifications")
    token = csrf(page.text)
    assert 'id="language-default" name="language" value="default" checked' in page.text
    # each language named in itself, marked as such for screen readers
    assert '<label for="language-zh-Hans" lang="zh-Hans">简体中文</label>' in page.text
    form = {"csrf_token": token, "channels": "default", "email": "immediate"}

    refused = client.post("/web/notifications", data={**form, "language": "klingon"})
    unchanged = _language(site, FOCAL_POINT)
    chosen = client.post("/web/notifications", data={**form, "language": "fr"})
    try:
        work = client.get("/web/my-work")
        preferences = client.get("/web/notifications").text
    finally:
        client.post("/web/notifications", data={**form, "language": "default"})

    assert refused.status_code == 422
    assert error_for(refused.text, "language") == "choose one of the listed languages"
    assert unchanged is None  # a refused form records nothing
    assert chosen.status_code == 200  # followed to the page, now in French
    assert "C'est fait : préférences enregistrées." in text(chosen.text)
    assert '<html lang="fr">' in work.text
    assert work.headers["content-language"] == "fr"
    words = text(work.text)
    assert "Mon travail" in words
    assert "Se déconnecter" in words
    assert "Point focal" in words  # the role, in French
    assert 'id="language-fr" name="language" value="fr" checked' in preferences
    assert _language(site, FOCAL_POINT) is None  # set back for the other tests


def test_a_signed_out_page_follows_the_browser_and_offers_a_switch(site: Site) -> None:
    client = site.client()
    spanish = client.get("/web/sign-in", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    chosen = client.get(
        "/web/sign-in?next=%2Fweb%2Froster&lang=zh-Hans", headers={"Accept-Language": "es"}
    )
    # the choice is kept by this browser; another one follows its own Accept-Language
    kept = client.get("/web/sign-in", headers={"Accept-Language": "es"})
    traditional = site.client().get("/web/sign-in", headers={"Accept-Language": "zh-TW"})

    assert '<html lang="es">' in spanish.text
    assert "Iniciar sesión" in text(spanish.text)
    assert '<html lang="zh-Hans">' in chosen.text  # the switch wins over the browser
    assert "登录" in text(chosen.text)
    # every language's link keeps the rest of the address
    assert nav_links(chosen.text) == [
        f"/web/sign-in?next=%2Fweb%2Froster&lang={tag}" for tag in ("en", "fr", "es", "zh-Hans")
    ]
    assert 'aria-current="true">简体中文</a>' in chosen.text
    assert '<html lang="zh-Hans">' in kept.text
    assert '<html lang="en">' in traditional.text  # Simplified is not served to zh-TW


def test_a_crafted_confirmation_puts_nothing_on_the_page(site: Site) -> None:
    page = site.client().get("/web/sign-in?done=you+have+won&lang=fr")
    assert "you have won" not in page.text
    assert "C'est fait" not in page.text
    signed_out = site.client().get("/web/sign-in?done=signed+out&lang=fr")
    assert "C'est fait : déconnecté." in text(signed_out.text)


def test_the_applicants_status_page_switches_language_keeping_its_link(site: Site) -> None:
    record = under_review()
    record = record.model_copy(update={"id": "app-status-language", "version": record.version + 1})
    with site.db.writing() as session:
        application_repo.save(session, record)
    path = status_path(site.app.state.govsched.ids, record.id)
    chinese = site.client().get(path, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    french = site.client().get(f"{path}?lang=fr")

    assert '<html lang="zh-Hans">' in chinese.text
    assert "指导委员会审议" in text(chinese.text)  # the stage, in the Strategy's own term
    assert f'href="{path}?lang=fr"' in chinese.text  # the switch keeps the private link
    words = text(french.text)
    assert "Examen par le Comité directeur" in words
    assert record.applicant.organisation in words  # what the applicant wrote, as written
    assert "en cours d'examen" in words  # the state, in French


def test_my_work_names_milestones_and_handover_items_as_the_rulebook_does_in_the_readers_language(
    site: Site,
) -> None:
    """A milestone's or a handover item's title is a rulebook label (the Chair's handover
    items, the Steering Committee's strategy review): in Chinese it reads as the rulebook
    names it in Chinese, as on the year's page, not in English."""
    client = site.client(CHAIR)
    english = _card_titles(client.get("/web/my-work").text)
    page = client.get("/web/notifications")
    form = {"csrf_token": csrf(page.text), "channels": "default", "email": "immediate"}
    client.post("/web/notifications", data={**form, "language": "zh-Hans"})
    try:
        chinese = _card_titles(client.get("/web/my-work").text)
    finally:
        client.post("/web/notifications", data={**form, "language": "default"})

    labelled = [title for title in english if title in VPI_LABEL_TEXTS]
    # the demo's Chair owns handover items and, on the Steering Committee, its milestones
    assert "Steering Committee contacts" in labelled
    assert "Yearly strategy review" in labelled
    for title in labelled:
        assert VPI_LABEL_TEXTS[title][Language.ZH] in chinese, title
        assert title not in chinese
    assert len(chinese) == len(english)


def _card_titles(html: str) -> list[str]:
    return [
        unescape(title)
        for title in re.findall(r'<li class="card[^"]*">\s*<h3><a href="[^"]*">([^<]*)</a>', html)
    ]
