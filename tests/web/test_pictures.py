"""The pictures' facts and marks (issue 19), without a server: each picture's marks against the
data it was given (read from its spec and from the SVG drawn), its text alternative against the
same data, rendering that gives the same bytes for the same data, and generated data (empty, one
item, many, long and hostile names) that always draws well-formed, escaped SVG."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.applications.access import entitled
from governance.applications.model import ApplicationKind, ApplicationRecord, ApplicationState, Step
from governance.concerns.access import StepView
from governance.concerns.model import ConcernState
from governance.kernel.model import MemberStatus, Pillar, Plenary
from governance.kernel.timekeeping import local_date
from governance.reports.cycle import Review, cycle_dates
from governance.roster.document import RosterDocument, publish
from governance.roster.rule import (
    LedgerEntry,
    PresentationOutcome,
    RosterMember,
    RosterRules,
    StatusMark,
    eligible_by_pillar,
    forecast,
)
from governance.rulebook.model import Rulebook
from governance.year.milestones import MilestoneProgress, plan, progress
from govsched.http.web.charts import (
    concerns,
    fairness,
    picture,
    pipeline,
    render,
    reporting,
    timeline,
)
from govsched.services.reports import CycleView, ReportLine
from tests.governance.applications.application_cast import FULL_FP, SECRETARIAT
from tests.governance.year.test_plenary_agenda import application
from tests.web import svg_marks as svg

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
TODAY = date(2026, 12, 6)
HOSTILE = [
    "<script>alert(1)</script>",
    "Quote \" and apostrophe ' & ampersand",
    "]]><svg onload=alert(1)>",
    "Right-to-left \u202eevil\u202c name",
    "Control \x01\x07 characters",
    "A name long enough to be cut short in the chart, and kept whole in the table below it",
]
names = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(min_size=1, max_size=120).filter(lambda t: "\x00" not in t),
)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, tzinfo=UTC)


# -- the pipeline ---------------------------------------------------------------------------


def test_the_pipeline_has_one_bar_per_state_its_count_and_ages() -> None:
    entries: list[tuple[ApplicationState, int | None]] = [
        (ApplicationState.AWAITING_CHECK, 3),
        (ApplicationState.AWAITING_CHECK, 40),
        (ApplicationState.AWAITING_CHECK, 10),
    ]
    entries += [
        (ApplicationState.UNDER_REVIEW, 12),
        (ApplicationState.UNDER_REVIEW, None),
        (ApplicationState.ADMITTED, 100),
    ]
    found = pipeline.stages(entries)
    spec = pipeline.spec(found, picture.WIDE)
    rows = svg.data(spec)
    assert [r["state"] for r in rows] == [pipeline.state_label(s) for s in ApplicationState]
    counts = {r["state"]: r["count"] for r in rows}
    assert counts["Awaiting completeness check"] == 3
    assert counts["Under review"] == 2
    assert sum(counts.values()) == len(entries)
    waiting = next(s for s in found if s.state is ApplicationState.AWAITING_CHECK)
    assert (waiting.oldest_days, waiting.median_days) == (40, 10)
    # an age the reader may not see is counted, not aged
    review = next(s for s in found if s.state is ApplicationState.UNDER_REVIEW)
    assert (review.count, review.aged, review.oldest_days) == (2, 1, 12)
    drawn = svg.marks(render.svg(spec), "bars")
    assert len(drawn) == len(ApplicationState)
    widths = {svg.label(b).rsplit("state: ", 1)[1]: svg.rect(b)[2] for b in drawn}
    assert widths["Awaiting completeness check"] == pytest.approx(3 * widths["Admitted"])
    assert widths["Complete"] == 0
    notes = [svg.text(t) for t in svg.marks(render.svg(spec), "notes")]
    assert "3 · oldest 40 d, median 10 d" in notes
    table = pipeline.table(found)
    assert ("Awaiting completeness check", "3", "40 days", "10 days") in table.rows
    assert ("Under review", "2", "12 days", "12 days") in table.rows
    assert "only for applications whose history you may read" in pipeline.summary(found)


def test_an_application_is_aged_from_the_first_step_of_its_last_state() -> None:
    steps = (
        Step(state=ApplicationState.AWAITING_CHECK, at=_at(date(2026, 9, 1)), by="sec"),
        Step(state=ApplicationState.COMPLETE, at=_at(date(2026, 9, 10)), by="sec"),
        Step(state=ApplicationState.UNDER_REVIEW, at=_at(date(2026, 10, 1)), by="sec"),
        # a recommendation keeps the state: the age still counts from 1 October
        Step(state=ApplicationState.UNDER_REVIEW, at=_at(date(2026, 10, 20)), by="sc"),
    )
    record = application(
        "app-a", "Org", ApplicationState.UNDER_REVIEW, ApplicationKind.ADMISSION
    ).model_copy(update={"history": steps})
    assert pipeline.entered_state(record) == _at(date(2026, 10, 1))
    assert pipeline.days_in_state(record, TODAY, TZ) == (TODAY - date(2026, 10, 1)).days


def test_a_reader_counts_only_the_applications_it_may_see_and_ages_only_those_it_may_read() -> None:
    records: list[ApplicationRecord] = [
        application(
            "app-new", "Org new", ApplicationState.AWAITING_CHECK, ApplicationKind.ADMISSION
        ),
        application(
            "app-nop", "Org nop", ApplicationState.NO_OBJECTION_PERIOD, ApplicationKind.ADMISSION
        ),
        application("app-rev", "Org rev", ApplicationState.UNDER_REVIEW, ApplicationKind.ADMISSION),
    ]
    everything = pipeline.for_reader(records, SECRETARIAT, TODAY, TZ)
    assert sum(s.count for s in everything) == 3
    assert all(s.aged == s.count for s in everything)
    # a voting member's focal point knows of the application in its no-objection period only,
    # and may not read its history
    assert not entitled(records[1], FULL_FP)
    member = pipeline.for_reader(records, FULL_FP, TODAY, TZ)
    assert [(s.state, s.count, s.aged) for s in member if s.count] == [
        (ApplicationState.NO_OBJECTION_PERIOD, 1, 0)
    ]
    table = pipeline.table(member)
    assert table.rows == (("No objection period", "1", "—", "—"),)


@given(
    st.lists(st.tuples(st.sampled_from(list(ApplicationState)), st.none() | st.integers(0, 900)))
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_pipelines_add_up_and_draw_one_bar_per_state(
    entries: list[tuple[ApplicationState, int | None]],
) -> None:
    found = pipeline.stages(entries)
    assert sum(s.count for s in found) == len(entries)
    for stage in found:
        ages = [a for s, a in entries if s is stage.state and a is not None]
        assert stage.oldest_days == (max(ages) if ages else None)
        assert stage.median_days == (statistics.median(ages) if ages else None)
    drawn = svg.marks(render.svg(pipeline.spec(found, picture.NARROW)), "bars")
    assert len(drawn) == len(ApplicationState)
    assert len(pipeline.table(found).rows) == sum(1 for s in found if s.count)


# -- the year -------------------------------------------------------------------------------

PLENARY = Plenary(
    id="plenary-2027", year=2027, starts=date(2027, 3, 16), ends=date(2027, 3, 19), location="Oslo"
)


def _year_events(now: datetime) -> list[timeline.Event]:
    milestones = plan(PLENARY, RULEBOOK)
    rows = [(m, progress(m, now, TZ)) for m in milestones]
    cycle = cycle_dates(PLENARY, RULEBOOK)
    return timeline.events(PLENARY, rows, None, [], cycle, RULEBOOK)


def test_the_timeline_has_a_mark_per_date_today_at_its_place_and_overdue_marked() -> None:
    now = _at(TODAY)
    found = _year_events(now)
    milestones = plan(PLENARY, RULEBOOK)
    assert len(found) == len(milestones) + 1 + 3  # the plenary, the three reporting dates
    spec = timeline.spec(found, TODAY, picture.WIDE)
    drawn = render.svg(spec)
    points = svg.marks(drawn, "events")
    assert len(points) == len(found)
    # x is linear in time: two events fix the scale, and today's line must sit on it
    by_day = {e.start: svg.translate(p)[0] for e, p in zip(found, points, strict=True) if not e.end}
    (d1, x1), (d2, x2) = sorted(by_day.items())[0], sorted(by_day.items())[-1]
    per_day = (x2 - x1) / (d2 - d1).days
    (line,) = svg.marks(drawn, "today")
    assert svg.translate(line)[0] == pytest.approx(x1 + per_day * (TODAY - d1).days, abs=0.6)
    # overdue work is red and says so; done and open work too
    overdue = [e for e in found if e.overdue]
    assert [e.label for e in overdue] == [
        m.title for m in milestones if progress(m, now, TZ) is MilestoneProgress.OVERDUE
    ]
    for event, point in zip(found, points, strict=True):
        assert svg.label(point).endswith(event.status)
        if event.overdue:
            assert point.get("fill") == picture.RED
    table = timeline.table(found)
    assert [row[1] for row in table.rows] == [e.label for e in found]
    assert sum(1 for row in table.rows if row[2] == "Overdue") == len(overdue)


@given(st.lists(names, min_size=0, max_size=12), st.integers(-400, 400))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_timelines_escape_their_titles_and_keep_today_in_view(
    titles: list[str], offset: int
) -> None:
    today = TODAY + timedelta(days=offset)
    found = [
        timeline.Event(
            picture.chart_text(t) or "?", "Milestone", TODAY + timedelta(days=30 * i), None, "Open"
        )
        for i, t in enumerate(titles)
    ]
    first, last = timeline.window(found, today)
    assert first < today < last
    drawn = render.svg(timeline.spec(found, today, picture.NARROW))
    _assert_safe(drawn)
    assert len(svg.marks(drawn, "events")) == len(found)


# -- roster fairness --------------------------------------------------------------------------

RULES = RosterRules.of(RULEBOOK)
MIX = [Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.COMPANY, Pillar.NGO]


def _members(count: int) -> list[RosterMember]:
    return [
        RosterMember(
            id=f"m-{i:03d}",
            pillar=MIX[i % len(MIX)],
            history=(StatusMark(status=MemberStatus.FULL, since=date(2010 + i % 12, 1, 1)),),
        )
        for i in range(count)
    ]


def _roster(count: int) -> tuple[RosterDocument, list[fairness.YearPlan]]:
    members = _members(count)
    ledger = [
        LedgerEntry(year=2021 + i % 5, member=m.id, outcome=PresentationOutcome.PRESENTED)
        for i, m in enumerate(members)
        if i % 2 == 0
    ]
    drawn_at = datetime(2025, 12, 1, tzinfo=UTC)
    document = publish(
        2026,
        "plenary-2026",
        "seed",
        drawn_at.date(),
        drawn_at,
        tuple(members),
        tuple(ledger),
        RULES,
    )
    later = ledger + [
        LedgerEntry(year=2026, member=s.member, outcome=PresentationOutcome.PRESENTED)
        for s in document.slots
    ]
    draws = forecast(2027, 3, lambda y: date(y - 1, 12, 1), members, later, RULES, "seed")
    ahead = [
        (d.year, d.slots, eligible_by_pillar(members, d.year, date(d.year - 1, 12, 1), RULES))
        for d in draws
    ]
    return document, fairness.plans([document], ahead, RULES)


def test_the_pillar_shares_have_one_bar_per_pillar_each_year_and_a_target_on_each() -> None:
    _, plans = _roster(40)
    found = fairness.shares(plans)
    years = [p.year for p in plans]
    assert years == [2026, 2027, 2028, 2029]
    assert len(found) == len(years) * len(RULES.presenting_pillars)
    for year_plan in plans:
        mine = [s for s in found if s.year == year_plan.year]
        assert sum(s.slots for s in mine) == len(year_plan.slots)
        assert sum(s.target for s in mine) == pytest.approx(1)
        # the rule keeps every pillar within one slot of its target
        assert all(abs(s.slots - s.target * s.total) < 1 + 1e-9 for s in mine)
    spec = fairness.shares_spec(found, picture.WIDE)
    drawn = render.svg(spec)
    bars, ticks = svg.marks(drawn, "shares"), svg.marks(drawn, "targets")
    assert len(bars) == len(ticks) == len(found)
    # a bar's height is its share, a target's place is its target, on one axis
    zero = max(svg.rect(b)[1] + svg.rect(b)[3] for b in bars)
    per_unit = next(svg.rect(b)[3] / s.share for b, s in zip(bars, found, strict=True) if s.share)
    for bar, tick, share in zip(bars, ticks, found, strict=True):
        assert svg.rect(bar)[3] == pytest.approx(share.share * per_unit, abs=0.6)
        assert svg.rect(tick)[1] == pytest.approx(zero - share.target * per_unit, abs=0.6)
    rows = svg.data(spec)
    assert [r["year"].split("\n")[0] for r in rows] == [str(s.year) for s in found]
    assert {r["pillar"] for r in rows} == {"Governments", "Companies", "NGOs"}
    table = fairness.shares_table(found)
    assert len(table.rows) == len(found)
    assert (table.rows[0][0], table.rows[-1][0]) == ("2026", "2029 (forecast)")


def test_every_eligible_member_has_a_row_with_its_wait_and_next_turn() -> None:
    document, plans = _roster(40)
    found = fairness.waits(document, plans)
    assert len(found) == len({m for m, _ in _eligible(document)})
    presenting = {s.member for s in document.slots}
    last = {e.member: e.year for e in document.ledger if e.outcome is PresentationOutcome.PRESENTED}
    for wait in found:
        assert wait.presents == (wait.member in presenting)
        assert wait.last == last.get(wait.member)
        if wait.last is not None:
            assert wait.years == 2026 - wait.last
        assert wait.next_turn == (2026 if wait.presents else _first_turn(plans, wait.member))
    assert [w.years for w in found] == sorted((w.years for w in found), reverse=True)
    names = {m.id: f"Member {m.id}" for m in document.members}
    labels = picture.unique_labels((w.member, names[w.member]) for w in found)
    spec = fairness.waits_spec(found, labels, RULES.cycle_years, picture.WIDE)
    drawn = render.svg(spec)
    bars = svg.marks(drawn, "waits")
    assert [svg.label(b) for b in bars] == [labels[w.member] for w in found]
    # the cycle's line sits where a bar of `cycle` years would end
    one_year = next(svg.rect(b)[2] / w.years for b, w in zip(bars, found, strict=True) if w.years)
    (line,) = svg.marks(drawn, "cycle")
    assert svg.translate(line)[0] == pytest.approx(RULES.cycle_years * one_year, abs=0.6)
    table = fairness.waits_table(found, labels)
    assert [row[0] for row in table.rows] == [labels[w.member] for w in found]


def _eligible(document: RosterDocument) -> list[tuple[str, date]]:
    from governance.roster.rule import eligible

    found = eligible(document.members, document.year, document.drawn_on, document.rules)
    return [(m.id, since) for m, since in found]


def _first_turn(plans: list[fairness.YearPlan], member: str) -> int | None:
    return next(
        (p.year for p in plans if p.year >= 2026 and member in {s.member for s in p.slots}), None
    )


# -- the reporting grid and the reviewer load ------------------------------------------------


def _cycles(members: list[str], years: list[int]) -> list[CycleView]:
    statuses = ["submitted", "late", "overdue", "open"]
    return [
        CycleView(
            year=year,
            opens=date(year, 1, 1),
            due=date(year, 2, 1),
            review_due=date(year, 3, 1),
            closes=date(year, 5, 1),
            reports=[
                ReportLine(member=m, kind="update", status=statuses[(i + year) % 4])
                for i, m in enumerate(members)
                if (i + year) % 5  # some members owe nothing some years
            ],
            reviews=[],
            escalations=[],
        )
        for year in years
    ]


def test_the_grid_has_one_row_per_member_and_a_cell_per_report_owed() -> None:
    members = [f"mem-{i}" for i in range(9)]
    cycles = _cycles(members, [2024, 2025, 2026])
    found = reporting.cells(cycles)
    owed = [(line.member, c.year, line.status) for c in cycles for line in c.reports]
    assert [(c.member, c.year) for c in found] == [(m, y) for m, y, _ in owed]
    assert [c.status for c in found] == [reporting.STATUSES[s] for _, _, s in owed]
    labels = picture.unique_labels((m, f"Name of {m}") for m in members)
    spec = reporting.grid_spec(found, labels, picture.WIDE)
    drawn = render.svg(spec)
    cells = svg.marks(drawn, "cells")
    assert len(cells) == len(found)
    for cell, mark in zip(found, cells, strict=True):
        assert svg.label(mark) == cell.status
        assert mark.get("fill") == reporting.CELL_STYLE[cell.status][0]
    rows = {svg.rect(c)[1] for c in cells}
    assert len(rows) == len({c.member for c in found})
    written = [svg.text(t) for t in svg.marks(drawn, "cell_marks")]
    assert written == [reporting.CELL_STYLE[c.status][1] for c in found]
    table = reporting.grid_table(found, labels)
    assert table.headers == ("Member", "2024", "2025", "2026")
    by_member = {row[0]: row[1:] for row in table.rows}
    for cell in found:
        assert by_member[labels[cell.member]][cell.year - 2024] == cell.status


def test_the_reviewer_load_counts_each_reviewers_reviews() -> None:
    assigned = datetime(2026, 2, 2, tzinfo=UTC)
    reviews = [
        Review(
            year=2026,
            report_of=f"r-{i}",
            reviewer=f"v-{i % 3}",
            reason="",
            assigned_at=assigned,
            submitted_at=assigned if i % 2 else None,
        )
        for i in range(10)
    ]
    before, after = (
        reporting.loads(reviews, date(2026, 3, 1), date(2026, 2, 20)),
        reporting.loads(reviews, date(2026, 3, 1), date(2026, 3, 2)),
    )
    assert sum(x.total for x in before) == len(reviews)
    assert sum(x.done for x in before) == 5
    assert (sum(x.late for x in before), sum(x.late for x in after)) == (0, 5)
    assert [x.total for x in after] == sorted((x.total for x in after), reverse=True)
    labels = {f"v-{i}": f"Reviewer {i}" for i in range(3)}
    drawn = render.svg(reporting.load_spec(after, labels, picture.WIDE))
    parts = svg.marks(drawn, "load")
    assert len(parts) == sum((x.done > 0) + (x.open > 0) + (x.late > 0) for x in after)
    assert len({svg.rect(p)[1] for p in parts}) == len(after)  # one row per reviewer


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]), names), max_size=8))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_grids_have_a_row_per_member_whatever_their_names(
    people: list[tuple[str, str]],
) -> None:
    named = dict(people)  # members a to d with generated, maybe equal, names
    members = sorted(named)
    found = reporting.cells(_cycles(members, [2026]))
    picture_ = reporting.grid_picture(found, named)
    for drawn in (str(picture_.wide), str(picture_.narrow)):
        _assert_safe(drawn)
        rows = {svg.rect(c)[1] for c in svg.marks(drawn, "cells")}
        assert len(rows) == len({c.member for c in found})
    labels = picture.unique_labels((m, named[m]) for m in members)
    assert len(set(labels.values())) == len(members)
    assert [row[0] for row in picture_.table.rows] == sorted(
        (labels[m] for m in {c.member for c in found}), key=str.casefold
    )


# -- concerns over time -----------------------------------------------------------------------


def _history(filed: date, *steps: tuple[int, ConcernState]) -> list[StepView]:
    first = StepView(
        state=ConcernState.FILED, action="concern.filed", at=_at(filed), by="fp-filer-identity"
    )
    return [first] + [
        StepView(
            state=state, action="step", at=_at(filed + timedelta(days=d)), by="secretariat-identity"
        )
        for d, state in steps
    ]


def test_concerns_are_counted_by_state_at_each_months_end_and_nothing_names_a_case() -> None:
    histories = [
        _history(
            date(2026, 1, 10),
            (5, ConcernState.DIALOGUE),
            (70, ConcernState.REVIEW),
            (120, ConcernState.DECIDED),
        ),
        _history(date(2026, 3, 2), (3, ConcernState.DIALOGUE), (20, ConcernState.WITHDRAWN)),
        _history(date(2026, 11, 28)),
    ]
    found = concerns.months(histories, TODAY, TZ)
    months = sorted({m.month for m in found})
    assert (months[0], months[-1]) == (date(2026, 1, 1), date(2026, 12, 1))
    at = {(m.month, m.state): m.count for m in found}
    assert at[(date(2026, 1, 1), ConcernState.DIALOGUE)] == 1
    for month in (date(2026, 3, 1), date(2026, 4, 1)):
        assert (
            at[(month, ConcernState.REVIEW)],
            at[(month, ConcernState.WITHDRAWN)],
            at[(month, ConcernState.DIALOGUE)],
        ) == (
            1,
            1,
            0,
        )
    december = {s: at[(date(2026, 12, 1), s)] for s in ConcernState}
    assert december == {
        **dict.fromkeys(ConcernState, 0),
        ConcernState.DECIDED: 1,
        ConcernState.WITHDRAWN: 1,
        ConcernState.FILED: 1,
    }
    spec = concerns.spec(found, picture.WIDE)
    drawn = render.svg(spec)
    parts = svg.marks(drawn, "counts")
    assert len(parts) == sum(1 for m in found if m.count)
    everything = svg.texts_everywhere(drawn) + str(spec) + str(concerns.table(found))
    assert "filer-identity" not in everything
    assert "secretariat-identity" not in everything


@given(
    st.lists(
        st.tuples(
            st.dates(date(2023, 1, 1), date(2026, 12, 31)),
            st.lists(
                st.tuples(st.integers(0, 400), st.sampled_from(list(ConcernState))), max_size=4
            ),
        ),
        max_size=12,
    )
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_cases_add_up_in_every_month(
    cases: list[tuple[date, list[tuple[int, ConcernState]]]],
) -> None:
    histories = [_history(filed, *sorted(steps)) for filed, steps in cases]
    found = concerns.months(histories, TODAY, TZ)
    if not histories:
        assert found == []
        return
    months = sorted({m.month for m in found})
    assert concerns.LEAST_MONTHS <= len(months) <= concerns.MONTHS
    assert months[-1] == date(TODAY.year, TODAY.month, 1)
    for month in months:
        end = min(
            date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1), TODAY
        )
        filed = sum(1 for h in histories if local_date(h[0].at, TZ) <= end)
        assert sum(m.count for m in found if m.month == month) == filed
    _assert_safe(render.svg(concerns.spec(found, picture.NARROW)))


# -- rendering ------------------------------------------------------------------------------


def test_the_same_data_gives_the_same_bytes_and_is_drawn_once() -> None:
    found = pipeline.stages([(ApplicationState.COMPLETE, 4)])
    spec = pipeline.spec(found, picture.WIDE)
    first = render.svg(spec)
    assert render.cached(spec)
    render._cache.clear()
    assert not render.cached(spec)
    assert render.svg(pipeline.spec(found, picture.WIDE)) == first
    other = pipeline.spec(pipeline.stages([(ApplicationState.COMPLETE, 5)]), picture.WIDE)
    assert render.spec_key(other) != render.spec_key(spec)
    # a picture is drawn once for each version of its facts: the second time the spec is not
    # even built (it would be in the renderer's cache again if it were)
    facts = pipeline.stages([(ApplicationState.LAPSED, 7)])
    drawn = pipeline.picture(facts)
    render._cache.clear()
    again = pipeline.picture(pipeline.stages([(ApplicationState.LAPSED, 7)]))
    assert (again.wide, again.narrow) == (drawn.wide, drawn.narrow)
    assert not render.cached(pipeline.spec(facts, picture.WIDE))
    changed = pipeline.picture(pipeline.stages([(ApplicationState.LAPSED, 8)]))
    assert changed.wide != drawn.wide


def test_every_picture_has_no_ids_scripts_or_inline_styles() -> None:
    """Two drawings of a picture sit in one page (ids would clash) under a Content Security
    Policy that allows no inline style or script."""
    document, plans = _roster(12)
    drawings = [
        pipeline.picture(pipeline.stages([(ApplicationState.COMPLETE, 4)])),
        timeline.picture(_year_events(_at(TODAY)), TODAY),
        fairness.shares_picture(fairness.shares(plans)),
        fairness.waits_picture(fairness.waits(document, plans), {}, RULES.cycle_years),
        reporting.grid_picture(reporting.cells(_cycles(["a", "b"], [2026])), {}),
        concerns.picture(concerns.months([_history(date(2026, 5, 5))], TODAY, TZ)),
    ]
    for drawn in drawings:
        for markup in (drawn.wide, drawn.narrow):
            _assert_safe(str(markup))
            root = svg.parsed(str(markup))
            assert not [e for e in root.iter() if "id" in e.attrib or "style" in e.attrib]
            assert float(root.get("width", "0")) <= picture.WIDE


def _contrast(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_the_palette_stands_out_on_white() -> None:
    colours = [picture.INK, picture.MUTED, picture.BLUE, picture.GREEN, picture.RED]
    colours += [picture.ORANGE, picture.PURPLE, picture.GREY]
    assert all(_contrast(c) >= 4.5 for c in colours), [(c, _contrast(c)) for c in colours]
    # text written on a coloured cell stands out on it too
    for fill, _, ink in reporting.CELL_STYLE.values():
        assert _ratio(fill, ink) >= 4.5, (fill, ink)


def _ratio(a: str, b: str) -> float:
    la, lb = 1.05 / _contrast(a) - 0.05, 1.05 / _contrast(b) - 0.05
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _assert_safe(drawn: str) -> None:
    """Well-formed XML, no script, no event handler, whatever text the data held."""
    root = svg.parsed(drawn)
    for element in root.iter():
        assert not element.tag.endswith("script")
        assert not element.tag.endswith("foreignObject")
        assert not [a for a in element.attrib if a.lower().startswith("on")]
    assert "<script" not in drawn
