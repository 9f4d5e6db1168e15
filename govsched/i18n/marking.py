"""Marking a text for the catalog where it is written, translated later where it is shown."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the name `make messages` extracts
    """`N_("Secretariat")` is extracted like `_()` but stays English here: a table of labels is
    built once at import, and each page translates the label into its reader's language."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802, ARG001 - extracted by name
    """`N_` for a text whose translation depends on where it appears."""
    return message
