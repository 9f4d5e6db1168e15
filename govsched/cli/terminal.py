"""What the command line writes to a terminal: every character that could take the terminal
over shown escaped, in one place for every command.

Stored text (a member's or an applicant's name, a group's) reaches listings, JSON and YAML as
it was written. The models refuse C0 control characters in one-line fields, but not the C1 ones
(U+009B is a terminal's Control Sequence Introducer: colours, cursor moves, a cleared screen) nor
the bidirectional controls (U+202E reverses the rest of the line: a name shown as another, an
id or a status read backwards). `run` writes stdout and stderr through `TerminalText`, so no
listing can forget it; each such character is written as `\\uXXXX`, which is also what a JSON
or YAML double-quoted string reads back as the same character. Line breaks and tabs are kept:
they are the listings' own layout.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# C0 controls but tab and line feed, DEL and the C1 controls, the line and paragraph
# separators, and the bidirectional embeddings, overrides and isolates (CVE-2021-42574's set)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def for_terminal(text: str) -> str:
    """`text` with each character that could reorder a line or drive the terminal escaped."""
    return _UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


class ReaderGone(Exception):
    """What reads the output stopped reading (`govsched ... | head`): not a failure to report."""


class TerminalText:
    """A text stream writing through `for_terminal`; anything else is the stream's own."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            self._stream.write(for_terminal(text))
        except BrokenPipeError as exc:
            raise ReaderGone from exc
        return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError as exc:
            raise ReaderGone from exc

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def terminal_output() -> Iterator[None]:
    """Within the block, sys.stdout and sys.stderr write through `for_terminal`."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = TerminalText(stdout)
    sys.stderr = TerminalText(stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr
