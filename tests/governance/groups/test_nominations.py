"""A seat at the plenary (issue 23, 3c): one nominee per group, a replacement only before the
deadline, the call at the rulebook's offset and one reminder to a group that missed the
deadline. The plenary starts on 17 May 2027 in the initiative's zone (Toronto); the DEFAULT
rulebook calls 120 days before (17 January) and sets the deadline 60 days before (18 March)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.groups.model import Exploration, Group, GroupStatus, LocalParticipant
from governance.groups.nominations import (
    Nomination,
    Nominee,
    confirm,
    next_step_at,
    nominate,
    notices,
    window,
)
from governance.kernel.errors import Conflict, InvalidInput, RulebookInvalid
from governance.kernel.model import Plenary, PlenaryKind
from governance.rulebook.model import Rulebook, load_rulebook

RULEBOOK = Rulebook()
PLENARY = Plenary(
    id="plenary-2027",
    year=2027,
    starts=date(2027, 5, 17),
    ends=date(2027, 5, 20),
    location="Norland Harbour",
)
FOUND = Exploration(demand="Asked for.", support="Backed.", recorded_on=date(2026, 1, 5))
ACTIVE = Group(
    id="ghana",
    name="Ghana group",
    country="GH",
    timezone="Africa/Accra",
    status=GroupStatus.ACTIVE,
    exploration=FOUND,
    participants=(LocalParticipant(id="kofi", name="Kofi Mensah"),),
    coordinators=frozenset({"fp-ghana"}),
)
KOFI = Nominee(id="kofi", name="Kofi Mensah")
AMA = Nominee(id="ama", name="Ama Owusu")
# 9:00 in Toronto (UTC-5 in winter, UTC-4 from 14 March)
OPEN = datetime(2027, 2, 1, 14, 0, tzinfo=UTC)
BEFORE_DEADLINE = datetime(2027, 3, 18, 13, 0, tzinfo=UTC)
AFTER_DEADLINE = datetime(2027, 3, 19, 13, 0, tzinfo=UTC)


def first(at: datetime = OPEN) -> Nomination:
    return nominate(None, ACTIVE, PLENARY, KOFI, "kofi", None, "fp-ghana", at, RULEBOOK)


def fields(error: Conflict | InvalidInput) -> list[str]:
    return [p.path for p in error.problems]


def test_the_window_falls_at_the_rulebooks_offsets_in_the_initiatives_zone() -> None:
    times = window(PLENARY, RULEBOOK)
    assert (times.call_on, times.deadline) == (date(2027, 1, 17), date(2027, 3, 18))
    assert times.call_at == datetime(2027, 1, 17, 5, 0, tzinfo=UTC)
    # the end of 18 March in Toronto, after the clocks went forward on 14 March
    assert times.reminder_at == datetime(2027, 3, 19, 4, 0, tzinfo=UTC)


def test_a_second_nomination_is_refused_with_the_field_named() -> None:
    with pytest.raises(Conflict) as refused:
        nominate(first(), ACTIVE, PLENARY, AMA, "ama", None, "fp-ghana", OPEN, RULEBOOK)
    assert fields(refused.value) == ["person"]
    assert refused.value.problems[0].reason == (
        "ghana has nominated 'kofi' already; to replace them before 18 March 2027, name them in "
        "'replaces'"
    )


def test_a_replacement_before_the_deadline_keeps_whom_it_replaced() -> None:
    replaced = nominate(
        first(), ACTIVE, PLENARY, AMA, "ama", "kofi", "sec", BEFORE_DEADLINE, RULEBOOK
    )
    assert (replaced.person, replaced.name, replaced.replaced) == ("ama", "Ama Owusu", ("kofi",))
    with pytest.raises(Conflict) as late:
        nominate(first(), ACTIVE, PLENARY, AMA, "ama", "kofi", "sec", AFTER_DEADLINE, RULEBOOK)
    assert fields(late.value) == ["replaces"]
    assert late.value.problems[0].reason == "the deadline was 18 March 2027"
    with pytest.raises(Conflict) as wrong:
        nominate(first(), ACTIVE, PLENARY, AMA, "ama", "ama", "sec", OPEN, RULEBOOK)
    assert fields(wrong.value) == ["replaces"]


def test_who_and_when_a_group_may_nominate() -> None:
    with pytest.raises(InvalidInput) as stranger:
        nominate(None, ACTIVE, PLENARY, None, "stranger", None, "sec", OPEN, RULEBOOK)
    assert fields(stranger.value) == ["person"]
    dormant = ACTIVE.model_copy(update={"status": GroupStatus.DORMANT})
    with pytest.raises(Conflict) as asleep:
        nominate(None, dormant, PLENARY, KOFI, "kofi", None, "sec", OPEN, RULEBOOK)
    assert fields(asleep.value) == ["group"]
    early = datetime(2027, 1, 17, 4, 59, tzinfo=UTC)
    with pytest.raises(Conflict) as not_yet:
        nominate(None, ACTIVE, PLENARY, KOFI, "kofi", None, "sec", early, RULEBOOK)
    assert fields(not_yet.value) == ["plenary"]
    assert not_yet.value.problems[0].reason == "nominations open on 17 January 2027"
    # late, but the seat is still the group's until the plenary begins
    assert first(AFTER_DEADLINE).person == "kofi"
    begun = datetime(2027, 5, 17, 4, 0, tzinfo=UTC)
    with pytest.raises(Conflict) as closed:
        first(begun)
    assert closed.value.problems[0].reason == "plenary-2027 began on 17 May 2027"
    special = PLENARY.model_copy(update={"kind": PlenaryKind.EXTRAORDINARY, "id": "plenary-x"})
    with pytest.raises(InvalidInput):
        nominate(None, ACTIVE, special, KOFI, "kofi", None, "sec", OPEN, RULEBOOK)


def test_the_secretariat_confirms_once_with_the_travel_decision() -> None:
    done = confirm(first(), "ghana", True, "sec", BEFORE_DEADLINE)
    assert (done.status.value, done.travel_supported, done.confirmed_by) == (
        "confirmed",
        True,
        "sec",
    )
    with pytest.raises(Conflict):
        confirm(done, "ghana", False, "sec", BEFORE_DEADLINE)
    with pytest.raises(Conflict) as nobody:
        confirm(None, "ghana", True, "sec", BEFORE_DEADLINE)
    assert fields(nobody.value) == ["group"]


def test_the_call_goes_to_active_groups_and_the_reminder_only_to_those_that_missed() -> None:
    exploring = Group(id="brazil", name="Brazil group", country="BR", timezone="America/Bahia")
    peru = ACTIVE.model_copy(update={"id": "peru", "name": "Peru group", "coordinators": set()})
    groups = [ACTIVE, exploring, peru]
    people = {"ghana": ["fp-ghana"], "peru": []}
    before = notices(
        PLENARY, groups, frozenset(), people, datetime(2027, 1, 17, 4, 0, tzinfo=UTC), RULEBOOK
    )
    assert before == []
    called = notices(PLENARY, groups, frozenset(), people, OPEN, RULEBOOK)
    assert [(n.channel, n.recipients, n.key) for n in called] == [
        ("direct", ("fp-ghana",), "deadline_reminder:nominations-2027-ghana:vcall:fp-ghana"),
        ("secretariat", (), "deadline_reminder:nominations-2027-peru:vcall:secretariat"),
    ]
    assert called[0].text == (
        "Call for nominations: Ghana group may nominate one member to attend the VPI 2027 "
        "Annual Plenary (Norland Harbour, from 17 to 20 May 2027). Nominate by 18 March 2027."
    )
    reminded = notices(PLENARY, groups, frozenset({"ghana"}), people, AFTER_DEADLINE, RULEBOOK)
    assert [n.key for n in reminded] == [
        "deadline_reminder:nominations-2027-peru:vreminder:secretariat"
    ]
    assert reminded[0].issued_at == datetime(2027, 3, 19, 4, 0, tzinfo=UTC)


def test_the_year_looks_again_at_the_call_and_at_the_reminder_only() -> None:
    assert next_step_at(PLENARY, datetime(2027, 1, 1, tzinfo=UTC), RULEBOOK) == datetime(
        2027, 1, 17, 5, 0, tzinfo=UTC
    )
    assert next_step_at(PLENARY, OPEN, RULEBOOK) == datetime(2027, 3, 19, 4, 0, tzinfo=UTC)
    assert next_step_at(PLENARY, AFTER_DEADLINE, RULEBOOK) is None


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=183 * 24 * 60))
def test_each_group_hears_of_a_plenary_at_most_one_step_at_a_time(minutes: int) -> None:
    """At any instant a group has at most one notice due (the latest step), and the reminder
    is due only once the deadline's day has ended."""
    at = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    found = notices(PLENARY, [ACTIVE], frozenset(), {"ghana": ["fp-ghana"]}, at, RULEBOOK)
    assert len(found) <= 1
    if found and "vreminder" in found[0].key:
        assert at >= datetime(2027, 3, 19, 4, 0, tzinfo=UTC)


def test_a_deadline_before_the_call_is_refused_by_the_rulebook() -> None:
    with pytest.raises(RulebookInvalid) as refused:
        load_rulebook(
            {"plenary": {"group_nominations": {"call_days_before": 30, "deadline_days_before": 30}}}
        )
    assert [p.path for p in refused.value.problems] == ["plenary.group_nominations"]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=183 * 24 * 60), min_size=1, max_size=30),
    st.booleans(),
)
def test_whenever_the_year_looks_each_step_is_sent_once(looks: list[int], nominates: bool) -> None:
    """The year looks at any instants (a signal, a replayed round, a worker back after
    downtime), each time sending what is due and not in the ledger: the group is called at most
    once, and a group that never nominates is reminded exactly once if the year looked between the
    deadline and the plenary."""
    ledger: list[str] = []
    start = datetime(2026, 12, 1, tzinfo=UTC)
    nominated = frozenset({"ghana"}) if nominates else frozenset()
    instants = sorted(start + timedelta(minutes=m) for m in looks)
    for at in instants:
        due = notices(PLENARY, [ACTIVE], nominated, {"ghana": ["fp-ghana"]}, at, RULEBOOK)
        ledger += [n.key for n in due if n.key not in ledger]
    calls = [k for k in ledger if ":vcall:" in k]
    assert len(calls) <= 1
    reminded = [k for k in ledger if ":vreminder:" in k]
    times = window(PLENARY, RULEBOOK)
    looked_late = any(times.reminder_at <= t < times.closes_at for t in instants)
    assert len(reminded) == (1 if looked_late and not nominates else 0)
