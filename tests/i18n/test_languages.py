"""Negotiating a signed-out reader's language, locale formats, the pseudo-locale (issue 20)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.languages import Language, reading_language
from governance.kernel.model import Pillar
from govsched import i18n
from govsched.http.web.labels import words
from govsched.i18n import formatting
from govsched.i18n.catalogs import PSEUDO_CLOSE, PSEUDO_OPEN, pseudo_text
from govsched.i18n.negotiation import negotiate


def test_the_browser_s_ranking_decides_among_our_languages() -> None:
    assert negotiate("fr-CA,fr;q=0.9,en;q=0.8", Language.EN) is Language.FR
    assert negotiate("de-DE,es;q=0.5,en;q=0.7", Language.EN) is Language.EN
    assert negotiate("de-DE,es;q=0.9,en;q=0.7", Language.EN) is Language.ES
    assert negotiate("zh-CN,zh;q=0.9", Language.EN) is Language.ZH
    assert negotiate("zh-Hans", Language.FR) is Language.ZH
    # Traditional script: not served Simplified Chinese by default
    assert negotiate("zh-TW", Language.FR) is Language.FR
    assert negotiate("es;q=0, en", Language.FR) is Language.EN
    assert negotiate(None, Language.ES) is Language.ES
    assert negotiate("*", Language.ES) is Language.ES


@given(st.text(max_size=600))
def test_any_header_gives_one_of_our_languages(header: str) -> None:
    assert negotiate(header, Language.EN) in set(Language)


def test_a_person_reads_their_choice_else_the_initiative_s_default() -> None:
    assert reading_language(None, Language.ES) is Language.ES
    assert reading_language(Language.ZH, Language.ES) is Language.ZH


def test_dates_numbers_and_lists_as_each_locale_writes_them() -> None:
    day = date(2027, 5, 18)
    assert formatting.day(day, Language.EN) == "18 May 2027"
    assert formatting.day(day, Language.FR) == "18 mai 2027"
    assert formatting.day(day, Language.ES) == "18 de mayo de 2027"
    assert formatting.day(day, Language.ZH) == "2027年5月18日"
    assert formatting.number(12345.5, Language.FR) == "12\u202f345,5"
    assert formatting.items(["A", "B", "C"], Language.ES) == "A, B y C"
    assert formatting.items(["A", "B", "C"], Language.ZH) == "A、B和C"
    instant = datetime(2027, 3, 14, 14, 30, tzinfo=UTC)
    assert "10:30" in formatting.clock(instant, "America/Toronto", Language.FR)


def test_the_reader_s_language_follows_the_block_and_plurals_follow_the_language() -> None:
    with i18n.use_language(Language.FR):
        assert i18n.gettext("Sign out") == "Se déconnecter"
        with i18n.use_language(Language.ZH):
            assert i18n.gettext("Sign out") == "退出登录"
        assert i18n.current_language() is Language.FR
    assert i18n.current_language() is Language.EN
    assert i18n.gettext("Sign out") == "Sign out"


def test_the_pseudo_locale_marks_text_and_keeps_placeholders() -> None:
    assert pseudo_text("Report due %(day)s for {member}") == "⟦Répört dûé %(day)s för {member}⟧"
    with i18n.use_language(Language.EN, pseudo=True):
        said = i18n.gettext("Sign out")
    assert said.startswith(PSEUDO_OPEN)
    assert said.endswith(PSEUDO_CLOSE)


def test_the_ngo_pillar_reads_as_an_acronym_in_english() -> None:
    """The value is `ngo`; English readers read "NGO", the others their own (ONG, 非政府组织)."""
    expected = {
        Language.EN: "NGO",
        Language.FR: "ONG",
        Language.ES: "ONG",
        Language.ZH: "非政府组织",
    }
    for language, written in expected.items():
        with i18n.use_language(language):
            assert words("ngo") == written
            assert words(Pillar.NGO) == written
