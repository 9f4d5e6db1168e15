"""The language of what is being written now: a page's reader, a notice's recipient.

A context variable, so one request, one task or one activity writes in one language without
passing it through every function; `use_language` sets it for a block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from babel.support import Translations

from governance.kernel.languages import Language
from govsched.i18n.catalogs import pseudo_translations, translations

_language: ContextVar[Language] = ContextVar("govsched_language", default=Language.EN)
# Tests render in the pseudo-locale to find text that bypasses the catalog.
_pseudo: ContextVar[bool] = ContextVar("govsched_pseudo_locale", default=False)


def current_language() -> Language:
    return _language.get()


def writing_pseudo() -> bool:
    """Whether the pseudo-locale is being written (a cache of drawn text must tell it apart)."""
    return _pseudo.get()


@contextmanager
def use_language(language: Language, *, pseudo: bool = False) -> Iterator[Language]:
    token = _language.set(language)
    pseudo_token = _pseudo.set(pseudo)
    try:
        yield language
    finally:
        _pseudo.reset(pseudo_token)
        _language.reset(token)


def _catalog() -> Translations:
    return pseudo_translations() if _pseudo.get() else translations(_language.get())


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for it)
    """Marks a message for extraction where it is written; it is translated where it is read
    (a table of titles is built once, read in each reader's language)."""
    return message


def gettext(message: str) -> str:
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form the reader's language uses for `count` (Chinese has one, French and English two,
    with French counting 0 and 1 as singular)."""
    return _catalog().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """A message whose translation depends on where it appears ("Plenary" the meeting, not the
    adjective)."""
    return str(_catalog().pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    return str(_catalog().npgettext(context, singular, plural, count))
