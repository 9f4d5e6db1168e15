"""The per-country picture of impact indicators (issue 22): one bar for each country's figure
the reader may see, none for a cell under the rulebook's minimum nor for one that could be
worked out by subtraction from the total and the other countries shown with it; its table lists
every country's cell, the hidden ones as "hidden or none"."""

from __future__ import annotations

from governance.kernel.model import Pillar
from governance.reports.indicators.aggregates import MemberValues, year_tables
from governance.reports.indicators.comparison import Comparison, compare
from governance.reports.indicators.suppression import Audience, shown_table
from governance.rulebook.model import Rulebook
from govsched.http.web.charts.indicator_countries import country_picture
from tests.web import svg_marks as svg

RULEBOOK = Rulebook()
SET = RULEBOOK.indicators.set_for_year(2026)
OUTREACH = "Host governments approached about the Voluntary Principles"
ENGAGEMENTS = "In-country engagements (working groups, multi-stakeholder meetings)"


def _government(member: str, country: str, outreach: int, engagements: int | None) -> MemberValues:
    values: dict[str, object] = {
        "national_action_plan": "adopted",
        "host_government_outreach": outreach,
    }
    if engagements is not None:
        values["in_country_engagements"] = engagements
    return MemberValues(member, Pillar.GOVERNMENT, country, values)  # type: ignore[arg-type]


# Norland and Estavia with three governments each, Lusmark with one: Lusmark's cells are under
# the minimum (3), and Estavia's would give Lusmark's away by subtraction from the total.
# Norland's three also count their in-country engagements; nobody else does.
MEMBERS = [
    _government("gov-n1", "Norland", 2, 4),
    _government("gov-n2", "Norland", 3, 5),
    _government("gov-n3", "Norland", 4, 6),
    _government("gov-e1", "Estavia", 1, None),
    _government("gov-e2", "Estavia", 1, None),
    _government("gov-e3", "Estavia", 1, None),
    _government("gov-l1", "Lusmark", 7, None),
]


def _comparison(audience: Audience) -> Comparison:
    tables = year_tables(SET, 2026, MEMBERS)
    shown = [shown_table(t, audience, RULEBOOK.indicators.min_members_per_cell) for t in tables]
    return compare(SET, [], SET, shown)


def test_one_bar_per_country_figure_shown_and_none_for_a_suppressed_cell() -> None:
    picture = country_picture(_comparison(Audience.OTHERS), SET, Pillar.GOVERNMENT)
    for drawing in (str(picture.wide), str(picture.narrow)):
        bars = [svg.label(m) for m in svg.marks(drawing, "bars")]
        assert bars == [f"Norland, {OUTREACH}: 9", f"Norland, {ENGAGEMENTS}: 15"]
        figures = [svg.text(m) for m in svg.marks(drawing, "figures")]
        assert figures == ["9", "15"]
    # the longer bar is the larger figure: 15 engagements against 9 governments approached
    outreach, engagements = (svg.rect(m) for m in svg.marks(str(picture.wide), "bars"))
    assert engagements[2] > outreach[2] > 0
    assert picture.table.rows == (
        ("Estavia", OUTREACH, "total", "hidden or none"),
        ("Lusmark", OUTREACH, "total", "hidden or none"),
        ("Norland", OUTREACH, "total", "9"),
        ("Norland", ENGAGEMENTS, "total", "15"),
    )
    assert picture.summary == (
        "2 figures of the government pillar's countries for 2026 are shown. 2 are hidden (too "
        "few members, or they could be worked out from the others) or had no value."
    )


def test_the_secretariat_sees_every_country_figure_whole() -> None:
    picture = country_picture(_comparison(Audience.ENTITLED), SET, Pillar.GOVERNMENT)
    bars = [svg.label(m) for m in svg.marks(str(picture.wide), "bars")]
    assert bars == [
        f"Estavia, {OUTREACH}: 3",
        f"Lusmark, {OUTREACH}: 7",
        f"Norland, {OUTREACH}: 9",
        f"Norland, {ENGAGEMENTS}: 15",
    ]


def test_a_pillar_without_any_country_figure_draws_no_bar() -> None:
    picture = country_picture(_comparison(Audience.OTHERS), SET, Pillar.NGO)
    for drawing in (str(picture.wide), str(picture.narrow)):
        assert svg.marks(drawing, "bars") == []
        # an axis and its title: no legend of nothing stretching the drawing without end
        assert 40 < float(svg.parsed(drawing).get("height", "")) < 120
    assert picture.table.rows == ()
    assert picture.summary == "0 figures of the NGO pillar's countries for 2026 are shown."
