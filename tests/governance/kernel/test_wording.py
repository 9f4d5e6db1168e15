"""Dates and periods in the plain words members read."""

from __future__ import annotations

from datetime import date

import pytest

from governance.kernel.wording import date_range_text, day_text, listing, with_article


def test_a_day_is_written_day_month_year() -> None:
    assert day_text(date(2027, 5, 8)) == "8 May 2027"


def test_a_one_day_range_is_on_that_day() -> None:
    assert date_range_text(date(2027, 5, 18), date(2027, 5, 18)) == "on 18 May 2027"


def test_a_range_within_a_month_names_the_month_once() -> None:
    assert date_range_text(date(2027, 5, 18), date(2027, 5, 21)) == "from 18 to 21 May 2027"


def test_a_range_across_months_names_both_months_and_the_year_once() -> None:
    assert date_range_text(date(2027, 4, 30), date(2027, 5, 3)) == "from 30 April to 3 May 2027"


def test_a_range_across_years_names_both_years() -> None:
    assert (
        date_range_text(date(2027, 12, 30), date(2028, 1, 2))
        == "from 30 December 2027 to 2 January 2028"
    )


def test_the_same_month_in_different_years_names_both_years() -> None:
    assert date_range_text(date(2027, 5, 18), date(2028, 5, 21)) == (
        "from 18 May 2027 to 21 May 2028"
    )


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("full", "a full"),
        ("engaged", "an engaged"),
        ("inactive", "an inactive"),
        ("observer", "an observer"),
        ("Annual Plenary", "an Annual Plenary"),
        ("withdrawn", "a withdrawn"),
        ("expelled", "an expelled"),
    ],
)
def test_with_article_chooses_a_or_an_by_the_first_letter(word: str, expected: str) -> None:
    assert with_article(word) == expected


def test_a_long_list_names_the_first_members_and_counts_the_rest() -> None:
    names = [f"m{k}" for k in range(2_000)]
    assert listing(names[:3]) == "m0, m1, m2"
    assert listing(names, shown=2) == "m0, m1 and 1998 more"
    assert len(listing(names)) < 400
