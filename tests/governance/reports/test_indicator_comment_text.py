"""A reviewer's comment on an indicator says something: spaces alone are refused beside `text`.

Found by a review: the API and the form take a comment of one character or more, and the rules
keep it stripped, so a comment of spaces was kept empty and sent with the review as
"Label: " to the member."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from governance.kernel.errors import InvalidInput
from governance.kernel.model import Pillar, Role
from governance.reports.indicators.settings import IndicatorRules
from governance.reports.indicators.submission import CommentIndicator, check_comment

AT = datetime(2027, 2, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize("text", [" ", "\n\t  \n", "\u3000"])
def test_a_blank_comment_is_refused_beside_its_field(text: str) -> None:
    indicator_set = IndicatorRules().set_for_year(2027)
    cmd = CommentIndicator(
        year=2027,
        report_of="ngo-a",
        reviewer="gov-r",
        by="fp-r",
        key="field_engagements",
        text=text,
    )
    with pytest.raises(InvalidInput) as refused:
        check_comment(
            cmd, AT, True, frozenset({Role.FOCAL_POINT}), "gov-r", indicator_set, Pillar.NGO
        )
    assert [(p.path, p.reason) for p in refused.value.problems] == [("text", "must not be blank")]
