"""Refusals: how they describe themselves and how they cross a process boundary."""

from __future__ import annotations

import json

import pytest

from governance.kernel.errors import (
    ERROR_TYPES,
    Conflict,
    Forbidden,
    GovernanceError,
    InvalidInput,
    NotFound,
    Problem,
    error_from_payload,
    error_payload,
)

PROBLEMS = [Problem("events.2.with.year", "Field required"), Problem("", "must be a mapping")]


def example_of(cls: type[GovernanceError]) -> GovernanceError:
    if cls is NotFound:
        return NotFound("member", "gov-atlantis")
    if cls is Forbidden:
        return Forbidden("secretariat", "schedule_plenary")
    return cls(f"{cls.__name__} happened", PROBLEMS)


def test_every_refusal_class_is_registered_by_its_name() -> None:
    assert set(ERROR_TYPES) == {
        "GovernanceError",
        "InvalidInput",
        "RulebookInvalid",
        "ScenarioInvalid",
        "NotFound",
        "Conflict",
        "Forbidden",
    }
    assert all(cls.__name__ == name for name, cls in ERROR_TYPES.items())


@pytest.mark.parametrize("cls", list(ERROR_TYPES.values()), ids=list(ERROR_TYPES))
def test_a_refusal_survives_the_round_trip_through_its_payload(
    cls: type[GovernanceError],
) -> None:
    original = example_of(cls)
    payload = json.loads(json.dumps(error_payload(original)))
    rebuilt = error_from_payload(payload)
    assert type(rebuilt) is cls
    assert rebuilt.message == original.message
    assert str(rebuilt) == str(original)
    assert rebuilt.problems == original.problems
    assert rebuilt.describe() == original.describe()


def test_not_found_keeps_its_kind_and_item_id() -> None:
    rebuilt = error_from_payload(error_payload(NotFound("member", "gov-atlantis")))
    assert isinstance(rebuilt, NotFound)
    assert (rebuilt.kind, rebuilt.item_id) == ("member", "gov-atlantis")
    assert rebuilt.message == "member 'gov-atlantis' does not exist"
    assert rebuilt.problems == [Problem("member", "not found")]


def test_forbidden_keeps_its_missing_role_and_action() -> None:
    rebuilt = error_from_payload(error_payload(Forbidden("secretariat", "schedule_plenary")))
    assert isinstance(rebuilt, Forbidden)
    assert (rebuilt.missing_role, rebuilt.action) == ("secretariat", "schedule_plenary")
    assert rebuilt.message == "schedule_plenary needs the role 'secretariat'"


def test_the_payload_is_plain_json() -> None:
    payload = error_payload(Conflict("the term overlaps another Chair term", PROBLEMS[:1]))
    assert payload == {
        "type": "Conflict",
        "message": "the term overlaps another Chair term",
        "problems": [{"path": "events.2.with.year", "reason": "Field required"}],
        "extra": {},
    }


def test_an_unknown_type_comes_back_as_a_governance_error() -> None:
    rebuilt = error_from_payload({"type": "Meltdown", "message": "boom", "problems": []})
    assert type(rebuilt) is GovernanceError
    assert rebuilt.message == "boom"


def test_a_malformed_payload_still_gives_an_error() -> None:
    rebuilt = error_from_payload({"type": "InvalidInput", "problems": ["not a problem", {}]})
    assert type(rebuilt) is InvalidInput
    assert rebuilt.message == ""
    assert rebuilt.problems == [Problem("", "")]


def test_describe_lists_the_message_then_one_line_per_problem() -> None:
    error = InvalidInput("the scenario is invalid", PROBLEMS)
    assert error.describe() == (
        "the scenario is invalid\n  - events.2.with.year: Field required\n  - must be a mapping"
    )


def test_describe_without_problems_is_the_message() -> None:
    assert Conflict("already scheduled").describe() == "already scheduled"


def test_a_problem_without_a_path_reads_as_its_reason() -> None:
    assert str(Problem("", "must be a mapping")) == "must be a mapping"
    assert str(Problem("year", "already scheduled")) == "year: already scheduled"


def test_the_problems_list_is_a_copy() -> None:
    problems = [Problem("id", "already taken")]
    error = Conflict("member exists", problems)
    problems.append(Problem("email", "already taken"))
    assert error.problems == [Problem("id", "already taken")]


def test_invalid_input_rebuilt_from_its_payload_has_no_summary() -> None:
    """A form reads `summary` of every InvalidInput; one a workflow sent back as a payload is
    rebuilt without __init__ and must still have it (it once was a 500 on the member form)."""
    rebuilt = error_from_payload(error_payload(InvalidInput("the change is dated after today")))
    assert isinstance(rebuilt, InvalidInput)
    assert rebuilt.summary is None
