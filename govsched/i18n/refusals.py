"""A refusal by the rules in the language being written (issue 20).

`governance` words each refusal as a message (`GovernanceError.words`, `Problem.words`) and
keeps its English in `message` and `reason`, which the audit, the CLI and API clients read. A
page, a notice or an API answer shows the message in its reader's language. A refusal raised
without a message (an older payload, a sentence written outside `governance`) reads as written.
"""

from __future__ import annotations

from governance.kernel.errors import GovernanceError, InvalidInput, Problem
from governance.kernel.messages import Message
from govsched.i18n.messages import in_current_language


def _written(words: Message | None, english: str) -> str:
    return english if words is None else in_current_language(words)


def refusal_text(error: GovernanceError) -> str:
    """Why the rules refused, in the reader's language."""
    return _written(error.words, error.message)


def summary_text(error: GovernanceError) -> str:
    """What was refused without the problems listed (for a form, which shows each beside its
    field), in the reader's language; the whole refusal when it has no such summary."""
    summary = error.summary if isinstance(error, InvalidInput) else None
    return refusal_text(error) if summary is None else in_current_language(summary)


def reason_text(problem: Problem) -> str:
    """One problem's reason, in the reader's language."""
    return _written(problem.words, problem.reason)


def problem_text(problem: Problem) -> str:
    """`field: reason` (the field names the form's or the request's own field, as written)."""
    reason = reason_text(problem)
    return f"{problem.path}: {reason}" if problem.path else reason


def is_worded(error: GovernanceError) -> bool:
    """Whether the refusal can be written in another language than English."""
    return error.words is not None
