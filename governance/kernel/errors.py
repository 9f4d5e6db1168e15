"""Why the initiative's rules refuse something.

Every refusal names what was wrong and why, so a Secretariat member reading it (in the API's JSON,
on the command line or in a rehearsal report) knows what to change. The API maps each class to one
HTTP status in one place (govsched/http/errors.py); activities carry them across Temporal as
non-retryable ApplicationErrors whose type is the class name (activities/errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (a dotted field path) and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class GovernanceError(Exception):
    """Base of every refusal by a governance rule."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    def describe(self) -> str:
        """The message followed by one line per problem."""
        lines = [self.message, *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)


class InvalidInput(GovernanceError):
    """The input breaks a rule whatever the current state (a field is missing, out of range...)."""


class RulebookInvalid(InvalidInput):
    """The rulebook cannot be used: every problem is listed by field path."""


class ScenarioInvalid(InvalidInput):
    """A rehearsal scenario is refused before anything runs."""


class NotFound(GovernanceError):
    """The item named does not exist."""

    def __init__(self, kind: str, item_id: str) -> None:
        super().__init__(f"{kind} {item_id!r} does not exist", [Problem(kind, "not found")])
        self.kind = kind
        self.item_id = item_id


class Conflict(GovernanceError):
    """The input is well formed but clashes with what is already recorded."""


class Forbidden(GovernanceError):
    """The person lacks the role the action needs."""

    def __init__(
        self, missing_role: str, action: str, problems: list[Problem] | None = None
    ) -> None:
        super().__init__(f"{action} needs the role {missing_role!r}", problems)
        self.missing_role = missing_role
        self.action = action


_EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "NotFound": ("kind", "item_id"),
    "Forbidden": ("missing_role", "action"),
}


def error_payload(error: GovernanceError) -> dict[str, object]:
    """A JSON-safe form of the error, to cross a process boundary (Temporal, subprocess)."""
    name = type(error).__name__
    return {
        "type": name,
        "message": error.message,
        "problems": [{"path": p.path, "reason": p.reason} for p in error.problems],
        "extra": {field: getattr(error, field) for field in _EXTRA_FIELDS.get(name, ())},
    }


def error_from_payload(payload: dict[str, object]) -> GovernanceError:
    """Rebuild the error `error_payload` described, as its own class."""
    cls = ERROR_TYPES.get(str(payload.get("type")), GovernanceError)
    error = cls.__new__(cls)
    raw_problems = payload.get("problems")
    problems = [
        Problem(str(item.get("path", "")), str(item.get("reason", "")))
        for item in (raw_problems if isinstance(raw_problems, list) else [])
        if isinstance(item, dict)
    ]
    GovernanceError.__init__(error, str(payload.get("message", "")), problems)
    extra = payload.get("extra")
    if isinstance(extra, dict):
        for field in _EXTRA_FIELDS.get(cls.__name__, ()):
            setattr(error, field, str(extra.get(field, "")))
    return error


ERROR_TYPES: dict[str, type[GovernanceError]] = {
    cls.__name__: cls
    for cls in (
        GovernanceError,
        InvalidInput,
        RulebookInvalid,
        ScenarioInvalid,
        NotFound,
        Conflict,
        Forbidden,
    )
}
