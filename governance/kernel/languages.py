"""The languages people read govsched in (issue 20).

A person's language is a choice of theirs; without one, the initiative's default (a rulebook
setting) applies. What members write is never translated: only what govsched itself says.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    # Tags as BCP 47 writes them (the `lang` of a page, Accept-Language); Chinese is the
    # Simplified script the Strategy itself is printed in.
    EN = "en"
    FR = "fr"
    ES = "es"
    ZH = "zh-Hans"


# Each language named in itself, as a language switch shows it.
AUTONYMS: dict[Language, str] = {
    Language.EN: "English",
    Language.FR: "Français",
    Language.ES: "Español",
    Language.ZH: "简体中文",
}


def reading_language(chosen: Language | None, default: Language) -> Language:
    """The language a person reads: their own choice, else the initiative's default."""
    return chosen if chosen is not None else default
