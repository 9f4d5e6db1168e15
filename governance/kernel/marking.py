"""The extraction markers for messages written apart from `say` (a table of them).

Apart from the messages' module so the models that module builds on can mark their own
refusals too (governance/kernel/model.py).
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for it)
    """Marks a message id written apart from `say` (a table of them) for extraction."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802, ARG001 (gettext's own name for it)
    """As `N_`, for a message used with `say_in(context, ...)`: the context is for extraction."""
    return message
