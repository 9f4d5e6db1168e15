"""How an email's headers are written on the wire: the standard library's SMTP policies, with
two headers it folds wrongly written by hand.

- `List-Unsubscribe` (RFC 2369, RFC 8058) must carry its address as ASCII in angle brackets.
  An address longer than a line has no space to fold at, so the library wrote it as encoded
  words, which no mail program reads as a link: its unsubscribe button went missing.
- A non-ASCII `Subject` folded between two encoded words can lose or double the space at the
  fold (readers ignore the whitespace between encoded words): "la préoccupation" arrived as
  "lapréoccupation". Encoded whole, every space sits inside an encoded word.
"""

from __future__ import annotations

from email.header import Header
from email.policy import EmailPolicy
from typing import Any

_ONE_LINE = frozenset({"list-unsubscribe", "list-unsubscribe-post"})


class _WirePolicy(EmailPolicy):
    def _by_hand(self, name: str, value: Any) -> str | None:
        text = str(value)
        key = name.lower()
        if key in _ONE_LINE and text.isascii():
            return f"{name}: {text}{self.linesep}"
        if key == "subject" and not self.utf8 and not text.isascii():
            encoded = Header(text, "utf-8", header_name=name).encode(
                linesep=self.linesep, maxlinelen=self.max_line_length
            )
            return f"{name}: {encoded}{self.linesep}"
        return None

    def fold(self, name: str, value: Any) -> str:
        return self._by_hand(name, value) or super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        written = self._by_hand(name, value)
        return written.encode("ascii") if written is not None else super().fold_binary(name, value)


SMTP = _WirePolicy(linesep="\r\n")
SMTPUTF8 = SMTP.clone(utf8=True)
