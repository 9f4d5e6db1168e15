"""What the indicators page says about two years measured with different indicator sets, in
the reader's language (issue 20).

`governance` states why an indicator is left out in English for its own documents; the page
words it again from the two sets, so the reader sees the indicator's label and a sentence in
their language rather than a key and an English reason.
"""

from __future__ import annotations

from governance.reports.indicators.comparison import Comparison, LeftOut
from governance.reports.indicators.model import Indicator, IndicatorSet, IndicatorType
from govsched.i18n.current import gettext as _
from govsched.i18n.current import ngettext
from govsched.i18n.marking import N_

TYPE_WORDS = {
    IndicatorType.YES_NO: N_("a yes or no"),
    IndicatorType.WHOLE_NUMBER: N_("a whole number"),
    IndicatorType.PERCENTAGE: N_("a percentage"),
    IndicatorType.AMOUNT: N_("an amount"),
    IndicatorType.CHOICE: N_("a choice"),
    IndicatorType.SHORT_TEXT: N_("a short text"),
}


def note(comparison: Comparison) -> str | None:
    """What a reader must be told when the two years used different sets."""
    if comparison.earlier_version == comparison.later_version:
        return None
    count = len(comparison.left_out)
    return ngettext(
        "%(earlier)s used indicator set %(earlier_set)s and %(later)s used %(later_set)s: only "
        "indicators present in both are compared (%(num)s left out).",
        "%(earlier)s used indicator set %(earlier_set)s and %(later)s used %(later_set)s: only "
        "indicators present in both are compared (%(num)s left out).",
        count,
    ) % {
        "earlier": comparison.earlier_year,
        "earlier_set": comparison.earlier_version,
        "later": comparison.later_year,
        "later_set": comparison.later_version,
        "num": count,
    }


def _find(indicators: IndicatorSet, left: LeftOut) -> Indicator | None:
    return next((i for i in indicators.indicators(left.pillar) if i.key == left.indicator), None)


def reason(left: LeftOut, earlier: IndicatorSet, later: IndicatorSet) -> str:
    before, after = _find(earlier, left), _find(later, left)
    if before is None:
        return _("not in the earlier year's set")
    if after is None:
        return _("not in the later year's set")
    if before.type is not after.type:
        return _("its type changed from %(before)s to %(after)s") % {
            "before": _(TYPE_WORDS[before.type]),
            "after": _(TYPE_WORDS[after.type]),
        }
    return _("its choices changed")


def label(left: LeftOut, earlier: IndicatorSet, later: IndicatorSet, language: str) -> str:
    """The indicator's label in `language` (from whichever set has it)."""
    found = _find(later, left) or _find(earlier, left)
    return found.label(language) if found is not None else left.indicator
