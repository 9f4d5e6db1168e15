"""The language a feed is built in (issue 20): each entry's title, description and alarm.

Entries are built in governance and stored with their messages beside the English text; the
feed renders them for its reader. An English reader, and any entry stored before messages were
kept, reads the text as stored, so UIDs and English feeds stay byte for byte what they were.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.kernel.languages import Language
from governance.kernel.messages import Message
from govsched.i18n.current import gettext, use_language
from govsched.i18n.messages import LabelTexts, render


@dataclass(frozen=True, slots=True)
class FeedReader:
    language: Language = Language.EN
    labels: LabelTexts | None = None
    # Tests render in the pseudo-locale to find text that bypasses the catalog.
    pseudo: bool = False

    def text(self, english: str, message: Message | None) -> str:
        if message is None or (self.language is Language.EN and not self.pseudo):
            return english
        return render(message, self.language, self.labels, pseudo=self.pseudo)

    def words(self, message: str, **values: str) -> str:
        """One of the feed's own words (its name), through the catalog."""
        with use_language(self.language, pseudo=self.pseudo):
            form = gettext(message)
        return form % values if values else form


ENGLISH = FeedReader()
