"""`make messages`: extract every message, update the four catalogs, keep English complete.

English is the language the messages are written in, so its catalog is filled from the messages
themselves; French, Spanish and Chinese entries are written by the team. A new message arrives
empty in those three, and the catalog checks fail until someone translates it: nothing is
guessed (no fuzzy matching).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import write_po

from governance.kernel.languages import Language
from govsched.i18n.catalogs import (
    DOMAIN,
    LOCALE_DIR,
    TEMPLATE,
    catalog_path,
    locale_folder,
    read_catalog,
    source_forms,
    translated_forms,
)

ROOT = Path(__file__).resolve().parents[2]
MAPPING = Path(__file__).parent / "babel.cfg"
KEYWORDS = [
    "_",
    "gettext",
    "ngettext:1,2",
    "pgettext:1c,2",
    "npgettext:1c,2,3",
    "N_",
    "NP_:1c,2",
    # a notice's message, written in governance and rendered per reader at delivery
    "say",
    "say_n:1,2",
    "say_in:1c,2",
]


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])  # type: ignore[no-untyped-call]


def extract(output: Path = TEMPLATE) -> None:
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _pybabel(
        "extract",
        "-F",
        str(MAPPING),
        *keywords,
        "--no-default-keywords",
        "--no-location",
        "--sort-output",
        "--add-comments=TRANSLATORS:",
        "--project=govsched",
        "-o",
        str(output),
        str(ROOT),
    )


def update(language: Language) -> None:
    path = catalog_path(language)
    if not path.exists():
        _pybabel(
            "init",
            "-D",
            DOMAIN,
            "-i",
            str(TEMPLATE),
            "-d",
            str(LOCALE_DIR),
            "-l",
            locale_folder(language),
        )
    _pybabel(
        "update",
        "-D",
        DOMAIN,
        "-i",
        str(TEMPLATE),
        "-d",
        str(LOCALE_DIR),
        "-l",
        locale_folder(language),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


def fill_english() -> None:
    path = catalog_path(Language.EN)
    catalog = read_catalog(path, locale_folder(Language.EN))
    for message in catalog:
        if not message.id:
            continue  # the header
        written = source_forms(message)
        if not all(translated_forms(message)):
            message.string = written if len(written) > 1 else written[0]
    with path.open("wb") as target:
        write_po(target, catalog, omit_header=False, sort_output=True, no_location=True)


# The extraction stamps the template, and `update` each catalog, with the moment it ran.
_STAMP = re.compile(rb'^"POT-Creation-Date: [^"]*"\n', re.M)


def _unstamped(text: bytes) -> bytes:
    return _STAMP.sub(b"", text)


def main() -> int:
    files = [TEMPLATE, *(catalog_path(language) for language in Language)]
    before = {path: path.read_bytes() for path in files if path.exists()}
    extract()
    for language in Language:
        update(language)
    fill_english()
    # A run that changed no message leaves the files as they were: a new stamp alone is noise
    # in every diff.
    for path, old in before.items():
        if _unstamped(path.read_bytes()) == _unstamped(old):
            path.write_bytes(old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
