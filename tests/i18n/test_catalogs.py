"""The four catalogs are complete, reviewed and faithful to their messages (issue 20).

CI fails on a message missing, empty or fuzzy in any catalog, on a placeholder that differs
between a message and its translation, on a plural with the wrong number of forms, and on a
template catalog older than the code (a `_()` added without `make messages`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural

from governance.kernel.languages import Language
from govsched.i18n import maintain
from govsched.i18n.catalogs import (
    TEMPLATE,
    catalog_path,
    locale_folder,
    read_catalog,
    source_forms,
    translated_forms,
)

PLACEHOLDER = re.compile(r"%\(([a-z_0-9]+)\)[sdifr]|\{([a-z_0-9]*)\}", re.IGNORECASE)


def placeholders(text: str) -> set[str]:
    return {named or braced for named, braced in PLACEHOLDER.findall(text)}


def ids(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, source_forms(m)[0]) for m in catalog if m.id}


@pytest.fixture(scope="module")
def template() -> Catalog:
    return read_catalog(TEMPLATE)


@pytest.mark.parametrize("language", list(Language), ids=lambda lang: lang.value)
def test_every_message_is_translated_reviewed_and_keeps_its_placeholders(
    template: Catalog, language: Language
) -> None:
    catalog = read_catalog(catalog_path(language), locale_folder(language))
    missing = ids(template) - ids(catalog)
    assert not missing, f"{language.value}: not in the catalog: {sorted(missing)[:10]}"
    expected_forms = get_plural(locale_folder(language)).num_plurals
    problems: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        source = source_forms(message)
        label = f"{language.value} {source[0]!r}"
        if message.fuzzy:
            problems.append(f"{label}: fuzzy")
        translated = translated_forms(message)
        if not all(text.strip() for text in translated):
            problems.append(f"{label}: empty")
            continue
        if len(source) > 1 and len(translated) != expected_forms:
            problems.append(f"{label}: {len(translated)} plural forms, not {expected_forms}")
        wanted = set().union(*(placeholders(text) for text in source))
        for text in translated:
            if placeholders(text) != wanted:
                problems.append(f"{label}: placeholders {placeholders(text)} != {wanted}")
    assert not problems, "\n".join(problems)


def test_the_template_catalog_holds_every_message_the_code_says(tmp_path: Path) -> None:
    """Extract again from today's code and templates: same messages as the committed template."""
    fresh = tmp_path / "fresh.pot"
    maintain.extract(fresh)
    now = ids(read_catalog(fresh))
    committed = ids(read_catalog(TEMPLATE))
    assert now - committed == set(), f"run `make messages`: new {sorted(now - committed)[:10]}"
    assert committed - now == set(), f"run `make messages`: gone {sorted(committed - now)[:10]}"
