"""Rehearsal scenarios: a registry at `start` and dated actions, checked before anything runs.

A scenario is refused as a whole, with every problem listed (the event's index and the reason),
so the Secretariat never learns of a typo in event 40 after events 1 to 39 have run. Bare dates
and times without a zone are read in the initiative's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from governance.kernel.errors import Problem, ScenarioInvalid
from governance.kernel.timekeeping import as_utc, start_of_day, zone
from governance.registry.changes import AddMember, AddPerson
from governance.rulebook.model import Rehearsals, validation_problems

_KNOWN_KEYS = {"rulebook", "start", "until", "members", "people", "events"}
_EVENT_KEYS = {"at", "do", "with"}
_WHEN: TypeAdapter[datetime | date] = TypeAdapter(datetime | date)


@dataclass(frozen=True, slots=True)
class ScenarioEvent:
    index: int
    at: datetime
    action: str
    payload: BaseModel


@dataclass(frozen=True, slots=True)
class Scenario:
    start: datetime
    until: datetime
    members: tuple[AddMember, ...]
    people: tuple[AddPerson, ...]
    events: tuple[ScenarioEvent, ...]


def resolve_instant(value: Any, tz: str) -> datetime:
    """An instant from a date, a naive time (read in `tz`) or an aware time, as UTC. A number
    is no date: pydantic would read 1798000000 as seconds since 1970, and 20270104 likewise."""
    if isinstance(value, int | float):
        raise ValueError("a number")
    parsed = _WHEN.validate_python(value)
    if isinstance(parsed, datetime):
        if parsed.tzinfo is None:
            return as_utc(parsed.replace(tzinfo=zone(tz)))
        return as_utc(parsed)
    return start_of_day(parsed, tz)


def _instant(raw: Mapping[str, Any], key: str, tz: str, problems: list[Problem]) -> datetime | None:
    if key not in raw:
        problems.append(Problem(key, "required"))
        return None
    value = raw[key]
    written = value.isoformat() if isinstance(value, date) else repr(value)
    try:
        return resolve_instant(value, tz)
    except OverflowError:
        problems.append(Problem(key, f"{written} is beyond the instants that can be kept"))
    except (ValidationError, ValueError):
        problems.append(Problem(key, f"{written} is not a date or a date and time"))
    return None


def _entries(
    raw: Mapping[str, Any], key: str, model: type[BaseModel], problems: list[Problem]
) -> list[Any]:
    items = raw.get(key) or []
    if not isinstance(items, list):
        problems.append(Problem(key, "must be a list"))
        return []
    parsed = []
    for i, item in enumerate(items):
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as exc:
            problems += [
                Problem(".".join(filter(None, (key, str(i), p.path))), p.reason)
                for p in validation_problems(exc)
            ]
    return parsed


def _registry_problems(raw: Mapping[str, Any]) -> list[Problem]:
    """Ids written twice in `members` or `people`, and people of a member the scenario does not
    list: the registry is seeded before the first event, where each was refused alone, the
    first only, without saying which entry."""
    problems: list[Problem] = []
    members: dict[str, int] = {}
    for key in ("members", "people"):
        items = raw.get(key) or []
        seen: dict[str, int] = {}
        for i, item in enumerate(items if isinstance(items, list) else []):
            written = item.get("id") if isinstance(item, Mapping) else None
            if not isinstance(written, str):
                continue
            if written in seen:
                first = f"{key}.{seen[written]}"
                problems.append(
                    Problem(f"{key}.{i}.id", f"{written!r} is listed twice (first as {first})")
                )
            else:
                seen[written] = i
        if key == "members":
            members = seen
    people = raw.get("people")
    for i, item in enumerate(people if isinstance(people, list) else []):
        member = item.get("member") if isinstance(item, Mapping) else None
        if isinstance(member, str) and member not in members:
            problems.append(
                Problem(f"people.{i}.member", f"{member!r} is not one of the scenario's members")
            )
    return problems


def _event(
    i: int,
    raw: Any,
    tz: str,
    actions: Mapping[str, type[BaseModel]],
    bounds: tuple[datetime, datetime] | None,
    problems: list[Problem],
) -> ScenarioEvent | None:
    path = f"events.{i}"
    if not isinstance(raw, Mapping):
        problems.append(Problem(path, "must be a mapping with at, do and with"))
        return None
    own: list[Problem] = []
    own += [Problem(f"{path}.{k}", "unknown key") for k in sorted(set(raw) - _EVENT_KEYS)]
    at_problems: list[Problem] = []
    at = _instant(raw, "at", tz, at_problems)
    own += [Problem(f"{path}.{p.path}", p.reason) for p in at_problems]
    action = raw.get("do")
    schema = actions.get(action) if isinstance(action, str) else None
    if schema is None:
        known = ", ".join(sorted(actions))
        own.append(Problem(f"{path}.do", f"unknown action {action!r} (known: {known})"))
    payload = None
    if schema is not None:
        body = raw.get("with") or {}
        if not isinstance(body, Mapping):
            own.append(Problem(f"{path}.with", "must be a mapping"))
        else:
            try:
                payload = schema.model_validate({**body, "action": action})
            except ValidationError as exc:
                own += [
                    Problem(f"{path}.with.{p.path}", p.reason) for p in validation_problems(exc)
                ]
    if at is not None and bounds is not None and not bounds[0] <= at <= bounds[1]:
        own.append(Problem(f"{path}.at", "outside the scenario's [start, until]"))
    problems += own
    if own or at is None or payload is None or not isinstance(action, str):
        return None
    return ScenarioEvent(index=i, at=at, action=action, payload=payload)


def _within_years(start: datetime, until: datetime, years: int, tz: str) -> bool:
    """Whether `until` is no later than the start of the local day `years` years after the
    day `start` falls on (so `start: 2027-01-04` runs to `until: 2037-01-04` at most)."""
    first = start.astimezone(zone(tz)).date()
    if first.year + years > date.max.year:
        return True  # no later instant can be written
    day = 28 if (first.month, first.day) == (2, 29) else first.day
    return until <= start_of_day(first.replace(year=first.year + years, day=day), tz)


def parse_scenario(
    raw: Any,
    tz: str,
    actions: Mapping[str, type[BaseModel]],
    max_span_years: int = Rehearsals().max_span_years,
) -> Scenario:
    """Validate a parsed scenario document; ScenarioInvalid lists every problem found.

    `until` lies at most `max_span_years` after `start` (the rulebook's
    `rehearsals.max_span_years`)."""
    if not isinstance(raw, Mapping):
        raise ScenarioInvalid("the scenario is invalid", [Problem("", "must be a mapping")])
    problems = [Problem(k, "unknown key") for k in sorted(set(raw) - _KNOWN_KEYS)]
    start = _instant(raw, "start", tz, problems)
    until = _instant(raw, "until", tz, problems)
    bounds = (start, until) if start is not None and until is not None else None
    if bounds is not None and until <= start:  # type: ignore[operator]
        problems.append(Problem("until", "must be after start"))
    if bounds is not None and not _within_years(bounds[0], bounds[1], max_span_years, tz):
        problems.append(
            Problem(
                "until",
                f"is more than {max_span_years} years after start; a rehearsal spans at most "
                f"{max_span_years} years (the rulebook's rehearsals.max_span_years)",
            )
        )
    members = _entries(raw, "members", AddMember, problems)
    people = _entries(raw, "people", AddPerson, problems)
    problems += _registry_problems(raw)
    raw_events = raw.get("events") or []
    if not isinstance(raw_events, list):
        problems.append(Problem("events", "must be a list"))
        raw_events = []
    events = []
    previous: ScenarioEvent | None = None
    for i, raw_event in enumerate(raw_events):
        event = _event(i, raw_event, tz, actions, bounds, problems)
        if event is None:
            continue
        if previous is not None and event.at < previous.at:
            problems.append(
                Problem(
                    f"events.{i}.at", f"earlier than event {previous.index}; list events in order"
                )
            )
        events.append(event)
        previous = event
    if problems or start is None or until is None:
        raise ScenarioInvalid("the scenario is invalid", problems)
    return Scenario(start, until, tuple(members), tuple(people), tuple(events))
