"""A review assignment's reason, stored in English by the rule, read in each language (issue 20)."""

from __future__ import annotations

from governance.kernel.languages import Language
from governance.reports.peer_review.reason_words import assignment_reason
from govsched.i18n.messages import render

# As rule version 3 writes it when it widens the rulebook's load tolerance.
REASON = (
    "ngo reviewer of a company report; reviewers' pillars company+ngo (all different); "
    "load 2 against an average of 1.50 (allowed 1-3); load tolerance widened from the "
    "rulebook's 1 to 2: no assignment within 1; seeded order 1 of 4 candidates; 3 of 5 "
    "reviewing-pillar members allowed after exclusions; rule version 3"
)


def test_the_reason_read_back_is_the_stored_english() -> None:
    assert assignment_reason(REASON).english() == REASON


def test_rule_version_3s_widening_and_the_average_read_in_french_and_chinese() -> None:
    french = render(assignment_reason(REASON), Language.FR)
    assert "tolérance de charge élargie de 1 (celle du règlement) à 2" in french
    assert "moyenne de 1,50" in french  # the French decimal comma
    assert "examinateur du pilier ONG pour un rapport du pilier entreprise" in french
    assert "load" not in french
    chinese = render(assignment_reason(REASON), Language.ZH)
    assert "负荷容差已从规则手册的 1 放宽至 2" in chinese
    assert "reviewer" not in chinese


def test_a_part_the_reader_does_not_know_is_shown_as_written() -> None:
    reason = "ngo reviewer of a company report; a reason from a future rule"
    assert render(assignment_reason(reason), Language.FR).endswith("; a reason from a future rule")
