"""The four catalogs, read from their `.po` sources and compiled in memory once per process.

A fuzzy entry is never used (it is a translator's guess awaiting review); the catalog checks in
the test suite refuse one anyway.
"""

from __future__ import annotations

import re
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from governance.kernel.languages import Language

DOMAIN = "govsched"
LOCALE_DIR = Path(__file__).parent / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def locale_folder(language: Language) -> str:
    """`zh-Hans` -> `zh_Hans`, the form gettext folders and Babel use."""
    return language.value.replace("-", "_")


def catalog_path(language: Language) -> Path:
    return LOCALE_DIR / locale_folder(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def source_forms(message: Message) -> tuple[str, ...]:
    """The message as written: one text, or its singular and plural."""
    if isinstance(message.id, str):
        return (message.id,)
    return tuple(str(text) for text in message.id)


def translated_forms(message: Message) -> tuple[str, ...]:
    """Its translation: one text, or one per plural form of the language ('' where missing)."""
    if isinstance(message.string, str):
        return (message.string,)
    return tuple(str(text or "") for text in message.string or ())


def _compiled(catalog: Catalog) -> Translations:
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations(language: Language) -> Translations:
    """The language's compiled catalog; a message it lacks reads as written (English)."""
    path = catalog_path(language)
    if not path.exists():
        return Translations(domain=DOMAIN)
    return _compiled(read_catalog(path, locale_folder(language)))


# -- the pseudo-locale: proves every text a person reads goes through the catalog -------------

PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"
# Placeholders, and the markup a page's message may carry (`<strong>`, a link), stay as written.
_PLACEHOLDER = re.compile(
    r"%\([a-z_0-9]+\)[sdifr]|%[sdif%]|\{[a-z_0-9]*\}|<[^<>]*>|&[a-z]+;", re.IGNORECASE
)
_ACCENTED = str.maketrans(
    "aceinouyACEINOUY",
    "àçéîñöûýÀÇÉÎÑÖÛÝ",
)


def pseudo_text(message: str) -> str:
    """`Report due %(day)s` -> `⟦Rêpört düê %(day)s⟧`: accented letters outside placeholders,
    brackets around the whole, so untranslated text stands out on any rendered page."""
    pieces: list[str] = []
    last = 0
    for match in _PLACEHOLDER.finditer(message):
        pieces.append(message[last : match.start()].translate(_ACCENTED))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(message[last:].translate(_ACCENTED))
    return PSEUDO_OPEN + "".join(pieces) + PSEUDO_CLOSE


@cache
def pseudo_translations() -> Translations:
    """Every message of the template catalog in the pseudo-locale (tests only)."""
    template = read_catalog(TEMPLATE)
    pseudo = Catalog(locale="en", domain=DOMAIN)
    for message in template:
        if not message.id:
            continue
        written = source_forms(message)
        pseudo_forms = tuple(pseudo_text(text) for text in written)
        if len(written) > 1:
            pseudo.add(written, pseudo_forms, context=message.context)
        else:
            pseudo.add(written[0], pseudo_forms[0], context=message.context)
    return _compiled(pseudo)
