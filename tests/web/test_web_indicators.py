"""Impact indicators in the web workspace (issue 22): the member's form refuses beside each field
and records nothing, a reviewer reads the values beside the report and comments per indicator,
the comparison page and the public page show aggregates as each reader may see them, the
Secretariat's exports read back alike, and the comparison goes on the plenary agenda."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import openpyxl

from governance.kernel.languages import Language
from governance.reports.cycle import Review
from govsched.http.web.charts.indicators import nothing_shown_text
from govsched.i18n.current import use_language
from govsched.persistence.repos import indicators as indicator_repo
from govsched.persistence.repos import reports as report_repo
from govsched.services import published_agenda as agenda
from tests.web.conftest import FOCAL_POINT, SECRETARIAT, STEERING_COMMITTEE, Site
from tests.web.html_checks import csrf, error_for, nav_links, text, unlabelled

YEAR = 2026  # the demo registry's cycle
MEMBER = "gov-lusmark"
FORM = f"indicators-{YEAR}-{MEMBER}"
PAGE = f"/web/reports/{YEAR}/report?member={MEMBER}"


def _post(client: object, page: str, action: str, form_id: str, **fields: str) -> object:
    html = client.get(page).text  # type: ignore[attr-defined]
    data = {"csrf_token": csrf(html), "back": page, "form_id": form_id, **fields}
    return client.post(action, data=data, follow_redirects=False)  # type: ignore[attr-defined]


def test_the_form_refuses_beside_each_field_then_takes_the_values(site: Site) -> None:
    client = site.client(FOCAL_POINT)
    page = client.get(PAGE).text
    assert f'id="{FORM}"' in page
    assert unlabelled(page) == []
    refused = _post(
        client,
        PAGE,
        f"/web/reports/{YEAR}/indicators",
        FORM,
        member=MEMBER,
        **{"indicators.host_government_outreach": "-3", "indicators.national_action_plan": ""},
    )
    assert refused.status_code == 422  # type: ignore[attr-defined]
    html = refused.text  # type: ignore[attr-defined]
    assert "below the minimum" in error_for(html, f"{FORM}-indicators.host_government_outreach")
    assert "required" in error_for(html, f"{FORM}-indicators.national_action_plan")
    with site.db.reading() as session:
        assert indicator_repo.get(session, YEAR, MEMBER) is None
    taken = _post(
        client,
        PAGE,
        f"/web/reports/{YEAR}/indicators",
        FORM,
        member=MEMBER,
        **{
            "indicators.host_government_outreach": "3",
            "indicators.national_action_plan": "adopted",
            "indicators.implementation_funding": "5000",
            "currency.implementation_funding": "EUR",
        },
    )
    assert taken.status_code == 303  # type: ignore[attr-defined]
    with site.db.reading() as session:
        kept = indicator_repo.get(session, YEAR, MEMBER)
    assert kept is not None
    assert kept.submitted == {
        "host_government_outreach": 3,
        "national_action_plan": "adopted",
        "implementation_funding": {"amount": "5000", "currency": "EUR"},
    }
    shown = text(client.get(PAGE).text)
    assert "5000 EUR" in shown


def test_a_reviewer_reads_the_values_and_comments_per_indicator(site: Site) -> None:
    with site.db.writing() as session:
        at = datetime(2026, 4, 1, tzinfo=UTC)
        review = Review(
            year=YEAR, report_of=MEMBER, reviewer="gov-estavia", reason="test", assigned_at=at
        )
        report_repo.add_reviews(session, [review])
    reviewer = site.client(STEERING_COMMITTEE)
    page = f"/web/reports/{YEAR}/reviews/{MEMBER}?reviewer=gov-estavia"
    html = reviewer.get(page).text
    assert "impact indicators" in text(html)
    assert unlabelled(html) == []
    form_id = f"indicator-comment-{YEAR}-{MEMBER}"
    action = f"/web/reports/{YEAR}/{MEMBER}/indicator-comments"
    empty = _post(reviewer, page, action, form_id, reviewer="gov-estavia", key="nope", text="")
    assert empty.status_code == 422  # type: ignore[attr-defined]
    sent = _post(
        reviewer,
        page,
        action,
        form_id,
        reviewer="gov-estavia",
        key="host_government_outreach",
        text="Which host governments?",
    )
    assert sent.status_code == 303  # type: ignore[attr-defined]
    # the member reads the comment with the review, once the review is in
    member = site.client(FOCAL_POINT)
    assert "Which host governments?" not in text(member.get(PAGE).text)
    with site.db.writing() as session:
        done = review.model_copy(
            update={"submitted_at": at, "submitted_by": "fp-gov-estavia", "url": "https://r.org"}
        )
        report_repo.record_review(session, done)
    assert "Government of Estavia: Which host governments?" in text(member.get(PAGE).text)


def test_pictures_public_page_exports_and_the_agenda(site: Site) -> None:
    member = site.client(FOCAL_POINT)
    secretariat = site.client(SECRETARIAT)
    mine = member.get(f"/web/indicators?year={YEAR}").text
    whole = secretariat.get(f"/web/indicators?year={YEAR}").text
    public = site.client().get(f"/public/indicators?year={YEAR}")
    assert public.status_code == 200
    for html in (mine, whole, public.text):
        assert 'id="picture-indicators-government"' in html
        assert unlabelled(html) == []
    # one member gave values: hidden from the member and the public, whole for the Secretariat
    assert "hidden or none" in text(public.text)
    assert "export.csv" in whole
    assert "export.csv" not in mine
    assert member.get(f"/web/indicators/{YEAR}/export.csv").status_code == 403
    rows = list(csv.reader(io.StringIO(secretariat.get(f"/web/indicators/{YEAR}/export.csv").text)))
    book = openpyxl.load_workbook(
        io.BytesIO(secretariat.get(f"/web/indicators/{YEAR}/export.xlsx").content), read_only=True
    )
    assert rows == [[c or "" for c in row] for row in book["values"].iter_rows(values_only=True)]
    put = _post(
        secretariat,
        f"/web/indicators?year={YEAR}&earlier={YEAR - 1}",
        f"/web/indicators/{YEAR}/agenda",
        f"indicators-agenda-{YEAR}",
        earlier=str(YEAR - 1),
    )
    assert put.status_code == 303  # type: ignore[attr-defined]
    items = agenda.book(site.db, f"plenary-{YEAR}").items
    assert any(i.title == f"Impact indicators: {YEAR - 1} and {YEAR} compared" for i in items)


def test_the_indicator_pages_read_in_the_readers_language(site: Site) -> None:
    """Issue 20: the public page follows the switch and the browser; a French-speaking focal
    point's report page shows the indicators' table and form in French."""
    public = site.client()
    french = public.get(f"/public/indicators?year={YEAR}&lang=fr")
    # another browser (this one keeps the language chosen with `lang`)
    chinese = site.client().get(
        f"/public/indicators?year={YEAR}", headers={"Accept-Language": "zh-CN"}
    )
    assert '<html lang="fr">' in french.text
    assert f"Indicateurs d'impact {YEAR}" in text(french.text)
    assert "Comment lire ces chiffres" in text(french.text)
    # the pictures' words too: the caption, and a cell kept from the public
    assert f"Le pilier gouvernement, {YEAR - 1} et {YEAR}." in text(french.text)
    assert "masqué ou aucun" in text(french.text)
    assert f"/public/indicators?year={YEAR}&lang=es" in nav_links(french.text)  # the switch
    assert '<html lang="zh-Hans">' in chinese.text
    assert f"{YEAR}年影响指标" in text(chinese.text)

    client = site.client(FOCAL_POINT)
    preferences = "/web/notifications"
    form = {"csrf_token": csrf(client.get(preferences).text), "channels": "default"}
    client.post(preferences, data={**form, "email": "immediate", "language": "fr"})
    try:
        page = text(client.get(PAGE).text)
    finally:
        client.post(preferences, data={**form, "email": "immediate", "language": "default"})
    assert "Indicateurs d'impact" in page
    assert "Enregistrer les indicateurs" in page
    assert "Enregistrer comme brouillon (les valeurs obligatoires peuvent attendre)" in page
    assert "Save the indicators" not in page


def test_a_year_without_values_says_so_instead_of_drawing_empty_axes(site: Site) -> None:
    """Issue 19: nothing to draw for the year: each picture's place says why, in the reader's
    language, never empty axes. The Secretariat sees every count, so it reads that no value was
    reported, and no table of noughts; the public is not told how many members gave values (too
    few are hidden, nought among them), so it reads that none can be shown, beside the table
    whose every cell is "hidden or none"."""
    empty = YEAR + 5
    places = sorted(
        f"indicators-{pillar}{part}"
        for pillar in ("government", "company", "ngo")
        for part in ("", "-countries")
    )
    whole = site.client(SECRETARIAT).get(f"/web/indicators?year={empty}").text
    assert sorted(re.findall(r'<figure class="no-values" id="picture-([\w-]+)"', whole)) == places
    assert text(whole).count(f"No values reported for {empty} yet.") == 6
    assert "<svg" not in whole
    assert "<table" not in whole
    assert unlabelled(whole) == []

    public = site.client().get(f"/public/indicators?year={empty}").text
    assert sorted(re.findall(r'<figure class="no-values" id="picture-([\w-]+)"', public)) == places
    assert text(public).count(f"No figure for {empty} can be shown") == 6
    assert "<svg" not in public
    # the year-on-year tables list each indicator's cells; per country there is no row to list
    assert public.count("<table") == 3
    cells = re.findall(r"<td>([^<]*)</td>", public)
    assert cells
    assert set(cells) <= {"All countries", "members giving a value", "hidden or none"}
    assert unlabelled(public) == []

    french = text(site.client().get(f"/public/indicators?year={empty}&lang=fr").text)
    assert french.count(f"Aucun chiffre pour {empty} ne peut être affiché") == 6
    with use_language(Language.ES):
        assert nothing_shown_text([], empty) == (
            f"Aún no se ha declarado ningún valor para {empty}.",
            False,
        )
    # a year with values draws its chart as before (the member's values of the first test)
    drawn = site.client(SECRETARIAT).get(f"/web/indicators?year={YEAR}").text
    assert 'figure class="picture" id="picture-indicators-government"' in drawn
