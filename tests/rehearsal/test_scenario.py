"""Rehearsal scenarios: parsed whole, or refused with every problem and the event it is in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.kernel.errors import Problem, ScenarioInvalid
from governance.kernel.model import Pillar, Role
from governance.registry.changes import AddMember, AddPerson, SchedulePlenary, SetChair
from govsched.rehearsal.action_schemas import ACTIONS
from govsched.rehearsal.driver import load_scenario
from govsched.rehearsal.scenario import Scenario, parse_scenario

TZ = "America/Toronto"


def member(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": "gov-norland",
        "name": "Government of Norland",
        "pillar": "government",
        "country": "Norland",
        "joined": "2005-03-20",
    }
    fields.update(changes)
    return fields


def add_member_event(at: Any, member_id: str = "ngo-civic-space") -> dict[str, Any]:
    return {
        "at": at,
        "do": "add_member",
        "with": {"id": member_id, "name": "Civic Space Trust", "pillar": "ngo", "country": "X"},
    }


def scenario(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "rulebook": "vpi",
        "start": "2027-01-04",
        "until": "2027-06-30",
        "members": [member()],
        "people": [
            {
                "id": "fp-norland",
                "name": "Lea Moreau",
                "email": "lea@norland.example",
                "member": "gov-norland",
                "roles": ["focal_point", "chair"],
            }
        ],
        "events": [
            {
                "at": "2027-01-05T10:00:00",
                "do": "set_chair",
                "with": {"member": "gov-norland", "starts": "2026-03-21", "ends": "2027-05-21"},
            },
            {
                "at": "2027-01-06T09:30:00+01:00",
                "do": "schedule_plenary",
                "with": {
                    "year": 2027,
                    "starts": "2027-05-18",
                    "ends": "2027-05-21",
                    "location": "Norland Harbour",
                    "host": "gov-norland",
                },
            },
            add_member_event("2027-02-01"),
        ],
    }
    raw.update(changes)
    return raw


def refusal(raw: Any) -> list[Problem]:
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(raw, TZ, ACTIONS)
    assert caught.value.problems
    return caught.value.problems


def paths(problems: list[Problem]) -> list[str]:
    return [p.path for p in problems]


# A valid scenario


def test_a_valid_scenario_parses_with_its_registry_and_events() -> None:
    parsed = parse_scenario(scenario(), TZ, ACTIONS)
    assert parsed.members == (AddMember.model_validate(member()),)
    assert parsed.members[0].pillar is Pillar.GOVERNMENT
    (person,) = parsed.people
    assert isinstance(person, AddPerson)
    assert set(person.roles) == {Role.FOCAL_POINT, Role.CHAIR}
    assert [(e.index, e.action) for e in parsed.events] == [
        (0, "set_chair"),
        (1, "schedule_plenary"),
        (2, "add_member"),
    ]
    assert isinstance(parsed.events[0].payload, SetChair)
    assert isinstance(parsed.events[1].payload, SchedulePlenary)
    assert isinstance(parsed.events[2].payload, AddMember)


def test_bare_dates_are_the_start_of_the_local_day() -> None:
    parsed = parse_scenario(scenario(), TZ, ACTIONS)
    assert parsed.start == datetime(2027, 1, 4, 5, 0, tzinfo=UTC)
    assert parsed.until == datetime(2027, 6, 30, 4, 0, tzinfo=UTC)
    assert parsed.events[2].at == datetime(2027, 2, 1, 5, 0, tzinfo=UTC)


def test_naive_times_are_read_in_the_given_zone() -> None:
    parsed = parse_scenario(scenario(), TZ, ACTIONS)
    assert parsed.events[0].at == datetime(2027, 1, 5, 15, 0, tzinfo=UTC)


def test_aware_times_keep_their_instant() -> None:
    parsed = parse_scenario(scenario(), TZ, ACTIONS)
    assert parsed.events[1].at == datetime(2027, 1, 6, 8, 30, tzinfo=UTC)


def test_the_same_document_read_in_another_zone_gives_other_instants() -> None:
    parsed = parse_scenario(scenario(), "Europe/London", ACTIONS)
    assert parsed.start == datetime(2027, 1, 4, 0, 0, tzinfo=UTC)
    assert parsed.events[0].at == datetime(2027, 1, 5, 10, 0, tzinfo=UTC)
    assert parsed.events[1].at == datetime(2027, 1, 6, 8, 30, tzinfo=UTC)


def test_python_dates_and_datetimes_from_a_yaml_loader_are_accepted() -> None:
    raw = scenario(
        start=date(2027, 1, 4),
        until=datetime(2027, 6, 30, 12, 0),  # noqa: DTZ001 -- a naive time, read in TZ
        events=[
            add_member_event(datetime(2027, 1, 5, 10, 0, tzinfo=timezone(timedelta(hours=-5))))
        ],
    )
    parsed = parse_scenario(raw, TZ, ACTIONS)
    assert parsed.start == datetime(2027, 1, 4, 5, 0, tzinfo=UTC)
    assert parsed.until == datetime(2027, 6, 30, 16, 0, tzinfo=UTC)
    assert parsed.events[0].at == datetime(2027, 1, 5, 15, 0, tzinfo=UTC)


def test_instants_are_given_in_utc() -> None:
    parsed = parse_scenario(scenario(), TZ, ACTIONS)
    instants = [parsed.start, parsed.until, *(e.at for e in parsed.events)]
    assert all(i.utcoffset() == timedelta(0) for i in instants)


def test_a_scenario_without_registry_or_events_parses() -> None:
    parsed = parse_scenario({"start": "2027-01-04", "until": "2027-01-05"}, TZ, ACTIONS)
    assert (parsed.members, parsed.people, parsed.events) == ((), (), ())


def test_events_at_the_bounds_of_the_scenario_are_accepted() -> None:
    events = [add_member_event("2027-01-04", "co-a"), add_member_event("2027-06-30", "co-b")]
    parsed = parse_scenario(scenario(events=events), TZ, ACTIONS)
    assert [e.at for e in parsed.events] == [parsed.start, parsed.until]


def test_events_at_the_same_instant_keep_their_order() -> None:
    events = [add_member_event("2027-02-01", "co-a"), add_member_event("2027-02-01", "co-b")]
    parsed = parse_scenario(scenario(events=events), TZ, ACTIONS)
    ids = [e.payload.id for e in parsed.events if isinstance(e.payload, AddMember)]
    assert ids == ["co-a", "co-b"]


# Refusals


def test_a_document_that_is_not_a_mapping_is_refused() -> None:
    assert refusal(["start", "until"]) == [Problem("", "must be a mapping")]


def test_an_unknown_action_is_refused_listing_the_known_ones() -> None:
    events = [{"at": "2027-01-05", "do": "expel_member", "with": {"member": "gov-norland"}}]
    problems = refusal(scenario(events=events))
    known = ", ".join(sorted(ACTIONS))
    assert problems == [Problem("events.0.do", f"unknown action 'expel_member' (known: {known})")]
    assert "add_member, add_person" in known


def test_an_event_without_an_action_is_refused() -> None:
    problems = refusal(scenario(events=[{"at": "2027-01-05", "with": {}}]))
    assert paths(problems) == ["events.0.do"]
    assert problems[0].reason.startswith("unknown action None")


def test_a_missing_with_field_is_refused_with_its_path() -> None:
    raw = scenario()
    del raw["events"][1]["with"]["year"]
    problems = refusal(raw)
    assert problems == [Problem("events.1.with.year", "Field required")]


def test_an_invalid_with_field_is_refused_with_its_path() -> None:
    raw = scenario()
    raw["events"][2]["with"]["pillar"] = "church"
    assert paths(refusal(raw)) == ["events.2.with.pillar"]


def test_a_with_that_is_not_a_mapping_is_refused() -> None:
    raw = scenario()
    raw["events"][2]["with"] = ["ngo-civic-space"]
    assert refusal(raw) == [Problem("events.2.with", "must be a mapping")]


def test_an_unknown_key_in_an_event_is_refused() -> None:
    raw = scenario()
    raw["events"][0]["when"] = "tomorrow"
    assert refusal(raw) == [Problem("events.0.when", "unknown key")]


def test_an_event_that_is_not_a_mapping_is_refused() -> None:
    raw = scenario()
    raw["events"].append("add a member")
    assert refusal(raw) == [Problem("events.3", "must be a mapping with at, do and with")]


def test_an_event_without_a_time_is_refused() -> None:
    raw = scenario()
    del raw["events"][0]["at"]
    assert refusal(raw) == [Problem("events.0.at", "required")]


def test_an_event_at_a_time_that_is_not_a_time_is_refused() -> None:
    raw = scenario()
    raw["events"][0]["at"] = "next tuesday"
    problems = refusal(raw)
    assert problems == [Problem("events.0.at", "'next tuesday' is not a date or a date and time")]


@pytest.mark.parametrize(
    ("value", "told"),
    [
        # pydantic alone read a number as seconds since 1970 (found by a review)
        (1798000000, "1798000000 is not a date or a date and time"),
        (20270104, "20270104 is not a date or a date and time"),
        ("9999-12-31T23:59:59", "'9999-12-31T23:59:59' is beyond the instants that can be kept"),
    ],
)
def test_a_start_that_is_a_number_or_beyond_every_instant_is_refused_in_words(
    value: object, told: str
) -> None:
    raw = scenario()
    raw["start"] = value
    assert Problem("start", told) in refusal(raw)


def test_an_event_before_the_start_is_refused() -> None:
    raw = scenario(events=[add_member_event("2027-01-03T23:59:59")])
    assert refusal(raw) == [Problem("events.0.at", "outside the scenario's [start, until]")]


def test_an_event_after_until_is_refused() -> None:
    raw = scenario(events=[add_member_event("2027-06-30T00:00:01")])
    assert refusal(raw) == [Problem("events.0.at", "outside the scenario's [start, until]")]


def test_events_out_of_chronological_order_are_refused() -> None:
    events = [
        add_member_event("2027-02-01", "co-a"),
        add_member_event("2027-03-01", "co-b"),
        add_member_event("2027-01-15", "co-c"),
    ]
    problems = refusal(scenario(events=events))
    assert problems == [Problem("events.2.at", "earlier than event 1; list events in order")]


def test_until_must_be_after_start() -> None:
    same = scenario(until="2027-01-04", events=[])
    earlier = scenario(until="2026-12-31", events=[])
    assert refusal(same) == [Problem("until", "must be after start")]
    assert refusal(earlier) == [Problem("until", "must be after start")]


def test_start_and_until_are_required() -> None:
    raw = scenario(events=[])
    del raw["start"]
    del raw["until"]
    assert refusal(raw) == [Problem("start", "required"), Problem("until", "required")]


def test_an_unknown_top_level_key_is_refused() -> None:
    assert refusal(scenario(registry=[])) == [Problem("registry", "unknown key")]


def test_invalid_member_and_person_entries_are_refused_with_their_index() -> None:
    raw = scenario(
        members=[member(), member(id="co-x", pillar="church")],
        people=[{"id": "Lea Moreau", "name": "Lea Moreau", "email": "lea"}],
    )
    problems = refusal(raw)
    assert paths(problems) == ["members.1.pillar", "people.0.id", "people.0.email"]


def test_members_and_people_must_be_lists() -> None:
    problems = refusal(scenario(members={"gov-norland": member()}, people="nobody"))
    assert problems == [Problem("members", "must be a list"), Problem("people", "must be a list")]


def test_events_must_be_a_list() -> None:
    assert refusal(scenario(events={"0": add_member_event("2027-02-01")})) == [
        Problem("events", "must be a list")
    ]


def test_every_problem_is_listed_at_once_with_its_event_index() -> None:
    raw = scenario(
        colour="blue",
        until="2026-01-01",
        members=[member(pillar="church")],
        events=[
            {"at": "2027-01-05", "do": "frobnicate", "extra": 1},
            {"at": "2027-01-06", "do": "schedule_plenary", "with": {"year": 2027}},
        ],
    )
    assert paths(refusal(raw)) == [
        "colour",
        "until",
        "members.0.pillar",
        "events.0.extra",
        "events.0.do",
        "events.0.at",  # after `until`
        "events.1.with.starts",
        "events.1.with.ends",
        "events.1.with.location",
        "events.1.at",
    ]


def test_a_time_beyond_the_last_representable_instant_is_refused_not_crashed_on() -> None:
    # 23:00 on 31 December 9999 in Ottawa is already in the year 10000 in UTC.
    problems = refusal(scenario(until="9999-12-31T23:00:00"))
    assert paths(problems) == ["until"]


def test_a_time_before_the_first_representable_instant_is_refused_not_crashed_on() -> None:
    problems = refusal(scenario(start="0001-01-01T00:00:00+05:00"))
    assert paths(problems) == ["start"]


# Any input: a Scenario or a ScenarioInvalid, never anything else

json_like: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
# Instants within a few centuries; the edges of the datetime range have tests of their own above.
# (Hypothesis wants naive bounds, even for aware datetimes.)
EARLIEST = datetime(1900, 1, 1)  # noqa: DTZ001
LATEST = datetime(2200, 12, 31)  # noqa: DTZ001
instant_text = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)).map(date.isoformat),
    st.datetimes(min_value=EARLIEST, max_value=LATEST).map(datetime.isoformat),
    st.datetimes(
        min_value=EARLIEST,
        max_value=LATEST,
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))]
        ),
    ).map(datetime.isoformat),
)
junk = json_like | instant_text
field_names = st.sampled_from(
    [
        *sorted({*AddMember.model_fields, *AddPerson.model_fields, *SchedulePlenary.model_fields}),
        "member",
        "starts",
        "ends",
        "other",
    ]
)
entries = st.lists(st.dictionaries(field_names, junk, max_size=6), max_size=3)
events = st.fixed_dictionaries(
    {},
    optional={
        "at": junk,
        "do": st.sampled_from([*ACTIONS, "frobnicate"]) | junk,
        "with": junk | st.dictionaries(field_names, junk, max_size=6),
        "other": junk,
    },
)
scenario_like = st.fixed_dictionaries(
    {},
    optional={
        "rulebook": junk,
        "start": junk,
        "until": junk,
        "members": junk | entries,
        "people": junk | entries,
        "events": junk | st.lists(events | junk, max_size=4),
        "other": junk,
    },
)


@settings(max_examples=300, deadline=None, database=None)
@given(json_like | scenario_like)
def test_any_input_gives_a_scenario_or_a_scenario_invalid(raw: Any) -> None:
    outcome: Scenario | ScenarioInvalid
    try:
        outcome = parse_scenario(raw, TZ, ACTIONS)
    except ScenarioInvalid as refused:
        outcome = refused
    if isinstance(outcome, ScenarioInvalid):
        assert outcome.problems
    else:
        assert outcome.start < outcome.until
        assert all(outcome.start <= e.at <= outcome.until for e in outcome.events)


# How far a scenario may run (issue 17: `until: 9999-12-31` ran without end)


def test_a_scenario_running_past_the_rulebooks_span_is_refused_naming_until() -> None:
    [problem] = refusal(scenario(until="9999-12-31"))
    assert problem.path == "until"
    assert "at most 10 years" in problem.reason
    assert "rehearsals.max_span_years" in problem.reason


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(date(1990, 1, 1), date(2200, 12, 31)),
    years=st.integers(1, 30),
    extra_days=st.integers(-400, 400),
)
def test_a_scenario_spans_at_most_the_rulebooks_years(
    start: date, years: int, extra_days: int
) -> None:
    """Read up to the same local day `years` later; refused from the day after."""
    try:
        last_day = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        last_day = start.replace(year=start.year + years, day=28)
    until = last_day + timedelta(days=extra_days)
    raw = scenario(start=start.isoformat(), until=until.isoformat(), events=[])
    if until <= start:
        return  # "must be after start", tested above
    if extra_days <= 0:
        assert parse_scenario(raw, TZ, ACTIONS, years).until.date() <= until
    else:
        with pytest.raises(ScenarioInvalid) as caught:
            parse_scenario(raw, TZ, ACTIONS, years)
        assert [p.path for p in caught.value.problems] == ["until"]


# seen: `start: 2027-02-29` and `at: 2027-03-01T25:00:00` in a scenario file: a ValueError from
# the YAML reader, `govsched: ValueError: day is out of range for month`, exit status 1
@pytest.mark.parametrize(
    ("written", "told"),
    [
        ("start: 2027-02-29", "start: '2027-02-29' on line 1 is not a date"),
        ("until: 2027-06-31", "until: '2027-06-31' on line 1 is not a date"),
        (
            "events: [{at: 2027-02-29T10:00:00, do: add_member}]",
            "events.0.at: '2027-02-29T10:00:00' on line 1 is not a date or a date and time",
        ),
        (
            "events: [{at: 2027-03-01T25:00:00, do: add_member}]",
            "events.0.at: '2027-03-01T25:00:00' on line 1 is not a date or a date and time: "
            "hour must be in 0..23",
        ),
    ],
    ids=["start", "until", "event-day", "event-hour"],
)
def test_a_scenario_file_with_an_instant_no_calendar_has_is_refused_naming_it(
    written: str, told: str, tmp_path: Path
) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(written + "\n", encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as refused:
        load_scenario(path)
    assert told in refused.value.describe()
