"""Saving, submitting and amending indicator values, and reviewers' comments (issue 22): a draft
never touches the submitted values, an amendment names exactly the indicators it changed, and
who may act or comment is asked before anything else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.errors import Forbidden, InvalidInput, NotFound
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.reports.indicators.model import IndicatorSet
from governance.reports.indicators.settings import IndicatorRules
from governance.reports.indicators.submission import (
    CommentIndicator,
    MemberAtHand,
    StoredIndicators,
    SubmitIndicators,
    amendment_notices,
    check_comment,
    comments_text,
    record_indicators,
)
from tests.governance.reports.indicator_strategies import (
    UNHURRIED,
    indicator_lists,
    valid_value,
)

AT = datetime(2027, 2, 1, 10, tzinfo=UTC)
FOCAL = MemberAtHand(MemberStatus.FULL, Pillar.NGO, frozenset({Role.FOCAL_POINT}), "ngo-a")


def _rules(indicators: list[dict[str, Any]]) -> IndicatorRules:
    return IndicatorRules(
        sets=[
            IndicatorSet.model_validate(
                {"version": "t-1", "from_year": 2026, "pillars": {"ngo": indicators}}
            )
        ]
    )


def _values(data: st.DataObject, rules: IndicatorRules) -> dict[str, Any]:
    return {
        ind.key: data.draw(valid_value(ind))
        for ind in rules.sets[0].indicators(Pillar.NGO)
        if ind.required or data.draw(st.booleans())
    }


@settings(UNHURRIED, max_examples=30)
@given(st.data())
def test_drafts_keep_the_submission_and_amendments_name_what_changed(
    data: st.DataObject,
) -> None:
    rules = _rules(data.draw(indicator_lists()))
    first, second = _values(data, rules), _values(data, rules)

    def send(values: dict[str, Any], already: StoredIndicators | None, draft: bool = False) -> Any:
        cmd = SubmitIndicators(year=2027, member="ngo-a", by="fp-a", indicators=values, draft=draft)
        return record_indicators(cmd, AT, True, FOCAL, rules, already)

    submitted = send(first, None)
    drafted = send({}, submitted.stored, draft=True)
    amended = send(second, drafted.stored)
    assert submitted.amended is None
    assert drafted.stored.submitted == submitted.stored.submitted
    assert drafted.stored.draft == {}
    before, after = submitted.stored.submitted or {}, amended.stored.submitted or {}
    assert set(amended.amended or ()) == {
        k for k in {*before, *after} if before.get(k) != after.get(k)
    }
    assert amended.stored.amendments == 1
    assert amended.stored.draft is None
    assert amended.stored.version == "t-1"


@pytest.mark.parametrize(
    ("facts", "cycle", "error", "field"),
    [
        (FOCAL, False, InvalidInput, "year"),
        (
            MemberAtHand(None, None, frozenset({Role.FOCAL_POINT}), "ngo-a"),
            True,
            InvalidInput,
            "member",
        ),
        (
            MemberAtHand(MemberStatus.EXPELLED, Pillar.NGO, FOCAL.by_roles, "ngo-a"),
            True,
            InvalidInput,
            "member",
        ),
        (MemberAtHand(MemberStatus.FULL, Pillar.NGO, None, None), True, InvalidInput, "by"),
        (
            MemberAtHand(MemberStatus.FULL, Pillar.NGO, frozenset({Role.FOCAL_POINT}), "ngo-b"),
            True,
            Forbidden,
            "by",
        ),
        (
            MemberAtHand(MemberStatus.FULL, Pillar.NGO, frozenset({Role.STEERING_COMMITTEE}), None),
            True,
            Forbidden,
            "by",
        ),
    ],
)
def test_who_may_send_values_is_asked_first(
    facts: MemberAtHand, cycle: bool, error: type[Exception], field: str
) -> None:
    cmd = SubmitIndicators(year=2027, member="ngo-a", by="fp-x", indicators={"nonsense": 1})
    with pytest.raises(error) as raised:
        record_indicators(cmd, AT, cycle, facts, _rules([]), None)
    assert [p.path for p in raised.value.problems] == [field]  # type: ignore[attr-defined]


def test_the_secretariat_may_send_for_any_member_and_each_amendment_is_a_new_notice() -> None:
    rules = IndicatorRules()
    secretariat = MemberAtHand(MemberStatus.FULL, Pillar.NGO, frozenset({Role.SECRETARIAT}), None)
    values = {"field_engagements": 3, "incidents_monitored": 1}
    cmd = SubmitIndicators(year=2027, member="ngo-a", by="sec", indicators=values)
    kept = record_indicators(cmd, AT, True, secretariat, rules, None).stored
    again = record_indicators(cmd, AT + timedelta(days=1), True, secretariat, rules, kept)
    notices = amendment_notices(again.stored, "NGO A", (), ["fp-r"], AT, {})
    assert again.amended == ()
    assert [n.key for n in notices] == ["change_notice:report-2027-ngo-a:vindicators-1:fp-r"]
    assert "no value changed" in notices[0].text


@pytest.mark.parametrize("text", ["", "nul \x00 inside", "<script>alert(1)</script>"])
def test_a_comment_names_its_field_and_only_an_assigned_reviewer_may_comment(text: str) -> None:
    indicator_set = IndicatorRules().set_for_year(2027)
    cmd = CommentIndicator.model_construct(
        year=2027,
        report_of="ngo-a",
        reviewer="gov-r",
        by="fp-r",
        key="no_such_key",
        text=text,
    )
    reviewer = frozenset({Role.FOCAL_POINT})
    with pytest.raises(Forbidden):
        check_comment(cmd, AT, True, reviewer, "gov-other", indicator_set, Pillar.NGO)
    with pytest.raises(NotFound):
        check_comment(cmd, AT, False, reviewer, "gov-r", indicator_set, Pillar.NGO)
    with pytest.raises(InvalidInput) as refused:
        check_comment(cmd, AT, True, reviewer, "gov-r", indicator_set, Pillar.NGO)
    assert "key" in [p.path for p in refused.value.problems]
    good = cmd.model_copy(update={"key": "field_engagements", "text": "Which regions?"})
    comment = check_comment(good, AT, True, reviewer, "gov-r", indicator_set, Pillar.NGO)
    said = comments_text([comment], {"field_engagements": "Field engagements"})
    assert said == "Field engagements: Which regions?"


def test_an_expelled_member_sending_values_is_refused_in_english_whose_article_agrees() -> None:
    """Found by review: "a expelled member does not report"."""
    expelled = MemberAtHand(MemberStatus.EXPELLED, Pillar.NGO, FOCAL.by_roles, "ngo-a")
    cmd = SubmitIndicators(year=2027, member="ngo-a", by="fp-a", indicators={})
    with pytest.raises(InvalidInput) as refused:
        record_indicators(cmd, AT, True, expelled, _rules([]), None)
    assert [(p.path, p.reason) for p in refused.value.problems] == [
        ("member", "an expelled member does not report")
    ]
