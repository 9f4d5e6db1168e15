"""The pictures in the reader's language (issue 20), without a server: the words of each
picture come through the catalog, its months and numbers are the reader's locale's (in the
table and in what Vega draws itself), and one language's drawing is never served to another."""

from __future__ import annotations

import re
from datetime import date, timedelta

from babel.dates import format_skeleton
from babel.numbers import parse_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.applications.model import ApplicationState
from governance.concerns.model import ConcernState
from governance.kernel.languages import Language
from govsched.http.web.charts import concerns, picture, pipeline, reporting, timeline
from govsched.i18n.catalogs import PSEUDO_CLOSE, PSEUDO_OPEN
from govsched.i18n.current import use_language
from govsched.i18n.formatting import babel_locale
from tests.web import svg_marks as svg
from tests.web.test_pictures import TODAY, TZ, _at, _history, _year_events

_INNERMOST = re.compile(
    re.escape(PSEUDO_OPEN) + "[^" + PSEUDO_OPEN + PSEUDO_CLOSE + "]*" + re.escape(PSEUDO_CLOSE)
)


def _outside_the_catalog(text: str) -> str:
    """What is left of `text` once every bracketed message (innermost first) is taken out."""
    while (fewer := _INNERMOST.sub(" ", text)) != text:
        text = fewer
    return text


def _cases() -> list[concerns.MonthCount]:
    histories = [
        _history(date(2026, 1, 10), (5, ConcernState.DIALOGUE), (120, ConcernState.DECIDED)),
        _history(date(2026, 11, 28)),
    ]
    return concerns.months(histories, TODAY, TZ)


def _pictures() -> list[picture.Picture]:
    stages = pipeline.stages([(ApplicationState.UNDER_REVIEW, 12), (ApplicationState.LAPSED, None)])
    cells = [reporting.Cell("gov-a", 2026, reporting.MISSED)]
    loads = [reporting.Load("co-b", 1, 2, 0)]
    return [
        concerns.picture(_cases()),
        pipeline.picture(stages),
        reporting.grid_picture(cells, {"gov-a": "Norland"}),
        reporting.load_picture(loads, {"co-b": "Aurum"}, 2026),
        timeline.picture(_year_events(_at(TODAY)), TODAY),
    ]


def test_in_the_pseudo_locale_a_pictures_own_words_all_come_through_the_catalog() -> None:
    with use_language(Language.EN, pseudo=True):
        drawn = _pictures()
    for p in drawn:
        for words in (p.title, p.table.caption, *p.table.headers):
            if not words.isdigit():  # a year heading a column is data
                assert words.startswith(PSEUDO_OPEN), (p.key, words)
        # what the summary leaves outside the brackets is data: counts, days, names, dates
        left = _outside_the_catalog(p.summary)
        assert not re.search(r"\b(?:the|of|in|is|and|no|now)\b", left, re.I), (p.key, left)


def test_a_drawing_is_made_once_per_language_and_never_served_to_another() -> None:
    found = _cases()
    with use_language(Language.EN):
        english = concerns.picture(found)
    with use_language(Language.FR):
        french = concerns.picture(found)
    with use_language(Language.EN):
        again = concerns.picture(found)
    assert (again.wide, again.narrow, again.title) == (english.wide, english.narrow, english.title)
    assert french.wide != english.wide
    assert french.title != english.title
    drawn = svg.texts_everywhere(str(french.narrow))
    assert "déc. 2026" in drawn  # the month axis, as French abbreviates it
    assert "Dec" not in drawn


@given(st.sampled_from(list(Language)))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_timeline_axis_writes_months_as_the_readers_locale_does(language: Language) -> None:
    events = _year_events(_at(TODAY))
    with use_language(language):
        drawn = timeline.picture(events, TODAY)
    texts = svg.texts_everywhere(str(drawn.wide))
    locale = babel_locale(language)
    months = {TODAY.replace(day=1) + timedelta(days=31 * n) for n in range(1, 4)}
    # the axis shows the months between today and the plenary: at least one written the
    # locale's own way (its abbreviation, or the year-and-month of Chinese)
    own = (
        {f"{m.year}年{m.month}月" for m in months}
        if language is Language.ZH
        else {locale.months["format"]["abbreviated"][m.month] for m in months}
    )
    assert any(name in texts for name in own), (language, own)


@given(
    st.sampled_from(list(Language)),
    st.lists(
        st.tuples(
            st.dates(date(2024, 1, 1), date(2026, 12, 31)),
            st.lists(
                st.tuples(st.integers(0, 400), st.sampled_from(list(ConcernState))), max_size=3
            ),
        ),
        min_size=1,
        max_size=1200,
    ),
)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_concerns_table_adds_up_in_every_language(
    language: Language, cases: list[tuple[date, list[tuple[int, ConcernState]]]]
) -> None:
    """Counts written with the locale's digits and grouping (`1 200`, `1,200`) still add up to
    the month's total, and each month is named as the locale names it."""
    found = concerns.months([_history(d, *sorted(s)) for d, s in cases], TODAY, TZ)
    locale = babel_locale(language)
    with use_language(language):
        table = concerns.table(found)
    months = sorted({m.month for m in found})
    assert [row[0] for row in table.rows] == [
        format_skeleton("yMMMM", m, locale=locale) for m in months
    ]
    for row in table.rows:
        counts = [parse_decimal(cell, locale=locale) for cell in row[1:]]
        assert sum(counts[:-1]) == counts[-1]
