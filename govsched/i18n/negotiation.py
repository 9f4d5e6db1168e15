"""Which of our languages a signed-out reader's browser asks for (Accept-Language)."""

from __future__ import annotations

from governance.kernel.languages import Language

# A header longer than this is not a browser's; it is read no further.
_LONGEST = 500


def _ranked(header: str) -> list[str]:
    """The header's tags, most wanted first (q-values, ties in the header's order)."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:_LONGEST].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            wanted.append((-quality, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(wanted)]


def _ours(tag: str) -> Language | None:
    primary, _, rest = tag.partition("-")
    if primary == "zh":
        # Traditional script readers (zh-Hant, zh-TW, zh-HK) are better served by English
        # than by a script they may not read.
        traditional = rest.startswith("hant") or rest in ("tw", "hk", "mo")
        return None if traditional else Language.ZH
    for language in Language:
        if language.value == primary:
            return language
    return None


def negotiate(header: str | None, default: Language) -> Language:
    """The first of the reader's languages we write, else the initiative's default."""
    for tag in _ranked(header or ""):
        if tag == "*":
            return default
        language = _ours(tag)
        if language is not None:
            return language
    return default
