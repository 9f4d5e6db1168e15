"""/web/plenary opens, unless asked for another, on the plenary taking decisions today: during
its grace days after it ends too, not on the next one.

Found by a review: the day after the 2027 plenary ended (its decisions still recorded for the
rulebook's grace days), the page opened on the 2028 plenary."""

from __future__ import annotations

from datetime import date, timedelta

from governance.kernel.model import Plenary
from governance.rulebook.model import Rulebook
from govsched.http.web.routes.plenary import _chosen
from tests.governance.plenaries import annual

GRACE = Rulebook().plenary.decision_grace_days
THIS = annual(date(2027, 2, 23))
NEXT = annual(date(2028, 2, 29))
PLENARIES: list[Plenary] = [THIS, NEXT]


def test_the_page_opens_on_the_plenary_still_taking_decisions() -> None:
    assert GRACE > 0
    for days_after in range(1, GRACE + 1):
        assert _chosen(PLENARIES, "", THIS.ends + timedelta(days=days_after), GRACE) == THIS
    assert _chosen(PLENARIES, "", THIS.ends + timedelta(days=GRACE + 1), GRACE) == NEXT
    assert _chosen(PLENARIES, "", THIS.starts - timedelta(days=1), GRACE) == THIS
    assert _chosen(PLENARIES, NEXT.id, THIS.ends, GRACE) == NEXT
