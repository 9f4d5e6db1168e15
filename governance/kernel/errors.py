"""Why the initiative's rules refuse something.

Every refusal names what was wrong and why, so a Secretariat member reading it (in the API's JSON,
on the command line or in a rehearsal report) knows what to change. The API maps each class to one
HTTP status in one place (govsched/http/errors.py); activities carry them across Temporal as
non-retryable ApplicationErrors whose type is the class name (activities/errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.kernel.messages import NP_, Message, Term, Text, say, say_in, term
from governance.kernel.role_words import role_words

# What NotFound names, as a person reads it ("person 'x' does not exist"): a kind not listed
# here is shown as written.
_KINDS = frozenset(
    {
        NP_("thing", "agenda item"),
        NP_("thing", "agenda version"),
        NP_("thing", "application"),
        NP_("thing", "calendar item"),
        NP_("thing", "concern"),
        NP_("thing", "engaged period"),
        NP_("thing", "funding request"),
        NP_("thing", "group"),
        NP_("thing", "handover"),
        NP_("thing", "meeting"),
        NP_("thing", "member"),
        NP_("thing", "person"),
        NP_("thing", "plan"),
        NP_("thing", "plenary"),
        NP_("thing", "presenter"),
        NP_("thing", "report cycle"),
        NP_("thing", "report"),
        NP_("thing", "review assignment"),
        NP_("thing", "review"),
        NP_("thing", "roster"),
    }
)


def kind_word(kind: str) -> Term | Text:
    return term(say_in("thing", kind)) if kind in _KINDS else Text(value=kind)


def _english(said: str | Message) -> tuple[str, Message | None]:
    if isinstance(said, Message):
        return said.english(), said
    return said, None


@dataclass(frozen=True, slots=True, init=False)
class Problem:
    """One thing wrong with an input: where (a dotted field path) and why.

    The reason is given as a message (`say(...)`) so each surface writes it in its reader's
    language (issue 20); `reason` is its English, what the JSON, the CLI and the audit read.
    """

    path: str
    reason: str
    words: Message | None = field(default=None, compare=False)

    def __init__(self, path: str, reason: str | Message, words: Message | None = None) -> None:
        # `words`: the message for a reason whose English is someone else's (pydantic's)
        english, said = _english(reason)
        words = said if said is not None else words
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "reason", english)
        object.__setattr__(self, "words", words)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class ValueRefused(ValueError):
    """A model's validator refusing a value, worded as a message: pydantic reports it as a
    `value_error` carrying this exception (its text stays the English, as the API's `reason`
    has it), and a form writes the message in its reader's language (issue 20)."""

    def __init__(self, words: Message) -> None:
        super().__init__(words.english())
        self.words = words


class GovernanceError(Exception):
    """Base of every refusal by a governance rule."""

    def __init__(self, message: str | Message, problems: list[Problem] | None = None) -> None:
        english, words = _english(message)
        super().__init__(english)
        self.message = english
        # the message to write in a reader's language; None where only the English is known
        self.words = words
        self.problems: list[Problem] = list(problems or [])

    def describe(self) -> str:
        """The message followed by one line per problem."""
        lines = [self.message, *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)


class InvalidInput(GovernanceError):
    """The input breaks a rule whatever the current state (a field is missing, out of range...)."""

    # The message without the problems it lists ("the occurrence cannot be moved"): a form,
    # which shows each problem beside its own field, says only this at its top. A class default
    # too, for a refusal rebuilt from a payload (a workflow's answer) without __init__.
    summary: Message | None = None

    def __init__(
        self,
        message: str | Message,
        problems: list[Problem] | None = None,
        summary: Message | None = None,
    ) -> None:
        super().__init__(message, problems)
        self.summary = summary


class RulebookInvalid(InvalidInput):
    """The rulebook cannot be used: every problem is listed by field path."""


class ScenarioInvalid(InvalidInput):
    """A rehearsal scenario is refused before anything runs."""


class NotFound(GovernanceError):
    """The item named does not exist."""

    def __init__(self, kind: str, item_id: str) -> None:
        super().__init__(
            say("%(kind)s %(item)r does not exist", kind=kind_word(kind), item=item_id),
            [Problem(kind, say("not found"))],
        )
        self.kind = kind
        self.item_id = item_id


class Conflict(GovernanceError):
    """The input is well formed but clashes with what is already recorded."""


class Forbidden(GovernanceError):
    """The person lacks the role the action needs."""

    def __init__(
        self, missing_role: str, action: str | Message, problems: list[Problem] | None = None
    ) -> None:
        english, words = _english(action)
        # `missing_role` stays the identifiers the API names; the sentence writes each role as
        # the workspace names it. An action given only in English leaves the whole sentence
        # English, not half of it
        sentence = say(
            "%(action)s needs the role %(role)r", action=english, role=role_words(missing_role)
        )
        if words is not None:
            sentence = sentence.model_copy(
                update={"params": {**sentence.params, "action": term(words)}}
            )
        super().__init__(sentence if words is not None else sentence.english(), problems)
        self.missing_role = missing_role
        self.action = english


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
        **_words_payload(error.words),
        "problems": [
            {"path": p.path, "reason": p.reason, **_words_payload(p.words)} for p in error.problems
        ],
        "extra": {field: getattr(error, field) for field in _EXTRA_FIELDS.get(name, ())},
    }


def _words_payload(words: Message | None) -> dict[str, object]:
    """The message beside its English, when there is one (a payload without is as before)."""
    return {} if words is None else {"words": words.model_dump(mode="json")}


def _said(english: object, words: object) -> str | Message:
    """The message a payload carried, else its English (payloads written before had none)."""
    if isinstance(words, dict):
        try:
            return Message.model_validate(words)
        except ValueError:
            pass
    return str(english)


def error_from_payload(payload: dict[str, object]) -> GovernanceError:
    """Rebuild the error `error_payload` described, as its own class."""
    cls = ERROR_TYPES.get(str(payload.get("type")), GovernanceError)
    error = cls.__new__(cls)
    raw_problems = payload.get("problems")
    problems = [
        Problem(str(item.get("path", "")), _said(item.get("reason", ""), item.get("words")))
        for item in (raw_problems if isinstance(raw_problems, list) else [])
        if isinstance(item, dict)
    ]
    GovernanceError.__init__(
        error, _said(payload.get("message", ""), payload.get("words")), problems
    )
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
