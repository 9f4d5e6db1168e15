"""The indicators page's words for two years measured with different sets, in the reader's
language (issue 20): the note names both sets and how many indicators were left out, and each
left-out indicator's reason is the one governance found, worded through the catalog."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.languages import Language
from governance.kernel.model import Pillar
from governance.reports.indicators.comparison import compare
from governance.reports.indicators.model import IndicatorSet
from govsched.http.web import indicator_comparison_words as words
from govsched.i18n.catalogs import PSEUDO_CLOSE, PSEUDO_OPEN
from govsched.i18n.current import use_language
from tests.governance.reports.indicator_strategies import indicator_lists

OTHERS = [Language.FR, Language.ES, Language.ZH]


def _set(version: str, year: int, indicators: list[dict[str, Any]]) -> IndicatorSet:
    return IndicatorSet.model_validate(
        {"version": version, "from_year": year, "pillars": {Pillar.GOVERNMENT: indicators}}
    )


@st.composite
def two_sets(draw: st.DrawFn) -> tuple[IndicatorSet, IndicatorSet]:
    earlier = draw(indicator_lists())
    # the later set keeps some indicators (perhaps retyped), drops others and adds new ones
    kept = draw(st.lists(st.sampled_from(earlier), unique_by=lambda d: d["key"]))
    added = [
        d for d in draw(indicator_lists(min_size=0)) if d["key"] not in {k["key"] for k in kept}
    ]
    return _set("vpi-2026", 2026, earlier), _set("vpi-2027", 2027, kept + added)


@given(two_sets(), st.sampled_from(OTHERS))
def test_the_note_and_each_reason_read_in_the_readers_language(
    sets: tuple[IndicatorSet, IndicatorSet], language: Language
) -> None:
    earlier, later = sets
    comparison = compare(earlier, [], later, [])
    with use_language(Language.EN):
        english_note = words.note(comparison)
        english = [words.reason(x, earlier, later) for x in comparison.left_out]
    with use_language(language):
        note = words.note(comparison)
        reasons = [words.reason(x, earlier, later) for x in comparison.left_out]
    assert note is not None
    assert english_note is not None
    for stated in ("vpi-2026", "vpi-2027", str(len(comparison.left_out))):
        assert stated in note
    assert note != english_note
    assert all(ours != theirs for ours, theirs in zip(reasons, english, strict=True))
    for x, said in zip(comparison.left_out, english, strict=True):
        # the same reason governance found, in words
        if x.reason.startswith("its type changed"):
            assert said.startswith("its type changed from")
        else:
            assert said == x.reason


@given(two_sets())
def test_every_word_of_the_comparison_goes_through_the_catalog(
    sets: tuple[IndicatorSet, IndicatorSet],
) -> None:
    earlier, later = sets
    comparison = compare(earlier, [], later, [])
    with use_language(Language.EN, pseudo=True):
        said = [words.note(comparison) or ""]
        said += [words.reason(x, earlier, later) for x in comparison.left_out]
    for sentence in said:
        assert sentence.startswith(PSEUDO_OPEN), sentence
        assert sentence.endswith(PSEUDO_CLOSE), sentence


def test_the_same_set_in_both_years_needs_no_note() -> None:
    only = _set("vpi-2026", 2026, [])
    assert words.note(compare(only, [], only, [])) is None
